"""Feeds: the podcast RSS feed, per-episode transcript and chapter files.

Part of the render stage: returns ``(output path, bytes)`` pairs, writes nothing.
The feed speaks RSS 2.0 with Apple's ``itunes`` tags and the Podcasting 2.0
``podcast`` namespace. XML is built with ElementTree, so every value is
escaped exactly once. Structured data (JSON-LD) is ``structured``'s, the hosts'
``_headers`` file ``hosting``'s.
"""

from __future__ import annotations

import datetime as dt
import re
import xml.etree.ElementTree as ET
import hashlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from email.utils import format_datetime
from functools import partial
from html import escape, unescape
from typing import Protocol
from urllib.parse import urljoin

from ssg import exports, identity, markup
from ssg.model import Chapter, Episode, Site, Speaker, Transcript
from ssg.timecode import format_hms, format_vtt
from ssg.urls import Urls

Output = tuple[str, bytes]

ITUNES = "http://www.itunes.com/dtds/podcast-1.0.dtd"
PODCAST = "https://podcastindex.org/namespace/1.0"
CONTENT = "http://purl.org/rss/1.0/modules/content/"
ATOM = "http://www.w3.org/2005/Atom"
PSC = "http://podlove.org/simple-chapters"
for _prefix, _uri in (("itunes", ITUNES), ("podcast", PODCAST), ("content", CONTENT), ("atom", ATOM), ("psc", PSC)):
    ET.register_namespace(_prefix, _uri)

TRANSCRIPTS = (
    (Urls.TRANSCRIPT_VTT, "text/vtt"),
    (Urls.TRANSCRIPT_SRT, "application/x-subrip"),
    (Urls.TRANSCRIPT_JSON, "application/json"),
    (Urls.TRANSCRIPT_HTML, "text/html"),
)
"""Transcript files written beside each episode page, with their MIME types."""
CHAPTERS = Urls.CHAPTERS_JSON
CHAPTERS_TYPE = "application/json+chapters"
APPLE_TEXT_LIMIT = 4000
DESCRIPTION_CHAPTERS_MIN = 3
"""Chapters an episode needs before its description ends with a timestamp list (Spotify reads 3 or more)."""
"""Apple's limit on a channel's or an item's ``description``."""
XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")
"""Characters XML 1.0 forbids even as references (control characters from pasted text)."""
_CAST = "cast"
PERSON_ROLES: dict[str, tuple[str, str]] = {
    "host": ("host", _CAST), "co-host": ("host", _CAST), "guest host": ("guest host", _CAST),
    "guest": ("guest", _CAST), "narrator": ("narrator", _CAST), "announcer": ("announcer", _CAST),
    "reporter": ("reporter", _CAST), "voice actor": ("voice actor", _CAST),
    "producer": ("producer", "creative direction"),
    "executive producer": ("executive producer", "creative direction"),
    "director": ("director", "creative direction"),
    "writer": ("writer", "writing"), "editor": ("editor", "writing"),
    "researcher": ("researcher", "writing"), "transcriber": ("transcriber", "writing"),
    "audio engineer": ("audio engineer", "audio production"),
    "audio editor": ("audio editor", "audio post-production"),
    "sound designer": ("sound designer", "audio post-production"),
    "composer": ("composer", "audio post-production"),
}
"""Our roles mapped to the Podcasting 2.0 taxonomy as (role, group); anything else is a guest.

``group`` must match the role (the namespace's default group is ``cast``),
so a producer is written ``role="producer" group="creative direction"``.
"""


@dataclass
class FeedItems:
    """Feed items of episodes that did not change, taken from the last build's ``feed.xml``.

    An item's XML depends on its episode and on the show-wide inputs only,
    so ``key_of`` names it by both (None: build it afresh). ``made`` records
    each item's key and the digest of its XML for the next build, which
    takes the previous feed's item with that digest.
    """

    key_of: Callable[[Episode], str | None]
    previous: dict[str, str] = field(default_factory=dict)
    """Digest of an item's XML -> the XML, from the last feed."""
    made: dict[str, str] = field(default_factory=dict)
    """Item key -> digest of its XML, this build."""
    known: dict[str, str] = field(default_factory=dict)
    """Item key -> digest of its XML, last build."""

    @classmethod
    def from_feed(cls, key_of: Callable[[Episode], str | None], feed: str, known: dict[str, str]) -> FeedItems:
        """The items of a previous ``feed.xml`` (its text), with the keys the last build recorded."""
        previous = {item_digest(item): item for item in split_items(feed)}
        return cls(key_of, previous, {}, known)

    def item(self, episode: Episode, make: Callable[[], str]) -> str:
        """The episode's item: the previous one when its key and bytes are as recorded, else ``make()``."""
        key = self.key_of(episode)
        if key is None:
            return make()
        digest = self.known.get(key)
        xml = self.previous.get(digest) if digest is not None else None
        if xml is None or digest is None:
            xml = make()
            digest = item_digest(xml)
        self.made[key] = digest
        return xml


def item_digest(xml: str) -> str:
    """What ``FeedItems`` records of an item."""
    return hashlib.sha256(xml.encode("utf-8", "surrogatepass")).hexdigest()


_ITEM_START = "\n  <item>"


def split_items(feed: str) -> list[str]:
    """The ``<item>`` elements of a ``feed.xml`` written by ``rss``, as text.

    Items are the channel's last children; no text inside one can hold a
    newline, two spaces and ``<item>`` (``<`` is always escaped).
    """
    start = feed.find(_ITEM_START)
    end = feed.rfind("\n </channel>")
    if start < 0 or end < start:
        return []
    return ["<item>" + part for part in feed[start + len(_ITEM_START):end].split(_ITEM_START)]


class Context(Protocol):
    """What the feed and structured data read of the renderer (``ssg.render.Renderer`` is one).

    Named here, not imported from ``ssg.render``, so this module never reaches back into
    the module that calls it.
    """

    site: Site
    urls: Urls
    speakers: dict[str, Speaker]
    feed_items: FeedItems | None

    def media_absolute(self, ref: str) -> str: ...


def site_outputs(renderer: Context) -> Iterator[Output]:
    """The feed's output about the whole show: ``feed.xml``."""
    yield Urls.FEED, rss(renderer)


def episode_outputs(renderer: Context, episode: Episode, transcript: Transcript) -> Iterator[Output]:
    """One episode's transcript files and ``chapters.json``."""
    name_of = exports.speaker_names(renderer.speakers)
    site = renderer.site
    if episode.has_transcript:
        files = exports.transcripts(episode, transcript, site.show.title, site.show.language, name_of)
        texts = {
            Urls.TRANSCRIPT_VTT: files.vtt,
            Urls.TRANSCRIPT_SRT: files.srt,
            Urls.TRANSCRIPT_JSON: files.json,
            Urls.TRANSCRIPT_HTML: files.html,
        }
        for name, _ in TRANSCRIPTS:
            yield Urls.file(Urls.episode_file(episode.slug, name)), texts[name].encode("utf-8")
    if has_chapters(episode):
        yield (Urls.file(Urls.episode_file(episode.slug, CHAPTERS)),
               exports.chapters_json(episode, renderer.media_absolute).encode("utf-8"))


def has_chapters(episode: Episode) -> bool:
    """Whether the episode gets a ``chapters.json``."""
    return any(c.start is not None for c in episode.chapters)


# RSS ---------------------------------------------------------------------------
def episode_guid(renderer: Context, episode: Episode) -> str:
    """The item guid: the front matter's ``guid``, else a UUID from the show's guid and the slug."""
    return identity.item_guid(renderer.site.show.guid, episode.slug, episode.guid)


def enclosure_url(renderer: Context, episode: Episode) -> str:
    """The audio URL as the feed gives it: behind ``audio_prefix`` (without its scheme) when one is set."""
    url = renderer.media_absolute(episode.audio_url)
    prefix = renderer.site.show.audio_prefix
    if not prefix:
        return url
    return prefix.rstrip("/") + "/" + url.split("://", 1)[-1]


def listed_chapters(episode: Episode) -> list[Chapter]:
    """The chapters apps list: timed, and not hidden with ``toc: false``."""
    return [c for c in episode.chapters if c.start is not None and c.toc]


def _stamp(seconds: float) -> str:
    """``MM:SS`` under an hour, else ``H:MM:SS``: what Spotify and Apple read in a description."""
    whole = int(seconds)
    hours, rest = divmod(whole, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes:02d}:{secs:02d}"


def chapter_lines(episode: Episode) -> list[str]:
    """The timestamp chapter list for the end of the description ([] under three chapters).

    The first line is at 00:00 (Spotify ignores a list that does not start there).
    """
    chapters = listed_chapters(episode)
    if len(chapters) < DESCRIPTION_CHAPTERS_MIN:
        return []
    lines = [f"{_stamp(c.start or 0.0)} {c.title}" for c in chapters]
    if int(chapters[0].start or 0.0) > 0:
        lines.insert(0, f"00:00 {episode.title}")
    return lines


def _sub(parent: ET.Element, tag: str, text: str | None = None, **attrs: str) -> ET.Element:
    element = ET.SubElement(parent, tag, {k.rstrip("_"): v for k, v in attrs.items()})
    if text is not None:
        element.text = text
    return element


def _pub_date(date: dt.date) -> str:
    return format_datetime(dt.datetime(date.year, date.month, date.day, 12, 0, tzinfo=dt.timezone.utc))


def _categories(channel: ET.Element, categories: tuple[tuple[str, ...], ...]) -> None:
    for path in categories:
        parent = channel
        for name in path:
            parent = ET.SubElement(parent, f"{{{ITUNES}}}category", {"text": name})


def _person(parent: ET.Element, renderer: Context, speaker: Speaker, role: str) -> None:
    taxonomy_role, group = PERSON_ROLES.get(role.casefold(), ("guest", _CAST))
    attrs = {"role": taxonomy_role}
    if group != _CAST:
        attrs["group"] = group
    attrs["href"] = renderer.urls.absolute(Urls.speaker(speaker.id))
    if speaker.image:
        attrs["img"] = renderer.media_absolute(speaker.image)
    element = ET.SubElement(parent, f"{{{PODCAST}}}person", attrs)
    element.text = speaker.name


def rss(renderer: Context) -> bytes:
    """``feed.xml``: every episode that has audio, newest first."""
    site, urls = renderer.site, renderer.urls
    show = site.show
    root = ET.Element("rss", {"version": "2.0"})
    channel = _sub(root, "channel")
    _sub(channel, "title", show.title)
    _sub(channel, "link", urls.absolute(Urls.home()))
    _sub(channel, "description", clip(markup.plain_block(show.description) or show.title, APPLE_TEXT_LIMIT))
    _sub(channel, "language", show.language)
    _sub(channel, f"{{{ATOM}}}link", href=urls.absolute(Urls.FEED), rel="self", type="application/rss+xml")
    _sub(channel, "generator", "ssg")
    if show.copyright:
        _sub(channel, "copyright", show.copyright)
    if site.episodes:
        _sub(channel, "lastBuildDate", _pub_date(site.episodes[0].date))
    _sub(channel, f"{{{ITUNES}}}author", show.author or show.owner_name or show.title)
    if show.owner_name or show.owner_email:
        owner = _sub(channel, f"{{{ITUNES}}}owner")
        if show.owner_name:
            _sub(owner, f"{{{ITUNES}}}name", show.owner_name)
        if show.owner_email:
            _sub(owner, f"{{{ITUNES}}}email", show.owner_email)
    if show.image:
        image = renderer.media_absolute(show.image)
        _sub(channel, f"{{{ITUNES}}}image", href=image)
        img = _sub(channel, "image")
        _sub(img, "url", image)
        _sub(img, "title", show.title)
        _sub(img, "link", urls.absolute(Urls.home()))
    _categories(channel, show.categories)
    _sub(channel, f"{{{ITUNES}}}explicit", "true" if show.explicit else "false")
    _sub(channel, f"{{{ITUNES}}}type", show.show_type)
    _sub(channel, f"{{{PODCAST}}}guid", show.guid)
    if show.locked is not None:
        locked = _sub(channel, f"{{{PODCAST}}}locked", "yes" if show.locked else "no")
        if show.owner_email:
            locked.set("owner", show.owner_email)
    if show.new_feed_url:
        _sub(channel, f"{{{ITUNES}}}new-feed-url", show.new_feed_url)
    for link in show.funding:
        _sub(channel, f"{{{PODCAST}}}funding", link.label, url=link.url)
    for purpose, text in show.txt:
        txt = _sub(channel, f"{{{PODCAST}}}txt", text)
        if purpose:
            txt.set("purpose", purpose)
    if show.license:
        lic = _sub(channel, f"{{{PODCAST}}}license", show.license)
        if show.license_url:
            lic.set("url", show.license_url)
    for episode in site.episodes:
        if episode.episode_type == "trailer" and episode.audio_url:
            trailer = _sub(channel, f"{{{PODCAST}}}trailer", episode.title, pubdate=_pub_date(episode.date),
                           url=enclosure_url(renderer, episode), length=str(episode.audio_bytes or 0),
                           type=episode.audio_type)
            if episode.season is not None:
                trailer.set("season", str(episode.season))
    for speaker in site.speakers:
        if speaker.declared and speaker.role in ("host", "co-host"):
            _person(channel, renderer, speaker, speaker.role)
    items = renderer.feed_items
    xmls = [items.item(e, partial(_item_xml, renderer, e)) if items is not None else _item_xml(renderer, e)
            for e in site.episodes if e.audio_url]
    if xmls:
        # The items are serialized one by one and put in the place of this element; it declares
        # the namespaces only they use on the root, as ElementTree does for the whole document.
        prefixes = {prefix for xml in xmls for prefix in _PREFIX.findall(xml)}
        ET.SubElement(channel, _ITEMS, {f"{{{_NAMESPACES[p]}}}x": "" for p in sorted(prefixes)})
    ET.indent(root, space=" ")
    body = XML_ILLEGAL.sub("", ET.tostring(root, encoding="unicode"))
    if xmls:
        start = body.index("<" + _ITEMS)
        end = body.index("/>", start) + 2
        body = body[:start] + "\n  ".join(xmls) + body[end:]
    return ('<?xml version="1.0" encoding="UTF-8"?>\n' + body + "\n").encode("utf-8")


_ITEMS = "ssg-items"
"""Where the items go in the serialized channel."""
_NAMESPACES = {"itunes": ITUNES, "podcast": PODCAST, "content": CONTENT, "atom": ATOM, "psc": PSC}
_PREFIX = re.compile(r"<(itunes|podcast|content|atom|psc):")


def _item_xml(renderer: Context, episode: Episode) -> str:
    """An episode's ``<item>``, serialized and indented as in the whole feed (two levels deep)."""
    holder = ET.Element("channel")
    item = _item(holder, renderer, episode)
    ET.indent(item, space=" ", level=2)
    xml = ET.tostring(item, encoding="unicode")
    return XML_ILLEGAL.sub("", "<item>" + xml[xml.index(">") + 1:])  # without its namespace declarations


def clip(text: str, limit: int) -> str:
    """``text`` cut at a word to at most ``limit`` characters, with an ellipsis when cut."""
    if len(text) <= limit:
        return text
    cut = text[:limit - 1]
    if " " in cut[limit // 2:]:
        cut = cut.rsplit(" ", 1)[0]
    return cut.rstrip() + "…"


def _item(channel: ET.Element, renderer: Context, episode: Episode) -> ET.Element:
    urls = renderer.urls
    item = _sub(channel, "item")
    _sub(item, "title", episode.title)
    page = urls.absolute(Urls.episode(episode.slug))
    _sub(item, "link", page)
    _sub(item, "guid", episode_guid(renderer, episode), isPermaLink="false")
    _sub(item, "pubDate", _pub_date(episode.date))
    notes = _absolute_links(markup.block(episode.description), page) if episode.description else ""
    lines = chapter_lines(episode)
    listing = "<p>" + "<br>\n".join(escape(line, quote=False) for line in lines) + "</p>" if lines else ""
    _sub(item, "description", _item_description(episode, notes, lines))
    if notes or listing:
        _sub(item, f"{{{CONTENT}}}encoded", "\n".join(part for part in (notes, listing) if part))
    _sub(item, "enclosure", url=enclosure_url(renderer, episode),
         length=str(episode.audio_bytes or 0), type=episode.audio_type)
    if episode.duration is not None:
        _sub(item, f"{{{ITUNES}}}duration", format_hms(episode.duration))
    if episode.image:
        _sub(item, f"{{{ITUNES}}}image", href=renderer.media_absolute(episode.image))
    if episode.number is not None:
        _sub(item, f"{{{ITUNES}}}episode", str(episode.number))
    if episode.season is not None:
        _sub(item, f"{{{ITUNES}}}season", str(episode.season))
    _sub(item, f"{{{ITUNES}}}episodeType", episode.episode_type)
    if episode.explicit is not None:
        _sub(item, f"{{{ITUNES}}}explicit", "true" if episode.explicit else "false")
    if episode.season is not None:
        _sub(item, f"{{{PODCAST}}}season", str(episode.season))
    if episode.number is not None:
        _sub(item, f"{{{PODCAST}}}episode", str(episode.number))
    for appearance in episode.appearances:
        speaker = renderer.speakers.get(appearance.speaker_id)
        if speaker is not None and appearance.role:  # no role is guessed for an undeclared label
            _person(item, renderer, speaker, appearance.role)
    if has_chapters(episode):
        _sub(item, f"{{{PODCAST}}}chapters", url=urls.absolute(Urls.episode_file(episode.slug, CHAPTERS)),
             type=CHAPTERS_TYPE)
    for bite in episode.soundbites:
        _sub(item, f"{{{PODCAST}}}soundbite", bite.title or episode.title, startTime=_seconds(bite.start),
             duration=_seconds(bite.duration))
    listed = listed_chapters(episode)
    if listed:
        psc = _sub(item, f"{{{PSC}}}chapters", version="1.2")
        for chapter in listed:
            attrs = {"start": format_vtt(chapter.start or 0.0), "title": chapter.title}
            if chapter.url:
                attrs["href"] = renderer.media_absolute(chapter.url)
            if chapter.image:
                attrs["image"] = renderer.media_absolute(chapter.image)
            ET.SubElement(psc, f"{{{PSC}}}chapter", attrs)
    if episode.has_transcript:
        for name, mime in TRANSCRIPTS:
            attrs = {"url": urls.absolute(Urls.episode_file(episode.slug, name)), "type": mime,
                     "language": renderer.site.show.language}
            if name == Urls.TRANSCRIPT_VTT and episode.timed:
                attrs["rel"] = "captions"
            ET.SubElement(item, f"{{{PODCAST}}}transcript", attrs)
    return item


def _seconds(value: float) -> str:
    """Seconds as the namespace writes them (``73.0``)."""
    return f"{value:.3f}".rstrip("0").rstrip(".") if value != int(value) else f"{int(value)}.0"


def _item_description(episode: Episode, notes: str, lines: list[str]) -> str:
    """The notes as HTML, or as clipped plain text when longer than Apple reads; then the chapter list.

    The chapter list always fits: the notes are clipped to leave it room.
    """
    listing = "<p>" + "<br>\n".join(escape(line, quote=False) for line in lines) + "</p>" if lines else ""
    room = APPLE_TEXT_LIMIT - (len(listing) + 1 if listing else 0)
    if notes and len(notes) <= room:
        return notes + ("\n" + listing if listing else "")
    text = markup.plain_block(episode.description) if episode.description else ""
    text = text or episode.summary or episode.title
    if not lines:
        return clip(text, APPLE_TEXT_LIMIT)
    plain = "\n".join(lines)
    return clip(text, max(APPLE_TEXT_LIMIT - len(plain) - 2, 0)) + "\n\n" + plain


_LINK_ATTR = re.compile(r'\b(href|src)="([^"]*)"')
_HAS_SCHEME = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:")


def _absolute_links(html: str, page: str) -> str:
    """Links in notes resolved against the episode page: feed readers have no page to resolve them on."""
    def resolve(match: re.Match[str]) -> str:
        value = match.group(2)
        if _HAS_SCHEME.match(value) or value.startswith("//"):
            return match.group(0)
        joined = urljoin(page, unescape(value))
        return f'{match.group(1)}="{escape(joined, quote=True)}"'
    return _LINK_ATTR.sub(resolve, html)
