"""Reading an input file and deciding its format.

The content decides first (``WEBVTT``, a JSON value, numbered SRT cues),
then the file's suffix. Empty, binary and undecodable files are refused with
a message a person can act on.
"""

from __future__ import annotations

import json
import math
import re
from pathlib import Path
from typing import Any

from ssg.importing.chapters import looks_like_chapters
from ssg.importing.model import BadInput

FORMATS = ("text", "vtt", "srt", "json", "whisper")
"""Formats ``--format`` accepts."""
SUFFIXES = {".txt": "text", ".text": "text", ".md": "text", ".vtt": "vtt", ".webvtt": "vtt",
            ".srt": "srt", ".json": "json"}
"""What a file's suffix says it holds."""


def read_input(path: Path) -> str:
    """A file's text (UTF-8, or UTF-16 with a byte-order mark), refusing empty and binary files."""
    data = path.read_bytes()
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return _nonempty(data.decode("utf-16"))
        except UnicodeDecodeError:
            raise BadInput("the file is not valid UTF-16 text", None, "save it as UTF-8 and import again") from None
    if b"\x00" in data[:8192]:
        raise BadInput("this is a binary file, not a transcript", None,
                       "import text, WebVTT, SRT or JSON transcripts")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise BadInput(f"the file is not UTF-8 text (byte 0x{data[exc.start]:02x})", line,
                       "save it as UTF-8 and import again") from None
    return _nonempty(text)


def _nonempty(text: str) -> str:
    if not text.strip():
        raise BadInput("the file is empty", None, "check you exported the whole transcript")
    return text


def detect(path: Path, text: str, forced: str | None) -> str:
    """The input's format: as forced, else from the text, else from the suffix."""
    if forced:
        return forced
    head = text.lstrip("\ufeff \t\r\n")
    lines = head[:400].splitlines()
    if head.startswith("WEBVTT"):
        return "vtt"
    if head.startswith("{") or (head.startswith("[") and _parses_as_json(head)):
        return "json"
    if len(lines) > 1 and lines[0].strip().isdigit() and "-->" in lines[1]:
        return "srt"
    kind = SUFFIXES.get(path.suffix.lower())
    if kind is None:
        raise BadInput(f"unknown format '{path.suffix or path.name}'", None,
                       "pass --format text|vtt|srt|json|whisper")
    return kind


def _parses_as_json(text: str) -> bool:
    """True when text starting with ``[`` is JSON (``[Speaker 1] [00:03] words`` is plain text)."""
    try:
        json.loads(text)
    except (ValueError, RecursionError):
        return False
    return True


_SURROGATE = re.compile("[\ud800-\udfff]")


def scrub(text: str) -> tuple[str, list[str]]:
    """Text without NUL characters and lone surrogates, with a note for each kind removed."""
    notes: list[str] = []
    if "\x00" in text:
        line = text.count("\n", 0, text.index("\x00")) + 1
        notes.append(f"{text.count(chr(0))} NUL characters removed (the first on line {line})")
        text = text.replace("\x00", "")
    if _SURROGATE.search(text):
        found = _SURROGATE.search(text)
        line = text.count("\n", 0, found.start()) + 1 if found else 0
        notes.append(f"{len(_SURROGATE.findall(text))} lone UTF-16 surrogates replaced by \ufffd (the first on line {line})")
        text = _SURROGATE.sub("\ufffd", text)
    return text, notes


def scrub_data(data: Any) -> tuple[Any, list[str]]:
    """Decoded JSON with its strings scrubbed (``\\u0000`` and lone ``\\ud800`` escapes), and notes."""
    found: list[str] = []

    def clean(value: Any) -> Any:
        if isinstance(value, str):
            text, notes = scrub(value)
            found.extend(notes)
            return text
        if isinstance(value, list):
            return [clean(v) for v in value]
        if isinstance(value, dict):
            return {clean(k): clean(v) for k, v in value.items()}
        return value

    try:
        data = clean(data)
    except RecursionError:
        raise BadInput("invalid JSON: nested too deeply", None, "check the file is a transcript") from None
    notes = []
    if any("NUL" in n for n in found):
        notes.append("NUL characters (\\u0000) removed from the JSON's text")
    if any("surrogate" in n for n in found):
        notes.append("lone UTF-16 surrogates (\\ud800-\\udfff) in the JSON's text replaced by \ufffd")
    return data, notes


def _line_of(text: str, token: str) -> int | None:
    at = text.find(token)
    return text.count("\n", 0, at) + 1 if at >= 0 else None


def load_json(text: str) -> Any:
    """Decoded JSON, or a ``BadInput`` naming the line where it breaks.

    ``NaN``, ``Infinity`` and numbers too large for a float (``1e400``) are
    refused: no transcript time or number can be one.
    """
    def constant(name: str) -> Any:
        raise BadInput(f"invalid JSON: {name} is not a number", _line_of(text, name), "write a number of seconds")

    def number(value: str) -> float:
        parsed = float(value)
        if not math.isfinite(parsed):
            raise BadInput(f"invalid JSON: the number {value[:20]} is too large", _line_of(text, value),
                           "write a number of seconds")
        return parsed

    try:
        return json.loads(text, parse_constant=constant, parse_float=number)
    except json.JSONDecodeError as exc:
        cut = exc.pos >= len(text.rstrip())
        raise BadInput(f"invalid JSON: {exc.msg} at column {exc.colno}", exc.lineno,
                       "the file is cut short" if cut else "check the file is complete JSON") from None
    except RecursionError:
        raise BadInput("invalid JSON: nested too deeply", None, "check the file is a transcript") from None
    except ValueError as exc:  # an integer of more digits than Python converts
        raise BadInput(f"invalid JSON: {str(exc)[:80]}", None, "check the file is a transcript") from None


def json_kind(data: Any, forced: str | None) -> str:
    """``json`` (Podcasting 2.0) or ``whisper``, refusing chapters files and other JSON."""
    if looks_like_chapters(data):
        raise BadInput("this is a chapters file, not a transcript", None,
                       "pass it with --chapters next to its transcript")
    if forced in ("json", "whisper"):
        return forced
    segments = data.get("segments") if isinstance(data, dict) else None
    if not isinstance(segments, list):
        raise BadInput("this JSON holds no transcript 'segments'", None,
                       "import Podcasting 2.0 JSON or Whisper JSON transcripts")
    first = next((s for s in segments if isinstance(s, dict)), {})
    return "whisper" if "text" in first and "body" not in first else "json"
