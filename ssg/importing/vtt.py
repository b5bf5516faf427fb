"""WebVTT: cues with ``<v Name>`` voices; consecutive cues of one voice become one turn.

Accepts what is seen in the wild besides the spec: CRLF line ends, cue times
as ``mm:ss.ttt`` or bare seconds, header lines after ``WEBVTT``, several
voices in one cue. Tags are dropped and entities decoded exactly once.
"""

from __future__ import annotations

import html
import re

import ssg.importing.cues as cue_tools
from ssg.importing.cues import Cue
from ssg.importing.model import BadInput, ImportedEpisode

_VOICE = re.compile(r"<v(?:\.[^\s>]*)?(?:\s+([^>]*))?>")
_TAG = re.compile(r"</?[a-zA-Z][^>]*>|<\d[^>]*>")
_TIMING = re.compile(r"^(\S+)\s+-->\s+(\S+)")


def parse(text: str) -> ImportedEpisode:
    """Read a WebVTT file."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    if not lines[0].lstrip("\ufeff").startswith("WEBVTT"):
        raise BadInput("not a WebVTT file: the first line must be WEBVTT", 1,
                       "check the file is complete, or pass --format")
    found: list[Cue] = []
    bare_seconds = False
    count = 0
    found_blocks = cue_tools.blocks(lines)
    header_first, header = found_blocks[0]
    if any("-->" in line for line in header):  # no blank line after WEBVTT
        found_blocks[0] = (header_first + 1, header[1:])
    else:
        found_blocks = found_blocks[1:]  # header lines such as "Kind: captions"
    for first, block in found_blocks:
        if block[0].startswith(("NOTE", "STYLE", "REGION")) and "-->" not in block[0]:
            continue
        timing_at = 0 if "-->" in block[0] else 1
        count += 1
        cue_tools.check_timing_line(block, timing_at, first, count)
        timing = block[timing_at]
        match = _TIMING.match(timing)
        start = cue_tools.parse_cue_time(match.group(1)) if match else None
        end = cue_tools.parse_cue_time(match.group(2)) if match else None
        if match is None or start is None or end is None:
            raise BadInput(f"cue {count}: unreadable time in {timing[:60]!r}", first + timing_at,
                           "write times as hh:mm:ss.ttt, mm:ss.ttt or seconds")
        cue_tools.check_order(start, end, count, first + timing_at)
        bare_seconds = bare_seconds or cue_tools.is_bare_seconds(match.group(1))
        found += _voices(start, end, " ".join(block[timing_at + 1:]), first + timing_at + 1)
    if not found:
        raise BadInput("no cues found", None, "check the file is complete")
    notes = ("cue times are bare seconds (not valid WebVTT); they were read as seconds",) if bare_seconds else ()
    return ImportedEpisode(turns=cue_tools.turns(found), duration=cue_tools.duration(found), notes=notes)


def _voices(start: float, end: float, payload: str, line: int) -> list[Cue]:
    """One cue per voice in the payload (usually one); text before any voice names nobody."""
    pieces = _VOICE.split(payload)
    out = [Cue(start, end, "", _plain(pieces[0]), line)] if _plain(pieces[0]) else []
    for k in range(1, len(pieces), 2):
        speaker = " ".join(html.unescape(pieces[k] or "").split())
        out.append(Cue(start, end, speaker, _plain(pieces[k + 1]), line))
    return out


def _plain(payload: str) -> str:
    """Cue text without tags, entities decoded once, whitespace normalised."""
    return " ".join(html.unescape(_TAG.sub("", payload)).split())
