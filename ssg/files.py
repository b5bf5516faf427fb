"""Walking folders fast: one ``scandir`` a folder and no ``Path`` an entry (a show has thousands of files)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path


def scan(root: Path | str) -> Iterator[tuple[str, os.DirEntry[str]]]:
    """Every entry under ``root`` as (POSIX path relative to ``root``, entry), in no particular order.

    Folders are listed and entered; symlinked folders are listed but not
    entered (as ``Path.rglob`` does). An unreadable folder is skipped.
    """
    stack = [("", os.fspath(root))]
    while stack:
        prefix, folder = stack.pop()
        try:
            entries = list(os.scandir(folder))
        except OSError:
            continue
        for entry in entries:
            rel = prefix + entry.name
            yield rel, entry
            if entry.is_dir(follow_symlinks=False):
                stack.append((rel + "/", entry.path))
