"""Stylesheets and scripts made smaller for the site: comments and spare whitespace removed.

The theme's sources stay readable (comments explain the player, the search
ranking and the CSS); what a listener downloads carries none of that. The
work is done by ``rcssmin`` and ``rjsmin``: each is a tokenizer for its
language (strings, regular expressions, ``calc()`` and comments that must
stay, such as ``/*! licence */``), which a few regular expressions here
would get wrong.
"""

from __future__ import annotations

import rcssmin
import rjsmin


def minified(suffix: str, data: bytes) -> bytes:
    """``data`` of a ``.css`` or ``.js`` file without comments and spare whitespace (other files as they are).

    Bytes that are not UTF-8 are returned unchanged: a file the minifier
    cannot read is served as written rather than mangled.
    """
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return data
    if suffix == ".css":
        return str(rcssmin.cssmin(text, keep_bang_comments=True)).encode("utf-8")
    if suffix == ".js":
        return str(rjsmin.jsmin(text, keep_bang_comments=True)).encode("utf-8")
    return data
