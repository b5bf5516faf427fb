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
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from markdown_it import MarkdownIt


@lru_cache(maxsize=1)
def _md() -> MarkdownIt:
    """The markdown-it renderer, imported on first use (most paragraphs never need it)."""
    from markdown_it import MarkdownIt

    md = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
    return md


def block(markdown: str) -> str:
    """Render Markdown (show notes, bios) to HTML; raw HTML is escaped.

    One line that starts with a letter can only be a paragraph (every other
    block starts with a mark, a digit or an indent, or needs a second line),
    so it is ``inline`` in ``<p>``, as markdown-it renders it (tests check this).
    """
    if not markdown.strip():
        return ""
    if ("\n" not in markdown and "\r" not in markdown and markdown[0].isascii() and markdown[0].isalpha()
            and markdown == markdown.strip()):
        return f"<p>{inline(markdown)}</p>\n"
    return str(_md().render(markdown))


def _markdown_it_inline(text: str) -> str:
    """Render one paragraph's inline Markdown through markdown-it."""
    return str(_md().renderInline(text))


def inline(text: str) -> str:
    """Render one transcript paragraph (inline Markdown) to HTML, fast when plain.

    Plain text, simple ``*emphasis*`` and ``**strong**`` between spaces,
    ``[text](https://...)`` links, one-backtick code, and ``&``, ``<``,
    ``>`` that start no entity, autolink or tag give byte-for-byte what
    markdown-it gives (tests check this); anything else goes through it.
    """
    if "  " not in text and _SPECIAL_CHAR.search(text) is None and text == text.strip():
        return text.replace('"', "&quot;")
    return _inline_marked(text)


@lru_cache(maxsize=1024)
def _inline_marked(text: str) -> str:
    """``inline`` of a paragraph that is not plain text.

    Remembered for a while: the episode page renders each paragraph and the
    transcript files then ask ``plain`` for the same ones, which needs this HTML
    for those that hold more than ``*emphasis*``.
    """
    if text != text.strip() or "  " in text:
        return _markdown_it_inline(text)
    if "*" in text and _emphasis_only(text):
        parts = text.replace('"', "&quot;").split("*")
        parts[1::2] = [f"<em>{part}</em>" for part in parts[1::2]]
        return "".join(parts)
    fast = _inline_fast(text)
    return fast if fast is not None else _markdown_it_inline(text)


_SPECIAL_CHAR = re.compile(r"[\\`*_\[\]<>&~\n\r\t]")
"""Characters that can start inline Markdown (or change whitespace) in markdown-it.

A double space can too (it can end a line); a plain ``in`` test finds that
faster than an alternative in this pattern would."""
_TOKEN = re.compile(
    r"(?<![!\\\]])\[(?P<label>[A-Za-z0-9](?:[A-Za-z0-9 ,.'-]*[A-Za-z0-9.])?)\]"
    r"\((?P<url>https?://[a-z0-9-]+(?:\.[a-z0-9-]+)*(?:/[A-Za-z0-9._/-]*)?)\)"
    r"|(?<!`)`(?P<code>[^`\s](?:[^`\n]*[^`\s])?)`(?!`)"
    r"|(?:(?<=\s)|^)\*\*(?P<strong>[A-Za-z0-9](?:[^*\n]*[A-Za-z0-9])?)\*\*(?=[\s.,!?;:]|$)"
    r"|(?:(?<=\s)|^)\*(?P<em>[A-Za-z0-9](?:[^*\n]*[A-Za-z0-9])?)\*(?=[\s.,!?;:]|$)"
)
"""Inline constructs that markdown-it renders in exactly one way, whatever surrounds them."""
_TOKEN_START = re.compile(r"[\[`*]")
_TEXT_HARD = re.compile(r"[\\`*_\[\]~\n\r\t]")
_TEXT_ENTITY_OR_TAG = re.compile(r"&(?:#\d{1,7};|#[xX][0-9a-fA-F]{1,6};|[A-Za-z][A-Za-z0-9]{1,31};)|<[A-Za-z/!?]")
"""What text outside those constructs may not hold: other Markdown, entities, autolinks or tags
(and no double space, which can end a line)."""


def _text_fast(text: str) -> str | None:
    """Plain text between constructs, escaped as markdown-it escapes it (None when it is not plain)."""
    if _TEXT_HARD.search(text) or "  " in text:
        return None
    if "&" in text or "<" in text:
        if _TEXT_ENTITY_OR_TAG.search(text):
            return None
        text = text.replace("&", "&amp;").replace("<", "&lt;")
    return text.replace(">", "&gt;").replace('"', "&quot;")


def _inline_fast(text: str) -> str | None:
    """``text`` rendered without markdown-it, or None when it holds anything beyond ``_TOKEN``."""
    out: list[str] = []
    end = 0
    while (start := _TOKEN_START.search(text, end)) is not None:
        # Every construct starts with one of these characters; one that starts none
        # would be left in the text between, which is then not plain.
        match = _TOKEN.match(text, start.start())
        if match is None:
            return None
        before = _text_fast(text[end:match.start()])
        if before is None:
            return None
        out.append(before)
        label, code, strong, em = match.group("label", "code", "strong", "em")
        if label is not None:
            inner = _text_fast(label)
            html = None if inner is None else f'<a href="{match.group("url")}">{inner}</a>'
        elif code is not None:
            html = "<code>" + code.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace(
                '"', "&quot;") + "</code>"
        else:
            inner = _text_fast(strong if strong is not None else em)
            tag = "strong" if strong is not None else "em"
            html = None if inner is None else f"<{tag}>{inner}</{tag}>"
        if html is None:
            return None
        out.append(html)
        end = match.end()
    rest = _text_fast(text[end:])
    if rest is None:
        return None
    out.append(rest)
    return "".join(out)


_TAG = re.compile(r"<[^>]+>")
_ONLY_STARS = re.compile(r"[\\`_\[\]<>&~\n\r\t]")
"""Like ``_SPECIAL_CHAR`` without ``*``: text free of these (and of double spaces) can take the emphasis fast path."""
_EMPHASIS = re.compile(r"(?:(?<=\s)|^)\*([A-Za-z0-9](?:[^*]*[A-Za-z0-9])?)\*(?=[\s.,!?;:]|$)")
"""``*word*`` or ``*a few words*`` between spaces: CommonMark emphasis, unambiguously."""


def plain(text: str) -> str:
    """One paragraph's inline Markdown as plain text (for feeds and transcript files)."""
    if "  " not in text and _SPECIAL_CHAR.search(text) is None:
        return text
    if "*" in text and _emphasis_only(text):
        return text.replace("*", "")
    import html

    return html.unescape(_TAG.sub("", inline(text)))


def _emphasis_only(text: str) -> bool:
    """Whether ``_EMPHASIS.sub(r"\\1", text)`` leaves no ``*`` and ``text`` holds no other Markdown.

    A match takes two stars with none between, so every star goes exactly when
    the stars pair up in order and a match starts at each pair's first one;
    the plain text is then ``text`` without its stars, and the HTML has each
    pair's text in ``<em>`` (what ``_inline_fast`` makes of it, only faster). ``_EMPHASIS.match`` at
    a star (its lookbehind still sees the character before) checks one pair
    far faster than ``sub`` scans the whole paragraph.
    """
    if text.count("*") % 2 or text != text.strip() or "  " in text or _ONLY_STARS.search(text) is not None:
        return False
    star = text.find("*")
    while star >= 0:
        if _EMPHASIS.match(text, star) is None:
            return False
        star = text.find("*", text.find("*", star + 1) + 1)
    return True


def plain_block(markdown: str) -> str:
    """Markdown notes as one line of plain text (feed and meta descriptions)."""
    import html

    return " ".join(html.unescape(_TAG.sub(" ", block(markdown))).split())
