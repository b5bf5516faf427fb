"""Whisper JSON: ``{"text", "segments": [{"start", "end", "text", ...}]}``.

Plain Whisper names no speakers; WhisperX-style output puts a ``speaker`` on
each segment, which is used when present.
"""

from __future__ import annotations

from typing import Any

from ssg.importing import cues as cue_tools
from ssg.importing.cues import Cue
from ssg.importing.model import BadInput, ImportedEpisode


def parse(data: Any) -> ImportedEpisode:
    """Read Whisper JSON (already decoded from JSON)."""
    segments = data.get("segments") if isinstance(data, dict) else None
    if not isinstance(segments, list) or not segments:
        raise BadInput("no 'segments' list in this Whisper JSON", None, "check the file is complete")
    found: list[Cue] = []
    for n, segment in enumerate(segments, start=1):
        if not isinstance(segment, dict) or not isinstance(segment.get("text"), str):
            raise BadInput(f"segment {n} has no 'text'", None, "each segment needs a text string")
        start, end = segment.get("start", 0), segment.get("end")
        if isinstance(start, bool) or not isinstance(start, (int, float)):
            raise BadInput(f"segment {n}: start is not a number", None, "write start in seconds")
        stop = float(end) if isinstance(end, (int, float)) and not isinstance(end, bool) else None
        speaker = segment.get("speaker")
        found.append(Cue(float(start), stop, " ".join(str(speaker).split()) if speaker else "",
                         " ".join(segment["text"].split())))
    return ImportedEpisode(turns=cue_tools.turns(found), duration=cue_tools.duration(found))
