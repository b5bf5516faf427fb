"""Markdown to HTML: show notes and bios as blocks, transcript paragraphs inline.

Raw HTML in content is escaped (``html`` off), and markdown-it refuses
``javascript:`` and similar link targets. Most transcript paragraphs hold no
Markdown at all; ``inline`` renders those with a plain escape that gives
byte-for-byte the same HTML as markdown-it, and sends everything else
through markdown-it.
"""

from __future__ import annotations

import re
from functools import lru_cache

from markdown_it import MarkdownIt

_SPECIAL = re.compile(r"[\\`*_\[\]<>&~\n\r\t]|  ")
"""Characters that can start inline Markdown (or change whitespace) in markdown-it."""


@lru_cache(maxsize=1)
def _md() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
    return md


def block(markdown: str) -> str:
    """Render Markdown (show notes, bios) to HTML; raw HTML is escaped."""
    if not markdown.strip():
        return ""
    return str(_md().render(markdown))


def inline_slow(text: str) -> str:
    """Render one paragraph's inline Markdown through markdown-it."""
    return str(_md().renderInline(text))


_ONLY_STARS = re.compile(r"[\\`_\[\]<>&~\n\r\t]|  ")
"""Like ``_SPECIAL`` without ``*``: text free of these can take the emphasis fast path."""
_EMPHASIS = re.compile(r"(?:(?<=\s)|^)\*([A-Za-z0-9](?:[^*]*[A-Za-z0-9])?)\*(?=[\s.,!?;:]|$)")
"""``*word*`` or ``*a few words*`` between spaces: CommonMark emphasis, unambiguously."""


def inline(text: str) -> str:
    """Render one transcript paragraph (inline Markdown) to HTML, fast when plain.

    Plain text and simple ``*emphasis*`` between spaces give byte-for-byte
    what markdown-it gives (tests check this); anything else goes through it.
    """
    if text != text.strip():
        return str(_md().renderInline(text))
    if _SPECIAL.search(text) is None:
        return text.replace('"', "&quot;")
    if _ONLY_STARS.search(text) is None:
        html = _EMPHASIS.sub(r"<em>\1</em>", text)
        if "*" not in html:
            return html.replace('"', "&quot;")
    return str(_md().renderInline(text))


_TAG = re.compile(r"<[^>]+>")


@lru_cache(maxsize=8192)
def plain(text: str) -> str:
    """One paragraph's inline Markdown as plain text (for feeds and transcript files)."""
    if _SPECIAL.search(text) is None:
        return text
    if _ONLY_STARS.search(text) is None and text == text.strip():
        stripped = _EMPHASIS.sub(r"\1", text)
        if "*" not in stripped:
            return stripped
    import html

    return html.unescape(_TAG.sub("", inline(text)))


def plain_block(markdown: str) -> str:
    """Markdown notes as one line of plain text (feed and meta descriptions)."""
    import html

    return " ".join(html.unescape(_TAG.sub(" ", block(markdown))).split())
