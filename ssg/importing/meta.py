"""What a transcript file says about itself: its own front matter, its title, its date.

A Markdown or text file may open with YAML front matter (``---`` lines);
its ``title``, date (``date``, ``pub_date``, ``published`` ... in ISO form or
written out, "May 1st, 2025"), ``description``, audio URL and episode number
are read, and the block is never part of the transcript. Without front
matter, the title comes from a ``# Heading``, an ``Episode N: Title`` line,
or the first short line of the page (``front``); the file name is only the
last resort, and that is the importer's to say. A date is never invented:
``find_date`` returns '' when the text holds none.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

from ssg import frontmatter
from ssg.importing.cues import parse_cue_time
from ssg.importing.model import BadInput, ImportedChapter, ImportedEpisode

_TITLE_KEYS = ("title", "name", "episode_title")
_DATE_KEYS = ("date", "pub_date", "pubdate", "pubDate", "published", "published_at", "publish_date",
              "publication_date", "release_date", "released", "air_date", "aired", "recorded", "created")
_DESCRIPTION_KEYS = ("description", "summary", "subtitle", "excerpt")
_AUDIO_KEYS = ("audio_url", "audio", "enclosure", "enclosure_url", "media_url", "mp3", "audio_file", "url")
_NUMBER_KEYS = ("episode", "episode_number", "number", "ep", "episode_no")

EPISODE_LINE = re.compile(r"^\s*(?:Episode|Ep\.?)\s*#?(?P<n>\d+)\s*[:.—–-]\s*(?P<title>.+?)\s*$", re.IGNORECASE)
"""An ``Episode 36: Title`` (or ``Ep. 15 - Title``) line."""
_HEADING = re.compile(r"^\s*#[ \t]+(?P<title>\S.*?)[ \t#]*$")
_CHAPTER = re.compile(r"^\s*(?:[•*·\-–]\s*)?[\[(]?(?P<time>\d{1,2}:\d{2}(?::\d{2})?(?:[.,]\d{1,3})?)[\])]?"
                      r"\s*(?:[—–\-:|]\s*)?(?P<title>\S.{0,120})$")
_EPISODE_IN_TEXT = re.compile(r"\bepisode\s+#?(\d+)\b", re.IGNORECASE)
_ISO_DATE = re.compile(r"\b(20\d\d|19\d\d)[-/.](\d\d?)[-/.](\d\d?)(?!\d)")
_MONTHS = ["january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
           "november", "december"]
_MONTH = r"(?P<month>[A-Za-z]{3,9})\.?"
_WORDY_DATES = (
    re.compile(rf"\b{_MONTH} (?P<day>\d{{1,2}})(?:st|nd|rd|th)?,? (?P<year>(?:19|20)\d\d)\b"),
    re.compile(rf"\b(?P<day>\d{{1,2}})(?:st|nd|rd|th)?(?: of)? {_MONTH},? (?P<year>(?:19|20)\d\d)\b"),
)


@dataclass(frozen=True, slots=True)
class Front:
    """A file's own front matter, read."""

    fields: ImportedEpisode
    """Title, date, number, description and audio URL it gives (no turns)."""
    lines: int
    """How many lines of the file it takes (0 when there is none)."""


def read_front(text: str) -> Front:
    """The file's front matter, if it opens with ``---``; a broken block is a ``BadInput`` with its line."""
    lines = text.split("\n")
    if not lines or lines[0].strip() != "---":
        return Front(ImportedEpisode(turns=()), 0)
    end = next((i for i in range(1, len(lines)) if lines[i].strip() in ("---", "...")), None)
    if end is None:
        return Front(ImportedEpisode(turns=()), 0)  # a rule line, not front matter
    try:
        data = frontmatter.load_yaml("\n".join(lines[1:end]))
    except frontmatter.YamlError as exc:
        raise BadInput(f"the file's front matter: {exc.message}", (exc.line or 0) + 1 or None,
                       exc.hint or "fix the YAML between the --- lines") from None
    if not isinstance(data, dict):
        return Front(ImportedEpisode(turns=()), end + 1 if data is None else 0)
    data = {str(k): v for k, v in data.items()}
    sources: list[tuple[str, str]] = []
    title = _first_text(data, _TITLE_KEYS)
    date = ""
    for key in _DATE_KEYS:
        if key in data and data[key] is not None:
            date = find_date(str(data[key]))
            if date:
                sources.append(("date", f"from the file's {key}:"))
                break
    number = None
    for key in _NUMBER_KEYS:
        value = data.get(key)
        if isinstance(value, int) and not isinstance(value, bool) and 0 <= value < 10**9:
            number = value
        elif isinstance(value, str) and value.strip().lstrip("#").isdigit() and len(value.strip()) < 10:
            number = int(value.strip().lstrip("#"))
        if number is not None:
            sources.append(("number", f"from the file's {key}:"))
            break
    audio = next((v.strip() for k in _AUDIO_KEYS if isinstance(v := data.get(k), str)
                  and v.strip().startswith(("https://", "http://")) and not any(c.isspace() for c in v.strip())), "")
    if title:
        sources.append(("title", "from the file's front matter"))
    fields = ImportedEpisode(turns=(), markdown=True, title=title, number=number, date=date,
                             description=_first_text(data, _DESCRIPTION_KEYS, keep_lines=True), audio_url=audio,
                             sources=tuple(sources))
    return Front(fields, end + 1)


def _first_text(data: dict[str, Any], keys: tuple[str, ...], keep_lines: bool = False) -> str:
    for key in keys:
        value = data.get(key)
        if isinstance(value, (str, int, float)) and not isinstance(value, bool) and str(value).strip():
            text = str(value).strip()
            return text if keep_lines else " ".join(text.split())
    return ""


def front(lines: list[str], boilerplate: re.Pattern[str]) -> ImportedEpisode:
    """Title, episode number, date, lead paragraph and chapter list from the text before the first turn."""
    title, number, heading = "", None, ""
    chapters: list[ImportedChapter] = []
    paragraphs: list[str] = []
    sources: list[tuple[str, str]] = []
    for raw in lines:
        line = raw.strip()
        if not line:
            continue
        found = _HEADING.match(line)
        if found and not heading:
            heading = found.group("title").strip()
            continue
        episode = EPISODE_LINE.match(line)
        if episode:
            number, title = int(episode.group("n")), episode.group("title").strip()
            continue
        chapter = _CHAPTER.match(line)
        start = parse_cue_time(chapter.group("time")) if chapter else None
        if chapter and start is not None:
            chapters.append(ImportedChapter(start, chapter.group("title").strip()))
            continue
        if not boilerplate.match(line):
            paragraphs.append(line)
    long = [p for p in paragraphs if len(p) >= 80]
    description = long[0] if long else ""
    mentioned = _EPISODE_IN_TEXT.search(description)
    if number is None and mentioned:
        number = int(mentioned.group(1))
    if heading:
        title = heading
        sources.append(("title", "from the # heading"))
    elif title:
        sources.append(("title", "from the 'Episode N:' line"))
    else:
        title = _title(paragraphs, long)
    date = find_date(" ".join(paragraphs))
    return ImportedEpisode(
        turns=(), markdown=True, title=title, number=number, description=description, date=date,
        chapters=tuple(sorted(chapters, key=lambda c: c.start)), sources=tuple(sources),
    )


def _title(paragraphs: list[str], long: list[str]) -> str:
    """A short line that is not a sentence, else the question a lead paragraph opens with."""
    short = [p for p in paragraphs if len(p) < 120 and not p.endswith((".", "?", "!", ":"))
             and not find_date(p)]
    if short:
        return short[0]
    if long:
        question = re.match(r"^(.{10,100}?\?)\s", long[0])
        if question:
            return question.group(1)
    return ""


def find_date(text: str) -> str:
    """The first real date written in ``text`` as ISO, or ''.

    Reads ``2026-01-08``, ``2026/01/08``, ``2026-01-08T10:00:00Z``, ``January 8, 2026``,
    ``May 1st, 2025``, ``8 Jan 2026`` and ``1st of May 2025``.
    """
    candidates: list[tuple[int, int, int, int]] = []  # (position, year, month, day)
    for m in _ISO_DATE.finditer(text):
        candidates.append((m.start(), int(m[1]), int(m[2]), int(m[3])))
    for pattern in _WORDY_DATES:
        for m in pattern.finditer(text):
            word = m["month"].lower()
            month = next((k for k, name in enumerate(_MONTHS, 1) if name.startswith(word)), 0)
            if month and (len(word) in (3, len(_MONTHS[month - 1])) or word == "sept"):
                candidates.append((m.start(), int(m["year"]), month, int(m["day"])))
    for _, year, month, day in sorted(candidates):
        try:
            return dt.date(year, month, day).isoformat()
        except ValueError:
            continue
    return ""
