"""Plain text: labelled turns (one per line or per paragraph), web-page scrapes, or bare captions.

A web-page scrape carries a title line, an ``Episode 36: Title`` heading, a
lead paragraph, a chapter list (``00:49—Title``, ``00:49 - Title``,
``(00:49) Title``) and boilerplate ("Listen on ...", "Episode transcript",
subscribe lines) around the transcript; the boilerplate is dropped. Text
with no labels at all (auto-captions) is re-flowed into paragraphs.
"""

from __future__ import annotations

import re

from ssg.importing.model import Imported, RawChapter, RawTurn
from ssg.importing.timing import parse_cue_time
from ssg.transcript import is_person_label, reflow

_LABELLED = re.compile(
    r"^\s*(?:\[?(?P<time>\d{1,2}:\d{2}(?::\d{2})?)\]?\s+)?(?:\*\*)?(?P<label>[^:*\n]{1,40}?)(?:\*\*)?:(?:\*\*)?\s+(?P<text>\S.*)$")
_CHAPTER = re.compile(
    r"^\s*(?:[•*·\-–]\s*)?\(?(?P<time>\d{1,2}:\d{2}(?::\d{2})?)\)?\s*(?:[—–\-:|]\s*)?(?P<title>\S.{0,120})$")
_EPISODE = re.compile(r"^\s*Episode\s+(?P<n>\d+)\s*[:.—–-]\s*(?P<title>.+?)\s*$", re.I)
_EPISODE_IN_TEXT = re.compile(r"\bepisode\s+(\d+)\b", re.I)
_DATE = re.compile(r"\b(20\d\d)-(\d\d)-(\d\d)\b")
BOILERPLATE = re.compile(
    r"^(listen on|watch the episode|episode transcript|key takeaways|subscribe|follow us|stay on top of|"
    r"the opinions expressed|share this|download|transcript$|show notes$|.*podcast artwork$|sign up|"
    r"related (episodes|content)|more episodes|copyright|©)", re.I)


def _label_ok(label: str) -> bool:
    return is_person_label(label, lambda _: False)


def parse(text: str) -> Imported:
    """Read a plain-text transcript."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    labelled_at = [i for i, line in enumerate(lines)
                   if (m := _LABELLED.match(line)) and _label_ok(m.group("label").strip())]
    result = Imported()
    if len(labelled_at) < 2:
        _captions(lines, result)
        return result
    first, last = labelled_at[0], labelled_at[-1]
    _front(lines[:first], result)
    current: RawTurn | None = None
    paragraph: list[str] = []

    def close() -> None:
        if current is not None and paragraph:
            current.paragraphs.append(" ".join(paragraph))
        paragraph.clear()

    for i in range(first, len(lines)):
        line = lines[i].strip()
        if i > last and (not line or BOILERPLATE.match(line) or _looks_like_boilerplate(line)):
            if line:
                break
            close()
            continue
        match = _LABELLED.match(lines[i])
        if match and _label_ok(match.group("label").strip()):
            close()
            time = match.group("time")
            current = RawTurn(match.group("label").strip(), parse_cue_time(time) if time else None, [])
            result.turns.append(current)
            paragraph.append(match.group("text").strip())
        elif not line:
            close()
        elif BOILERPLATE.match(line):
            continue
        else:
            paragraph.append(line)
    close()
    result.turns = [t for t in result.turns if t.paragraphs]
    return result


def _looks_like_boilerplate(line: str) -> bool:
    """Short navigation-like lines after the last turn (menus, sign-up forms)."""
    return len(line) < 60 and not line.endswith((".", "?", "!", "\"", "”"))


def _front(lines: list[str], result: Imported) -> None:
    """Title, episode number, lead paragraph and chapter list from the text before the first turn."""
    paragraphs: list[str] = []
    for raw in lines:
        line = raw.strip()
        if not line:
            continue
        episode = _EPISODE.match(line)
        if episode:
            result.number = int(episode.group("n"))
            result.title = episode.group("title").strip()
            continue
        chapter = _CHAPTER.match(line)
        if chapter and not _LABELLED.match(line):
            start = parse_cue_time(chapter.group("time"))
            if start is not None:
                result.chapters.append(RawChapter(start, chapter.group("title").strip()))
                continue
        if BOILERPLATE.match(line):
            continue
        paragraphs.append(line)
    long = [p for p in paragraphs if len(p) >= 80]
    if not result.title:
        short = [p for p in paragraphs if len(p) < 120 and not p.endswith((".", "?", "!"))]
        if short:
            result.title = short[0]
        elif long:
            question = re.match(r"^(.{10,100}?\?)\s", long[0])
            if question:
                result.title = question.group(1)
    if long:
        result.description = long[0]
        if result.number is None:
            found = _EPISODE_IN_TEXT.search(long[0])
            if found:
                result.number = int(found.group(1))
    date = _DATE.search(" ".join(paragraphs))
    if date:
        result.date = date.group(0)


def _captions(lines: list[str], result: Imported) -> None:
    """Unlabelled, hard-wrapped caption text: re-flowed into paragraphs."""
    text = " ".join(line.strip() for line in lines if line.strip())
    result.turns = [RawTurn("", None, [p]) for p in reflow(text)]
