"""SRT: numbered cues; a ``Name:`` label appears only when the speaker changes.

Cues without a label continue the last speaker. A label at the start of a
later line in a cue starts a new speaker there.
"""

from __future__ import annotations

import html
import re

import ssg.importing.cues as cue_tools
from ssg.importing.cues import Cue
from ssg.importing.model import BadInput, ImportedEpisode
from ssg.transcript import is_person_label

_TIMING = re.compile(r"^(\S+)\s+-->\s+(\S+)")
_LABEL = re.compile(r"^(?:>>\s*|-\s*)?([^:]{1,60}):\s+(.*)$")
_TAG = re.compile(r"</?[a-zA-Z][^>]*>|\{\\[^}]*\}")


def parse(text: str) -> ImportedEpisode:
    """Read an SRT file."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    found: list[Cue] = []
    for count, (first, block) in enumerate(cue_tools.blocks(lines), start=1):
        timing_at = 1 if block[0].isdigit() else 0
        cue_tools.check_timing_line(block, timing_at, first, count)
        timing = block[timing_at]
        match = _TIMING.match(timing)
        start = cue_tools.parse_cue_time(match.group(1)) if match else None
        end = cue_tools.parse_cue_time(match.group(2)) if match else None
        if match is None or start is None or end is None:
            raise BadInput(f"cue {count}: unreadable time in {timing[:60]!r}", first + timing_at,
                           "write times as hh:mm:ss,ttt")
        cue_tools.check_order(start, end, count, first + timing_at)
        found += _pieces(start, end, block[timing_at + 1:], first + timing_at + 1)
    if not found:
        raise BadInput("no cues found", None, "check the file is an SRT file")
    return ImportedEpisode(turns=cue_tools.turns(found), duration=cue_tools.duration(found))


def _pieces(start: float, end: float, lines: list[str], first: int) -> list[Cue]:
    """The cue's text (its first line is file line ``first``), split where a line starts with a speaker label."""
    out: list[Cue] = []
    speaker = ""
    words: list[str] = []
    at = first
    for number, raw in enumerate(lines, start=first):
        line = " ".join(html.unescape(_TAG.sub("", raw)).split())
        label = _LABEL.match(line)
        if label and is_person_label(label.group(1), lambda _: False):
            if words or speaker:
                out.append(Cue(start, end, speaker, " ".join(words), at))
            speaker, words, at = label.group(1).strip(), [label.group(2)], number
        elif line:
            words.append(line.removeprefix(">>").strip())
    if words or speaker:
        out.append(Cue(start, end, speaker, " ".join(w for w in words if w), at))
    return out
