"""Swap a folder for another in one step, so readers see the old one or the new one, never a mix.

``exchange(a, b)`` swaps two paths with Linux's ``renameat2(RENAME_EXCHANGE)``
(called through ctypes): one system call, nothing in between. Where that is
missing (another system, an old kernel, a file system without it),
``swap_dir`` falls back to two renames; a process killed between them leaves
the target absent and the previous folder at the ``old`` path, which
``recover`` moves back.

``mount_point_of`` says when a folder cannot be renamed at all: a mount point
(``rename`` fails with EBUSY, and a copy beside it would be on another file
system).
"""

from __future__ import annotations

import ctypes
import errno
import functools
import os
import platform
from collections.abc import Callable
from pathlib import Path
from typing import cast

RENAME_EXCHANGE = 2
AT_FDCWD = -100
SYSCALL_RENAMEAT2 = {"x86_64": 316, "aarch64": 276, "arm64": 276, "riscv64": 276, "i386": 353, "i686": 353,
                     "armv7l": 382, "ppc64le": 357, "s390x": 347}
"""The ``renameat2`` system call number, for a C library too old to wrap it."""
UNSUPPORTED = (errno.ENOSYS, errno.EINVAL, errno.ENOTSUP, errno.EOPNOTSUPP)
"""What ``renameat2`` fails with where the kernel or the file system cannot exchange."""


@functools.cache
def _libc() -> ctypes.CDLL | None:
    """The C library, on Linux (looked up on first use)."""
    if platform.system() != "Linux":
        return None
    try:
        return ctypes.CDLL(None, use_errno=True)
    except OSError:
        return None



Renameat2 = Callable[[int, bytes, int, bytes, int], int]


@functools.cache
def _renameat2() -> Renameat2 | None:
    """The C library's ``renameat2`` or a ``syscall`` wrapper for it; None where there is neither."""
    libc = _libc()
    if libc is None:
        return None
    func = getattr(libc, "renameat2", None)
    if func is not None:
        func.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
        func.restype = ctypes.c_int
        return cast(Renameat2, func)
    number = SYSCALL_RENAMEAT2.get(platform.machine())
    syscall = getattr(libc, "syscall", None)
    if number is None or syscall is None:
        return None

    def via_syscall(olddirfd: int, old: bytes, newdirfd: int, new: bytes, flags: int) -> int:
        return int(syscall(ctypes.c_long(number), ctypes.c_int(olddirfd), ctypes.c_char_p(old),
                           ctypes.c_int(newdirfd), ctypes.c_char_p(new), ctypes.c_uint(flags)))

    return via_syscall


def exchange(a: Path, b: Path) -> bool:
    """Swap the paths ``a`` and ``b`` (both must exist) in one step.

    Returns False, changing nothing, where this system or file system cannot;
    raises OSError for any other failure.
    """
    renameat2 = _renameat2()
    if renameat2 is None:
        return False
    if renameat2(AT_FDCWD, os.fsencode(a), AT_FDCWD, os.fsencode(b), RENAME_EXCHANGE) == 0:
        return True
    code = ctypes.get_errno()
    if code in UNSUPPORTED:
        return False
    raise OSError(code, os.strerror(code), str(a), None, str(b))


def swap_dir(new: Path, target: Path, old: Path) -> Path | None:
    """Make the folder ``new`` the folder ``target``; returns where the previous ``target`` now is.

    ``new`` must be a sibling of ``target`` (same file system); ``old`` is a
    free sibling name. With an exchange the previous folder ends at ``new``;
    otherwise it is renamed to ``old`` first (see ``recover``). Returns None
    when there was no previous folder. The caller deletes what is returned.
    """
    if not target.exists():
        os.rename(new, target)
        return None
    if exchange(new, target):
        return new
    os.rename(target, old)
    os.rename(new, target)
    return old


def recover(target: Path, old: Path) -> bool:
    """After a ``swap_dir`` killed between its two renames: put ``old`` back as ``target``.

    Does nothing (returns False) when ``target`` exists or ``old`` does not.
    """
    if target.exists() or target.is_symlink() or not old.is_dir():
        return False
    os.rename(old, target)
    return True


def mount_point_of(folder: Path) -> bool:
    """True when ``folder`` is a mount point (and so cannot be renamed)."""
    return folder.is_dir() and os.path.ismount(folder)


def sync_file_system(folder: Path) -> None:
    """Write everything pending on the file system holding ``folder`` to disk (``syncfs``; ``sync`` elsewhere).

    One call instead of one ``fsync`` per file; raises OSError when the
    system reports a failed write (a disk that filled up late, for one).
    """
    libc = _libc()
    syncfs = getattr(libc, "syncfs", None) if libc is not None else None
    if syncfs is None:
        os.sync()
        return
    fd = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    try:
        if syncfs(fd) != 0:
            code = ctypes.get_errno()
            raise OSError(code, os.strerror(code), str(folder))
    finally:
        os.close(fd)


def sync_folder(folder: Path) -> None:
    """Flush a folder's entries (the names just renamed in it) to disk, where the system allows."""
    try:
        fd = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
