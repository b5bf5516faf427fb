"""Podcasting 2.0 JSON transcripts: segments (often one per word) merged into turns.

``{"version": "1.0.0", "segments": [{"speaker", "startTime", "endTime", "body"}]}``.
Whitespace-only segments are dropped (their spacing kept when the file
spells its spaces out); punctuation-only segments join the word before them.
"""

from __future__ import annotations

import re
from typing import Any

import ssg.importing.cues as cue_tools
from ssg.importing.cues import Cue
from ssg.importing.model import BadInput, ImportedEpisode

_TIGHT = re.compile(r"^(?:[.,!?;:%)\]}…]+|['’]\w*|n['’]t)$")
"""Segments written against the word before them: punctuation and contractions."""
_SENTENCE_END = re.compile(r"[.!?…][\"'”’)]*$")


def parse(data: Any) -> ImportedEpisode:
    """Read a Podcasting 2.0 JSON transcript (already decoded from JSON)."""
    segments = data.get("segments") if isinstance(data, dict) else None
    if not isinstance(segments, list) or not segments:
        raise BadInput("no 'segments' list in this JSON transcript", None, "check the file is complete")
    words: list[tuple[str, float, float | None, str, int]] = []
    last = 0.0
    for n, segment in enumerate(segments, start=1):
        if not isinstance(segment, dict) or not isinstance(segment.get("body"), str):
            raise BadInput(f"segment {n} has no text 'body'", None, "each segment needs a body string")
        start = _seconds(segment.get("startTime"), n, "startTime")
        end = _seconds(segment.get("endTime"), n, "endTime")
        if start is not None and end is not None and end < start:
            raise BadInput(f"segment {n} ends before it starts", None, "swap startTime and endTime, or fix the wrong one")
        speaker = segment.get("speaker")
        last = start if start is not None else last
        words.append((" ".join(str(speaker).split()) if speaker else "", last, end, segment["body"], n))
    spaced = any(body and not body.strip() for _, _, _, body, _ in words)
    found = _sentences(words, spaced)
    if not found:
        raise BadInput("the segments hold no words", None, "check the file is a transcript")
    return ImportedEpisode(turns=cue_tools.turns(found), duration=cue_tools.duration(found), unit="segment")


def _seconds(value: object, n: int, field: str) -> float | None:
    if value is None:
        return None
    number = cue_tools.seconds(value)
    if number is None:
        raise BadInput(f"segment {n}: {field} is not a number of seconds from 0 to {cue_tools.MAX_SECONDS:.0f}", None,
                       f"write {field} in seconds, e.g. 12.5")
    return number


def _sentences(words: list[tuple[str, float, float | None, str, int]], spaced: bool) -> list[Cue]:
    """Cues of whole sentences (or speaker runs), each at the time of its first word."""
    out: list[Cue] = []
    run: list[str] = []
    who, first, end, at = "", 0.0, None, 0

    def close() -> None:
        text = " ".join(("".join(run) if spaced else _join(run)).split())
        if text:
            out.append(Cue(first, end, who, text, at))
        run.clear()

    for speaker, start, stop, body, n in words:
        if speaker != who and run:
            close()
        if not run:
            if not body.strip():
                continue
            who, first, at = speaker, start, n
        run.append(body)
        end = stop if stop is not None else end
        if _SENTENCE_END.search(body.strip()) and body.strip():
            close()
    close()
    return out


def _join(pieces: list[str]) -> str:
    """Words written without their spaces, joined with spaces (none before punctuation)."""
    out = ""
    for piece in pieces:
        piece = piece.strip()
        if piece:
            out += piece if (not out or _TIGHT.match(piece)) else " " + piece
    return out
