"""Link check: every internal link and anchor in the rendered pages must resolve.

Used by ``ssg check``. Internal links are the root-relative ones under the
site's prefix (what ``Urls.href`` makes) and same-page ``#anchor`` links.
Broken ones are collected and reported together, naming the page's source
file when the page comes from one.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from urllib.parse import unquote, urlsplit

from ssg.errors import Problem
from ssg.urls import Urls

LINK = re.compile(rb'\s(?:href|src)="([^"]*)"')
ID = re.compile(rb'\sid="([^"]*)"')
OUTSIDE = "\0outside"
"""Marks a root-relative link outside the site's base path (broken when hosted under a sub-path)."""


def _ids(html: bytes) -> set[str]:
    return {m.decode("utf-8", "replace") for m in ID.findall(html)}


def check(pages: Mapping[str, bytes], files: set[str], urls: Urls,
          sources: Mapping[str, str]) -> list[Problem]:
    """Problems for internal links in HTML ``pages`` that point nowhere."""
    problems: list[Problem] = []
    ids: dict[str, set[str]] = {}
    seen: set[tuple[str, str]] = set()
    for path, html in pages.items():
        if not path.endswith(".html"):
            continue
        for raw in LINK.findall(html):
            link = raw.decode("utf-8", "replace").replace("&amp;", "&")
            target, anchor = _target(link, path, urls)
            if target is None:
                continue
            key = (path, link)
            if key in seen:
                continue
            seen.add(key)
            where = sources.get(path, path)
            if target == OUTSIDE:
                problems.append(Problem(where, None, f"link to {link} leaves the site's base path {urls.prefix}",
                                        f"write links into the site starting with {urls.prefix}, or as full URLs"))
                continue
            if target not in files:
                problems.append(Problem(where, None, f"broken link to {link} (no such page or file)",
                                        "fix the link, or the slug or file it points to"))
                continue
            if anchor and not anchor.startswith("t=") and target in pages:  # t=: a moment (media fragment)
                if target not in ids:
                    ids[target] = _ids(pages[target])
                if anchor not in ids[target]:
                    problems.append(Problem(where, None, f"broken link to {link} (no element with id '{anchor}')",
                                            "link to an anchor that exists on that page"))
    return problems


def _target(link: str, page: str, urls: Urls) -> tuple[str | None, str]:
    """The output path a link points at (None for external links) and its anchor."""
    parts = urlsplit(link)
    if parts.scheme or parts.netloc:
        return None, ""
    if not parts.path:
        return (page, unquote(parts.fragment)) if parts.fragment else (None, "")
    path = unquote(parts.path)
    if not path.startswith(urls.prefix):
        return (OUTSIDE, "") if path.startswith("/") and not path.startswith("//") else (None, "")
    route = path[len(urls.prefix):]
    return Urls.file(route), unquote(parts.fragment)
