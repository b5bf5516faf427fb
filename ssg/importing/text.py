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

import datetime as dt
import re
from collections import Counter
from dataclasses import replace

from ssg.importing.cues import parse_cue_time
from ssg.importing.model import ImportedChapter, ImportedEpisode, ImportedTurn
from ssg.transcript import RawTurn, parse_body, reflow

_TIME = r"\d{1,2}:\d{2}(?::\d{2})?(?:[.,]\d{1,3})?"
_CHAPTER = re.compile(
    rf"^\s*(?:[•*·\-–]\s*)?[\[(]?(?P<time>{_TIME})[\])]?\s*(?:[—–\-:|]\s*)?(?P<title>\S.{{0,120}})$")
_EPISODE = re.compile(r"^\s*(?:Episode|Ep\.?)\s*#?(?P<n>\d+)\s*[:.—–-]\s*(?P<title>.+?)\s*$", re.IGNORECASE)
_EPISODE_IN_TEXT = re.compile(r"\bepisode\s+#?(\d+)\b", re.IGNORECASE)
_ISO_DATE = re.compile(r"\b(20\d\d|19\d\d)-(\d\d)-(\d\d)\b")
_MONTHS = ["january", "february", "march", "april", "may", "june", "july", "august", "september", "october", "november", "december"]
_MONTH = r"(?P<month>[A-Z][a-z]{2,8})\.?"
_WORDY_DATES = (
    re.compile(rf"\b{_MONTH} (?P<day>\d{{1,2}})(?:st|nd|rd|th)?,? (?P<year>(?:19|20)\d\d)\b"),
    re.compile(rf"\b(?P<day>\d{{1,2}})(?:st|nd|rd|th)? {_MONTH},? (?P<year>(?:19|20)\d\d)\b"),
)
BOILERPLATE = re.compile(
    r"^(listen on|listen to|watch the episode|episode transcript|key takeaways|subscribe|follow us|"
    r"stay on top of|the opinions expressed|share this|download|transcript$|show notes$|.*podcast artwork$|"
    r"sign up|related (episodes|content)|more episodes|copyright|©|all rights reserved)", re.IGNORECASE)
"""Lines of a web page around the transcript that are not part of it."""


def parse(text: str) -> ImportedEpisode:
    """Read a plain-text transcript (its turns as the build's reader, ``ssg.transcript``, reads them)."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    whole = parse_body("\n".join(lines), 1, _nobody)
    starts = [t for t in whole.turns if t.label and t.label.casefold() in lines[t.line - 1].casefold()]
    if sum(not t.marker for t in starts) < 2:
        timed = [t for t in whole.turns if t.time and not t.label]
        if len(timed) >= 2 and len(timed) == len(whole.turns):  # timed lines, no labels (Whisper text)
            return ImportedEpisode(turns=tuple(_imported(whole.turns)), markdown=True)
        return ImportedEpisode(turns=_captions(lines), markdown=True)
    first = _first_turn(starts)
    last = max(t.line for t in starts) - 1
    return replace(_front(lines[:first]), turns=tuple(_turns(lines, {t.line - 1 for t in starts}, first, last)))


def _nobody(label: str) -> bool:
    """No declared speakers while importing: labels are judged by their shape."""
    return False


def _first_turn(starts: list[RawTurn]) -> int:
    """Line index of the first turn: the first label line whose name comes back later.

    A title line such as ``Waterways: the river show`` looks like a label
    but names nobody who speaks again, so it stays in the page's front part.
    """
    counts = Counter(t.label.casefold() for t in starts)
    repeated = [t.line - 1 for t in starts if counts[t.label.casefold()] > 1]
    return repeated[0] if repeated else min(t.line - 1 for t in starts)


def _turns(lines: list[str], starts: set[int], first: int, last: int) -> list[ImportedTurn]:
    """The turns from the first turn line to the end of the transcript (web-page boilerplate left out)."""
    end = len(lines)
    for i in range(last + 1, len(lines)):
        line = lines[i].strip()
        if line and (BOILERPLATE.match(line) or _looks_like_boilerplate(line)):
            end = i
            break
    kept = [raw for i, raw in enumerate(lines[first:end], first)
            if i in starts or not (BOILERPLATE.match(raw.strip()) and len(raw.strip()) < 80)]
    return _imported(parse_body("\n".join(kept), first + 1, _nobody).turns)


def _imported(turns: tuple[RawTurn, ...]) -> list[ImportedTurn]:
    """The reader's turns as imported turns (a marker keeps its name as the label)."""
    return [ImportedTurn(t.label, parse_cue_time(t.time) if t.time else None, t.paragraphs)
            for t in turns if t.paragraphs or t.marker]


def _looks_like_boilerplate(line: str) -> bool:
    """Short navigation-like lines after the last turn (menus, sign-up forms)."""
    return len(line) < 60 and not line.endswith((".", "?", "!", "\"", "”", "’"))


def _front(lines: list[str]) -> ImportedEpisode:
    """Title, episode number, date, lead paragraph and chapter list from the text before the first turn."""
    title, number = "", None
    chapters: list[ImportedChapter] = []
    paragraphs: list[str] = []
    for raw in lines:
        line = raw.strip()
        if not line:
            continue
        episode = _EPISODE.match(line)
        if episode:
            number, title = int(episode.group("n")), episode.group("title").strip()
            continue
        chapter = _CHAPTER.match(line)
        start = parse_cue_time(chapter.group("time")) if chapter else None
        if chapter and start is not None:
            chapters.append(ImportedChapter(start, chapter.group("title").strip()))
            continue
        if not BOILERPLATE.match(line):
            paragraphs.append(line)
    long = [p for p in paragraphs if len(p) >= 80]
    description = long[0] if long else ""
    mentioned = _EPISODE_IN_TEXT.search(description)
    if number is None and mentioned:
        number = int(mentioned.group(1))
    return ImportedEpisode(
        turns=(), markdown=True, title=title or _title(paragraphs, long), number=number,
        description=description, date=find_date(" ".join(paragraphs)),
        chapters=tuple(sorted(chapters, key=lambda c: c.start)),
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
    """The first real date written in ``text`` (``2026-01-08``, ``January 8, 2026``, ``8 Jan 2026``) as ISO, or ''."""
    candidates: list[tuple[int, int, int, int]] = []  # (position, year, month, day)
    for m in _ISO_DATE.finditer(text):
        candidates.append((m.start(), int(m[1]), int(m[2]), int(m[3])))
    for pattern in _WORDY_DATES:
        for m in pattern.finditer(text):
            month = next((k for k, name in enumerate(_MONTHS, 1) if name.startswith(m["month"].lower())
                          and len(m["month"]) >= 3), 0)
            if month and (len(m["month"]) in (3, len(_MONTHS[month - 1])) or m["month"] == "Sept"):
                candidates.append((m.start(), int(m["year"]), month, int(m["day"])))
    for _, year, month, day in sorted(candidates):
        try:
            return dt.date(year, month, day).isoformat()
        except ValueError:
            continue
    return ""


def _captions(lines: list[str]) -> tuple[ImportedTurn, ...]:
    """Unlabelled, hard-wrapped caption text, re-flowed into paragraphs."""
    text = " ".join(line.strip() for line in lines if line.strip())
    return tuple(ImportedTurn("", None, (p,)) for p in reflow(text))
