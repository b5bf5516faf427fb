"""Timed cues (WebVTT, SRT, JSON segments) into turns.

Consecutive cues of one speaker become one turn that starts at the first
cue's time; its text is re-flowed into paragraphs of a few sentences. Cues
with no speaker at all become readable paragraphs, each keeping the time of
the cue it starts in.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

from ssg.importing.model import BadInput, ImportedTurn
from ssg.transcript import reflow

_SECONDS = re.compile(r"\d+(?:[.,]\d+)?")
MAX_SECONDS = 9999 * 3600.0
"""The latest time an input may give (9,999 hours); hours past 99 are kept as they are."""


def seconds(value: object) -> float | None:
    """A JSON number of seconds as a float: None unless finite, 0 or more, and at most ``MAX_SECONDS``."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    try:
        number = float(value)
    except OverflowError:  # a 400-digit integer
        return None
    return number if math.isfinite(number) and 0 <= number <= MAX_SECONDS else None


@dataclass(frozen=True, slots=True)
class Cue:
    """One timed piece of text."""

    start: float
    """Start in seconds."""
    end: float | None
    """End in seconds, when given."""
    speaker: str
    """Speaker label ('' when the cue names nobody)."""
    text: str
    """Plain text, whitespace-normalised."""
    line: int = 0
    """Where the cue's text is in the input (a line, or a JSON segment); 0 unknown."""


def blocks(lines: list[str]) -> list[tuple[int, list[str]]]:
    """Blank-line separated blocks as (1-based line of the block's first line, its lines)."""
    out: list[tuple[int, list[str]]] = []
    current: list[str] = []
    start = 0
    for number, raw in enumerate(lines, start=1):
        line = raw.strip()
        if line:
            if not current:
                start = number
            current.append(line)
        elif current:
            out.append((start, current))
            current = []
    if current:
        out.append((start, current))
    return out


def check_timing_line(block: list[str], at: int, first: int, count: int) -> None:
    """Refuse cue ``count`` (a block starting on line ``first``) when line ``at`` is no ``start --> end``."""
    if at < len(block) and "-->" in block[at]:
        return
    if at < len(block) and re.search(r"\d:\d\d", block[at]):
        raise BadInput(f"cue {count}: unreadable timing line {block[at][:60]!r}", first + at,
                       "write 'start --> end', e.g. 00:00:01.000 --> 00:00:04.000")
    raise BadInput(f"cue {count} has no timing line", first + min(at, len(block) - 1),
                   "each cue needs 'start --> end'; the file may be cut short")


def check_order(start: float, end: float, count: int, line: int) -> None:
    """Refuse a cue that ends before it starts."""
    if end < start:
        raise BadInput(f"cue {count} ends before it starts", line,
                       "swap the two times, or fix the one that is wrong")


def parse_cue_time(text: str) -> float | None:
    """``hh:mm:ss.ttt``, ``mm:ss.ttt``, ``hh:mm:ss,ttt`` or bare seconds (``12.5``); None if unreadable."""
    text = text.strip()
    if len(text) > 40:  # no real cue time is this long; a 400-digit one is not a time
        return None
    if _SECONDS.fullmatch(text):
        return seconds(float(text.replace(",", ".")))
    parts = text.replace(",", ".").split(":")
    if not 2 <= len(parts) <= 3 or not all(re.fullmatch(r"\d+(?:\.\d+)?", p) for p in parts):
        return None
    numbers = [float(p) for p in parts]
    if numbers[-1] >= 60 or (len(numbers) == 3 and numbers[1] >= 60):
        return None
    total = 0.0
    for n in numbers:
        total = total * 60 + n
    return seconds(total)


def is_bare_seconds(text: str) -> bool:
    """True for a cue time written as seconds (``3.480``), which WebVTT does not allow."""
    return bool(_SECONDS.fullmatch(text.strip()))


def duration(cues: list[Cue]) -> float | None:
    """The latest time any cue reaches, or None without cues."""
    ends = [c.end if c.end is not None else c.start for c in cues]
    return max(ends) if ends else None


def turns(cues: list[Cue], carry_over: bool = True) -> tuple[ImportedTurn, ...]:
    """Turns from cues: merged by speaker when any cue names one, else re-flowed paragraphs.

    With ``carry_over`` a cue naming nobody continues the speaker before it
    (SRT and WebVTT tools often name the speaker only when it changes).
    """
    if not any(c.speaker for c in cues):
        return unvoiced(cues)
    groups: list[tuple[str, float, list[str], int]] = []
    for cue in cues:
        speaker = cue.speaker
        if not speaker and carry_over and groups:
            speaker = groups[-1][0]
        if groups and groups[-1][0] == speaker:
            groups[-1][2].append(cue.text)
        elif cue.text:
            groups.append((speaker, cue.start, [cue.text], cue.line))
    out: list[ImportedTurn] = []
    for speaker, start, texts, line in groups:
        paragraphs = tuple(reflow(" ".join(t for t in texts if t)))
        if paragraphs:
            out.append(ImportedTurn(speaker, start, paragraphs, line))
    return tuple(out)


def unvoiced(cues: list[Cue]) -> tuple[ImportedTurn, ...]:
    """Cues with no speaker become paragraphs, each starting at the time of its first cue."""
    texts = [(c.start, c.text, c.line) for c in cues if c.text]
    paragraphs = reflow(" ".join(text for _, text, _ in texts))
    # Walk the cue texts along the joined text to find where each paragraph starts.
    offsets: list[tuple[int, float, int]] = []
    position = 0
    for start, text, line in texts:
        offsets.append((position, start, line))
        position += len(" ".join(text.split())) + 1
    out: list[ImportedTurn] = []
    position = 0
    k = 0
    for paragraph in paragraphs:
        while k + 1 < len(offsets) and offsets[k + 1][0] <= position:
            k += 1
        out.append(ImportedTurn("", offsets[k][1] if offsets else None, (paragraph,),
                                offsets[k][2] if offsets else 0))
        position += len(paragraph) + 1
    return tuple(out)
