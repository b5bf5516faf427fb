"""Podcasting 2.0 JSON transcripts: segments (often one per word) merged into turns."""

from __future__ import annotations

import re
from typing import Any

from ssg.importing.model import Imported, ImportError_, RawTurn
from ssg.importing.timing import unvoiced_paragraphs

_TIGHT = re.compile(r"^[.,!?;:%)\]}…'’]+$")


def parse(data: Any) -> Imported:
    """Read ``{"version", "segments": [{"speaker", "startTime", "endTime", "body"}]}``."""
    segments = data.get("segments") if isinstance(data, dict) else None
    if not isinstance(segments, list) or not segments:
        raise ImportError_("no 'segments' list in this JSON transcript", None, "check the file is complete")
    spaced = any(isinstance(s, dict) and isinstance(s.get("body"), str) and s["body"] and not s["body"].strip()
                 for s in segments)
    pieces: list[tuple[str, float | None, str]] = []
    for n, segment in enumerate(segments, start=1):
        if not isinstance(segment, dict) or not isinstance(segment.get("body"), str):
            raise ImportError_(f"segment {n} has no text 'body'", None, "each segment needs a body string")
        start = segment.get("startTime")
        if start is not None and not isinstance(start, (int, float)):
            raise ImportError_(f"segment {n}: startTime is not a number", None, "write startTime in seconds")
        pieces.append((str(segment.get("speaker") or ""), float(start) if start is not None else None,
                       segment["body"]))
    result = Imported()
    if not any(speaker for speaker, _, _ in pieces):
        joined = _join_words([(s, b) for _, s, b in pieces], spaced)
        result.turns = unvoiced_paragraphs(joined)
        return result
    current: list[tuple[float | None, str]] = []
    who = None
    for speaker, start, body in pieces + [("\0end", None, "")]:
        if speaker != who:
            if who is not None and current:
                text = " ".join(b for _, b in _join_words(current, spaced)).strip()
                if text:
                    result.turns.append(RawTurn(who, current[0][0], [" ".join(text.split())]))
            who, current = speaker, []
        current.append((start, body))
    return result


def _join_words(words: list[tuple[float | None, str]], spaced: bool) -> list[tuple[float, str]]:
    """One text from word-level segments: as written when the file carries its own spaces."""
    if spaced:
        text = "".join(body for _, body in words)
    else:
        out = ""
        for _, body in words:
            body = body.strip()
            if not body:
                continue
            out += body if (not out or _TIGHT.match(body)) else " " + body
        text = out
    first = next((s for s, b in words if s is not None and b.strip()), 0.0)
    return [(first or 0.0, " ".join(text.split()))]
