"""Timecodes: parse ``HH:MM:SS``, ``MM:SS``, seconds, and format them back."""

from __future__ import annotations

import math
import re

_CLOCK = re.compile(r"^(?:(\d{1,7}):)?(\d{1,2}):(\d{1,2})(?:[.,](\d{1,3}))?$")

MAX_SECONDS = 10_000 * 3600
"""The longest time read (10,000 hours): beyond it a value is a mistake, and its arithmetic could overflow."""


def parse_time(value: object) -> float | None:
    """Parse a time given as seconds (int/float/str) or ``[H:]MM:SS[.mmm]``.

    Returns None when the value cannot be read as a time: negative, not
    finite (``.inf``, ``.nan``) or past ``MAX_SECONDS`` included. PyYAML
    reads an unquoted ``1:30`` as the integer 90 (sexagesimal), which is the
    right number of seconds, so integers are taken as they are.
    """
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        return _bounded(value)
    if not isinstance(value, str):
        return None
    text = value.strip()
    if not text:
        return None
    try:
        seconds = float(text)
    except ValueError:
        pass
    else:
        return _bounded(seconds)
    match = _CLOCK.match(text)
    if not match:
        return None
    hours, minutes, secs, frac = match.groups()
    if hours is not None and int(minutes) >= 60:
        return None
    if int(secs) >= 60:
        return None
    total: float = int(hours or 0) * 3600 + int(minutes) * 60 + int(secs)
    if frac:
        total += int(frac.ljust(3, "0")) / 1000
    return _bounded(total)


def _bounded(seconds: int | float) -> float | None:
    """``seconds`` as a float when it is a time (finite, 0 to ``MAX_SECONDS``), else None."""
    if not 0 <= seconds <= MAX_SECONDS:  # False for NaN as well
        return None
    value = float(seconds)
    return value if math.isfinite(value) else None


def format_clock(seconds: float) -> str:
    """Format seconds for people: ``M:SS`` under an hour, else ``H:MM:SS``."""
    whole = int(seconds)
    hours, rest = divmod(whole, 3600)
    minutes, secs = divmod(rest, 60)
    if hours:
        return f"{hours}:{minutes:02d}:{secs:02d}"
    return f"{minutes}:{secs:02d}"


def format_hms(seconds: float) -> str:
    """Format as ``HH:MM:SS`` (itunes:duration, ``<time datetime>`` values)."""
    whole = int(seconds)
    hours, rest = divmod(whole, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours:02d}:{minutes:02d}:{secs:02d}"


def format_iso_duration(seconds: float) -> str:
    """Format as an ISO 8601 duration (``PT1H2M3S``) for schema.org and ``<time>``."""
    whole = int(seconds)
    hours, rest = divmod(whole, 3600)
    minutes, secs = divmod(rest, 60)
    out = "PT"
    if hours:
        out += f"{hours}H"
    if minutes:
        out += f"{minutes}M"
    if secs or out == "PT":
        out += f"{secs}S"
    return out


_TWO_DIGITS = tuple(f"{n:02d}" for n in range(100))
_MILLIS = tuple(f"{n:03d}" for n in range(1000))


def format_cue_time(seconds: float, separator: str = ".") -> str:
    """A cue time ``HH:MM:SS.mmm`` (WebVTT; with ``","`` SRT's ``HH:MM:SS,mmm``), the fields looked up."""
    minutes, millis = divmod(round(seconds * 1000), 60_000)
    hours, minutes = divmod(minutes, 60)
    secs, millis = divmod(millis, 1000)
    hh = _TWO_DIGITS[hours] if 0 <= hours < 100 else f"{hours:02d}"
    return f"{hh}:{_TWO_DIGITS[minutes]}:{_TWO_DIGITS[secs]}{separator}{_MILLIS[millis]}"


def format_vtt(seconds: float) -> str:
    """A WebVTT cue time ``HH:MM:SS.mmm`` (``format_cue_time``)."""
    return format_cue_time(seconds)
