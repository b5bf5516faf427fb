"""Whisper JSON: ``{"text", "segments": [{"start", "end", "text", ...}]}``.

Plain Whisper names no speakers; WhisperX-style output puts a ``speaker`` on
each segment, which is used when present.
"""

from __future__ import annotations

from typing import Any

import ssg.importing.cues as cue_tools
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
        start, end = cue_tools.seconds(segment.get("start", 0)), segment.get("end")
        if start is None:
            raise BadInput(f"segment {n}: start is not a number of seconds from 0 to {cue_tools.MAX_SECONDS:.0f}",
                           None, "write start in seconds")
        stop = cue_tools.seconds(end)
        if end is not None and (stop is None or stop < start):
            raise BadInput(f"segment {n}: end is not a number of seconds after its start", None,
                           "write end in seconds, at or after start")
        speaker = segment.get("speaker")
        found.append(Cue(start, stop, " ".join(str(speaker).split()) if speaker else "",
                         " ".join(segment["text"].split()), n))
    return ImportedEpisode(turns=cue_tools.turns(found), duration=cue_tools.duration(found), unit="segment")
