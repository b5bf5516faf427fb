"""Search index: Pagefind (from the ``pagefind-bin`` package) over the built episode pages, in shards.

Episode pages are split into ``SHARDS`` groups by a hash of their slug, and
each group gets its own Pagefind bundle (``pagefind/shard-N/``); the search
page loads one and merges the others (Pagefind's ``mergeIndex``), listed in
``pagefind/shards.json``. Shards are indexed in parallel, and a rebuild
re-indexes only the shards whose pages changed: the others keep their
previous bundle, which is what Pagefind would write again for the same pages
(up to the order it names a few files in). Runs with no network access; any
failure becomes a build error naming what to do.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import tempfile
import zlib
from collections.abc import Callable
from pathlib import Path

from ssg.errors import Problem

OUTPUT_SUBDIR = "pagefind"
SHARDS = 8
"""Number of index shards (fixed, so an episode's shard never moves)."""
LIST = "shards.json"


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


def shard_of(page: str) -> int:
    """The shard of an episode page (``episodes/<slug>/index.html``)."""
    return zlib.crc32(page.encode("utf-8")) % SHARDS


def indexed_pages(folder: Path) -> list[str]:
    """The pages Pagefind indexes: episode pages."""
    base = folder / "episodes"
    if not base.is_dir():
        return []
    return sorted(p.relative_to(folder).as_posix() for p in base.glob("*/index.html"))


def index_site(folder: Path, previous: Path | None = None, changed: set[str] | None = None,
               link: Callable[[str], list[str]] | None = None) -> tuple[list[str], list[Problem]]:
    """Index the site in ``folder``; returns (files written, problems).

    With ``previous`` (the last site), ``changed`` (pages added or changed
    since) and ``link`` (hard-links a folder of the previous site into this
    one), shards none of whose pages changed are taken from the previous site.
    """
    exe = pagefind_executable()
    groups: dict[int, list[str]] = {}
    for page in indexed_pages(folder):
        groups.setdefault(shard_of(page), []).append(page)
    old_groups = _previous_groups(previous)
    reuse = {k for k, pages in groups.items()
             if previous is not None and link is not None and changed is not None
             and old_groups.get(k) == pages and not (set(pages) & changed)
             and (previous / OUTPUT_SUBDIR / f"shard-{k}" / "pagefind.js").is_file()}
    todo = sorted(set(groups) - reuse)
    if todo and exe is None:
        return [], [Problem("pagefind", None, "the Pagefind binary is not installed",
                            "pip install pagefind-bin, or build with --no-search")]
    files: list[str] = []
    for k in sorted(reuse):
        assert link is not None
        files += link(f"{OUTPUT_SUBDIR}/shard-{k}")
    problems = _run_shards(exe, folder, {k: groups[k] for k in todo}) if todo else []
    if problems:
        return [], problems
    for k in todo:
        root = folder / OUTPUT_SUBDIR / f"shard-{k}"
        files += sorted(p.relative_to(folder).as_posix() for p in root.rglob("*") if p.is_file())
    listing = {"shards": [f"shard-{k}/" for k in sorted(groups)], "pages": {str(k): groups[k] for k in sorted(groups)}}
    (folder / OUTPUT_SUBDIR).mkdir(parents=True, exist_ok=True)
    (folder / OUTPUT_SUBDIR / LIST).write_text(json.dumps(listing, indent=0) + "\n", encoding="utf-8")
    files.append(f"{OUTPUT_SUBDIR}/{LIST}")
    return files, []


def _previous_groups(previous: Path | None) -> dict[int, list[str]]:
    if previous is None:
        return {}
    try:
        data = json.loads((previous / OUTPUT_SUBDIR / LIST).read_text(encoding="utf-8"))
        return {int(k): list(v) for k, v in data.get("pages", {}).items()}
    except (OSError, ValueError, AttributeError, TypeError):
        return {}


def _run_shards(exe: Path | None, folder: Path, groups: dict[int, list[str]]) -> list[Problem]:
    """Run Pagefind once per shard, a few at a time, each over a folder of hard links to its pages."""
    assert exe is not None
    env = {k: v for k, v in os.environ.items() if not k.startswith("PAGEFIND_")}
    work = Path(tempfile.mkdtemp(prefix=".ssg-pagefind-", dir=folder.parent))
    problems: list[Problem] = []
    try:
        pending = sorted(groups)
        running: list[tuple[int, subprocess.Popen[str]]] = []
        parallel = max(1, os.cpu_count() or 1)
        while pending or running:
            while pending and len(running) < parallel:
                k = pending.pop(0)
                source = work / f"shard-{k}"
                for page in groups[k]:
                    target = source / page
                    target.parent.mkdir(parents=True, exist_ok=True)
                    os.link(folder / page, target)
                output = folder / OUTPUT_SUBDIR / f"shard-{k}"
                command = [str(exe), "--site", str(source), "--output-path", str(output), "--silent"]
                try:
                    running.append((k, subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                                        text=True, env=env)))
                except OSError as exc:
                    problems.append(Problem("pagefind", None, f"could not run Pagefind: {exc}",
                                            "reinstall pagefind-bin, or build with --no-search"))
                    pending = []
            if running:
                k, process = running.pop(0)
                out, err = process.communicate(timeout=1800)
                if process.returncode != 0:
                    detail = (err or out).strip().splitlines()
                    message = detail[-1] if detail else f"exit code {process.returncode}"
                    problems.append(Problem("pagefind", None, f"search indexing failed: {message}",
                                            "build with --no-search to publish without search"))
    finally:
        shutil.rmtree(work, ignore_errors=True)
    unique: dict[str, Problem] = {p.message: p for p in problems}
    return list(unique.values())
