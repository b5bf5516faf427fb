"""Build orchestration: load -> render -> write -> search index, as one call.

``build_site`` is what ``ssg build``, ``ssg serve`` and ``ssg deploy`` use.
It never raises for bad content: problems come back in the result, and the
previous output folder is left as it was when the build fails.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from ssg.errors import Problem


@dataclass(slots=True)
class BuildResult:
    """What a build did."""

    problems: list[Problem] = field(default_factory=list)
    """Errors and warnings, in the order found."""
    ok: bool = False
    """True when the site was written (no errors; no warnings under ``strict``)."""
    episodes: int = 0
    """Episodes built."""
    speakers: int = 0
    """Speaker pages built."""
    files: int = 0
    """Files in the finished site."""
    changed: list[str] = field(default_factory=list)
    """Output paths (relative, POSIX) added or whose bytes changed in this build."""
    removed: list[str] = field(default_factory=list)
    """Output paths that the previous site had and this one has not."""
    seconds: float = 0.0
    """Wall time of the build."""
    timings: dict[str, float] = field(default_factory=dict)
    """Seconds spent per stage (load, render, write, search)."""


Progress = Callable[[str, int, int], None]
"""Called as ``progress(stage, done, total)`` during long work."""


def build_site(
    content: Path,
    out: Path,
    *,
    base_url: str | None = None,
    strict: bool = False,
    search: bool = True,
    jobs: int = 0,
    cache_dir: Path | None = None,
    progress: Progress | None = None,
) -> BuildResult:
    """Build the site in ``content`` into ``out`` (swapped in only on success)."""
    raise NotImplementedError


def check_site(content: Path, *, base_url: str | None = None, strict: bool = False) -> BuildResult:
    """Load, render and check links without writing anything."""
    raise NotImplementedError


def default_cache_dir(content: Path) -> Path:
    """Where the build cache and the last build's status live: beside ``content/``."""
    return content.resolve().parent / ".ssg-cache"


def last_build(content: Path, cache_dir: Path | None = None) -> dict[str, object] | None:
    """Status of the last build of ``content``: ``{"ok", "finished", "out", "errors"}``.

    ``finished`` is a Unix time; ``out`` the absolute output folder. None when
    no build has recorded its status (or the record is unreadable).
    """
    import json

    path = (cache_dir or default_cache_dir(content)) / "last-build.json"
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None
