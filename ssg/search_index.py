"""Search index: runs Pagefind (from the ``pagefind-bin`` package) over a built site.

Pagefind reads the finished HTML (its ``data-pagefind-*`` attributes say
what to index) and writes ``pagefind/`` into the same folder. It runs with
no network access; any failure becomes a build error naming what to do.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

from ssg.errors import Problem

OUTPUT_SUBDIR = "pagefind"


def pagefind_executable() -> Path | None:
    """The Pagefind binary shipped by ``pagefind-bin``, or None when it is missing."""
    try:
        import pagefind_bin
    except ImportError:
        return None
    try:
        return Path(pagefind_bin.get_executable())
    except (FileNotFoundError, OSError):
        return None


def index_site(folder: Path) -> tuple[list[str], list[Problem]]:
    """Index the site in ``folder``; returns (files written, problems)."""
    exe = pagefind_executable()
    if exe is None:
        return [], [Problem("pagefind", None, "the Pagefind binary is not installed",
                            "pip install pagefind-bin, or build with --no-search")]
    env = {k: v for k, v in os.environ.items() if not k.startswith("PAGEFIND_")}
    command = [str(exe), "--site", str(folder), "--output-subdir", OUTPUT_SUBDIR, "--silent"]
    try:
        done = subprocess.run(command, capture_output=True, text=True, env=env, timeout=900)
    except (OSError, subprocess.TimeoutExpired) as exc:
        return [], [Problem("pagefind", None, f"could not run Pagefind: {exc}",
                            "reinstall pagefind-bin, or build with --no-search")]
    if done.returncode != 0:
        detail = (done.stderr or done.stdout).strip().splitlines()
        message = detail[-1] if detail else f"exit code {done.returncode}"
        return [], [Problem("pagefind", None, f"search indexing failed: {message}",
                            "build with --no-search to publish without search")]
    root = folder / OUTPUT_SUBDIR
    files = sorted(p.relative_to(folder).as_posix() for p in root.rglob("*") if p.is_file())
    return files, []
