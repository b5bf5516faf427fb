"""The one place that decides output paths, URLs and anchor ids.

A *route* is a site-relative location: ``""`` (home), ``"episodes/x/"``
(a page, served from ``episodes/x/index.html``) or ``"feed.xml"`` (a file).
``Urls.file`` turns a route into the output path the writer uses;
``Urls.href`` into a root-relative link (honouring a sub-path in
``base_url``); ``Urls.absolute`` into a full URL for feeds and meta tags.
Templates ask this module; they never build URLs by concatenation.
"""

from __future__ import annotations

import re
from functools import lru_cache
import unicodedata
import zlib
from collections.abc import Iterable, Sequence
from urllib.parse import quote, urlsplit

SLUG_RE = re.compile(r"^[^\W_](?:[\w-]*[^\W_])?$")
"""What a slug given in front matter may look like: word characters and inner hyphens."""

RESERVED_IDS = frozenset(
    {
        "main", "top", "content", "notes", "chapters", "transcript", "player",
        "search", "speakers", "episodes", "site-header", "site-footer", "skip",
        "now", "moment",
    }
)
"""Element ids the theme uses; anchors made from content never take them."""


MAX_SLUG_BYTES = 200
"""The longest slug in UTF-8 bytes: a folder name every file system accepts (most allow 255)."""


@lru_cache(maxsize=4096)
def slugify(text: str) -> str:
    """Make a URL slug: Unicode-normalised, case-folded, accents dropped, hyphens.

    Two titles that differ only in case or Unicode normal form give the same
    slug, so the writer's collision check catches them. Letters outside ASCII
    with no ASCII form (e.g. Japanese) are kept. A slug longer than
    ``MAX_SLUG_BYTES`` is cut there, at a character boundary.
    """
    normal = unicodedata.normalize("NFKD", text)
    stripped = "".join(ch for ch in normal if not unicodedata.combining(ch))
    folded = unicodedata.normalize("NFKC", stripped).casefold()
    slug = re.sub(r"[\W_]+", "-", folded).strip("-")
    if len(slug) * 4 > MAX_SLUG_BYTES and len(slug.encode("utf-8")) > MAX_SLUG_BYTES:
        slug = slug.encode("utf-8")[:MAX_SLUG_BYTES].decode("utf-8", "ignore").rstrip("-")
    return slug


def is_safe_slug(slug: str) -> bool:
    """True when ``slug`` can name a folder inside the output folder (its length aside: ``too_long``)."""
    return bool(SLUG_RE.match(slug)) and ".." not in slug


def too_long(slug: str) -> bool:
    """True when ``slug`` is longer than ``MAX_SLUG_BYTES`` (too long a folder name for some file systems)."""
    return len(slug) * 4 > MAX_SLUG_BYTES and len(slug.encode("utf-8")) > MAX_SLUG_BYTES


@lru_cache(maxsize=1 << 16)
def _quoted(route: str) -> str:
    """A route percent-encoded for a link (a show's pages link the same routes over and over)."""
    return quote(route, safe="/._-~")


def _paged(route: str, page: int) -> str:
    """Route of page ``page`` of a list whose first page is ``route`` (``route`` + ``page/N/``)."""
    return route if page <= 1 else f"{route}page/{page}/"


class Urls:
    """Routes, output paths and links for one site."""

    __slots__ = ("base", "prefix")

    def __init__(self, base_url: str) -> None:
        base = base_url if base_url.endswith("/") else base_url + "/"
        self.base = base
        """Absolute base URL, ending in ``/``."""
        path = urlsplit(base).path or "/"
        self.prefix = path if path.endswith("/") else path + "/"
        """Root-relative prefix of every link (``/`` or ``/show/``)."""

    # Routes -------------------------------------------------------------
    @staticmethod
    def home(page: int = 1) -> str:
        """Route of the home page, or of page ``page`` of the episode list."""
        return _paged("", page)

    @staticmethod
    def episode(slug: str) -> str:
        """Route of an episode page."""
        return f"episodes/{slug}/"

    @staticmethod
    def episode_file(slug: str, name: str) -> str:
        """Route of a file beside an episode page (``chapters.json``, ``transcript.vtt``)."""
        return f"episodes/{slug}/{name}"

    @staticmethod
    def clip(slug: str, clip_id: str) -> str:
        """Route of the page of one of an episode's soundbites."""
        return f"episodes/{slug}/clips/{clip_id}/"

    @staticmethod
    def speakers() -> str:
        """Route of the speakers index."""
        return "speakers/"

    @staticmethod
    def speaker(speaker_id: str, page: int = 1) -> str:
        """Route of one speaker's page, or of page ``page`` of their episodes."""
        return _paged(f"speakers/{speaker_id}/", page)

    @staticmethod
    def tags() -> str:
        """Route of the tags index."""
        return "tags/"

    @staticmethod
    def tag(tag: str, page: int = 1) -> str:
        """Route of one tag's page, or of page ``page`` of its episodes."""
        return _paged(f"tags/{tag_slug(tag)}/", page)

    @staticmethod
    def search() -> str:
        """Route of the search page."""
        return "search/"

    @staticmethod
    def asset(name: str) -> str:
        """Route of a theme or content asset (``assets/style.css``)."""
        return f"assets/{name}"

    FEED = "feed.xml"
    SITEMAP = "sitemap.xml"
    ROBOTS = "robots.txt"
    NOT_FOUND = "404.html"
    HEADERS = "_headers"
    PAGEFIND = "pagefind/"
    # Names of the files beside each episode page (pass them to ``episode_file``).
    TRANSCRIPT_VTT = "transcript.vtt"
    TRANSCRIPT_SRT = "transcript.srt"
    TRANSCRIPT_JSON = "transcript.json"
    TRANSCRIPT_HTML = "transcript.html"
    CHAPTERS_JSON = "chapters.json"

    # Turning routes into paths and links --------------------------------
    @staticmethod
    def file(route: str) -> str:
        """Output path (relative to the site folder) of a route."""
        return route + "index.html" if route == "" or route.endswith("/") else route

    def href(self, route: str, anchor: str = "") -> str:
        """Root-relative link to a route, with an optional ``#anchor``."""
        link = self.prefix + _quoted(route)
        return f"{link}#{anchor}" if anchor else link

    def absolute(self, route: str, anchor: str = "") -> str:
        """Absolute URL of a route (feeds, sitemaps, canonical links)."""
        link = self.base + _quoted(route)
        return f"{link}#{anchor}" if anchor else link

    def resolve(self, url: str) -> str:
        """An author-given URL (audio, image) made absolute against the base URL."""
        if not url or re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*:", url) or url.startswith("//"):
            return url
        return self.base + url.lstrip("/")


def tag_slug(tag: str) -> str:
    """Slug of a tag's page."""
    return slugify(tag) or "tag"


def turn_anchors(speakers: Sequence[str], texts: Sequence[str]) -> list[str]:
    """Anchors for a transcript's turns, given each turn's speaker key and words.

    An anchor depends only on the turn's speaker and words, so it survives
    rebuilds and edits to other turns: ``kate-soule-3f9a2c`` (the words'
    CRC-32, casefolded, last six hex digits); unlabelled paragraphs get
    ``p-3f9a2c``. Repeats (two identical "Yeah." turns) take ``-2``, ``-3``
    in order. Each text must be whitespace-normalised already (equal to
    ``" ".join(text.split())``); it is hashed as it is. Speakers' slugs are
    made once per speaker.
    """
    stems = {speaker: (slugify(speaker) if speaker else "") or "p" for speaker in set(speakers)}
    anchors = [f"{stems[speaker]}-{zlib.crc32(text.casefold().encode('utf-8')) & 0xFFFFFF:06x}"
               for speaker, text in zip(speakers, texts)]
    if len(set(anchors)) == len(anchors):
        return anchors
    return _number_repeats(anchors)


def _number_repeats(anchors: list[str]) -> list[str]:
    """Repeated anchors take ``-2``, ``-3`` in order."""
    seen: dict[str, int] = {}
    out: list[str] = []
    for anchor in anchors:
        count = seen.get(anchor, 0) + 1
        seen[anchor] = count
        out.append(anchor if count == 1 else f"{anchor}-{count}")
    return out


def chapter_anchors(titles: Iterable[str], taken: Iterable[str] = ()) -> list[str]:
    """Anchors for chapter headings: the title's slug, unique within the page."""
    used = set(RESERVED_IDS) | set(taken)
    out: list[str] = []
    for title in titles:
        stem = slugify(title) or "chapter"
        if stem[0].isdigit():
            stem = f"chapter-{stem}"
        out.append(_free(stem, used))
    return out


def clip_ids(given: Sequence[str], titles: Sequence[str], starts: Sequence[float]) -> list[str]:
    """Names of an episode's clip pages, in order: the ``id`` given, else the title's slug, else the start time.

    A start time names the clip ``t754`` (or ``t754-5`` for 754.5 s). Ids
    given are kept as they are (the loader refuses unsafe or repeated ones);
    a made one that repeats an earlier id takes ``-2``, ``-3``.
    """
    used = {i for i in given if i}
    out: list[str] = []
    for own, title, start in zip(given, titles, starts):
        if own:
            out.append(own)
            continue
        stem = slugify(title) if title else ""
        if not stem:
            stem = "t" + f"{start:.3f}".rstrip("0").rstrip(".").replace(".", "-")
        out.append(_free(stem, used))
    return out


def _free(stem: str, used: set[str]) -> str:
    """``stem``, or the first of ``stem-2``, ``stem-3``... not in ``used``; added to ``used``."""
    name, n = stem, 2
    while name in used:
        name = f"{stem}-{n}"
        n += 1
    used.add(name)
    return name
