"""Plain text: labelled turns, web-page scrapes, or bare auto-captions.

Turns are ``Name: text`` (one per line or per paragraph, optionally with a
``[00:01:02]`` time before or a ``(00:01:02)`` time after the name), or a
name on a line of its own (``Name:``, ``Name (00:01:02):``, Otter's
``Name  0:03``) with the words below it. A web-page scrape also carries a
title line, an ``Episode 36: Title`` heading, a lead paragraph, a chapter
list (``00:49—Title``, ``00:49 - Title``, ``(00:49) Title``) and boilerplate
("Listen on ...", "Episode transcript", subscribe lines) around the
transcript, which is dropped. Text with no labels at all (auto-captions
wrapped mid-sentence) is re-flowed into paragraphs.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, replace

from ssg.importing import meta
from ssg.importing.cues import parse_cue_time
from ssg.importing.model import ImportedEpisode, ImportedTurn
from ssg.transcript import is_person_label, reflow

_TIME = r"\d{1,2}:\d{2}(?::\d{2})?(?:[.,]\d{1,3})?"
_NAME = r"[^:*\[\]()<>\n]{1,60}?"
_LABEL_LINE = re.compile(
    rf"""^\s*
    (?:[\[(]?(?P<t1>{_TIME})[\])]?\s+)?         # [00:01:02] before the name
    (?:\*\*)?(?P<label>{_NAME})(?:\*\*)?
    (?:\s*[\[(](?P<t2>{_TIME})[\])])?             # Name (00:01:02)
    \s*(?:\*\*)?:(?:\*\*)?
    (?:\s+(?P<text>\S.*?))?\s*$""",
    re.VERBOSE,
)
_OTTER = re.compile(rf"^\s*(?P<label>{_NAME})[ \t]+(?P<t2>{_TIME})\s*$")
BOILERPLATE = re.compile(
    r"^(listen on|listen to|watch the episode|episode transcript|key takeaways|subscribe|follow us|"
    r"stay on top of|the opinions expressed|share this|download|transcript$|show notes$|.*podcast artwork$|"
    r"sign up|related (episodes|content)|more episodes|copyright|©|all rights reserved)", re.IGNORECASE)
"""Lines of a web page around the transcript that are not part of it."""


@dataclass(frozen=True, slots=True)
class _Start:
    """A line where a turn starts."""

    index: int
    label: str
    time: float | None
    text: str


def parse(text: str) -> ImportedEpisode:
    """Read a plain-text (or Markdown) transcript; the file's own front matter is read, never kept as text."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    own = meta.read_front("\n".join(lines))
    lines[:own.lines] = [""] * own.lines  # line numbers stay those of the file
    starts = {s.index: s for s in (_turn_start(lines, i) for i in range(len(lines))) if s is not None}
    if len(starts) < 2:
        head = next((i for i, line in enumerate(lines) if line.strip()), 0)
        heading = meta.front(lines[head:head + 1], BOILERPLATE) if lines[head].lstrip().startswith("# ") else None
        if heading is not None:
            lines[head] = ""
        found = ImportedEpisode(turns=_captions(lines), markdown=True, body_line=head + (2 if heading else 1),
                                title=heading.title if heading else "", sources=heading.sources if heading else ())
        return _over(own.fields, found)
    first, last = _first_turn(lines, starts), max(starts)
    starts = {i: s for i, s in starts.items() if i >= first}
    found = replace(meta.front(lines[:first], BOILERPLATE), turns=tuple(_turns(lines, starts, first, last)),
                    body_line=first + 1)
    return _over(own.fields, found)


def _over(own: ImportedEpisode, found: ImportedEpisode) -> ImportedEpisode:
    """What the file's front matter says, over what was found in its text."""
    sources = dict(found.sources)
    sources.update(own.sources)
    return replace(found, title=own.title or found.title, date=own.date or found.date,
                   number=own.number if own.number is not None else found.number,
                   description=own.description or found.description, audio_url=own.audio_url,
                   sources=tuple(sources.items()))


def _first_turn(lines: list[str], starts: dict[int, _Start]) -> int:
    """Line of the first turn.

    The first label line whose name comes back later is a turn; so is each
    label line before it that leads to it through nothing but turns (a
    voice heard once, first). A title line such as ``Waterways: the river
    show`` looks like a label, but the page's notes (a date, a chapter list,
    an ``Episode N`` line) stand between it and the turns, or it is the
    page's first line and no sentence: it stays in the page's front part.
    """
    counts = Counter(s.label.casefold() for s in starts.values())
    ordered = sorted(starts)
    repeated = [i for i in ordered if counts[starts[i].label.casefold()] > 1]
    first = repeated[0] if repeated else ordered[0]
    top = next((i for i, line in enumerate(lines) if line.strip()), 0)
    for i in reversed([i for i in ordered if i < first]):
        between = [lines[j].strip() for j in range(i + 1, first) if lines[j].strip() and j not in starts]
        if any(_front_line(line) for line in between):
            break
        if i == top and counts[starts[i].label.casefold()] == 1 and not starts[i].text.endswith((".", "?", "!", "…")):
            break
        first = i
    return first


def _front_line(line: str) -> bool:
    """A line of a page's notes: a heading, an ``Episode N`` line, a chapter, a date, boilerplate."""
    return bool(line.startswith("#") or meta.EPISODE_LINE.match(line) or BOILERPLATE.match(line)
                or (len(line) < 80 and meta.find_date(line)) or (len(line) < 130 and _chapter_line(line)))


def _chapter_line(line: str) -> bool:
    found = re.match(r"^\s*(?:[•*·\-–]\s*)?[\[(]?(\d{1,2}:\d{2}(?::\d{2})?)[\])]?\s*[—–\-:|]?\s*\S", line)
    return bool(found and parse_cue_time(found.group(1)) is not None)


def _label_ok(label: str) -> bool:
    return is_person_label(label, lambda _: False)


def _turn_start(lines: list[str], i: int) -> _Start | None:
    """The turn starting on line ``i``, if one does."""
    line = lines[i]
    match = _LABEL_LINE.match(line) if ":" in line else None
    if match is None:
        match = _OTTER.match(line)
        if match is None or not _next_text(lines, i):
            return None
    label = match.group("label").strip()
    if not _label_ok(label):
        return None
    groups = match.groupdict()
    text = (groups.get("text") or "").strip()
    if not text and not _next_text(lines, i):
        return None
    time = groups.get("t1") or groups.get("t2")
    return _Start(i, label, parse_cue_time(time) if time else None, text)


def _next_text(lines: list[str], i: int) -> bool:
    """True when the line after ``i`` holds words that are not another label line."""
    if i + 1 >= len(lines) or not lines[i + 1].strip():
        return False
    following = lines[i + 1]
    return not (_LABEL_LINE.match(following) and ":" in following) and not _OTTER.match(following)


def _turns(lines: list[str], starts: dict[int, _Start], first: int, last: int) -> list[ImportedTurn]:
    """The turns from the first turn line to the end of the transcript."""
    out: list[tuple[str, float | None, list[str]]] = []
    paragraph: list[str] = []

    def close() -> None:
        if paragraph and out:
            out[-1][2].append(" ".join(paragraph))
        paragraph.clear()

    for i in range(first, len(lines)):
        line = lines[i].strip()
        if i > last and line and (BOILERPLATE.match(line) or _looks_like_boilerplate(line)):
            break
        start = starts.get(i)
        if start is not None:
            close()
            out.append((start.label, start.time, []))
            if start.text:
                paragraph.append(start.text)
        elif not line:
            close()
        elif not (BOILERPLATE.match(line) and len(line) < 80):
            paragraph.append(line)
    close()
    return [ImportedTurn(label, time, tuple(" ".join(p.split()) for p in paragraphs))
            for label, time, paragraphs in out if paragraphs]


def _looks_like_boilerplate(line: str) -> bool:
    """Short navigation-like lines after the last turn (menus, sign-up forms)."""
    return len(line) < 60 and not line.endswith((".", "?", "!", "\"", "”", "’"))


def _captions(lines: list[str]) -> tuple[ImportedTurn, ...]:
    """Unlabelled, hard-wrapped caption text, re-flowed into paragraphs."""
    text = " ".join(line.strip() for line in lines if line.strip())
    return tuple(ImportedTurn("", None, (p,)) for p in reflow(text))
