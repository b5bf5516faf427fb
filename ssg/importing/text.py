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
from dataclasses import replace

from ssg.importing import meta
from ssg.importing.cues import parse_cue_time
from ssg.importing.model import ImportedEpisode, ImportedTurn
from ssg.transcript import RawTurn, parse_body, reflow
BOILERPLATE = re.compile(
    r"^(listen on|listen to|watch the episode|episode transcript|key takeaways|subscribe|follow us|"
    r"stay on top of|the opinions expressed|share this|download|transcript$|show notes$|.*podcast artwork$|"
    r"sign up|related (episodes|content)|more episodes|copyright|©|all rights reserved)", re.IGNORECASE)
"""Lines of a web page around the transcript that are not part of it."""


def parse(text: str) -> ImportedEpisode:
    """Read a plain-text (or Markdown) transcript: its turns as the build's reader (``ssg.transcript``)
    reads them; the file's own front matter is read, never kept as text."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    own = meta.read_front("\n".join(lines))
    lines[:own.lines] = [""] * own.lines  # line numbers stay those of the file
    whole = parse_body("\n".join(lines), 1, _nobody)
    starts = {t.line - 1: t for t in whole.turns
              if t.label and t.label.casefold() in lines[t.line - 1].casefold()}
    if sum(not t.marker for t in starts.values()) < 2:
        head = next((i for i, line in enumerate(lines) if line.strip()), 0)
        timed = [t for t in whole.turns if t.time and not t.label]
        if len(timed) >= 2 and len(timed) == len(whole.turns):  # timed lines, no labels (Whisper text)
            return _over(own.fields, ImportedEpisode(turns=tuple(_imported(whole.turns)), markdown=True,
                                                     body_line=head + 1))
        heading = meta.front(lines[head:head + 1], BOILERPLATE) if lines[head].lstrip().startswith("# ") else None
        if heading is not None:
            lines[head] = ""
        found = ImportedEpisode(turns=_captions(lines), markdown=True, body_line=head + (2 if heading else 1),
                                title=heading.title if heading else "", sources=heading.sources if heading else ())
        return _over(own.fields, found)
    first, last = _first_turn(lines, starts), max(starts)
    found = replace(meta.front(lines[:first], BOILERPLATE),
                    turns=tuple(_turns(lines, {i for i in starts if i >= first}, first, last)),
                    body_line=first + 1)
    return _over(own.fields, found)


def _nobody(label: str) -> bool:
    """No declared speakers while importing: labels are judged by their shape."""
    return False


def _over(own: ImportedEpisode, found: ImportedEpisode) -> ImportedEpisode:
    """What the file's front matter says, over what was found in its text."""
    sources = dict(found.sources)
    sources.update(own.sources)
    return replace(found, title=own.title or found.title, date=own.date or found.date,
                   number=own.number if own.number is not None else found.number,
                   description=own.description or found.description, audio_url=own.audio_url,
                   sources=tuple(sources.items()))


def _first_turn(lines: list[str], starts: dict[int, RawTurn]) -> int:
    """Line index of the first turn.

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
        if i == top and counts[starts[i].label.casefold()] == 1 and not _opening(starts[i]).endswith((".", "?", "!", "…")):
            break
        first = i
    return first


def _opening(turn: RawTurn) -> str:
    """The first paragraph of a turn ('' when it has none)."""
    return turn.paragraphs[0] if turn.paragraphs else ""


def _front_line(line: str) -> bool:
    """A line of a page's notes: a heading, an ``Episode N`` line, a chapter, a date, boilerplate."""
    return bool(line.startswith("#") or meta.EPISODE_LINE.match(line) or BOILERPLATE.match(line)
                or (len(line) < 80 and meta.find_date(line)) or (len(line) < 130 and _chapter_line(line)))


def _chapter_line(line: str) -> bool:
    found = re.match(r"^\s*(?:[•*·\-–]\s*)?[\[(]?(\d{1,2}:\d{2}(?::\d{2})?)[\])]?\s*[—–\-:|]?\s*\S", line)
    return bool(found and parse_cue_time(found.group(1)) is not None)


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


def _captions(lines: list[str]) -> tuple[ImportedTurn, ...]:
    """Unlabelled, hard-wrapped caption text, re-flowed into paragraphs."""
    text = " ".join(line.strip() for line in lines if line.strip())
    return tuple(ImportedTurn("", None, (p,)) for p in reflow(text))
