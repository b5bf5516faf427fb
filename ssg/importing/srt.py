"""SRT: numbered cues; a ``Name:`` label appears only when the speaker changes."""

from __future__ import annotations

import html
import re

from ssg.importing.model import Imported, ImportError_, RawTurn
from ssg.importing.timing import merge_text, parse_cue_time, unvoiced_paragraphs
from ssg.transcript import is_person_label

_ARROW = re.compile(r"^(\S+)\s+-->\s+(\S+)")
_LABEL = re.compile(r"^([^:]{1,40}):\s+(.*)$")
_TAG = re.compile(r"</?[a-zA-Z][^>]*>")


def parse(text: str) -> Imported:
    """Read an SRT file."""
    blocks = re.split(r"\n\s*\n", text.replace("\r\n", "\n").replace("\r", "\n").strip())
    cues: list[tuple[float, str, str]] = []
    line_no = 1
    speaker = ""
    labelled = False
    for number, block in enumerate(blocks, start=1):
        lines = block.split("\n")
        first_line = line_no
        line_no += len(lines) + 1
        if lines and lines[0].strip().isdigit():
            lines = lines[1:]
            first_line += 1
        if not lines:
            continue
        match = _ARROW.match(lines[0].strip())
        if match is None:
            raise ImportError_(f"cue {number}: no timing line", first_line, "each cue needs 'hh:mm:ss,ttt --> hh:mm:ss,ttt'")
        start = parse_cue_time(match.group(1))
        if start is None or parse_cue_time(match.group(2)) is None:
            raise ImportError_(f"cue {number}: unreadable time in {lines[0].strip()[:60]!r}", first_line,
                               "write times as hh:mm:ss,ttt")
        body = html.unescape(_TAG.sub("", " ".join(line.strip() for line in lines[1:])))
        label = _LABEL.match(body)
        if label and is_person_label(label.group(1), lambda _: False):
            speaker = label.group(1).strip()
            body = label.group(2)
            labelled = True
        cues.append((start, speaker, " ".join(body.split())))
    if not cues:
        raise ImportError_("no cues found", None, "check the file is complete")
    result = Imported()
    if labelled:
        for start, who, body in cues:
            if result.turns and result.turns[-1].speaker == who:
                result.turns[-1].paragraphs[-1] = merge_text(result.turns[-1].paragraphs[-1], body)
            elif body:
                result.turns.append(RawTurn(who, start, [body]))
    else:
        result.turns = unvoiced_paragraphs([(start, body) for start, _, body in cues])
    return result
