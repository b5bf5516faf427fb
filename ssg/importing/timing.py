"""Shared helpers for timed inputs: cue times, joining cue text, paragraphs from unvoiced cues."""

from __future__ import annotations

import re

from ssg.importing.model import RawTurn
from ssg.transcript import reflow


def parse_cue_time(text: str) -> float | None:
    """``hh:mm:ss.ttt``, ``mm:ss.ttt``, ``hh:mm:ss,ttt`` or bare seconds (``12.5``)."""
    text = text.strip()
    if re.fullmatch(r"\d+(?:[.,]\d+)?", text):
        return float(text.replace(",", "."))
    parts = text.replace(",", ".").split(":")
    if not 2 <= len(parts) <= 3:
        return None
    try:
        numbers = [float(p) for p in parts]
    except ValueError:
        return None
    if any(n < 0 for n in numbers) or numbers[-1] >= 60 or (len(numbers) == 3 and numbers[1] >= 60):
        return None
    total = 0.0
    for n in numbers:
        total = total * 60 + n
    return total


def merge_text(before: str, after: str) -> str:
    """Join the text of two cues of one speaker."""
    if not before:
        return after
    if not after:
        return before
    return f"{before} {after}"


def unvoiced_paragraphs(cues: list[tuple[float, str]]) -> list[RawTurn]:
    """Cues with no speaker become readable paragraphs, each starting at its first cue's time."""
    text = " ".join(body for _, body in cues if body)
    paragraphs = reflow(text)
    turns: list[RawTurn] = []
    # Find each paragraph's first cue by walking the cue texts along the joined text.
    offsets: list[tuple[int, float]] = []
    position = 0
    for start, body in cues:
        if body:
            offsets.append((position, start))
            position += len(body) + 1
    position = 0
    k = 0
    for paragraph in paragraphs:
        while k + 1 < len(offsets) and offsets[k + 1][0] <= position:
            k += 1
        turns.append(RawTurn("", offsets[k][1] if offsets else None, [paragraph]))
        position += len(paragraph) + 1
    return turns
