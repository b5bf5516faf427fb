"""Load: read ``content/`` into the model, collecting every problem.

Reads ``site.yaml``, ``speakers.yaml`` (or ``speakers/*.yaml``) and
``episodes/*.md``; validates every field; resolves transcript labels to
speakers; places chapters; estimates times where the transcript has none;
and decides anchors through ``ssg.urls``. Nothing here writes files, and
nothing is read from outside the content folder.
"""

from __future__ import annotations

import datetime as dt
import math
import operator
import os
import re
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, Protocol, cast

from ssg import frontmatter, identity, parallel, urls
from ssg.errors import Problem, Problems
from ssg.files import scan
from ssg.model import Appearance, Chapter, Episode, Link, Show, Site, Soundbite, Speaker, Turn, turns_from_columns
from ssg.timecode import format_clock, parse_time
from ssg.transcript import DEFAULT_MARKERS, Body, RawTurn, is_generic, parse_body

WORDS_PER_SECOND = 2.5
"""Speech rate (150 words a minute) used when an episode has no duration."""

EPISODE_FIELDS = frozenset(
    """title date episode season slug duration audio_url audio_bytes audio_type description
    speakers chapters tags image episode_type explicit guid soundbites voices""".split()
)
SHOW_FIELDS = frozenset(
    """title description base_url language author owner image categories explicit theme
    copyright domain page_size type links guid locked new_feed_url funding txt license audio_prefix
    markers""".split()
)
SPEAKER_FIELDS = frozenset("id name role title bio image links aliases".split())
SAFE_SCHEMES = ("http://", "https://", "mailto:")
EPISODE_TYPES = ("full", "trailer", "bonus")


# Reading files ------------------------------------------------------------
def read_text(path: Path, rel: str, content_root: Path, problems: Problems) -> str | None:
    """Read a content file as UTF-8 text (BOM and CRLF handled), or report why not."""
    try:
        resolved = path.resolve()
    except OSError as exc:
        problems.error(rel, None, f"cannot resolve path: {exc.strerror}", "check the file exists")
        return None
    if not resolved.is_relative_to(content_root):
        problems.error(rel, None, "symlink leads outside the content folder (refused)",
                       "copy the file into the content folder instead of linking it")
        return None
    try:
        data = path.read_bytes()
    except OSError as exc:
        problems.error(rel, None, f"cannot read file: {exc.strerror}", "check its permissions")
        return None
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        problems.error(rel, line, f"not valid UTF-8 (byte 0x{data[exc.start]:02x} at offset {exc.start})",
                       "save the file as UTF-8")
        return None
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    if "\x00" in text:
        problems.error(rel, text.count("\n", 0, text.index("\x00")) + 1, "NUL character (U+0000) in the file",
                       "remove it: pages and feeds cannot carry it")
        return None
    return text


def _rel(path: Path, content_dir: Path, content_label: str) -> str:
    return f"{content_label}/{path.relative_to(content_dir).as_posix()}"


# Field checking ----------------------------------------------------------
@dataclass(slots=True)
class Fields:
    """Typed access to a YAML mapping that reports problems with their line."""

    data: dict[str, Any]
    rel: str
    meta_text: str
    meta_line: int
    problems: Problems
    prefix: str = ""
    base_line: int | None = None

    def line(self, key: str) -> int:
        if self.base_line is not None:
            return self.base_line
        return frontmatter.field_line(self.meta_text, self.meta_line, key)

    def _err(self, key: str, message: str, hint: str) -> None:
        self.problems.error(self.rel, self.line(key), message, hint)

    def name(self, key: str) -> str:
        return f"{self.prefix}{key}"

    def text(self, key: str, *, required: bool = False, default: str = "") -> str:
        value = self.data.get(key)
        if value is None:
            if required:
                self._err(key, f"missing required field '{self.name(key)}'", f"add '{key}: ...'")
            return default
        if isinstance(value, bool) or isinstance(value, (list, dict)):
            self._err(key, f"'{self.name(key)}' must be text, not {_kind(value)}",
                      f"write {key}: \"...\"")
            return default
        if isinstance(value, float) and not math.isfinite(value):
            self._err(key, f"'{self.name(key)}' must be text, not {_shown(value)}", f"write {key}: \"...\"")
            return default
        if isinstance(value, str) and "\x00" in value:
            self._err(key, f"'{self.name(key)}' holds a NUL character (U+0000)", "remove the \\0 from the value")
            return default
        return str(value).strip() if not isinstance(value, str) else value.strip()

    def integer(self, key: str, *, minimum: int = 0) -> int | None:
        value = self.data.get(key)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int):
            if isinstance(value, str) and re.fullmatch(r"[0-9]{1,18}", value.strip()):
                return int(value.strip())
            self._err(key, f"'{self.name(key)}' must be a whole number, not {_kind(value)}",
                      f"write {key}: 12")
            return None
        if value < minimum:
            self._err(key, f"'{self.name(key)}' must be at least {minimum}", f"write {key}: {minimum}")
            return None
        return value

    def boolean(self, key: str) -> bool | None:
        value = self.data.get(key)
        if value is None:
            return None
        if not isinstance(value, bool):
            if isinstance(value, str) and value.strip().lower() in ("yes", "no", "true", "false"):
                return value.strip().lower() in ("yes", "true")
            self._err(key, f"'{self.name(key)}' must be true or false, not {_kind(value)}",
                      f"write {key}: false")
            return None
        return value

    def strings(self, key: str) -> list[str]:
        value = self.data.get(key)
        if value is None:
            return []
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list) or not all(
            isinstance(v, (str, int, float)) and not isinstance(v, bool)
            and (not isinstance(v, float) or math.isfinite(v)) for v in value
        ):
            self._err(key, f"'{self.name(key)}' must be a list of text",
                      f"write {key}: [first, second]")
            return []
        if any(isinstance(v, str) and "\x00" in v for v in value):
            self._err(key, f"'{self.name(key)}' holds a NUL character (U+0000)", "remove the \\0 from the value")
            return []
        return [str(v).strip() for v in value if str(v).strip()]

    def url(self, key: str, *, allow_relative: bool = True) -> str:
        value = self.text(key)
        if not value:
            return ""
        problem = url_problem(value, allow_relative=allow_relative)
        if problem:
            self._err(key, f"'{self.name(key)}' {problem}", "use an https:// URL or a path inside content/")
            return ""
        return value

    def unknown(self, known: frozenset[str], what: str) -> None:
        for key in self.data:
            if key not in known:
                close = _closest(str(key), known)
                hint = f"did you mean '{close}'?" if close else f"known fields: {', '.join(sorted(known))}"
                self.problems.warning(self.rel, self.line(str(key)),
                                      f"unknown {what} field '{self.name(str(key))}'", hint)


def url_problem(value: str, *, allow_relative: bool = True) -> str:
    """Why a URL from content is unsafe or malformed ('' when fine)."""
    lowered = re.sub(r"[\x00-\x20]", "", value).lower()
    if lowered.startswith(SAFE_SCHEMES):
        return ""
    if re.match(r"^[a-z][a-z0-9+.-]*:", lowered):
        scheme = lowered.split(":", 1)[0]
        return f"has a scheme that is not allowed ('{scheme}:')"
    if lowered.startswith("//"):
        return "has no scheme ('//host/...' is protocol-relative)"
    if not allow_relative:
        return "must be an absolute http(s) URL"
    parts = value.replace("\\", "/").split("/")
    if ".." in parts:
        return "must not contain '..'"
    return ""


def _shown(value: object, limit: int = 60) -> str:
    """A value from content as YAML would write it, shortened for a message."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and not math.isfinite(value):
        return ".nan" if value != value else ".inf" if value > 0 else "-.inf"
    text = str(value)
    return text if len(text) <= limit else text[:limit] + "…"


def text_keys(data: dict[Any, Any], rel: str, problems: Problems,
              line: Callable[[str], int] | int) -> dict[str, Any]:
    """``data`` without the keys that are not text, each reported (``1:``, ``null:``, ``true:``, dates).

    ``line`` is the line of every key, or gives the line of a key as written.
    """
    if all(isinstance(key, str) for key in data):
        return data
    for key in data:
        if not isinstance(key, str):
            shown = _shown(key)
            at = line if isinstance(line, int) else line(shown)
            problems.error(rel, at, f"field name {shown} is not text",
                           f"field names are words such as 'title:'; write \"{shown}\": if you mean it")
    return {key: value for key, value in data.items() if isinstance(key, str)}


def _kind(value: object) -> str:
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return "text"


def _closest(word: str, options: Iterable[str]) -> str:
    import difflib

    match = difflib.get_close_matches(word, list(options), n=1, cutoff=0.75)
    return match[0] if match else ""


def parse_date(value: str) -> tuple[dt.date | None, str]:
    """Parse ``YYYY-MM-DD`` (optionally with a time); returns (date, problem)."""
    match = re.match(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ][0-9:.]+(?:Z|[+-]\d\d:?\d\d)?)?$", value.strip())
    if not match:
        return None, f"date '{value}' is not in YYYY-MM-DD form"
    try:
        return dt.date(int(match[1]), int(match[2]), int(match[3])), ""
    except ValueError as exc:
        return None, f"date '{value}' is not a real date ({exc})"


# The show -------------------------------------------------------------------
def load_show(content: Path, label: str, base_url: str | None, problems: Problems) -> Show | None:
    path = content / "site.yaml"
    rel = f"{label}/site.yaml"
    if not path.is_file():
        problems.error(rel, None, "no site.yaml in the content folder",
                       "create it with at least 'title' and 'base_url' ('ssg new DIR' makes one)")
        return None
    text = read_text(path, rel, content.resolve(), problems)
    if text is None:
        return None
    data = _load_mapping(text, rel, 1, problems, "site.yaml")
    if data is None:
        return None
    f = Fields(data, rel, text, 1, problems)
    f.unknown(SHOW_FIELDS, "site.yaml")
    title = f.text("title", required=True)
    base = base_url or f.url("base_url", allow_relative=False)
    if not base and not base_url and "base_url" not in data:
        problems.error(rel, 1, "missing required field 'base_url'",
                       "add the address the site is published at, e.g. base_url: https://example.org/show/")
    owner_name = owner_email = ""
    owner = data.get("owner")
    if isinstance(owner, dict):
        owner_name = str(owner.get("name") or "").strip()
        owner_email = str(owner.get("email") or "").strip()
    elif owner is not None:
        problems.error(rel, f.line("owner"), "'owner' must be a mapping with name and email",
                       "write owner: {name: Jane Host, email: jane@example.org}")
    categories: list[tuple[str, ...]] = []
    for cat in f.strings("categories"):
        categories.append(tuple(part.strip() for part in cat.split("/") if part.strip()))
    page_size = f.integer("page_size", minimum=1) or 20
    show_type = f.text("type", default="episodic")
    if show_type not in ("episodic", "serial"):
        problems.error(rel, f.line("type"), f"'type' must be episodic or serial, not '{show_type}'",
                       "write type: episodic")
        show_type = "episodic"
    final_base = (base or "https://example.invalid/").rstrip("/") + "/"
    guid = f.text("guid")
    if not guid:
        # From site.yaml's base_url, not a --base-url override (a staging build keeps the show's identity).
        own = data.get("base_url")
        canonical = own.strip() if isinstance(own, str) and not url_problem(own, allow_relative=False) else final_base
        guid = identity.podcast_guid(canonical.rstrip("/") + "/" + urls.Urls.FEED)
        problems.warning(rel, None, "no 'guid': the show's podcast:guid is computed from the feed URL, so "
                         "moving the site (or fixing base_url) would make apps see a new show and new episodes",
                         f"pin it: add `guid: {guid}` to site.yaml")
    return Show(
        title=title,
        description=f.text("description"),
        base_url=final_base,
        language=f.text("language", default="en") or "en",
        author=f.text("author"),
        owner_name=owner_name,
        owner_email=owner_email,
        image=f.url("image"),
        categories=tuple(categories),
        explicit=bool(f.boolean("explicit")),
        theme=f.text("theme", default="default") or "default",
        copyright=f.text("copyright"),
        domain=f.text("domain"),
        page_size=page_size,
        show_type=show_type,
        links=_links(data.get("links"), f, "links"),
        guid=guid,
        markers=tuple(f.strings("markers")),
        **_reach(data, f),
    )


def _reach(data: dict[str, Any], f: Fields) -> dict[str, Any]:
    """The site.yaml keys for podcast apps and directories beyond the basics (locked, funding, ...)."""
    out: dict[str, Any] = {"locked": f.boolean("locked"), "new_feed_url": f.url("new_feed_url", allow_relative=False),
                           "audio_prefix": f.url("audio_prefix", allow_relative=False)}
    funding = data.get("funding")
    if isinstance(funding, dict):
        funding = [funding]
    if isinstance(funding, list):
        funding = [{**item, "label": item.get("text") or item.get("label")} if isinstance(item, dict) else item
                   for item in funding]
    out["funding"] = tuple(Link(link.label if link.label != link.url else "Support the show", link.url)
                           for link in _links(funding, f, "funding"))
    txt = data.get("txt")
    entries: list[tuple[str, str]] = []
    for item in txt if isinstance(txt, list) else [] if txt is None else [txt]:
        if isinstance(item, dict) and str(item.get("text") or "").strip():
            entries.append((str(item.get("purpose") or "").strip(), str(item["text"]).strip()))
        elif isinstance(item, (str, int, float)) and not isinstance(item, bool) and str(item).strip():
            entries.append(("", str(item).strip()))
        else:
            f.problems.error(f.rel, f.line("txt"), "each 'txt' entry must be text or {purpose, text}",
                             "write txt: [{purpose: verify, text: \"S6lpp-7ZCn8-dZfGc-OoyaG\"}]")
    out["txt"] = tuple(entries)
    license = data.get("license")
    if isinstance(license, dict):
        lf = Fields(license, f.rel, f.meta_text, f.meta_line, f.problems, prefix="license.", base_line=f.line("license"))
        out["license"] = lf.text("name", required=True)
        out["license_url"] = lf.url("url", allow_relative=False)
    else:
        out["license"] = f.text("license")
    return out


def _load_mapping(text: str, rel: str, first_line: int, problems: Problems, what: str) -> Any:
    try:
        data = frontmatter.load_yaml(text)
    except frontmatter.YamlError as exc:
        line = first_line + exc.line - 1 if exc.line else first_line
        problems.error(rel, line, exc.message, exc.hint)
        return None
    if data is None:
        data = {}
    if not isinstance(data, dict):
        problems.error(rel, first_line, f"{what} must be a mapping of fields, not {_kind(data)}",
                       "write one 'field: value' per line")
        return None
    return text_keys(data, rel, problems, lambda key: frontmatter.field_line(text, first_line, key))


def _links(value: object, f: Fields, key: str) -> tuple[Link, ...]:
    if value is None:
        return ()
    out: list[Link] = []
    if not isinstance(value, list):
        f.problems.error(f.rel, f.line(key), f"'{f.name(key)}' must be a list of {{label, url}}",
                         "write links: [{label: Website, url: https://example.org}]")
        return ()
    for item in value:
        if isinstance(item, str):
            label, url = item, item
        elif isinstance(item, dict) and item.get("url"):
            url = str(item["url"]).strip()
            label = str(item.get("label") or item.get("title") or url).strip()
        else:
            f.problems.error(f.rel, f.line(key), f"each of '{f.name(key)}' needs a url",
                             "write {label: Website, url: https://example.org}")
            continue
        problem = url_problem(url, allow_relative=False)
        if problem:
            f.problems.error(f.rel, f.line(key), f"link '{label}' {problem}", "use an https:// URL")
            continue
        out.append(Link(label, url))
    return tuple(out)


# Speakers -------------------------------------------------------------------
@dataclass(slots=True)
class SpeakerIndex:
    """Declared speakers and the labels that mean each of them."""

    speakers: dict[str, Speaker] = field(default_factory=dict)
    labels: dict[str, str] = field(default_factory=dict)
    markers: tuple[str, ...] = DEFAULT_MARKERS
    """Labels of non-speech segments: the defaults and the show's ``markers:``."""

    def lookup(self, label: str) -> str | None:
        return self.labels.get(label_key(label))

    def known(self, label: str) -> bool:
        return label_key(label) in self.labels


@lru_cache(maxsize=8192)
def label_key(label: str) -> str:
    """Normalise a label for matching: NFKC, case-folded, single spaces, no bold."""
    text = unicodedata.normalize("NFKC", label).replace("*", " ")
    return " ".join(text.split()).casefold()


def load_speakers(content: Path, label: str, problems: Problems) -> SpeakerIndex:
    index = SpeakerIndex()
    files: list[Path] = []
    single = content / "speakers.yaml"
    folder = content / "speakers"
    if single.is_file():
        files.append(single)
    if folder.is_dir():
        files.extend(sorted(folder.glob("*.yaml")) + sorted(folder.glob("*.yml")))
    root = content.resolve()
    for path in files:
        rel = _rel(path, content, label)
        text = read_text(path, rel, root, problems)
        if text is None:
            continue
        try:
            data = frontmatter.load_yaml(text)
        except frontmatter.YamlError as exc:
            problems.error(rel, exc.line, exc.message, exc.hint)
            continue
        entries = data if isinstance(data, list) else [data] if isinstance(data, dict) else None
        if data is None:
            continue
        if entries is None:
            problems.error(rel, 1, "speakers file must be a list of people",
                           "write '- id: jane' then her fields, one entry per person")
            continue
        lines = _entry_lines(text)
        for i, entry in enumerate(entries):
            line = lines[i] if i < len(lines) else 1
            if not isinstance(entry, dict):
                problems.error(rel, line, f"speaker #{i + 1} must be a mapping of fields",
                               "write '- name: Jane Host' and more fields indented below")
                continue
            entry = text_keys(entry, rel, problems, line)
            f = Fields(entry, rel, text, 1, problems, prefix="", base_line=line)
            f.unknown(SPEAKER_FIELDS, "speaker")
            name = f.text("name", required=True)
            if not name:
                continue
            sid = f.text("id") or urls.slugify(name)
            if not urls.is_safe_slug(sid):
                problems.error(rel, line, f"speaker id '{sid}' may only hold letters, digits and hyphens",
                               "write id: jane-host")
                continue
            if urls.too_long(sid):
                problems.error(rel, line, f"speaker id '{_shown(sid)}' is longer than {urls.MAX_SLUG_BYTES} bytes",
                               "write a shorter id: it names the speaker's folder")
                continue
            if sid in index.speakers:
                problems.error(rel, line, f"duplicate speaker id '{sid}'",
                               "give each person one entry with a unique id")
                continue
            aliases = tuple(f.strings("aliases"))
            speaker = Speaker(
                id=sid, name=name, role=f.text("role", default="guest") or "guest",
                title=f.text("title"), bio=f.text("bio"), image=f.url("image"),
                links=_links(entry.get("links"), f, "links"), aliases=aliases,
                declared=True, source=rel, line=line,
            )
            index.speakers[sid] = speaker
            for key in (sid, name, *aliases):
                norm = label_key(key)
                other = index.labels.get(norm)
                if other is not None and other != sid:
                    problems.error(rel, line, f"label '{key}' means both '{other}' and '{sid}'",
                                   "an alias may belong to one person only")
                    continue
                index.labels[norm] = sid
    return index


def _entry_lines(text: str) -> list[int]:
    """Lines of the top-level ``- `` items of a YAML list, in order (found in one pass)."""
    return [lineno for lineno, line in enumerate(text.split("\n"), start=1) if line.startswith("- ") or line == "-"]


# Episodes -------------------------------------------------------------------
@dataclass(slots=True)
class Loaded:
    """An episode as loaded, plus the inferred speakers it introduced."""

    episode: Episode
    inferred: dict[str, Speaker]


def load_episode(path: Path, rel: str, root: Path, index: SpeakerIndex,
                 problems: Problems) -> Loaded | None:
    """Load one episode file; problems are appended, None when it cannot be used."""
    text = read_text(path, rel, root, problems)
    if text is None:
        return None
    try:
        parts = frontmatter.split(text)
    except frontmatter.FrontMatterError as exc:
        problems.error(rel, exc.line, exc.message, exc.hint)
        return None
    before = len(problems.errors)
    data = _load_mapping(parts.meta_text, rel, parts.meta_line, problems, "front matter")
    if data is None:
        return None
    f = Fields(data, rel, parts.meta_text, parts.meta_line, problems)
    f.unknown(EPISODE_FIELDS, "front matter")
    title = f.text("title", required=True)
    date_text = f.text("date", required=True)
    date: dt.date | None = None
    if date_text:
        date, problem = parse_date(date_text)
        if problem:
            problems.error(rel, f.line("date"), problem, "write the day it was published as YYYY-MM-DD, e.g. date: 2026-03-01")
    number = f.integer("episode")
    season = f.integer("season", minimum=1)
    slug = f.text("slug")
    if slug:
        if not urls.is_safe_slug(slug):
            problems.error(rel, f.line("slug"), f"slug '{slug}' may only hold letters, digits and inner hyphens",
                           "write slug: my-episode (no '/', '.' or '..')")
            slug = ""
        elif urls.too_long(slug):
            problems.error(rel, f.line("slug"), f"slug '{_shown(slug)}' is longer than {urls.MAX_SLUG_BYTES} bytes",
                           "write a shorter slug: it names the episode's folder")
            slug = ""
    elif title:
        slug = urls.slugify(title)
        if not slug:
            problems.error(rel, f.line("title"), "title gives an empty URL slug", "add slug: my-episode")
    duration = None
    if data.get("duration") is not None:
        duration = parse_time(data["duration"])
        if duration is None:
            problems.error(rel, f.line("duration"), f"duration '{_shown(data['duration'])}' is not a time",
                           "write duration: \"1:02:03\", \"42:10\" or a number of seconds, under 10,000 hours")
    audio_url = f.url("audio_url")
    audio_bytes = f.integer("audio_bytes")
    episode_type = f.text("episode_type", default="full") or "full"
    if episode_type not in EPISODE_TYPES:
        problems.error(rel, f.line("episode_type"), f"episode_type '{episode_type}' is not one of full, trailer, bonus",
                       "write episode_type: full")
        episode_type = "full"
    description = f.text("description")
    tags = tuple(dict.fromkeys(f.strings("tags")))
    explicit = f.boolean("explicit")
    soundbites = _soundbites(data.get("soundbites"), duration, f, parts, problems)

    known = index.known
    body = parse_body(parts.body, parts.body_line, known, index.markers)
    inferred: dict[str, Speaker] = {}
    for suspect in body.suspects:
        problems.warning(rel, suspect.line,
                         f"'{suspect.label}' looks like a speaker label but was read as words of the turn before it",
                         f"declare '{suspect.label}' in speakers.yaml (or as an alias of someone there) "
                         "to make it a label")
    voices = _voices(data.get("voices"), f, problems)

    def resolve(label: str, line: int, where: str) -> str:
        sid = index.lookup(label)
        if sid is not None:
            return sid
        sid = urls.slugify(label) or "speaker"
        while sid in index.speakers:
            sid += "-x"
        if sid not in inferred:
            inferred[sid] = Speaker(id=sid, name=" ".join(label.split()), role="",
                                    declared=False, source=rel, line=line)
            problems.warning(rel, line, f"{where} '{label}' matches no declared speaker",
                             f"add '{label}' to speakers.yaml, or as an alias of someone there")
        return sid

    def resolve_turn(label: str, line: int, where: str) -> str | None:
        """A turn label's speaker; None for a generic voice the episode does not map (it stays a label)."""
        key = label_key(label)
        if key in voices:
            return resolve(voices[key], line, "voice")
        if index.lookup(label) is None and is_generic(label):
            return None
        return resolve(label, line, where)

    # Speakers named in front matter.
    roles: dict[str, str] = {}
    fm_speakers = data.get("speakers")
    if fm_speakers is not None and not isinstance(fm_speakers, list):
        problems.error(rel, f.line("speakers"), "'speakers' must be a list of ids or names",
                       "write speakers: [jane, Sam Guest]")
        fm_speakers = []
    for i, entry in enumerate(fm_speakers or []):
        role = ""
        if isinstance(entry, dict):
            name = str(entry.get("id") or entry.get("name") or "").strip()
            role = str(entry.get("role") or "").strip()
        elif isinstance(entry, (str, int)) and not isinstance(entry, bool):
            name = str(entry).strip()
        else:
            name = ""
        if not name:
            problems.error(rel, frontmatter.item_line(parts.meta_text, parts.meta_line, "speakers", i),
                           f"speakers[{i}] must be an id or a name", "write speakers: [jane, Sam Guest]")
            continue
        sid = resolve(name, frontmatter.item_line(parts.meta_text, parts.meta_line, "speakers", i), "speaker")
        roles.setdefault(sid, role)

    # Turns: identity, words, times.
    turns, anchors, timed = _transcript(body.turns, resolve_turn, duration, rel, problems)

    chapters = _chapters(data.get("chapters"), body, turns, duration, timed, anchors, f, parts, problems)
    appearances = _appearances(roles, turns, index, inferred)

    if len(problems.errors) > before or not title or date is None or not slug:
        return None
    episode = Episode(
        source=rel, slug=slug, title=title, date=date, number=number, season=season,
        duration=duration, audio_url=audio_url, audio_bytes=audio_bytes,
        audio_type=f.text("audio_type", default="audio/mpeg") or "audio/mpeg",
        description=description,
        summary=summarize(description) or summarize(next((t.paragraphs[0] for t in turns if t.paragraphs), "")),
        image=f.url("image"),
        episode_type=episode_type, explicit=explicit, guid=f.text("guid"), tags=tags,
        appearances=appearances, chapters=chapters, turns=turns, timed=timed,
        labelled=body.labelled, soundbites=soundbites,
        line_of={key: f.line(key) for key in data},
    )
    return Loaded(episode, inferred)


def _soundbites(value: object, duration: float | None, f: Fields, parts: frontmatter.Split,
                problems: Problems) -> tuple[Soundbite, ...]:
    """``soundbites: [{start, duration, title, id}]`` from front matter; each gets its clip page's id."""
    if value is None:
        return ()
    hint = 'write soundbites: [{start: "12:30", duration: 45, title: The best bit}]'
    if not isinstance(value, list):
        problems.error(f.rel, f.line("soundbites"), "'soundbites' must be a list of {start, duration, title}", hint)
        return ()
    out: list[Soundbite] = []
    for i, item in enumerate(value):
        line = frontmatter.item_line(parts.meta_text, parts.meta_line, "soundbites", i)
        if not isinstance(item, dict):
            problems.error(f.rel, line, f"soundbites[{i}] must be a mapping with start and duration", hint)
            continue
        start = parse_time(item["start"]) if item.get("start") is not None else None
        length = parse_time(item["duration"]) if item.get("duration") is not None else None
        if start is None or length is None or length <= 0:
            problems.error(f.rel, line, f"soundbites[{i}] needs a start time and a duration above zero", hint)
            continue
        if duration is not None and start + length > duration + 1:
            problems.error(f.rel, line, f"soundbites[{i}] ends past the duration ({format_clock(duration)})",
                           "fix its start or duration")
            continue
        title = item.get("title")
        own = " ".join(str(item["id"]).split()) if item.get("id") is not None else ""
        if own and (not urls.is_safe_slug(own) or urls.too_long(own)):
            problems.error(f.rel, line, f"soundbites[{i}] id {own!r} cannot name its clip page",
                           "use letters, digits and inner hyphens, e.g. id: best-bit")
            continue
        if own and own in (b.id for b in out):
            problems.error(f.rel, line, f"soundbites[{i}] id {own!r} is used twice in this episode",
                           "give each soundbite its own id")
            continue
        out.append(Soundbite(start, length, " ".join(str(title).split()) if title is not None else "", own))
    ids = urls.clip_ids([b.id for b in out], [b.title for b in out], [b.start for b in out])
    return tuple(Soundbite(b.start, b.duration, b.title, clip_id) for b, clip_id in zip(out, ids))


def _voices(value: object, f: Fields, problems: Problems) -> dict[str, str]:
    """Front matter ``voices: {Speaker 1: jane}``: generic labels of this episode mapped to people."""
    if value is None:
        return {}
    if not isinstance(value, dict) or not all(
            isinstance(k, (str, int)) and isinstance(v, (str, int)) and str(v).strip() for k, v in value.items()):
        problems.error(f.rel, f.line("voices"), "'voices' must map transcript labels to speaker ids or names",
                       "write voices: {Speaker 1: jane, SPEAKER_02: Sam Guest}")
        return {}
    return {label_key(str(k)): str(v).strip() for k, v in value.items()}


Resolve = Callable[[str, int, str], "str | None"]
"""``resolve(label, line, where)``: the speaker id a label means (warning once when it is unknown),
None for a generic voice the episode leaves unmapped."""
Transcript = tuple[tuple[Turn, ...], list[str], bool]
"""An episode's turns, their anchors, and whether times were given."""


def _transcript(raws: Sequence[RawTurn], resolve: Resolve, duration: float | None,
                rel: str, problems: Problems) -> Transcript:
    """The turns of a transcript, with their anchors and whether times were given.

    Each distinct label is resolved once, timestamps are parsed once per
    distinct text, words and anchors come from one normalised text per turn,
    and the turns are built column by column. A marker turn has no speaker;
    its anchor is made from its name, as is a generic voice's.
    """
    speaker_ids = _speaker_ids(raws, resolve)
    given = _given_times(raws, rel, problems)
    timed = any(t is not None for t in given)
    if timed and not _times_in_order(given, duration):
        _check_times(raws, given, duration, rel, problems)
    texts, words = _turn_texts(raws)
    starts, estimated = _estimate_starts(given, words, duration)
    keys = [sid or (urls.slugify(raw.label) if raw.label else "") for sid, raw in zip(speaker_ids, raws)]
    anchors = urls.turn_anchors(keys, texts)
    markers = [raw.label if raw.marker else "" for raw in raws]
    turns = turns_from_columns(range(len(raws)), anchors, speaker_ids, [raw.label for raw in raws],
                               [raw.paragraphs for raw in raws], starts, estimated,
                               [raw.line for raw in raws], words, markers)
    return turns, anchors, timed


def _speaker_ids(raws: Sequence[RawTurn], resolve: Resolve) -> list[str | None]:
    """Each turn's speaker id (None when unlabelled), resolving each distinct label once.

    Labels are resolved in the order they first appear, at their first line,
    so warnings and inferred speakers come as when every turn is resolved:
    resolving a label again gives the same id and warns no more.
    """
    labels = [raw.label if not raw.marker else "" for raw in raws]
    ids: dict[str, str | None] = {}
    for label in dict.fromkeys(labels):
        if label:
            ids[label] = resolve(label, raws[labels.index(label)].line, "label")
    return [ids.get(label) for label in labels]


_clock = lru_cache(maxsize=1 << 16)(parse_time)
"""``parse_time`` remembered, for timestamps as written (text only: 1 and True are equal keys)."""


def _given_times(raws: Sequence[RawTurn], rel: str, problems: Problems) -> list[float | None]:
    """Each turn's time as written in seconds (None when none); a timestamp that is no time is an error."""
    times = [raw.time for raw in raws]
    given = list(map(_clock, times))
    if None in given:
        for raw, seconds in zip(raws, given):
            if raw.time and seconds is None:
                problems.error(rel, raw.line, f"timestamp '{_shown(raw.time)}' is not a time", "write [HH:MM:SS]")
    return given


def _times_in_order(given: list[float | None], duration: float | None) -> bool:
    """True when ``_check_times`` has nothing to say: every turn timed, in order, within the duration."""
    if None in given:
        return False
    times = cast("list[float]", given)
    return all(map(operator.le, times, times[1:])) and (duration is None or max(times) <= duration + 1)


def _check_times(raws: Sequence[RawTurn], given: list[float | None], duration: float | None,
                 rel: str, problems: Problems) -> None:
    """Warn about timestamps out of order; report those past the duration."""
    last = -1.0
    for raw, t in zip(raws, given):
        if t is None:
            continue
        if t < last:
            problems.warning(rel, raw.line, f"timestamp {raw.time} is earlier than the turn before it",
                             "check the order of the timestamps")
        if duration is not None and t > duration + 1:
            problems.error(rel, raw.line, f"timestamp {raw.time} is past the duration ({format_clock(duration)})",
                           "fix the timestamp or the duration field")
        last = t


_ASCII_SPACES = "\t\x0b\x0c\r\x1c\x1d\x1e\x1f"
"""ASCII characters other than space and newline that ``str.split()`` splits at."""
_OTHER_SPACES = "\x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a" \
                "\u2028\u2029\u202f\u205f\u3000"
"""The characters beyond ASCII that ``str.split()`` splits at (tests check both lists against every code point)."""


def _turn_texts(raws: Sequence[RawTurn]) -> tuple[list[str], list[int]]:
    """Each turn's paragraphs as one whitespace-normalised text, and its number of words.

    Usually every text is normalised already (checked for all turns at once),
    and then its words are its spaces plus one.
    """
    texts = [" ".join(raw.paragraphs) for raw in raws]
    if not _normalised(texts):
        texts = [" ".join(text.split()) for text in texts]
    return texts, [text.count(" ") + 1 if text else 0 for text in texts]


def _normalised(texts: list[str]) -> bool:
    """True when every text equals ``" ".join(text.split())``, looked at as one newline-joined string."""
    if not texts:
        return True
    blob = "\n".join(texts)
    if blob.count("\n") != len(texts) - 1:  # a text holds a newline
        return False
    flat = blob.replace("\n", " ")  # one search finds "  ", " \n", "\n " (and an empty text)
    if flat[:1] == " " or flat[-1:] == " " or "  " in flat:
        return False
    spaces = _ASCII_SPACES if blob.isascii() else _ASCII_SPACES + _OTHER_SPACES
    return not any(space in blob for space in spaces)


def _estimate_starts(given: list[float | None], words: list[int],
                     duration: float | None) -> tuple[list[float | None], list[bool]]:
    """Fill in turn start times: given ones kept, the rest interpolated by words."""
    if given and None not in given:
        return list(given), [False] * len(given)
    n = len(given)
    if n == 0:
        return [], []
    total_words = sum(words) or n
    total = duration if duration else total_words / WORDS_PER_SECOND
    cumulative = [0] * (n + 1)
    for i, w in enumerate(words):
        cumulative[i + 1] = cumulative[i] + w
    known = [(i, t) for i, t in enumerate(given) if t is not None]
    starts: list[float | None] = [None] * n
    estimated = [True] * n
    if not known:
        for i in range(n):
            starts[i] = round(total * cumulative[i] / total_words, 1)
        return starts, estimated
    anchors = [(0, 0.0)] if known[0][0] != 0 else []
    anchors += known
    if known[-1][0] != n:
        end_time = max(total, known[-1][1] + (cumulative[n] - cumulative[known[-1][0]]) / WORDS_PER_SECOND
                       if not duration else total)
        anchors.append((n, end_time))
    for (i0, t0), (i1, t1) in zip(anchors, anchors[1:]):
        span_words = cumulative[i1] - cumulative[i0] or 1
        for i in range(i0, min(i1, n)):
            if given[i] is not None:
                starts[i] = given[i]
                estimated[i] = False
            else:
                starts[i] = round(t0 + (t1 - t0) * (cumulative[i] - cumulative[i0]) / span_words, 1)
    if known[-1][0] == n - 1:
        starts[n - 1] = given[n - 1]
        estimated[n - 1] = False
    return starts, estimated


@dataclass(slots=True)
class _Draft:
    """A chapter while it is being placed."""

    title: str
    start: float | None
    url: str
    image: str
    toc: bool
    turn_index: int
    estimated: bool
    line: int


def _chapters(value: object, body: Body, turns: tuple[Turn, ...], duration: float | None,
              timed: bool, turn_anchor_ids: list[str], f: Fields,
              parts: frontmatter.Split, problems: Problems) -> tuple[Chapter, ...]:
    rel = f.rel
    listed: list[_Draft] = []
    if value is not None and not isinstance(value, list):
        problems.error(rel, f.line("chapters"), "'chapters' must be a list of {start, title}",
                       "write chapters: [{start: \"0:00\", title: Welcome}]")
        value = []
    previous = -1.0
    for i, item in enumerate(value or []):
        line = frontmatter.item_line(parts.meta_text, parts.meta_line, "chapters", i)
        if not isinstance(item, dict):
            problems.error(rel, line, f"chapters[{i}] must be a mapping with start and title",
                           "write - {start: \"12:30\", title: The middle}")
            continue
        cf = Fields(item, rel, parts.meta_text, parts.meta_line, problems, prefix=f"chapters[{i}].", base_line=line)
        title = cf.text("title", required=True)
        raw_start = item.get("start")
        start = parse_time(raw_start) if raw_start is not None else None
        if raw_start is None:
            problems.error(rel, line, f"chapters[{i}].start is missing", "write start: \"12:30\"")
        elif start is None:
            problems.error(rel, line, f"chapters[{i}].start '{_shown(raw_start)}' is not a time",
                           "write start as \"HH:MM:SS\", \"MM:SS\" or seconds")
        if start is not None:
            if start <= previous:
                problems.error(rel, line, f"chapters[{i}].start {format_clock(start)} is not after the chapter before it",
                               "list chapters in time order")
            if duration is not None and start >= duration:
                problems.error(rel, line, f"chapters[{i}].start {format_clock(start)} is past the duration ({format_clock(duration)})",
                               "fix the start or the duration field")
            previous = max(previous, start)
        if not title:
            continue
        toc = cf.boolean("toc")
        listed.append(_Draft(title, start, cf.url("url"), cf.url("img") or cf.url("image"),
                            True if toc is None else toc, -1, False, line))

    by_title = {label_key(d.title): d for d in listed}
    drafts: list[_Draft] = []
    used: set[int] = set()
    for heading in body.headings:
        match = by_title.get(label_key(heading.title))
        if match is not None and id(match) not in used:
            used.add(id(match))
            match.turn_index = heading.turn_index
            match.estimated = match.start is None
            if match.start is None and heading.turn_index < len(turns):
                match.start = turns[heading.turn_index].start
            drafts.append(match)
        else:
            start = turns[heading.turn_index].start if heading.turn_index < len(turns) else duration
            est = turns[heading.turn_index].estimated if heading.turn_index < len(turns) else True
            drafts.append(_Draft(heading.title, start, "", "", True, heading.turn_index, est, heading.line))
    for draft in listed:
        if id(draft) in used:
            continue
        if draft.start is None:
            continue
        draft.turn_index = _turn_at(turns, draft.start)
        draft.estimated = not timed
        drafts.append(draft)
    drafts.sort(key=lambda d: (d.turn_index, d.start if d.start is not None else 0.0))
    anchors = urls.chapter_anchors([d.title for d in drafts], taken=turn_anchor_ids)
    return tuple(
        Chapter(title=d.title, anchor=a, start=d.start, turn_index=d.turn_index,
                estimated=d.estimated, url=d.url, image=d.image, toc=d.toc)
        for d, a in zip(drafts, anchors)
    )


def _turn_at(turns: tuple[Turn, ...], start: float) -> int:
    """Index of the first turn starting at or after ``start`` (1 s tolerance)."""
    for turn in turns:
        if turn.start is not None and turn.start >= start - 1.0:
            return turn.index
    return len(turns)


def _appearances(roles: dict[str, str], turns: tuple[Turn, ...], index: SpeakerIndex,
                 inferred: dict[str, Speaker]) -> tuple[Appearance, ...]:
    order: list[str] = list(roles)
    counts: dict[str, int] = {}
    words: dict[str, int] = {}
    first: dict[str, str] = {}
    for turn in turns:
        sid = turn.speaker_id
        if sid is None:
            continue
        if sid not in counts:
            counts[sid] = 0
            words[sid] = 0
            first[sid] = turn.anchor
            if sid not in roles:
                order.append(sid)
        counts[sid] += 1
        words[sid] += turn.words
    total = sum(words.values()) or 1
    out = []
    for sid in order:
        speaker = index.speakers.get(sid) or inferred.get(sid)
        role = roles.get(sid) or (speaker.role if speaker else "guest")
        out.append(Appearance(speaker_id=sid, role=role, turns=counts.get(sid, 0),
                              words=words.get(sid, 0), share=round(words.get(sid, 0) / total, 4),
                              first_turn=first.get(sid, "")))
    return tuple(out)


def summarize(markdown: str, limit: int = 200) -> str:
    """One line of plain text from Markdown notes, for listings and meta tags."""
    para = markdown.strip().split("\n\n", 1)[0]
    para = re.sub(r"!\[([^\]]*)\]\([^)]*\)", r"\1", para)
    para = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", para)
    para = re.sub(r"[*_`#>]+", "", para)
    para = " ".join(para.split())
    if len(para) <= limit:
        return para
    cut = para[:limit].rsplit(" ", 1)[0]
    return cut.rstrip(",;:.") + "…"


# The whole site -----------------------------------------------------------
class EpisodeStore(Protocol):
    """Where episodes loaded by earlier builds are kept (``ssg.EpisodeStore`` is one).

    Named here, not imported: the cache is the incremental layer, a later stage
    than loading, and hands its store in through ``load_site(open_store=...)``.
    """

    folder: Path | None
    """Where the store keeps its files (None: no store, nothing is looked up or kept)."""

    def key(self, path: Path | str, rel: str) -> str | None: ...
    def get(self, key: str) -> Any | None: ...
    def stash(self, key: str, episode: Episode) -> Episode: ...
    def put(self, key: str, value: Any) -> None: ...
    def save(self) -> None: ...


class _NoStore:
    """No store: every episode is loaded from its file."""

    folder: Path | None = None

    def key(self, path: Path | str, rel: str) -> str | None:
        return None

    def get(self, key: str) -> Any | None:
        return None

    def stash(self, key: str, episode: Episode) -> Episode:
        return episode

    def put(self, key: str, value: Any) -> None:
        pass

    def save(self) -> None:
        pass


def load_site(content: Path, *, base_url: str | None = None, label: str | None = None,
              open_store: Callable[[str], EpisodeStore] | None = None,
              jobs: int = 1) -> tuple[Site | None, Problems]:
    """Load everything in ``content``; returns (site or None, problems).

    With ``open_store`` (given what loading an episode depends on besides its
    file, it opens the store of earlier loads), episodes whose file (and the
    speakers they are read against, and ssg itself) did not change are taken
    from the last load.
    ``jobs`` worker processes parse the others (0: one per CPU).
    """
    problems = Problems()
    label = label or content.as_posix().rstrip("/")
    if not content.is_dir():
        problems.error(label, None, "content folder not found",
                       "run from your show's folder, pass --content DIR, or start one with 'ssg new DIR'")
        return None, problems
    show = load_show(content, label, base_url, problems)
    index = load_speakers(content, label, problems)
    if show is not None and show.markers:
        index.markers = DEFAULT_MARKERS + show.markers
    root = content.resolve()
    episodes: list[Episode] = []
    inferred: dict[str, Speaker] = {}
    episode_dir = content / "episodes"
    found_files = _episode_files(episode_dir, root)
    if not found_files:
        problems.warning(f"{label}/episodes", None, "no episodes found",
                         "add Markdown files to the episodes folder")
    context = repr((index.speakers, sorted(index.labels.items()), index.markers))
    store = open_store(context) if open_store is not None else _NoStore()
    folder = os.fspath(episode_dir)
    paths = [f"{folder}/{name}" for name, _ in found_files]  # a Path is made only for a file to load
    rels = [f"{label}/episodes/{name}" for name, _ in found_files]
    inside = [within for _, within in found_files]
    for loaded, found in _load_all(store, paths, rels, inside, root, index, jobs):
        problems.extend(list(found))
        if loaded is None:
            continue
        episodes.append(loaded.episode)
        for sid, speaker in loaded.inferred.items():
            inferred.setdefault(sid, speaker)
    store.save()
    _check_collisions(episodes, problems)
    _check_tags(episodes, problems)
    _check_links_out(content, root, label, problems)
    if show is not None:
        _check_feed(show, episodes, f"{label}/site.yaml", problems)
    if show is None or problems.has_errors():
        return None, problems
    episodes.sort(key=lambda e: (e.date, e.number or 0, e.slug), reverse=True)
    speakers = tuple(index.speakers.values()) + tuple(sorted(inferred.values(), key=lambda s: s.name.casefold()))
    return Site(show=show, episodes=tuple(episodes), speakers=speakers, content_dir=label), problems


Result = tuple["Loaded | None", tuple[Problem, ...]]
_WORK: tuple[Path, SpeakerIndex, EpisodeStore] | None = None
"""(content root, speakers, store) for ``_load_one``, in this process and in each load worker."""
PARALLEL_MIN = 32
"""Fewer episodes to parse than this are parsed in the main process."""


def _set_work(work: tuple[Path, SpeakerIndex, EpisodeStore]) -> None:
    """Set up a load worker process."""
    global _WORK
    _WORK = work


def _load_one(item: tuple[Path, str, str | None]) -> Result:
    """Load one episode; with a store key, its turns go to the store (a worker returns little)."""
    assert _WORK is not None
    root, index, store = _WORK
    mine = Problems()
    loaded = load_episode(item[0], item[1], root, index, mine)
    if loaded is not None and item[2] is not None and not mine.has_errors():
        store.stash(item[2], loaded.episode)
    return loaded, tuple(mine.items)


def _episode_files(folder: Path, root: Path) -> list[tuple[str, bool]]:
    """The ``*.md`` files under ``folder``, as ``sorted(folder.rglob("*.md"))`` finds them.

    Each as (path relative to ``folder``, whether it is certainly inside
    ``root``: no symlink on the way from ``folder``, which itself lies in
    ``root``). Like ``rglob``, symlinked folders are not entered. One
    ``scandir`` a folder, no ``Path`` per file: a show has thousands.
    """
    try:
        if not folder.is_dir():
            return []
        base_inside = folder.resolve().is_relative_to(root)
    except OSError:
        return []
    found = [(rel.split("/"), base_inside and not entry.is_symlink())
             for rel, entry in scan(folder) if entry.name.endswith(".md")]
    found.sort()  # by parts, as Paths sort
    return [("/".join(parts), inside) for parts, inside in found]


def _load_all(store: EpisodeStore, paths: list[str], rels: list[str], inside: list[bool], root: Path,
              index: SpeakerIndex, jobs: int) -> list[Result]:
    """Each episode loaded (or taken from the store), with its problems, in path order.

    Only a file ``inside`` the content folder (no symlink on its way) is
    looked up in the store or stashed into it; the others are loaded (and
    refused) as usual.
    """
    results: list[Result | None] = [None] * len(paths)
    keys: dict[int, str] = {}
    for i, path in enumerate(paths if store.folder is not None else ()):  # no store: no keys
        try:
            key = store.key(path, rels[i]) if inside[i] else None
        except OSError:
            key = None
        if key is None:
            continue
        keys[i] = key
        hit = store.get(key)
        if isinstance(hit, tuple) and len(hit) == 2 and isinstance(hit[0], Loaded):
            results[i] = (hit[0], tuple(hit[1]))
    todo = [i for i, r in enumerate(results) if r is None]
    workers = jobs if jobs > 0 else (os.cpu_count() or 1)
    global _WORK
    _WORK = (root, index, store)
    items = [(Path(paths[i]), rels[i], keys.get(i)) for i in todo]
    try:
        size = min(workers, len(todo)) if len(todo) >= PARALLEL_MIN else 1
        with parallel.pool(size, _set_work, _WORK) as pool:
            done = list(pool.map(_load_one, items, chunksize=8))
    finally:
        _WORK = None
    for i, result in zip(todo, done):
        results[i] = result
        loaded, found = result
        if loaded is not None and i in keys and not any(p.level == "error" for p in found):
            store.put(keys[i], (loaded, found))
    return [r for r in results if r is not None]


def _check_feed(show: Show, episodes: list[Episode], rel: str, problems: Problems) -> None:
    """Warn about what podcast apps (Apple's directory first) require of a feed."""
    if not show.image:
        problems.warning(rel, None, "no 'image': Apple requires cover art in the feed",
                         "add image: cover.jpg (a 1400-3000 px square JPEG or PNG)")
    if not show.categories:
        problems.warning(rel, None, "no 'categories': Apple requires at least one category in the feed",
                         "add categories: [Technology]")
    if not show.owner_email:
        problems.warning(rel, None, "no owner email: Apple requires itunes:owner/itunes:email in the feed",
                         "add owner: {name: ..., email: ...}")
    for episode in episodes:
        if not episode.audio_url:
            problems.warning(episode.source, episode.line_of.get("title"),
                             "no 'audio_url': the episode gets a page but is left out of the feed",
                             "add audio_url: https://... when the audio is published")
        elif episode.audio_bytes is None:
            problems.warning(episode.source, episode.line_of.get("audio_url"),
                             "no 'audio_bytes': the feed's enclosure needs the audio file's length",
                             "add audio_bytes: <size of the file in bytes>")


def _symlinks(folder: Path) -> list[Path]:
    """The symlinks under ``folder`` (symlinked folders are not entered)."""
    return [Path(entry.path) for _, entry in scan(folder) if entry.is_symlink()]


def _check_links_out(content: Path, root: Path, label: str, problems: Problems) -> None:
    """Refuse symlinks (files or folders) in content/ that lead outside it."""
    for path in sorted(_symlinks(content)):
        if path.suffix == ".md" and "episodes" in path.relative_to(content).parts[:1]:
            continue
        try:
            inside = path.resolve().is_relative_to(root)
        except OSError:
            inside = False
        if not inside:
            problems.error(_rel(path, content, label), None, "symlink leads outside the content folder (refused)",
                           "copy the file into the content folder instead of linking it")


def _check_tags(episodes: list[Episode], problems: Problems) -> None:
    """Refuse two spellings of a tag that would share one page (``Science`` and ``science``)."""
    first: dict[str, tuple[str, str]] = {}
    for episode in sorted(episodes, key=lambda e: e.source):
        for tag in episode.tags:
            route = urls.Urls.tag(tag)
            spelling, source = first.setdefault(route, (tag, episode.source))
            if spelling != tag:
                problems.error(episode.source, episode.line_of.get("tags"),
                               f"tag '{_shown(tag)}' has the page '{_shown(route)}' of tag '{_shown(spelling)}' in {source}",
                               "write the tag the same way everywhere")


def _check_collisions(episodes: list[Episode], problems: Problems) -> None:
    slugs: dict[str, Episode] = {}
    numbers: dict[tuple[int | None, int], Episode] = {}
    for episode in episodes:
        key = unicodedata.normalize("NFKC", episode.slug).casefold()
        other = slugs.get(key)
        if other is not None:
            problems.error(episode.source, episode.line_of.get("slug") or episode.line_of.get("title"),
                           f"episode URL 'episodes/{episode.slug}/' is already used by {other.source}",
                           "give one of them a different slug: field")
        else:
            slugs[key] = episode
        if episode.number is not None:
            nkey = (episode.season, episode.number)
            prev = numbers.get(nkey)
            if prev is not None:
                season = f" of season {episode.season}" if episode.season else ""
                problems.error(episode.source, episode.line_of.get("episode"),
                               f"episode number {episode.number}{season} is already used by {prev.source}",
                               "give each episode its own number")
            else:
                numbers[nkey] = episode
