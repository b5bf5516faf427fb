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


def snapshot(folders: Iterable[Path]) -> Snapshot:
    """``path -> (mtime_ns, size)`` for every file under ``folders`` (dot-files and caches skipped)."""
    seen: Snapshot = {}
    for folder in folders:
        for dirpath, dirnames, filenames in os.walk(folder):
            dirnames[:] = [d for d in dirnames if not d.startswith(".") and d != "__pycache__"]
            for name in filenames:
                if name.startswith(".") or name.endswith("~"):
                    continue
                path = os.path.join(dirpath, name)
                try:
                    st = os.stat(path)
                except OSError:
                    continue
                seen[path] = (st.st_mtime_ns, st.st_size)
    return seen


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
