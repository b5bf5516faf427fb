"""``ssg import --feed FILE_OR_URL [FOLDER]``: bring an existing show in from its RSS feed.

Reads the channel into ``site.yaml`` (title, description, image, categories,
owner, explicit, language, funding, licence, and the show's ``podcast:guid``,
or the value the namespace computes from the old feed URL) and each item
into an episode file: title, date, notes, audio, duration, season, episode
number and type, the item ``<guid>`` byte for byte, chapters (the
``podcast:chapters`` JSON, else Podlove Simple Chapters, else a timestamp
list at the end of the notes), people (``podcast:person``) and the
transcript behind ``podcast:transcript`` (the richest one offered: each is
fetched, and the one with the most speakers, times and paragraphs wins) as
the body. With a FOLDER, transcripts from it are paired with the feed's items
by episode number or title instead. Nothing is written unless everything
can be; every fetch that fails is one line, and the episode is imported
without what it could not fetch.
"""

from __future__ import annotations

import argparse
import datetime as dt
import email.utils
import re
import sys
import xml.etree.ElementTree as ET
from dataclasses import dataclass, replace
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

from ssg.identity import podcast_guid
from ssg.importing import chapters as chapters_reader
from ssg.importing import detect, fetch, podcast_json, srt, text, vtt, whisper, write
from ssg.importing.model import BadInput, ImportedChapter, ImportedEpisode, ImportedTurn, Person
from ssg.importing.read import FOLDER_SUFFIXES
from ssg.importing.read import parse as parse_file
from ssg.loading import SpeakerIndex, label_key
from ssg.model import Speaker
from ssg.timecode import format_hms, parse_time
from ssg.urls import slugify

ITUNES = "http://www.itunes.com/dtds/podcast-1.0.dtd"
PODCAST = "https://podcastindex.org/namespace/1.0"
PODCAST_OLD = "https://github.com/Podcastindex-org/podcast-namespace/blob/main/docs/1.0.md"
CONTENT = "http://purl.org/rss/1.0/modules/content/"
ATOM = "http://www.w3.org/2005/Atom"
PSC = "http://podlove.org/simple-chapters"
TRANSCRIPT_PREFERENCE = ("application/json", "text/vtt", "application/x-subrip", "application/srt", "text/srt",
                         "text/html", "text/plain")
"""Transcript types, richest first: speakers and times per segment, then cues, then paragraphs."""


# Reading the feed -------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class FeedPerson:
    """A ``podcast:person``."""

    name: str
    role: str
    img: str


@dataclass(frozen=True, slots=True)
class FeedItem:
    """One ``<item>`` as the feed gives it."""

    title: str
    date: str
    guid: str
    notes: str
    """Show notes as Markdown."""
    audio_url: str
    audio_bytes: int | None
    audio_type: str
    duration: float | None
    season: int | None
    number: int | None
    episode_type: str
    explicit: bool | None
    image: str
    chapters_url: str
    psc: tuple[ImportedChapter, ...]
    listed: tuple[ImportedChapter, ...]
    """Chapters from a timestamp list at the end of the notes."""
    people: tuple[FeedPerson, ...]
    transcripts: tuple[tuple[str, str], ...]
    """(url, type) of each ``podcast:transcript``."""
    soundbites: tuple[tuple[float, float, str], ...]


@dataclass(frozen=True, slots=True)
class Feed:
    """The channel and its items."""

    show: dict[str, Any]
    """``site.yaml`` fields, in the order they are written."""
    items: tuple[FeedItem, ...]


def _podcast(element: ET.Element, tag: str) -> list[ET.Element]:
    """``podcast:tag`` children, under the namespace's current URI or its old GitHub one."""
    return element.findall(f"{{{PODCAST}}}{tag}") + element.findall(f"{{{PODCAST_OLD}}}{tag}")


def _text(element: ET.Element | None) -> str:
    return " ".join((element.text or "").split()) if element is not None else ""


def _int(value: str) -> int | None:
    value = value.strip()
    return int(value) if value.isdigit() else None


def _explicit(value: str) -> bool | None:
    value = value.strip().lower()
    if value in ("true", "yes", "explicit"):
        return True
    if value in ("false", "no", "clean"):
        return False
    return None


def _date(value: str) -> str:
    """An RFC 2822 ``pubDate`` (or an ISO date) as ``YYYY-MM-DD``, in the feed's own time zone."""
    value = value.strip()
    try:
        return email.utils.parsedate_to_datetime(value).date().isoformat()
    except (TypeError, ValueError, IndexError):
        pass
    try:
        return dt.date.fromisoformat(value[:10]).isoformat()
    except ValueError:
        return ""


def parse_feed(data: bytes, source: str) -> Feed:
    """A feed's channel and items; ``BadInput`` when it is not an RSS feed."""
    try:
        root = ET.fromstring(data)
    except ET.ParseError as exc:
        line = exc.position[0] if exc.position else None
        raise BadInput(f"not a valid XML feed: {exc.msg if hasattr(exc, 'msg') else exc}", line,
                       "check the URL is the feed itself, not a web page", path=source) from None
    channel = root.find("channel")
    if root.tag != "rss" or channel is None:
        raise BadInput(f"not an RSS feed (the document is <{root.tag}>)", None,
                       "give the podcast's RSS feed URL", path=source)
    title = _text(channel.find("title"))
    if not title:
        raise BadInput("the feed's channel has no <title>", None, "check the feed is complete", path=source)
    show = _show(channel, source, title)
    items = tuple(_item(item) for item in channel.findall("item"))
    prefix = audio_prefix([item.audio_url for item in items if item.audio_url])
    if prefix:
        show["audio_prefix"] = prefix
        items = tuple(replace(item, audio_url=strip_prefix(item.audio_url, prefix)) for item in items)
    return Feed(show, items)


ANALYTICS_PREFIXES = (
    re.compile(r"^https?://op3\.dev/e(?:,[^/]*)?/"),
    re.compile(r"^https?://dts\.podtrac\.com/redirect\.(?:mp3|m4a|mp4)/"),
    re.compile(r"^https?://(?:www\.)?podtrac\.com/pts/redirect\.(?:mp3|m4a|mp4)/"),
    re.compile(r"^https?://chrt\.fm/track/[^/]+/"),
    re.compile(r"^https?://pdst\.fm/e/"),
    re.compile(r"^https?://chtbl\.com/track/[^/]+/"),
)
"""Analytics prefixes put in front of enclosure URLs (OP3, Podtrac, Chartable, Podsights)."""


def audio_prefix(urls: list[str]) -> str:
    """The analytics prefix every enclosure URL starts with ('' when there is none, or not all share it)."""
    if not urls:
        return ""
    for pattern in ANALYTICS_PREFIXES:
        match = pattern.match(urls[0])
        if match and all(url.startswith(match.group(0)) for url in urls):
            return match.group(0)
    return ""


def strip_prefix(url: str, prefix: str) -> str:
    """The audio file's own URL behind an analytics prefix (``https://`` when the prefix dropped it)."""
    rest = url[len(prefix):]
    return rest if fetch.is_url(rest) else "https://" + rest


def _show(channel: ET.Element, source: str, title: str) -> dict[str, Any]:
    """The channel as ``site.yaml`` fields."""
    show: dict[str, Any] = {"title": title}
    description = channel.findtext("description") or channel.findtext(f"{{{ITUNES}}}summary") or ""
    if description.strip():
        # One line of plain text, as feeds (ssg's too) give a channel's description: stable on a round trip.
        show["description"] = write.escape_markdown(" ".join(_strip_tags(description).split()))
    link = _text(channel.find("link"))
    show["base_url"] = link if fetch.is_url(link) else "https://example.org/"
    guid = next((_text(g) for g in _podcast(channel, "guid") if _text(g)), "")
    if not guid:
        self_link = next((a.get("href", "") for a in channel.findall(f"{{{ATOM}}}link")
                          if a.get("rel") == "self" and a.get("href")), "")
        feed_url = self_link or (source if fetch.is_url(source) else "")
        if not feed_url:
            raise BadInput("the feed has no podcast:guid and names no feed URL (atom:link rel=\"self\")", None,
                           "import it from its URL, so the show's guid can be computed from it", path=source)
        guid = podcast_guid(feed_url)
    show["guid"] = guid
    show["language"] = _text(channel.find("language")) or "en"
    author = _text(channel.find(f"{{{ITUNES}}}author"))
    if author:
        show["author"] = author
    owner = channel.find(f"{{{ITUNES}}}owner")
    if owner is not None:
        entry = {k: v for k, v in (("name", _text(owner.find(f"{{{ITUNES}}}name"))),
                                   ("email", _text(owner.find(f"{{{ITUNES}}}email")))) if v}
        if entry:
            show["owner"] = entry
    image = channel.find(f"{{{ITUNES}}}image")
    href = image.get("href", "") if image is not None else ""
    href = href or _text(channel.find("image/url"))
    if href:
        show["image"] = href
    categories: list[str] = []
    for top in channel.findall(f"{{{ITUNES}}}category"):
        subs = [c.get("text", "") for c in top.findall(f"{{{ITUNES}}}category") if c.get("text")]
        categories.extend([f"{top.get('text', '')}/{s}" for s in subs] or [top.get("text", "")])
    if categories:
        show["categories"] = [c for c in categories if c.strip("/")]
    explicit = _explicit(channel.findtext(f"{{{ITUNES}}}explicit") or "")
    show["explicit"] = bool(explicit)
    kind = _text(channel.find(f"{{{ITUNES}}}type"))
    if kind == "serial":
        show["type"] = "serial"
    copyright = _text(channel.find("copyright"))
    if copyright:
        show["copyright"] = copyright
    locked = next((_text(e).lower() for e in _podcast(channel, "locked")), "")
    if locked in ("yes", "no"):
        show["locked"] = locked == "yes"
    funding = [{"url": e.get("url", ""), "text": _text(e) or "Support the show"}
               for e in _podcast(channel, "funding") if fetch.is_url(e.get("url", ""))]
    if funding:
        show["funding"] = funding
    txt = [{"purpose": e.get("purpose", ""), "text": _text(e)} if e.get("purpose") else _text(e)
           for e in _podcast(channel, "txt") if _text(e)]
    if txt:
        show["txt"] = txt
    for element in _podcast(channel, "license"):
        if _text(element):
            url = element.get("url", "")
            show["license"] = {"name": _text(element), "url": url} if fetch.is_url(url) else _text(element)
            break
    return show


def _item(item: ET.Element) -> FeedItem:
    enclosure = item.find("enclosure")
    audio_url = enclosure.get("url", "").strip() if enclosure is not None else ""
    length = _int(enclosure.get("length", "")) if enclosure is not None else None
    notes_html = item.findtext(f"{{{CONTENT}}}encoded") or item.findtext("description") or \
        item.findtext(f"{{{ITUNES}}}summary") or ""
    notes_html, listed = split_chapter_list(notes_html)
    duration = parse_time((item.findtext(f"{{{ITUNES}}}duration") or "").strip() or None)
    image = item.find(f"{{{ITUNES}}}image")
    chapters = next((e.get("url", "") for e in _podcast(item, "chapters") if fetch.is_url(e.get("url", ""))), "")
    psc: list[ImportedChapter] = []
    for group in item.findall(f"{{{PSC}}}chapters"):
        for chapter in group.findall(f"{{{PSC}}}chapter"):
            start = parse_time(chapter.get("start", ""))
            if start is not None and chapter.get("title", "").strip():
                psc.append(ImportedChapter(start, " ".join(chapter.get("title", "").split()),
                                           url=chapters_reader._link(chapter.get("href")),
                                           img=chapters_reader._link(chapter.get("image"))))
    people = tuple(FeedPerson(_text(p), (p.get("role") or "host").strip().lower(), p.get("img", ""))
                   for p in _podcast(item, "person") if _text(p))
    transcripts = tuple((e.get("url", ""), (e.get("type") or "").split(";")[0].strip().lower())
                        for e in _podcast(item, "transcript") if fetch.is_url(e.get("url", "")))
    bites: list[tuple[float, float, str]] = []
    for element in _podcast(item, "soundbite"):
        start, length_s = parse_time(element.get("startTime")), parse_time(element.get("duration"))
        if start is not None and length_s:
            bites.append((start, length_s, _text(element)))
    kind = (item.findtext(f"{{{ITUNES}}}episodeType") or "full").strip().lower()
    number = _int(item.findtext(f"{{{ITUNES}}}episode") or "")
    if number is None:
        number = next((_int(_text(e)) for e in _podcast(item, "episode") if _int(_text(e)) is not None), None)
    season = _int(item.findtext(f"{{{ITUNES}}}season") or "")
    guid = item.findtext("guid") or ""
    return FeedItem(
        title=_text(item.find("title")) or _text(item.find(f"{{{ITUNES}}}title")),
        date=_date(item.findtext("pubDate") or ""), guid=guid.strip(), notes=html_to_markdown(notes_html),
        audio_url=audio_url, audio_bytes=length or None,
        audio_type=(enclosure.get("type", "") if enclosure is not None else "") or "audio/mpeg",
        duration=duration, season=season or None, number=number,
        episode_type=kind if kind in ("full", "trailer", "bonus") else "full",
        explicit=_explicit(item.findtext(f"{{{ITUNES}}}explicit") or ""),
        image=image.get("href", "") if image is not None else "", chapters_url=chapters, psc=tuple(psc),
        listed=listed, people=people, transcripts=transcripts, soundbites=tuple(bites),
    )


# Notes -----------------------------------------------------------------------
_STAMP_LINE = re.compile(r"^\(?((?:\d{1,2}:)?\d{1,2}:\d{2})\)?\s*[-–—:]?\s+(.+)$")
_LAST_PARAGRAPH = re.compile(r"(?is)<p>((?:(?!<p>).)*)</p>\s*$")


def split_chapter_list(notes: str) -> tuple[str, tuple[ImportedChapter, ...]]:
    """Notes without a trailing timestamp chapter list (3 or more lines), and that list's chapters."""
    match = _LAST_PARAGRAPH.search(notes)
    tail = match.group(1) if match else notes.strip().split("\n\n")[-1]
    lines = [" ".join(_strip_tags(line).split()) for line in re.split(r"(?i)<br\s*/?>|\n", tail)]
    lines = [line for line in lines if line]
    found = [_STAMP_LINE.match(line) for line in lines]
    if len(lines) < 3 or not all(found):
        return notes, ()
    chapters = tuple(ImportedChapter(parse_time(m.group(1)) or 0.0, m.group(2)) for m in found if m)
    rest = notes[:match.start()] if match else notes.strip()[: -len(tail)]
    return rest.rstrip(), chapters


def _strip_tags(value: str) -> str:
    import html

    return html.unescape(re.sub(r"<[^>]+>", " ", value))


class _Markdown(HTMLParser):
    """Show notes HTML as Markdown: paragraphs, line breaks, links, emphasis, lists, code; other tags dropped."""

    BLOCKS = frozenset("p div h1 h2 h3 h4 h5 h6 ul ol blockquote section article".split())

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.blocks: list[str] = []
        self.current: list[str] = []
        self.links: list[str] = []
        self.lists: list[list[int]] = []

    def flush(self) -> None:
        text = "".join(self.current)
        text = "\n".join(" ".join(line.split()) for line in text.split("\n")).strip()
        if text:
            self.blocks.append(text)
        self.current = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "p" and self.lists:
            return
        if tag in self.BLOCKS or tag == "li":
            if tag == "li" and self.lists:
                self.flush_item()
                self.lists[-1][0] += 1
                mark = f"{self.lists[-1][0]}. " if self.lists[-1][1] else "- "
                self.current.append(mark)
                return
            self.flush()
            if tag in ("ul", "ol"):
                self.lists.append([0, 1 if tag == "ol" else 0])
        elif tag == "br":
            self.current.append("\n")
        elif tag in ("strong", "b"):
            self.current.append("**")
        elif tag in ("em", "i"):
            self.current.append("*")
        elif tag == "code":
            self.current.append("`")
        elif tag == "a":
            href = dict(attrs).get("href") or ""
            self.links.append(href)
            if href:
                self.current.append("[")

    def flush_item(self) -> None:
        text = " ".join("".join(self.current).split())
        if text:
            self.blocks.append(text)
        self.current = []

    def handle_endtag(self, tag: str) -> None:
        if tag == "p" and self.lists:
            return
        if tag in ("ul", "ol"):
            self.flush_item()
            if self.lists:
                self.lists.pop()
        elif tag == "li":
            self.flush_item()
        elif tag in self.BLOCKS:
            self.flush()
        elif tag in ("strong", "b"):
            self.current.append("**")
        elif tag in ("em", "i"):
            self.current.append("*")
        elif tag == "code":
            self.current.append("`")
        elif tag == "a" and self.links:
            href = self.links.pop()
            if href:
                self.current.append(f"]({href})")

    def handle_data(self, data: str) -> None:
        self.current.append(write.escape_markdown(data) if data.strip() else data)


def html_to_markdown(value: str) -> str:
    """Show notes (HTML, or plain text) as Markdown."""
    value = value.strip()
    if not value:
        return ""
    if "<" not in value:
        value = "".join(f"<p>{part}</p>" for part in value.split("\n\n"))
        value = value.replace("\n", "<br>")
    parser = _Markdown()
    parser.feed(value)
    parser.close()
    parser.flush()
    out = ""
    previous_item = False
    for block in parser.blocks:
        item = bool(_ITEM.match(block))
        if out:
            out += "\n" if item and previous_item else "\n\n"
        out += block.replace("\n", "  \n")
        previous_item = item
    return out.strip()


_ITEM = re.compile(r"^(- |\d+\. )")


# Transcripts -------------------------------------------------------------------
class _HtmlTranscript(HTMLParser):
    """A Podcasting 2.0 HTML transcript: ``<cite>`` speaker, ``<time>`` start, ``<p>`` text."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.turns: list[ImportedTurn] = []
        self.speaker = ""
        self.start: float | None = None
        self.where = ""
        self.buffer: list[str] = []
        self.paragraphs: list[str] = []
        self.in_body = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("cite", "time"):
            self.where = tag
            self.buffer = []
        elif tag == "p":
            self.buffer = []
            self.where = "p"
        elif tag == "body":
            self.in_body = True

    def handle_endtag(self, tag: str) -> None:
        text = " ".join("".join(self.buffer).split())
        if tag == "cite":
            self.end_turn()
            self.speaker = text.rstrip(":").strip()
            self.where = "p"
            self.buffer = []
        elif tag == "time":
            if not self.paragraphs and self.start is None:
                self.start = parse_time(text)
            else:
                self.end_turn()
                self.start = parse_time(text)
            self.where = "p"
            self.buffer = []
        elif tag == "p":
            if text:
                self.paragraphs.append(text)
            self.buffer = []
            self.where = ""

    def end_turn(self) -> None:
        if self.paragraphs:
            self.turns.append(ImportedTurn(self.speaker, self.start, tuple(self.paragraphs)))
        self.speaker, self.start, self.paragraphs = "", None, []

    def handle_data(self, data: str) -> None:
        if self.where:
            self.buffer.append(data)


def parse_html_transcript(value: str) -> ImportedEpisode:
    """Turns from an HTML transcript."""
    parser = _HtmlTranscript()
    parser.feed(value)
    parser.close()
    parser.end_turn()
    if not parser.turns:
        raise BadInput("no transcript paragraphs in this HTML", None, "check it is a transcript page")
    return ImportedEpisode(turns=tuple(parser.turns))


def parse_transcript(data: bytes, kind: str) -> ImportedEpisode:
    """A fetched transcript, read with the importer's reader for its type."""
    try:
        value = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise BadInput("the transcript is not UTF-8 text", None, "ask the host for a UTF-8 file") from None
    if kind == "application/json":
        decoded = detect.load_json(value)
        if detect.json_kind(decoded, None) == "whisper":
            return whisper.parse(decoded)
        return podcast_json.parse(decoded)
    if kind == "text/vtt":
        return vtt.parse(value)
    if kind in ("application/x-subrip", "application/srt", "text/srt"):
        return srt.parse(value)
    if kind == "text/html":
        return parse_html_transcript(value)
    return text.parse(value)


def ranked_transcripts(transcripts: tuple[tuple[str, str], ...]) -> list[tuple[str, str]]:
    """The transcripts offered that can be read, by ``TRANSCRIPT_PREFERENCE``."""
    ranked = sorted((TRANSCRIPT_PREFERENCE.index(kind), n) for n, (_, kind) in enumerate(transcripts)
                    if kind in TRANSCRIPT_PREFERENCE)
    return [transcripts[n] for _, n in ranked]


def richness(episode: ImportedEpisode) -> tuple[int, int, int]:
    """How much a transcript says: turns with a speaker, turns with a time, paragraphs."""
    turns = episode.turns
    return (sum(1 for t in turns if t.speaker), sum(1 for t in turns if t.start is not None),
            sum(len(t.paragraphs) for t in turns))


def richest_transcript(transcripts: tuple[tuple[str, str], ...], problems: list[str]) -> ImportedEpisode | None:
    """The richest of the transcripts offered (each is fetched): most speakers, then times, then paragraphs.

    A tie goes to the type earlier in ``TRANSCRIPT_PREFERENCE``. Each one
    that cannot be fetched or read adds one line to ``problems``.
    """
    best: ImportedEpisode | None = None
    for url, kind in ranked_transcripts(transcripts):
        try:
            found = parse_transcript(fetch.fetch(url), kind)
        except BadInput as exc:
            problems.append(exc.format(url))
            continue
        if best is None or richness(found) > richness(best):
            best = found
    return best


# The import ---------------------------------------------------------------------
@dataclass(slots=True)
class Report:
    """Lines for the terminal."""

    out: list[str]
    errors: list[str]


def main(args: argparse.Namespace) -> int:
    """Run ``ssg import --feed``: 0 when every item was imported whole, 1 when anything failed."""
    report = Report([], [])
    try:
        code = run(args.feed, args.paths, Path(args.content), args.force, report)
    except BadInput as exc:
        report.errors.append(exc.format(args.feed))
        code = 1
    for line in report.out:
        print(line)
    for line in report.errors:
        print(line, file=sys.stderr)
    return code


def run(source: str, folders: list[str], content: Path, force: bool, report: Report) -> int:
    """Import the feed at ``source`` into ``content``; returns the exit code."""
    if len(folders) > 1:
        raise BadInput("--feed takes at most one folder of transcripts", None, "ssg import --feed FEED FOLDER")
    feed = parse_feed(fetch.fetch(source, limit=fetch.FEED_LIMIT), source)
    site_yaml = content / "site.yaml"
    if site_yaml.exists() and not force:
        raise BadInput(f"{site_yaml} already exists", None, "import into a new folder with --content DIR, "
                       "or pass --force to replace it", path=str(site_yaml))
    paired = _pair(Path(folders[0]), feed.items, report) if folders else {}
    index = write.load_cast(content) if content.is_dir() else SpeakerIndex()
    files: dict[Path, str] = {site_yaml: write.dump_yaml(feed.show)}
    added: list[dict[str, object]] = []
    taken: set[str] = set()
    failed = False
    for item in feed.items:
        if not item.title:
            report.errors.append(f"{source}: an item has no <title> (skipped)")
            failed = True
            continue
        episode, problems = _episode(item, paired.get(id(item)))
        for problem in problems:
            report.errors.append(problem)
            failed = True
        cast = write.cast_episode(episode, index, {})
        for entry in cast.added:
            person = next((p for p in item.people if p.name == entry["name"]), None)
            if person and person.img and fetch.is_url(person.img):
                entry["image"] = person.img
            sid = str(entry["id"])
            index.speakers[sid] = Speaker(id=sid, name=str(entry["name"]), role=str(entry["role"]))
            index.labels[label_key(sid)] = sid
            index.labels[label_key(str(entry["name"]))] = sid
            added.append(entry)
        name = _file_name(item, taken)
        target = content / "episodes" / f"{name}.md"
        if target.exists() and not force:
            raise BadInput(f"{target} already exists", None, "pass --force to overwrite it", path=str(target))
        files[target] = episode_file(item, episode, cast)
        report.out.append(f"imported {item.title} -> {target}" + (f" ({len(episode.turns)} turns)" if episode.turns
                                                                  else " (no transcript)"))
    added.sort(key=lambda entry: (entry.get("role") != "host", str(entry["name"]).casefold()))  # not discovery order
    files.update(write.speakers_files(content, write.Cast(index, added=added)))
    write.write_all(files)
    report.out.append(f"imported {len(feed.items)} episodes from {source} into {content}/")
    return 1 if failed else 0


def _episode(item: FeedItem, paired: Path | None) -> tuple[ImportedEpisode, list[str]]:
    """The item's transcript, chapters and people as an ``ImportedEpisode``, and one line per failure."""
    problems: list[str] = []
    episode = ImportedEpisode(turns=())
    if paired is not None:
        try:
            episode = parse_file(paired, None)
        except (BadInput, OSError) as exc:
            problems.append(exc.format(paired) if isinstance(exc, BadInput) else f"{paired}: cannot read: {exc}")
    else:
        episode = richest_transcript(item.transcripts, problems) or episode
    chapters: tuple[ImportedChapter, ...] = item.psc or item.listed
    if item.chapters_url:
        try:
            chapters = chapters_reader.parse(detect.load_json(fetch.fetch(item.chapters_url).decode("utf-8-sig")))
        except (BadInput, UnicodeDecodeError) as exc:
            message = exc.format(item.chapters_url) if isinstance(exc, BadInput) else f"{item.chapters_url}: not UTF-8"
            problems.append(message)
    people = tuple(Person(p.name, "host" if p.role in ("host", "co-host") else p.role) for p in item.people)
    episode = replace(episode, title=item.title, number=item.number, date=item.date, description=item.notes,
                      chapters=chapters or episode.chapters, people=people + episode.people,
                      duration=item.duration if item.duration is not None else episode.duration)
    return episode, problems


def episode_file(item: FeedItem, episode: ImportedEpisode, cast: write.Cast) -> str:
    """The episode file for a feed item."""
    meta: dict[str, Any] = {"title": item.title}
    if item.date:  # never invented: without one the build names the missing field
        meta["date"] = item.date
    if item.number is not None:
        meta["episode"] = item.number
    if item.season is not None:
        meta["season"] = item.season
    if item.episode_type != "full":
        meta["episode_type"] = item.episode_type
    if item.guid:
        meta["guid"] = item.guid
    if item.duration is not None:
        meta["duration"] = format_hms(item.duration)
    if item.audio_url:
        meta["audio_url"] = item.audio_url
    if item.audio_bytes:
        meta["audio_bytes"] = item.audio_bytes
    if item.audio_type != "audio/mpeg":
        meta["audio_type"] = item.audio_type
    if item.image:
        meta["image"] = item.image
    if item.explicit is not None:
        meta["explicit"] = item.explicit
    if item.notes:
        meta["description"] = item.notes
    heard = [cast.ids[turn.speaker] for turn in episode.turns if turn.speaker in cast.ids]
    ids = list(dict.fromkeys([*heard, *cast.ids.values()]))  # in the order they speak, as a round trip keeps it
    if ids:
        meta["speakers"] = ids
    if episode.chapters:
        meta["chapters"] = [_chapter(c) for c in episode.chapters]
    if item.soundbites:
        meta["soundbites"] = [{"start": _time(s), "duration": _time(d), **({"title": t} if t else {})}
                              for s, d, t in item.soundbites]
    body = write.body(episode, cast) if episode.turns else ""
    return f"---\n{write.dump_yaml(meta)}---\n{body}"


def _time(seconds: float) -> str | float:
    return format_hms(seconds) if seconds == int(seconds) else round(seconds, 3)


def _chapter(chapter: ImportedChapter) -> dict[str, Any]:
    return write.chapter_entry(chapter, _time(chapter.start))


def _file_name(item: FeedItem, taken: set[str]) -> str:
    """``<number>-<title slug>`` (or the title slug), unique in this import."""
    stem = slugify(item.title)[:70].strip("-") or "episode"
    if item.number is not None:
        stem = f"{item.number:03d}-{stem}"
    name, n = stem, 2
    while name in taken:
        name, n = f"{stem}-{n}", n + 1
    taken.add(name)
    return name


def _pair(folder: Path, items: tuple[FeedItem, ...], report: Report) -> dict[int, Path]:
    """Transcripts in ``folder`` matched to items: by episode number in the file name or text, else by title."""
    if not folder.is_dir():
        raise BadInput(f"{folder} is not a folder", None, "give a folder of transcripts after the feed")
    by_number = {item.number: item for item in items if item.number is not None}
    by_title = {slugify(item.title): item for item in items}
    paired: dict[int, Path] = {}
    for path in sorted(p for p in folder.rglob("*") if p.is_file() and p.suffix.lower() in FOLDER_SUFFIXES):
        stem = slugify(path.stem)
        item = by_title.get(stem) or next((i for s, i in by_title.items() if s and s in stem), None)
        if item is None:
            digits = re.findall(r"\d+", path.stem)
            number = int(digits[0]) if digits and len(digits[0]) < 5 else None
            item = by_number.get(number) if number is not None else None
        if item is None:
            report.errors.append(f"{path}: matches no episode of the feed by number or title (skipped)")
            continue
        paired[id(item)] = path
    return paired
