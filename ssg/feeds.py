"""Feeds: the podcast RSS feed and the per-episode files listeners' apps read.

Part of the render stage: returns ``(output path, bytes)`` pairs, writes nothing.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ssg.render import Output, Renderer


def outputs(renderer: Renderer) -> Iterator[Output]:
    """Every feed output of the site (none yet)."""
    return iter(())
