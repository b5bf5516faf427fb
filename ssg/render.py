"""Render: the model to pages, as ``(output path, bytes)`` pairs. Reads and writes no file.

Pages are Jinja2 templates from the theme (overridable by the site). The
transcript, the largest part of every episode page, is built here in
Python and handed to the template as markup: it is structured data, and
string building is an order of magnitude faster than a template loop.

What pages use besides the model comes in as values read by the load
stage (``ssg.loading.assets``): the assets (minified, with their
fingerprinted routes), the images pages show (digest and size, which name
their resized variants) and the template folders. The one thing read while
rendering is the templates themselves: Jinja's ``FileSystemLoader`` loads
them from those folders (and the build's bytecode cache, when given, holds
them compiled), as the environment's input. ``tests/test_architecture.py``
holds this module and the rest of the render stage to it.
"""

from __future__ import annotations

import datetime as dt
import heapq
import math
import re
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence, Sized
from dataclasses import dataclass
from functools import lru_cache, partial
from html import escape
from pathlib import Path
from typing import Any, TypeVar

import jinja2
from babel import Locale, UnknownLocaleError
from babel.dates import format_date
from markupsafe import Markup

from ssg import colours, feeds, hosting, images, markup, structured
from ssg.loading.assets import Assets, SourceImage
from ssg.model import PLATFORMS, Appearance, Episode, Quote, Site, Soundbite, Speaker, Transcript, Turn
from ssg.timecode import format_clock, format_iso_duration
from ssg.urls import Urls

T = TypeVar("T")

Output = tuple[str, bytes]
"""An output path relative to the site folder, and the file's bytes."""

_UNTIMED_LINK_END = ' aria-label="Link to this paragraph" data-pagefind-ignore>¶</a>'
"""The end of the link of a turn with no time from the transcript, from after its ``href``."""


BEST_TURNS = 4
"""How many of a speaker's turns their page quotes (their longest, from as many episodes)."""


@dataclass(frozen=True, slots=True)
class Unit:
    """Some outputs and what they are made from, declared: ``render()`` returns them.

    Every unit also reads the show-wide inputs (ssg itself, the build options,
    ``site.yaml``, the speakers, the theme, templates and assets). Besides
    those it reads only what it declares here, so the incremental layer
    (``ssg.incremental``) may take its outputs from the last build when all
    of that is as it was. ``tests/test_incremental.py`` checks the
    declarations by changing everything a unit does not declare.
    """

    name: str
    """Unique among the site's units; names the owner in clash messages."""
    render: Callable[..., list[Output]]
    """Makes the outputs (pure), given the ``Transcript`` of each of ``episodes`` (in that order) as arguments:
    the only transcripts it can read."""
    episodes: tuple[int, ...] = ()
    """Episodes (by position, newest first) whose whole content it reads: header and transcript."""
    headers: tuple[int, ...] = ()
    """Episodes whose header (metadata, appearances, chapters) it reads, for listings."""
    values: tuple[object, ...] = ()
    """Plain values it reads besides (neighbours' titles, page numbers), compared by ``repr``."""


HOST_ROLES = frozenset({"host", "co-host", "cohost"})
"""Roles listed first on the speakers index."""


def index_order(speakers: Sequence[Speaker], appearances: Mapping[str, Sized]) -> list[Speaker]:
    """Speakers as the index lists them: hosts first, then by number of episodes (most first), then name."""
    return sorted(speakers, key=lambda s: (s.role.casefold() not in HOST_ROLES,
                                           -len(appearances.get(s.id, ())), s.name.casefold(), s.id))


class Renderer:
    """Renders one loaded site. Pure: every method returns outputs."""

    def __init__(self, site: Site, assets: Assets, images: Mapping[str, SourceImage], *,
                 bytecode_cache: jinja2.BytecodeCache | None = None) -> None:
        """``assets`` and ``images`` as loaded (``ssg.loading.assets``): the renderer reads no file itself."""
        self.site = site
        self.urls = Urls(site.show.base_url)
        self.speakers: dict[str, Speaker] = {s.id: s for s in site.speakers}
        self.assets = assets
        self.images = images
        """The local images pages show resized, by reference (``ssg.loading.assets.Images.shown``)."""
        self.locale = _locale(site.show.language)
        self.env = self._environment()
        self.env.bytecode_cache = bytecode_cache
        self._speaker_cells: dict[str, str] = {}
        self._stamps: dict[float, str] = {}
        """A turn time's ``<time>`` element (and the link's end), by seconds."""
        self.episode_index = {e.slug: i for i, e in enumerate(site.episodes)}
        self._reads: dict[str, bool] = {}
        """Template name -> whether it reads the site's episodes (``reads_episodes``)."""
        self._any_reads: bool | None = None
        """Whether any template reads more of ``site`` than ``SITE_PARTS`` (``_any_reads_site``)."""
        self.feed_items: feeds.FeedItems | None = None
        """Feed items the last build made, when the build has them (the feed then takes them)."""

    # Environment ----------------------------------------------------------
    def _environment(self) -> jinja2.Environment:
        env = jinja2.Environment(
            loader=jinja2.FileSystemLoader([str(d) for d in self.assets.templates]),
            autoescape=True,
            undefined=jinja2.StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
        )
        urls = self.urls
        env.globals.update(
            site=self.site,
            show=self.site.show,
            urls=urls,
            href=urls.href,
            absolute=urls.absolute,
            asset=self.asset,
            media=self.media,
            media_absolute=self.media_absolute,
            speaker=self.speakers.get,
            speaker_href=lambda sid, anchor="": urls.href(urls.speaker(sid), anchor),
            episode_href=lambda ep, anchor="": urls.href(urls.episode(ep.slug), anchor),
            tag_href=lambda tag: urls.href(urls.tag(tag)),
            md=lambda text: Markup(markup.block(text)),
            clock=format_clock,
            iso_duration=format_iso_duration,
            json_ld=lambda data: Markup(structured.json_ld(data)),
            series_ld=lambda: structured.series_ld(self),
            episode_ld=lambda ep: structured.episode_ld(self, ep),
            person_ld=lambda person: structured.person_ld(self, person),
            has_chapters=feeds.has_chapters,
            transcript_files=feeds.TRANSCRIPTS,
            chapters_file=feeds.CHAPTERS,
            episode_file=lambda ep, name: urls.href(Urls.episode_file(ep.slug, name)),
            plain=markup.plain_block,
            has_tags=any(e.tags for e in self.site.episodes),
            picture=self.picture,
            platforms=PLATFORMS,
            image_src=self.image_src,
            speaker_css=self.speaker_css,
            initials=colours.initials,
            date=self.date,
        )
        env.filters["clock"] = format_clock
        env.filters["percent"] = lambda x: f"{x * 100:.0f}%"
        return env

    def show_values(self) -> str:
        """What every unit reads of the loaded model besides its declared episodes (as text, for keys)."""
        site = self.site
        return repr((site.show, site.speakers, any(e.tags for e in site.episodes)))

    def asset(self, name: str) -> str:
        """Link to a theme asset by its name (fingerprinted when it has a hash)."""
        return self.urls.href(self.assets.routes.get(name, Urls.asset(name)))

    def media(self, ref: str) -> str:
        """Link to an author-given image or audio: URLs kept, content paths prefixed."""
        if not ref or "://" in ref or ref.startswith(("//", "mailto:")):
            return ref
        return self.urls.href(ref.lstrip("/"))

    def date(self, day: dt.date) -> str:
        """A date as every page shows it: the long form in the show's language (``16 February 2026``)."""
        return _format_date(day, self.locale)

    def _variants(self, ref: str, role: str) -> list[tuple[int, str]]:
        """Links to the resized variants of an image shown as ``role``, by width (none for an image used as it is)."""
        known = self.images.get(ref)
        if known is None or role not in known.roles:
            return []
        return [(w, self.urls.href(Urls.asset("img/" + images.variant(known.digest, w))))
                for w in images.widths(images.SIZES[role], known.side)]

    def image_src(self, ref: str, role: str) -> str:
        """Link to the largest variant of an image shown as ``role`` (the image itself when it is not resized)."""
        variants = self._variants(ref, role)
        return variants[-1][1] if variants else self.media(ref)

    def picture(self, ref: str, role: str, alt: str = "", cls: str = "", lazy: bool = False,
                first: bool = False) -> Markup:
        """An ``<img>`` of an author-given image shown as ``role`` (``images.SIZES``), with its size and srcset.

        ``lazy``: loaded when scrolled near; ``first``: the page's main image, fetched first.
        """
        size = images.SIZES[role]
        variants = self._variants(ref, role)
        attrs = f' class="{escape(cls)}"' if cls else ""
        src = escape(variants[0][1] if variants else self.media(ref))
        if len(variants) > 1:
            attrs += f' srcset="{escape(images.srcset(variants, size))}"'
        load = ' loading="lazy" decoding="async"' if lazy else ' fetchpriority="high"' if first else ' decoding="async"'
        return Markup(f'<img{attrs} src="{src}" alt="{escape(alt)}" width="{size}" height="{size}"{load}>')

    def speaker_css(self, ids: Iterable[str]) -> Markup:
        """A ``<style>`` giving each speaker's elements (``[data-speaker]``) their colour and avatar.

        Sets ``--sc`` (text colour, light or dark scheme), ``--si`` (initials)
        and ``--sa`` (portrait, for speakers with an image) for the theme's CSS.
        """
        light: list[str] = []
        dark: list[str] = []
        for sid in dict.fromkeys(ids):
            speaker = self.speakers.get(sid)
            name = speaker.name if speaker else sid
            fg, fg_dark = colours.colours(sid)
            sel = '[data-speaker="' + _css_string(sid) + '"]'
            urls = self._variants(speaker.image, "avatar") if speaker and speaker.image else []
            if urls:
                size = images.SIZES["avatar"]
                rule = (f"--sc:{fg};--sa:image-set("
                        + ",".join(f'url("{_css_string(u)}") {w / size:g}x' for w, u in urls) + ")")
            else:
                rule = f'--sc:{fg};--si:"{_css_string(colours.initials(name))}"'
            light.append(f"{sel}{{{rule}}}")
            dark.append(f"{sel}{{--sc:{fg_dark}}}")
        if not light:
            return Markup("")
        return Markup("<style>" + "".join(light) + "@media(prefers-color-scheme:dark){" + "".join(dark)
                      + "}</style>")

    def image_variants(self) -> Iterator[tuple[Path, list[tuple[str, int]]]]:
        """Resized images to make: (source file, [(output path, width)]) for each local image shown.

        Files with the same bytes (the same cover under two names) share their variants.
        """
        wanted: dict[str, tuple[Path, set[int]]] = {}
        for known in self.images.values():
            source, widths = wanted.setdefault(known.digest, (known.source, set()))
            widths.update(w for role in known.roles for w in images.widths(images.SIZES[role], known.side))
        for digest, (source, widths) in sorted(wanted.items()):
            yield source, [(Urls.file(Urls.asset("img/" + images.variant(digest, w))), w) for w in sorted(widths)]

    def media_absolute(self, ref: str) -> str:
        """Absolute URL of an author-given image or audio."""
        return self.urls.resolve(ref)

    def _page(self, template: str, route: str, **context: Any) -> Output:
        html = self.env.get_template(template).render(route=route, canonical=self.urls.absolute(route), **context)
        return Urls.file(route), html.encode("utf-8")

    # Units ----------------------------------------------------------------
    def units(self) -> list[Unit]:
        """Every output of the site, in units: each episode's, then the show-wide pages one by one."""
        return [*(self.episode_unit(i) for i in range(len(self.site.episodes))), *self.site_units()]

    def all(self, transcripts: Mapping[str, Transcript]) -> Iterator[Output]:
        """Every output of the site, given every episode's transcript (by ``Episode.source``)."""
        episodes = self.site.episodes
        for unit in self.units():
            yield from unit.render(*(transcripts[episodes[i].source] for i in unit.episodes))

    def episode_unit(self, i: int) -> Unit:
        """The ``i``-th episode's page and files; they read its neighbours' slug and title."""
        episodes = self.site.episodes
        neighbours = tuple((e.slug, e.title) if e else None
                           for e in (episodes[i - 1] if i > 0 else None,
                                     episodes[i + 1] if i + 1 < len(episodes) else None))
        return Unit(episodes[i].source, partial(self.episode_outputs, i), episodes=(i,), values=neighbours)

    def episode_outputs(self, i: int, transcript: Transcript) -> list[Output]:
        """Everything that belongs to the ``i``-th episode: its page, its clip pages and its files."""
        episode = self.site.episodes[i]
        return [self.episode_page(i, transcript), *self.clip_pages(episode, transcript),
                *feeds.episode_outputs(self, episode, transcript)]

    def site_outputs(self) -> Iterator[Output]:
        """The outputs about the whole show (lists, indexes, feed)."""
        for unit in self.site_units():
            yield from unit.render()

    def site_units(self) -> list[Unit]:
        """The show-wide outputs, a unit per page (or file), each declaring the episodes it lists."""
        every = tuple(range(len(self.site.episodes)))
        return [*self.home_units(), *self.speaker_units(), *self.tag_units(), *self.misc_units(every),
                Unit(Urls.FEED, lambda: list(feeds.site_outputs(self)), headers=every),
                Unit(Urls.HEADERS, lambda: list(hosting.outputs(self)))]

    def _page_unit(self, template: str, route: str, listed: Iterable[int] = (), values: tuple[object, ...] = (),
                   **context: Any) -> Unit:
        """A unit of one page from ``template``; it reads the headers of the ``listed`` episodes.

        A template (or one it extends, includes or imports) that reads
        ``site`` other than ``site.show`` and ``site.speakers`` can read any
        episode: its pages then read every header.
        """
        headers = (tuple(range(len(self.site.episodes))) if self.reads_episodes(template)
                   else tuple(sorted(set(listed))))
        return Unit(route, lambda: [self._page(template, route, **context)], headers=headers,
                    values=(template, *values))

    def reads_episodes(self, template: str) -> bool:
        """Whether the template (or one it uses) reads the site's episodes through the ``site`` global."""
        if self._any_reads is None:
            self._any_reads = _any_reads_site(self.env, self.assets.template_names)
        if not self._any_reads:
            return False
        found = self._reads.get(template)
        if found is None:
            found = self._reads[template] = _reads_site(self.env, template, set())
        return found

    def home_units(self) -> Iterator[Unit]:
        """Home page and the pages of the episode list."""
        for route, context, listed in self._paged("episodes", self.site.episodes, Urls.home, self._positions):
            yield self._page_unit("home.html", route, listed, _paging(context), **context)

    def _positions(self, episodes: Iterable[Episode]) -> list[int]:
        index = self.episode_index
        return [index[e.slug] for e in episodes]

    def _paged(self, name: str, items: Sequence[T], route_of: Callable[[int], str],
               positions: Callable[[Sequence[T]], list[int]] = lambda items: [],
               ) -> Iterator[tuple[str, dict[str, Any], list[int]]]:
        """A list cut into pages of ``page_size``: (route, context, episodes listed) of each page, one when empty.

        The context holds the page's items under ``name``, ``total`` (of the
        whole list), ``page``, ``pages``, and ``prev_route`` and ``next_route``
        (None at the ends). The sitemap lists the same pages. ``positions``
        says which episodes a page's items are.
        """
        size = self.site.show.page_size
        pages = max(1, math.ceil(len(items) / size))
        for number in range(1, pages + 1):
            chunk = items[(number - 1) * size: number * size]
            yield route_of(number), {
                name: chunk, "total": len(items),
                "page": number, "pages": pages,
                "prev_route": route_of(number - 1) if number > 1 else None,
                "next_route": route_of(number + 1) if number < pages else None,
            }, positions(chunk)

    def episode_page(self, i: int, transcript: Transcript) -> Output:
        """The page of the ``i``-th episode (newest first), with its transcript."""
        episodes = self.site.episodes
        episode = episodes[i]
        newer = episodes[i - 1] if i > 0 else None
        older = episodes[i + 1] if i + 1 < len(episodes) else None
        return self._page(
            "episode.html", Urls.episode(episode.slug),
            episode=episode, newer=newer, older=older,
            transcript=Markup(self.transcript_html(episode, transcript)),
        )

    def clip_pages(self, episode: Episode, transcript: Transcript) -> list[Output]:
        """One page per soundbite: its words, a player limited to it, and a preview card for sharing."""
        pages = []
        for bite in episode.soundbites:
            turns = clip_turns(transcript, bite)
            quote = " ".join(markup.plain(p) for t in turns if not t.marker for p in t.paragraphs)
            pages.append(self._page("clip.html", Urls.clip(episode.slug, bite.id), episode=episode, clip=bite,
                                    quote=quote, excerpt=Markup(self.excerpt_html(episode, turns))))
        return pages

    def speaker_units(self) -> Iterator[Unit]:
        """Speakers index and one page per speaker."""
        appearances: dict[str, list[tuple[Episode, Any]]] = {s.id: [] for s in self.site.speakers}
        for episode in self.site.episodes:
            for appearance in episode.appearances:
                appearances.setdefault(appearance.speaker_id, []).append((episode, appearance))
        every = range(len(self.site.episodes))
        yield self._page_unit("speakers.html", Urls.speakers(), every,
                              speakers=index_order(self.site.speakers, appearances), appearances=appearances)
        index = self.episode_index

        def positions(pairs: Sequence[tuple[Episode, Any]]) -> list[int]:
            return [index[e.slug] for e, _ in pairs]

        for speaker in self.site.speakers:
            listed = appearances.get(speaker.id, [])
            best = best_turns(speaker.id, listed)
            for route, context, shown in self._paged("appearances", listed, partial(Urls.speaker, speaker.id),
                                                     positions):
                # The best turns (from every episode the speaker is in) are on the first page only: it reads
                # them as values; each page reads the headers of the episodes it lists.
                quoted = best if context["page"] == 1 else []
                summary = tuple((ep.slug, ep.title, turn, quote) for ep, turn, quote in quoted)
                yield self._page_unit("speaker.html", route, shown, (speaker.id, *_paging(context), summary),
                                      person=speaker, best=quoted, **context)

    def tag_units(self) -> Iterator[Unit]:
        """Tag index and one page per tag (only when tags are used)."""
        tags: dict[str, list[Episode]] = {}
        for episode in self.site.episodes:
            for tag in episode.tags:
                tags.setdefault(tag, []).append(episode)
        if not tags:
            return
        ordered = sorted(tags.items(), key=lambda kv: kv[0].casefold())
        yield self._page_unit("tags.html", Urls.tags(), range(len(self.site.episodes)), tags=ordered)
        for tag, episodes in ordered:
            for route, context, shown in self._paged("episodes", episodes, partial(Urls.tag, tag), self._positions):
                yield self._page_unit("tag.html", route, shown, (tag, *_paging(context)), tag=tag, **context)

    def misc_units(self, every: tuple[int, ...]) -> Iterator[Unit]:
        """Search page, 404, robots.txt and sitemap."""
        episodes = self.site.episodes
        yield self._page_unit(
            "search.html", Urls.search(), every,
            speakers=self.site.speakers,
            seasons=_sorted_unique(e.season for e in episodes if e.season is not None),
            years=_sorted_unique((e.date.year for e in episodes), reverse=True),
            tags=_sorted_unique(t for e in episodes for t in e.tags),
        )
        yield self._page_unit("404.html", Urls.NOT_FOUND)
        robots = (f"User-agent: *\nAllow: /\n\nSitemap: {self.urls.absolute(Urls.SITEMAP)}\n").encode()
        yield Unit(Urls.ROBOTS, lambda: [(Urls.ROBOTS, robots)])
        yield Unit(Urls.SITEMAP, lambda: [(Urls.SITEMAP, self.sitemap())], headers=every)

    def sitemap(self) -> bytes:
        """``sitemap.xml`` listing every page."""
        site = self.site
        days = [e.date.isoformat() for e in site.episodes]
        newest = days[0] if days else ""
        entries = self._paged_entries(days, Urls.home, newest)
        entries += [(Urls.episode(e.slug), day) for e, day in zip(site.episodes, days)]
        entries += [(Urls.clip(e.slug, b.id), day) for e, day in zip(site.episodes, days) for b in e.soundbites]
        by_speaker: dict[str, list[str]] = {}
        by_tag: dict[str, list[str]] = {}
        for episode, day in zip(site.episodes, days):
            for appearance in episode.appearances:
                by_speaker.setdefault(appearance.speaker_id, []).append(day)
            for tag in episode.tags:
                by_tag.setdefault(tag, []).append(day)
        entries.append((Urls.speakers(), newest))
        for speaker in site.speakers:
            entries += self._paged_entries(by_speaker.get(speaker.id, []), partial(Urls.speaker, speaker.id), newest)
        if by_tag:
            entries.append((Urls.tags(), newest))
            for tag in sorted(by_tag, key=str.casefold):
                entries += self._paged_entries(by_tag[tag], partial(Urls.tag, tag), newest)
        lines = ['<?xml version="1.0" encoding="UTF-8"?>',
                 '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">']
        for route, lastmod in entries:
            mod = f"<lastmod>{lastmod}</lastmod>" if lastmod else ""
            lines.append(f"<url><loc>{escape(self.urls.absolute(route))}</loc>{mod}</url>")
        lines.append("</urlset>\n")
        return "\n".join(lines).encode()

    def _paged_entries(self, days: list[str], route_of: Callable[[int], str], empty: str) -> list[tuple[str, str]]:
        """Sitemap entries of the pages of a list (``_paged``), given its episodes' dates, newest first.

        A page's lastmod is the date of its newest episode (``empty`` for the page of an empty list).
        """
        return [(route, context["days"][0] if context["days"] else empty)
                for route, context, _ in self._paged("days", days, route_of)]

    def asset_outputs(self) -> Iterator[tuple[str, Path, bytes | None]]:
        """Files not made from content: (output path, source file, bytes to write or None to copy it)."""
        for asset in self.assets.files:
            yield Urls.file(asset.route), asset.source, asset.data

    # Transcript -----------------------------------------------------------
    def _speaker_cell(self, sid: str) -> str:
        cell = self._speaker_cells.get(sid)
        if cell is None:
            speaker = self.speakers.get(sid)
            name = escape(speaker.name if speaker else sid)
            cell = (f'<cite class="turn-speaker" data-pagefind-ignore><a href="{escape(self.urls.href(Urls.speaker(sid)))}">'
                    f'{name}</a></cite>')
            self._speaker_cells[sid] = cell
        return cell

    def _stamp(self, start: float) -> str:
        """The end of a timed turn's link, from after its ``href``: ``><time ...>M:SS</time></a>`` (cached)."""
        stamp = self._stamps[start] = (f'><time datetime="{format_iso_duration(start)}">'
                                       f"{format_clock(start)}</time></a>")
        return stamp

    def transcript_html(self, episode: Episode, transcript: Transcript) -> str:
        """The transcript as HTML: the episode's chapter headings and the turns, each with its anchor."""
        parts: list[str] = []
        chapters = [c for c in episode.chapters if c.toc]  # toc: false chapters are for players only
        next_chapter = 0
        next_at = chapters[0].turn_index if chapters else -1
        inline = markup.inline
        stamps = self._stamps
        cells = self._speaker_cells
        for turn in transcript.turns:
            if next_at != -1 and next_at <= turn.index:
                while next_chapter < len(chapters) and chapters[next_chapter].turn_index <= turn.index:
                    parts.append(self._chapter_heading(chapters[next_chapter]))
                    next_chapter += 1
                next_at = chapters[next_chapter].turn_index if next_chapter < len(chapters) else -1
            sid = turn.speaker_id
            start = turn.start
            anchor = turn.anchor
            # The turn's link: its time when the transcript gives one, else a pilcrow.
            if start is None:
                data = ""
                end = _UNTIMED_LINK_END
            elif turn.estimated:
                data = f' data-start="{start:g}" data-estimated="true"'
                end = _UNTIMED_LINK_END
            else:
                data = f' data-start="{start:g}"'
                end = stamps.get(start) or self._stamp(start)
            paragraphs = turn.paragraphs
            body = (f"<p>{inline(paragraphs[0])}</p>" if len(paragraphs) == 1
                    else "".join(f"<p>{inline(p)}</p>" for p in paragraphs))
            if sid:
                parts.append(f'<div class="turn" id="{anchor}" data-speaker="{sid}"{data}>'
                             f'<p class="turn-meta">{cells.get(sid) or self._speaker_cell(sid)} '
                             f'<a class="turn-link" href="#{anchor}"{end}</p>{body}</div>\n')
            elif turn.marker:  # a non-speech segment: its name, time and anchor, no speaker
                parts.append(f'<div class="turn turn-marker" id="{anchor}"{data}>'
                             f'<p class="turn-meta"><span class="marker" data-pagefind-ignore>{escape(turn.marker)}</span> '
                             f'<a class="turn-link" href="#{anchor}"{end}</p>{body}</div>\n')
            elif turn.label:  # a generic voice (Speaker 1) the episode does not map to a person
                parts.append(f'<div class="turn turn-voice" id="{anchor}"{data}>'
                             f'<p class="turn-meta"><cite class="turn-speaker" data-pagefind-ignore>{escape(turn.label)}</cite> '
                             f'<a class="turn-link" href="#{anchor}"{end}</p>{body}</div>\n')
            else:
                link = f'<a class="turn-link" href="#{anchor}"{end}'
                body = body[:-4] + f" {link}</p>" if body else link
                parts.append(f'<div class="turn turn-unlabelled" id="{anchor}"{data}>{body}</div>\n')
        while next_chapter < len(chapters):
            parts.append(self._chapter_heading(chapters[next_chapter]))
            next_chapter += 1
        return "".join(parts)

    def excerpt_html(self, episode: Episode, turns: Sequence[Turn]) -> str:
        """Turns quoted on a clip page: who and when (linked to the turn on the episode page), and the words."""
        page = self.urls.href(Urls.episode(episode.slug))
        parts = []
        for turn in turns:
            data = "" if turn.start is None else f' data-start="{turn.start:g}"'
            when = "¶" if turn.start is None else format_clock(turn.start)
            if turn.estimated:
                data += ' data-estimated="true"'
                when = "≈" + when
            if turn.speaker_id:
                who = self._speaker_cell(turn.speaker_id)
            elif turn.marker:
                who = f'<span class="marker">{escape(turn.marker)}</span>'
            else:
                who = f'<cite class="turn-speaker">{escape(turn.label)}</cite>' if turn.label else ""
            body = "".join(f"<p>{markup.inline(p)}</p>" for p in turn.paragraphs)
            parts.append(f'<div class="turn" id="{turn.anchor}"{data}><p class="turn-meta">{who} '
                         f'<a class="turn-link" href="{page}#{turn.anchor}">{when}</a></p>{body}</div>\n')
        return "".join(parts)

    def _chapter_heading(self, chapter: Any) -> str:
        start = chapter.start
        time = ""
        data = ""
        if start is not None:
            approx = "≈" if chapter.estimated else ""
            title = ' title="estimated time"' if chapter.estimated else ""
            time = (f'<span class="chapter-time"{title}>{approx}<time datetime="{format_iso_duration(start)}">'
                    f"{format_clock(start)}</time></span> ")
            data = f' data-start="{start:g}"'
            if chapter.estimated:
                data += ' data-estimated="true"'
        return (f'<h3 class="chapter-heading" id="{chapter.anchor}"{data}>{time}'
                f'<a href="#{chapter.anchor}">{escape(chapter.title)}</a></h3>\n')


def best_turns(speaker_id: str, listed: Sequence[tuple[Episode, Appearance]]) -> list[tuple[Episode, Quote, str]]:
    """A speaker's best-known turns: their longest in each episode (``Appearance.quote``), the longest first
    (the newer on a tie: ``listed`` is newest first), at most ``BEST_TURNS``, each from a different episode.

    Read from the episodes' headers, so a speaker page needs no transcript.
    """
    quoted = [(ep, appearance.quote) for ep, appearance in listed if appearance.quote is not None]
    best = heapq.nsmallest(BEST_TURNS, range(len(quoted)), key=lambda i: (-quoted[i][1].words, i))
    return [(quoted[i][0], quoted[i][1], quoted[i][1].text) for i in best]


def _css_string(text: str) -> str:
    """Text safe inside a double-quoted CSS string in a ``<style>`` element."""
    return "".join(c if c.isalnum() or c in " -_./:?=&%#@!~+" else f"\\{ord(c):x} " for c in text)


def _locale(language: str) -> Locale:
    """The show's language as a Babel locale (``en`` when Babel does not know it)."""
    try:
        return Locale.parse(language.replace("-", "_") or "en")
    except (UnknownLocaleError, ValueError, TypeError):
        try:
            return Locale.parse(language.replace("-", "_").split("_")[0])
        except (UnknownLocaleError, ValueError, TypeError):
            return Locale.parse("en")


@lru_cache(maxsize=8192)
def _format_date(day: dt.date, locale: Locale) -> str:
    """``day`` in the locale's long form (Babel takes about 50 µs a date; lists show the same dates often)."""
    return format_date(day, format="long", locale=locale)


def clip_turns(transcript: Transcript, bite: Soundbite) -> list[Turn]:
    """The turns heard in a soundbite: those whose time (up to the next turn's) overlaps its range."""
    timed = [(t.start, t) for t in transcript.turns if t.start is not None]
    ends = [start for start, _ in timed[1:]] + [math.inf]
    return [turn for (start, turn), until in zip(timed, ends)
            if start < bite.start + bite.duration and until > bite.start]


def _paging(context: dict[str, Any]) -> tuple[object, ...]:
    """The numbers of a page of a list (``_paged``) besides its items, as a unit's values."""
    return context["total"], context["page"], context["pages"], context["prev_route"], context["next_route"]


SITE_PARTS = frozenset({"show", "speakers", "speaker", "content_dir"})
"""What a template may read of the ``site`` global without reading its episodes."""


def _reads_site(env: jinja2.Environment, template: str, seen: set[str]) -> bool:
    """Whether ``template`` or a template it extends, includes or imports reads ``site`` beyond ``SITE_PARTS``.

    Read from the templates' syntax trees, not from what a rendering
    touched. A template named by an expression, missing or not parsing
    counts as reading everything.
    """
    if template in seen:
        return False
    seen.add(template)
    try:
        source, _, _ = env.loader.get_source(env, template)  # type: ignore[union-attr]
        reads, used = _site_use(source)
    except jinja2.TemplateError:
        return True  # rendering it reports the error, with its file and line
    return reads or any(name is None or _reads_site(env, name, seen) for name in used)


def _any_reads_site(env: jinja2.Environment, names: Iterable[str]) -> bool:
    """Whether any of the templates (every one ``env`` can load) reads ``site`` beyond ``SITE_PARTS`` in its
    own source.

    When none does, no template can read episodes through ``site``, however
    they extend, include or import each other: only the templates that name
    ``site`` at all are parsed to know it (one of the default theme's), not
    every template a page uses.
    """
    for name in names:
        try:
            source, _, _ = env.loader.get_source(env, name)  # type: ignore[union-attr]
            if _SITE_WORD.search(source) and _site_use(source)[0]:
                return True
        except jinja2.TemplateError:
            return True  # rendering it reports the error, with its file and line
    return False


_SITE_WORD = re.compile(r"\bsite\b(?!-)")
"""Where a template may name the ``site`` global (``site-header`` does not: ``site - x`` fails to render)."""
_PARSER = jinja2.Environment(trim_blocks=True, lstrip_blocks=True)
"""Parses templates for ``_site_use`` with the theme environment's syntax (``Renderer._environment``)."""


@lru_cache(maxsize=256)
def _site_use(source: str) -> tuple[bool, tuple[str | None, ...]]:
    """Whether a template's own source reads ``site`` beyond ``SITE_PARTS``, and the templates it names.

    A function of the source text alone, so each template is parsed once per
    process (``ssg serve``'s rebuilds do not parse the theme again).
    """
    from jinja2 import meta, nodes

    tree = _PARSER.parse(source)
    names = [n for n in tree.find_all(nodes.Name) if n.name == "site"]
    parts = [n for n in tree.find_all(nodes.Getattr) if isinstance(n.node, nodes.Name) and n.node.name == "site"
             and n.attr in SITE_PARTS]
    return len(names) > len(parts), tuple(meta.find_referenced_templates(tree))


def _sorted_unique(values: Iterable[Any], reverse: bool = False) -> list[Any]:
    """Jinja's ``unique | sort``: the first of values equal but for case, sorted ignoring case."""
    def fold(value: Any) -> Any:
        return value.lower() if isinstance(value, str) else value

    seen: set[Any] = set()
    first = []
    for value in values:
        key = fold(value)
        if key not in seen:
            seen.add(key)
            first.append(value)
    return sorted(first, key=fold, reverse=reverse)
