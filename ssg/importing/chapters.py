"""Podcasting 2.0 JSON chapters (``--chapters file.json``), version 1.2.

Untitled chapters are named by their time and kept out of chapter lists, as
are chapters with ``toc: false``. Markup in titles is dropped, never kept as
HTML; ``location``, ``value`` and other fields are ignored; links and images
must be http(s).
"""

from __future__ import annotations

import re
from typing import Any

from ssg.importing.cues import MAX_SECONDS, seconds
from ssg.importing.model import BadInput, ImportedChapter
from ssg.timecode import format_clock

_TAG = re.compile(r"</?[a-zA-Z][^>]*>")


def looks_like_chapters(data: Any) -> bool:
    """True for a decoded JSON value that is a chapters file rather than a transcript."""
    return isinstance(data, dict) and isinstance(data.get("chapters"), list) and "segments" not in data


def parse(data: Any) -> tuple[ImportedChapter, ...]:
    """Chapters in time order from a decoded chapters file."""
    if not looks_like_chapters(data):
        raise BadInput("no 'chapters' list in this chapters file", None, "pass a Podcasting 2.0 JSON chapters file")
    out: list[ImportedChapter] = []
    for n, item in enumerate(data["chapters"], start=1):
        given = item.get("startTime") if isinstance(item, dict) else None
        start = seconds(given)
        if start is None and given is not None and not isinstance(given, (str, bool)):
            raise BadInput(f"chapter {n}: startTime {str(given)[:20]} is not from 0 to {MAX_SECONDS:.0f} seconds",
                           None, "write startTime in seconds, e.g. 65.5")
        if start is None:
            raise BadInput(f"chapter {n} has no startTime in seconds", None, "startTime is required, e.g. 65.5")
        raw = item.get("title")
        title = " ".join(_TAG.sub(" ", raw).split()) if isinstance(raw, str) else ""
        out.append(ImportedChapter(
            start=float(start),
            title=title or f"Chapter at {format_clock(start)}",
            url=_link(item.get("url")),
            img=_link(item.get("img")),
            toc=item.get("toc") is not False and bool(title),
        ))
    return tuple(sorted(out, key=lambda c: c.start))


def _link(value: object) -> str:
    return value.strip() if isinstance(value, str) and value.strip().startswith(("https://", "http://")) else ""
