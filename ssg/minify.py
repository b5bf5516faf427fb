"""Stylesheets and scripts made smaller for the site: comments and spare whitespace removed.

The theme's sources stay readable (comments explain the player, the search
ranking and the CSS); what a listener downloads carries none of that. The
work is done by ``rcssmin`` and ``rjsmin``: each is a tokenizer for its
language (strings, regular expressions, ``calc()`` and comments that must
stay, such as ``/*! licence */``), which a few regular expressions here
would get wrong.

``rjsmin`` knows template literals but not template literals nested inside
another's ``${...}``: it takes spaces out of the inner one. So a script is
kept as written unless the text of every template literal comes out the same
(``_template_texts``); the theme's own scripts nest none, and a test holds
them to that.
"""

from __future__ import annotations

import re
from functools import lru_cache

import rcssmin
import rjsmin


@lru_cache(maxsize=64)
def minified(suffix: str, data: bytes) -> bytes:
    """``data`` of a ``.css`` or ``.js`` file without comments and spare whitespace (other files as they are).

    Bytes that are not UTF-8, and a script whose template literals the
    minifier would change, are returned unchanged: served as written rather
    than mangled.
    """
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return data
    if suffix == ".css":
        return str(rcssmin.cssmin(text, keep_bang_comments=True)).encode("utf-8")
    if suffix == ".js":
        small = str(rjsmin.jsmin(text, keep_bang_comments=True))
        return small.encode("utf-8") if _template_texts(small) == _template_texts(text) else data
    return data


def _template_texts(js: str) -> list[str]:
    """The literal text of each template literal in ``js`` (``${...}`` left out), in order of their ends.

    A scanner of strings, comments, regular expressions and ``${...}``
    nesting, token by token (the code between tokens is skipped by the
    regular expressions in one go). A regular expression is told from
    division by what comes before the ``/`` (the usual rule); where that
    guesses wrong, the two scripts differ here and the script stays as
    written.
    """
    texts: list[str] = []
    stack: list[list[str] | int] = []  # a template's text parts, or the brace depth of a ${...} inside one
    i, n = 0, len(js)
    last = ""  # the code before i, up to its last token (comments, string bodies and spaces left out)
    while i < n:
        top = stack[-1] if stack else None
        if isinstance(top, list):  # inside a template literal: its text up to its end or a ${
            text = _TEMPLATE_TEXT.match(js, i)
            assert text is not None  # it matches the empty string
            top.append(text.group())
            i = text.end()
            if js.startswith("${", i):
                top.append("${}")
                stack.append(0)
                i += 2
            elif js.startswith("`", i):
                stack.pop()
                texts.append("".join(top))
                i += 1
            else:  # the script ends inside it
                break
            continue
        token = _CODE_TOKEN.search(js, i)
        if token is None:
            break
        if token.start() > i:
            last = (last + _SPACES.sub("", js[i:token.start()]))[-8:]
        i = token.end()
        c = token.group()[:2]
        if c in ("//", "/*"):
            continue
        c = c[0]
        if c == "/" and _regex_may_start(last):
            body = _REGEX_BODY.match(js, i)
            assert body is not None  # it matches the empty string
            i = body.end() + 1
            last = "x"
            continue
        last = (last + c)[-8:]
        if c == "`":
            stack.append([])
        elif isinstance(top, int) and c in "{}":
            if c == "{":
                stack[-1] = top + 1
            elif top == 0:
                stack.pop()  # back in the template
            else:
                stack[-1] = top - 1
    return texts


_CODE_TOKEN = re.compile(r"""//[^\n]*|/\*.*?(?:\*/|\Z)|'(?:\\.|[^'\\\n])*'?|"(?:\\.|[^"\\\n])*"?|[`{}/]""", re.S)
"""What matters in code: a comment, a string, a backquote, a brace or a slash (the rest is skipped)."""
_TEMPLATE_TEXT = re.compile(r"(?:\\.|[^`\\$]|\$(?!\{))*", re.S)
"""A template literal's text up to its closing backquote or its next ``${``."""
_REGEX_BODY = re.compile(r"(?:\\.|\[(?:\\.|[^\]\\\n])*\]?|[^/\\\[\n])*", re.S)
"""A regular expression literal after its opening ``/``, up to its closing one (or the line's end)."""
_SPACES = re.compile(r"\s+")


_BEFORE_REGEX = tuple("(,=:[!&|?{};+-*%<>~^")
_KEYWORDS_BEFORE_REGEX = ("return", "typeof", "case", "do", "else", "in", "of", "void", "yield", "await")


def _regex_may_start(before: str) -> bool:
    """Whether a ``/`` after this code starts a regular expression (not a division)."""
    if not before or before.endswith(_BEFORE_REGEX):
        return True
    word = before.rstrip()
    tail = ""
    while word and (word[-1].isalnum() or word[-1] in "_$"):
        tail = word[-1] + tail
        word = word[:-1]
    return tail in _KEYWORDS_BEFORE_REGEX and bool(word == "" or not (word[-1].isalnum() or word[-1] in "_$."))
