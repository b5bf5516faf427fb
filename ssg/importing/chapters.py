"""Podcasting 2.0 JSON chapters (``--chapters file.json``)."""

from __future__ import annotations

import re
from typing import Any

from ssg.importing.model import ImportError_, RawChapter

_TAG = re.compile(r"<[^>]*>")


def parse(data: Any) -> list[RawChapter]:
    """Chapters in time order; untitled ones are named by their time; markup is kept as text."""
    items = data.get("chapters") if isinstance(data, dict) else None
    if not isinstance(items, list):
        raise ImportError_("no 'chapters' list in this chapters file", None,
                           "pass a Podcasting 2.0 JSON chapters file")
    out: list[RawChapter] = []
    for n, item in enumerate(items, start=1):
        if not isinstance(item, dict) or not isinstance(item.get("startTime"), (int, float)):
            raise ImportError_(f"chapter {n} has no numeric startTime", None, "startTime is required, in seconds")
        start = float(item["startTime"])
        title = item.get("title")
        title = " ".join(_TAG.sub(" ", title).split()) if isinstance(title, str) else ""
        minutes, seconds = divmod(int(start), 60)
        out.append(RawChapter(
            start=start,
            title=title or f"Chapter at {minutes}:{seconds:02d}",
            url=item["url"] if isinstance(item.get("url"), str) and item["url"].startswith(("http://", "https://")) else "",
            img=item["img"] if isinstance(item.get("img"), str) and item["img"].startswith(("http://", "https://")) else "",
            toc=item.get("toc") is not False and bool(title),
        ))
    out.sort(key=lambda c: c.start)
    return out
