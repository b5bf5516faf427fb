"""A polling file watcher: calls back once per burst of changes under some folders.

Polling (modification time and size of every file) needs no dependency and
behaves the same on every platform and file system; a show's content is a
few thousand files at most, which a poll reads in milliseconds.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Iterable
from pathlib import Path

Snapshot = dict[str, tuple[int, int]]


def watched_folders(content: Path) -> list[Path]:
    """What a build of ``content`` reads: the content folder, the site's themes, the built-in themes."""
    from ssg.theme import BUILTIN_THEMES

    folders = [content, content.parent / "themes", BUILTIN_THEMES]
    return [f for f in folders if f.is_dir()]


def _ignored(name: str) -> bool:
    """Editor swap and backup files, dot-files and caches: never inputs of a build."""
    return name.startswith(".") or name.endswith("~") or name == "__pycache__"


def snapshot(folders: Iterable[Path], *, folders_too: bool = False) -> Snapshot:
    """``path -> (mtime_ns, size)`` for every file under ``folders`` (dot-files and caches skipped).

    With ``folders_too`` the folders themselves are included, so that a
    removed or renamed file shows as a change of its folder.
    """
    seen: Snapshot = {}
    for folder in folders:
        for dirpath, dirnames, filenames in os.walk(folder):
            dirnames[:] = [d for d in dirnames if not _ignored(d)]
            names = [n for n in filenames if not _ignored(n)]
            paths = [os.path.join(dirpath, n) for n in names] + ([dirpath] if folders_too else [])
            for path in paths:
                try:
                    st = os.stat(path)
                except OSError:
                    continue
                seen[path] = (st.st_mtime_ns, st.st_size)
    return seen


def newest(folders: Iterable[Path]) -> tuple[int, str] | None:
    """``(mtime_ns, path)`` of the most recently changed file or folder under ``folders``."""
    seen = snapshot(folders, folders_too=True)
    if not seen:
        return None
    path = max(seen, key=lambda p: seen[p][0])
    return seen[path][0], path


class Watcher:
    """Polls ``folders`` every ``interval`` seconds; calls ``on_change`` after a quiet ``settle``."""

    def __init__(self, folders: list[Path], on_change: Callable[[], object],
                 interval: float = 0.3, settle: float = 0.15) -> None:
        self.folders = folders
        self.on_change = on_change
        self.interval = interval
        self.settle = settle
        self._stop = threading.Event()

    def run(self) -> None:
        """Watch until ``stop`` is called."""
        last = snapshot(self.folders)
        while not self._stop.wait(self.interval):
            now = snapshot(self.folders)
            if now == last:
                continue
            # Wait until the burst of writes (an editor's save, a git checkout) is over.
            while not self._stop.wait(self.settle):
                later = snapshot(self.folders)
                if later == now:
                    break
                now = later
            last = now
            if not self._stop.is_set():
                self.on_change()

    def stop(self) -> None:
        """Stop watching."""
        self._stop.set()
