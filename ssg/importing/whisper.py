"""Whisper JSON: segments with start times and text, no speakers."""

from __future__ import annotations

from typing import Any

from ssg.importing.model import Imported, ImportError_
from ssg.importing.timing import unvoiced_paragraphs


def parse(data: Any) -> Imported:
    """Read ``{"text", "segments": [{"start", "end", "text"}]}``."""
    segments = data.get("segments") if isinstance(data, dict) else None
    if not isinstance(segments, list) or not segments:
        raise ImportError_("no 'segments' list in this Whisper JSON", None, "check the file is complete")
    cues: list[tuple[float, str]] = []
    for n, segment in enumerate(segments, start=1):
        if not isinstance(segment, dict) or not isinstance(segment.get("text"), str):
            raise ImportError_(f"segment {n} has no 'text'", None, "each segment needs a text string")
        start = segment.get("start", 0)
        if not isinstance(start, (int, float)):
            raise ImportError_(f"segment {n}: start is not a number", None, "write start in seconds")
        cues.append((float(start), " ".join(segment["text"].split())))
    result = Imported()
    result.turns = unvoiced_paragraphs(cues)
    last = segments[-1]
    if isinstance(last, dict) and isinstance(last.get("end"), (int, float)):
        result.duration = float(last["end"])
    return result
