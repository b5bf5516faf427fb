"""WebVTT: cues with ``<v Name>`` voices; consecutive cues of one voice become one turn."""

from __future__ import annotations

import html
import re

from ssg.importing.model import Imported, ImportError_, RawTurn
from ssg.importing.timing import merge_text, parse_cue_time, unvoiced_paragraphs

_VOICE = re.compile(r"<v(?:\.[\w.-]+)?\s+([^>]+)>")
_TAG = re.compile(r"</?[a-zA-Z][^>]*>|<\d[^>]*>")
_ARROW = re.compile(r"^(\S+)\s+-->\s+(\S+)")


def parse(text: str) -> Imported:
    """Read a WebVTT file."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    if not lines or not lines[0].lstrip("\ufeff").startswith("WEBVTT"):
        raise ImportError_("not a WebVTT file: the first line must be WEBVTT", 1, "check the file is complete")
    cues: list[tuple[float, str, str]] = []
    i = 1
    count = 0
    while i < len(lines):
        line = lines[i].strip()
        if not line or line.startswith(("NOTE", "STYLE", "REGION")) and "-->" not in line:
            if line.startswith(("NOTE", "STYLE", "REGION")):
                while i < len(lines) and lines[i].strip():
                    i += 1
            i += 1
            continue
        if "-->" not in line:
            i += 1  # a cue identifier
            if i >= len(lines) or "-->" not in lines[i]:
                raise ImportError_(f"cue without a timing line: {line[:40]!r}", i, "each cue needs 'start --> end'")
            line = lines[i].strip()
        match = _ARROW.match(line)
        count += 1
        if match is None:
            raise ImportError_(f"cue {count}: unreadable timing line {line[:60]!r}", i + 1,
                               "write times as hh:mm:ss.ttt --> hh:mm:ss.ttt")
        start = parse_cue_time(match.group(1))
        if start is None or parse_cue_time(match.group(2)) is None:
            raise ImportError_(f"cue {count}: unreadable time in {line[:60]!r}", i + 1,
                               "write times as hh:mm:ss.ttt, mm:ss.ttt or seconds")
        i += 1
        payload: list[str] = []
        while i < len(lines) and lines[i].strip():
            payload.append(lines[i].strip())
            i += 1
        raw = " ".join(payload)
        voice = _VOICE.search(raw)
        speaker = html.unescape(voice.group(1).strip()) if voice else ""
        body = html.unescape(_TAG.sub("", raw))
        cues.append((start, speaker, " ".join(body.split())))
    if not cues:
        raise ImportError_("no cues found", None, "check the file is complete")
    result = Imported()
    if any(speaker for _, speaker, _ in cues):
        for start, speaker, body in cues:
            if result.turns and result.turns[-1].speaker == speaker:
                result.turns[-1].paragraphs[-1] = merge_text(result.turns[-1].paragraphs[-1], body)
            elif body:
                result.turns.append(RawTurn(speaker, start, [body]))
    else:
        result.turns = unvoiced_paragraphs([(start, body) for start, _, body in cues])
    return result
