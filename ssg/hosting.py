"""Hosting: the ``_headers`` file for hosts that read one (Netlify, Cloudflare Pages).

Part of the render stage: returns ``(output path, bytes)`` pairs, writes nothing.
"""

from __future__ import annotations

from collections.abc import Iterator

from ssg.feeds import CHAPTERS, CHAPTERS_TYPE, TRANSCRIPTS, Context, Output
from ssg.urls import Urls

IMMUTABLE = "public, max-age=31536000, immutable"
CORS = ("Access-Control-Allow-Origin", "*")


def headers(renderer: Context) -> str:
    """``_headers`` for hosts that read one (Netlify, Cloudflare Pages).

    Every pattern has at most one ``*`` (Cloudflare's limit), and no two
    patterns set the same header on one file (hosts join such values with
    commas). Only fingerprinted assets (CSS and JS, resized images) are cached for a year;
    other files in ``assets/`` keep the host's default.
    """
    prefix = renderer.urls.prefix
    rules: list[tuple[str, list[tuple[str, str]]]] = [
        (Urls.asset("*.css"), [("Cache-Control", IMMUTABLE)]),
        (Urls.asset("*.js"), [("Cache-Control", IMMUTABLE)]),
        (Urls.asset("img/*"), [("Cache-Control", IMMUTABLE)]),  # resized images: named after their input
        (Urls.PAGEFIND + "*", [("Cache-Control", "public, max-age=3600")]),
    ]
    for name, mime in (*TRANSCRIPTS, (CHAPTERS, CHAPTERS_TYPE)):
        rules.append((Urls.episode_file("*", name), [CORS, ("Content-Type", f"{mime}; charset=utf-8")]))
    rules.append((Urls.FEED, [CORS, ("Content-Type", "application/rss+xml; charset=utf-8")]))
    lines: list[str] = []
    for route, values in rules:
        lines.append(prefix + route)
        lines.extend(f"  {name}: {value}" for name, value in values)
    return "\n".join(lines) + "\n"


def outputs(renderer: Context) -> Iterator[Output]:
    """``_headers``."""
    yield Urls.HEADERS, headers(renderer).encode("utf-8")
