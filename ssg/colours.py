"""Each speaker's colour and initials: stable (made from their id) and readable in light and dark.

A speaker's hue comes from a hash of their id, so it never changes between
builds or when other people are added. Its lightness is then chosen so that
text in that colour has WCAG AA contrast (4.5:1) on every background the
theme puts it on (``LIGHT_BACKGROUNDS``, ``DARK_BACKGROUNDS``: page, cards,
the highlight of a linked turn); an avatar's initials are drawn in the page
background colour on it, which has the same contrast.
"""

from __future__ import annotations

import colorsys
import hashlib
import unicodedata
from functools import cache

AA = 4.5
"""WCAG 2.1 AA contrast for normal text."""

LIGHT_BACKGROUNDS = ("#fbfaf7", "#ffffff", "#fff1a8", "#e5ecf0")
"""What a speaker's colour sits on in the light scheme: page, card, a linked turn, a playing turn."""
DARK_BACKGROUNDS = ("#15161a", "#1d1f24", "#3d3300", "#1e242f")
"""The same in the dark scheme."""

SATURATION = 0.62


def _channel(c: float) -> float:
    return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4


def luminance(hex_colour: str) -> float:
    """WCAG relative luminance of ``#rrggbb``."""
    r, g, b = (int(hex_colour[i:i + 2], 16) / 255 for i in (1, 3, 5))
    return 0.2126 * _channel(r) + 0.7152 * _channel(g) + 0.0722 * _channel(b)


def contrast(a: str, b: str) -> float:
    """WCAG contrast ratio of two ``#rrggbb`` colours (1 to 21)."""
    la, lb = sorted((luminance(a), luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def _hex(hue: float, lightness: float) -> str:
    r, g, b = colorsys.hls_to_rgb(hue, lightness, SATURATION)
    return "#{:02x}{:02x}{:02x}".format(round(r * 255), round(g * 255), round(b * 255))


HUES = (0, 28, 50, 95, 150, 180, 205, 228, 262, 290, 320, 345)
"""The hues a speaker can have (degrees): twelve that read as twelve different colours."""


def hue(speaker_id: str) -> float:
    """The speaker's hue (0 to 1), from their id alone (a hash picks one of ``HUES``)."""
    pick = int(hashlib.sha1(speaker_id.encode("utf-8")).hexdigest()[:8], 16) % len(HUES)
    return HUES[pick] / 360


def colours(speaker_id: str) -> tuple[str, str]:
    """The speaker's text colour on the light scheme and on the dark scheme (``#rrggbb``)."""
    return _colours_of(hue(speaker_id))


@cache
def _colours_of(h: float) -> tuple[str, str]:
    """``colours`` of a hue: each of the twelve is worked out once per process (a show's speakers share them)."""
    light = next(c for c in (_hex(h, step / 100) for step in range(48, -1, -1))
                 if min(contrast(c, bg) for bg in LIGHT_BACKGROUNDS) >= AA)
    dark = next(c for c in (_hex(h, step / 100) for step in range(55, 101))
                if min(contrast(c, bg) for bg in DARK_BACKGROUNDS) >= AA)
    return light, dark


def initials(name: str) -> str:
    """One or two letters for an avatar: first and last words' first letters (``Dr. Grace Okafor`` -> ``GO``)."""
    words = [w for w in name.split(",")[0].replace("-", " ").split() if w[:1].isalnum()]
    if len(words) > 1 and words[0].endswith(".") and len(words[0]) > 2:  # an honorific: Dr., Prof.
        words = words[1:]
    if not words:
        return "?"
    letters = words[0][0] + (words[-1][0] if len(words) > 1 else "")
    return unicodedata.normalize("NFC", letters).upper()
