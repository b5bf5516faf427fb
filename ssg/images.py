"""Images made at build time at the sizes the theme shows them: one WebP per size, 1x and 2x.

Cover art, the show's logo, speakers' portraits and chapter images are
shown as squares of a few fixed sizes (``SIZES``, in CSS pixels). A local
image (a file in ``content/``) gets one square WebP per size and pixel
density, cropped to its centre; a 1,400 px cover is never sent for a 32 px
logo. A variant's name is made from the source's bytes and its width
(``variant``), so pages know it before anything is decoded, and a build
reuses the previous site's file of that name instead of making it again.
Images given as URLs, and files Pillow cannot read, are used as they are.

Pillow does the decoding and resampling (Lanczos); ``resize`` is pure:
bytes in, bytes out. It is imported when an image is first decoded: a show
whose images are all URLs never loads it (about 14 ms and 3 MB a process).
"""

from __future__ import annotations

import hashlib
import io
from collections.abc import Iterable, Sequence

VERSION = b"ssg-images-1"
"""Part of every variant's name: change it when ``resize`` makes different bytes for the same input."""

SIZES: dict[str, int] = {
    "logo": 32,       # the show's image in the header
    "thumb": 88,      # cover art in episode lists
    "cover": 200,     # cover art on an episode page and the home page
    "avatar": 28,     # a speaker beside their words and in lists
    "card": 56,       # a speaker on the speakers index
    "portrait": 160,  # a speaker's own page
    "chapter": 64,    # a chapter's image
}
"""Where an image is shown -> its displayed width and height in CSS pixels."""

DENSITIES = (1, 2)
"""Pixel densities made for every size."""

QUALITY = 82
"""WebP quality: no visible loss at these sizes."""

RESIZABLE = frozenset({".png", ".jpg", ".jpeg", ".webp", ".gif", ".bmp", ".tif", ".tiff"})
"""Source file suffixes that are resized (others, such as SVG, are used as they are)."""


def digest(data: bytes) -> str:
    """The part of a variant's name that stands for its source's bytes."""
    return hashlib.sha256(VERSION + data).hexdigest()[:16]


def variant(source_digest: str, width: int) -> str:
    """File name of the ``width`` px square variant of the source with this ``digest``."""
    return f"{source_digest}-{width}.webp"


def probe(data: bytes) -> tuple[int, int] | None:
    """Width and height of an image Pillow can read (header only), or None."""
    from PIL import Image

    try:
        with Image.open(io.BytesIO(data)) as image:
            return image.size
    except (OSError, ValueError, Image.DecompressionBombError):
        return None


def widths(size: int, smallest_side: int) -> list[int]:
    """The pixel widths made for a square shown at ``size`` CSS px, never wider than the source."""
    return sorted({min(size * d, smallest_side) for d in DENSITIES})


def resize(data: bytes, sizes: Iterable[int]) -> list[tuple[int, bytes]]:
    """Square WebP variants of an image, one per width in ``sizes``, cropped to the centre.

    Pure: the same bytes and sizes give the same output bytes.
    """
    from PIL import Image, ImageOps

    with Image.open(io.BytesIO(data)) as opened:
        image = ImageOps.exif_transpose(opened)
        image.load()
    has_alpha = image.mode in ("RGBA", "LA", "PA") or (image.mode == "P" and "transparency" in image.info)
    image = image.convert("RGBA" if has_alpha else "RGB")
    out: list[tuple[int, bytes]] = []
    for width in sizes:
        # Tall images (portraits) keep more of their top, where faces are.
        square = ImageOps.fit(image, (width, width), Image.Resampling.LANCZOS, centering=(0.5, 0.35))
        buffer = io.BytesIO()
        square.save(buffer, "WEBP", quality=QUALITY, method=6)
        out.append((width, buffer.getvalue()))
    return out


def srcset(urls_by_width: Sequence[tuple[int, str]], size: int) -> str:
    """``srcset`` of the variants of one size: ``"a.webp 1x, b.webp 2x"`` (densities as the widths give them)."""
    parts = []
    for width, url in urls_by_width:
        density = width / size
        parts.append(f"{url} {density:g}x")
    return ", ".join(parts)
