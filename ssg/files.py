"""Walking folders fast: one ``scandir`` a folder and no ``Path`` an entry (a show has thousands of files)."""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterator
from pathlib import Path

Read = tuple[int, int, int, int, str]
"""A file as it was read: (size, mtime_ns, ctime_ns, inode) from ``fstat`` of the open file, and ``digest`` of its bytes."""


def digest(data: bytes) -> str:
    """The content hash of a file's bytes (hex BLAKE2b, 20 bytes): what the incremental layer keys files by."""
    return hashlib.blake2b(data, digest_size=20).hexdigest()


def read_bytes(path: Path | str, reads: dict[str, Read] | None = None) -> bytes:
    """A file's bytes; with ``reads``, the file as read (``Read``) is recorded there under ``os.fspath(path)``."""
    with open(path, "rb") as handle:
        data = handle.read()
        if reads is not None:
            st = os.fstat(handle.fileno())
            reads[os.fspath(path)] = (st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino, digest(data))
    return data


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
