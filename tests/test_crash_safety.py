"""Crash safety: whatever moment a build is stopped at, site/ is the old site or the new one.

Fault injection: every file operation of a rebuild's final step (from the
moment the new site is swapped in to the end of the build) is made to fail
in turn with an exception nothing catches, as a kill would stop the build
there. After each, site/ must be byte for byte the site before the build or
the site the build was putting in place, and the next ordinary build must
give a clean build's site with a search index whose every file is there.
One test also kills real ``ssg build`` processes. No test asserts a time.

Pagefind does not write the same bytes twice for the same pages (the order
inside its metadata and filter files varies between runs), so a site is
compared with a clean build byte for byte except for those files, which are
compared by what they name (``comparable``); the old-or-new check right
after a crash is exact, against the bytes that very build staged.
"""

from __future__ import annotations

import gzip
import json
import os
import random
import re
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from conftest import ROOT, copy_site
from ssg import atomic, search_index, write
from ssg.build import build_site

Tree = dict[str, bytes]


def tree(site: Path) -> Tree | None:
    """Every file of a site (None when the folder is missing)."""
    if not site.is_dir():
        return None
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in sorted(site.rglob("*")) if p.is_file()}


# A loadable index ---------------------------------------------------------------------------------
SIGNATURE = b"pagefind_dcd"


def _cbor(data: bytes, at: int = 0) -> tuple[Any, int]:
    """One CBOR item of ``data`` at ``at`` (the subset Pagefind's metadata uses); returns (item, next)."""
    head = data[at]
    major, info = head >> 5, head & 31
    at += 1
    if info < 24:
        value = info
    elif info in (24, 25, 26, 27):
        size = 1 << (info - 24)
        value, at = int.from_bytes(data[at:at + size], "big"), at + size
    else:
        raise ValueError(f"CBOR item with additional info {info} at {at - 1}")
    if major == 0:
        return value, at
    if major == 1:
        return -1 - value, at
    if major in (2, 3):
        raw = data[at:at + value]
        return (raw if major == 2 else raw.decode("utf-8")), at + value
    if major == 4:
        items = []
        for _ in range(value):
            item, at = _cbor(data, at)
            items.append(item)
        return items, at
    if major == 5:
        mapping = {}
        for _ in range(value):
            key, at = _cbor(data, at)
            mapping[key], at = _cbor(data, at)
        return mapping, at
    if major == 7 and info in (20, 21, 22):
        return {20: False, 21: True, 22: None}[info], at
    raise ValueError(f"CBOR major type {major} at {at - 1}")


def _pagefind_file(path: Path) -> bytes:
    """A compressed Pagefind file's payload (after its signature); AssertionError when missing or damaged."""
    assert path.is_file(), f"the index names {path}, which is missing"
    data = gzip.decompress(path.read_bytes())
    assert data.startswith(SIGNATURE), f"{path} is not a Pagefind file"
    return data[len(SIGNATURE):]


def index_files(site: Path) -> dict[str, Any]:
    """Check every file the site's search index names; returns what each bundle's metadata says.

    Follows what the search page loads: ``pagefind/shards.json`` names the
    bundles; each bundle's ``pagefind.js``, ``pagefind-worker.js`` and
    ``pagefind-entry.json``; for each language of the entry its metadata
    ``pagefind.<hash>.pf_meta`` and ``wasm.<lang>.pagefind``; the metadata
    (CBOR: version, pages, index chunks, filters, sorts) names a fragment per
    page, the index chunks and the filter files, each gzip with a signature.
    ``dates.json`` must name only pages of some bundle.
    """
    root = site / search_index.OUTPUT_SUBDIR
    shards = json.loads((root / search_index.LIST).read_text())["shards"]
    assert shards, "no bundles listed"
    found: dict[str, Any] = {}
    pages_seen: set[str] = set()
    for shard in shards:
        bundle = root / shard
        for name in ("pagefind.js", "pagefind-worker.js", "pagefind-entry.json", search_index.BUNDLE):
            assert (bundle / name).is_file(), f"{shard}{name} is missing"
        entry = json.loads((bundle / "pagefind-entry.json").read_text())
        for language in entry["languages"].values():
            if language.get("wasm"):
                assert (bundle / f"wasm.{language['wasm']}.pagefind").is_file(), f"{shard}: wasm missing"
            meta, end = _cbor(_pagefind_file(bundle / f"pagefind.{language['hash']}.pf_meta"))
            version, pages, chunks, filters = meta[:4]
            assert len(pages) == language["page_count"], f"{shard}: page count differs from the entry"
            for page_hash, _words in pages:
                json.loads(_pagefind_file(bundle / "fragment" / f"{page_hash}.pf_fragment"))
                pages_seen.add(page_hash)
            for _first, _last, chunk in chunks:
                _pagefind_file(bundle / "index" / f"{chunk}.pf_index")
            for _name, filter_hash in filters:
                _pagefind_file(bundle / "filter" / f"{filter_hash}.pf_filter")
            found[shard] = (version, sorted(map(tuple, pages)), sorted(name for name, _ in filters))
    dates = json.loads((root / search_index.DATES).read_text())
    assert set(dates) <= pages_seen, f"dates.json names pages no bundle has: {sorted(set(dates) - pages_seen)}"
    return found


_VARIES = re.compile(r"pagefind/[^/]+/(pagefind-entry\.json|pagefind\.[^/]+\.pf_meta|filter/[^/]+\.pf_filter)")


def comparable(site: Path) -> tuple[Tree, dict[str, Any]]:
    """A site as compared with a clean build: its files but those Pagefind varies, and what the index names."""
    files = tree(site)
    assert files is not None, f"{site} is missing"
    search = index_files(site) if (site / search_index.OUTPUT_SUBDIR).is_dir() else {}
    return {p: b for p, b in files.items() if not _VARIES.fullmatch(p)}, search


def test_the_index_check_finds_a_missing_file(tmp_path: Path) -> None:
    content = copy_site("search", tmp_path / "show")
    out = tmp_path / "site"
    assert build_site(content, out, jobs=1).ok
    index_files(out)
    victim = next(out.glob("pagefind/*/filter/*.pf_filter"))
    victim.unlink()
    with pytest.raises(AssertionError, match="which is missing"):
        index_files(out)


def test_a_bundle_missing_its_metadata_is_indexed_again(tmp_path: Path) -> None:
    # What a crash of an older ssg left: a bundle whose entry names metadata that is gone.
    content = copy_site("search", tmp_path / "show")
    out = tmp_path / "site"
    assert build_site(content, out, jobs=1).ok
    next(out.glob("pagefind/*/pagefind.*.pf_meta")).unlink()
    assert build_site(content, out, jobs=1).ok
    index_files(out)


# Fault injection ------------------------------------------------------------------------------------
class Killed(BaseException):
    """Stands for a kill: no ``except Exception`` stops it."""


OPERATIONS: list[tuple[Any, str]] = [
    (os, "rename"), (os, "replace"), (os, "link"), (os, "unlink"), (os, "remove"), (os, "rmdir"),
    (os, "mkdir"), (os, "makedirs"), (os, "chmod"), (os, "symlink"), (shutil, "rmtree"), (shutil, "move"),
    (shutil, "copy2"), (shutil, "copyfile"),
]
"""Every function that changes the file system by name (nested calls, as rmtree's unlinks, count too)."""


@dataclass
class Injector:
    """Counts file operations from the swap on, and raises ``Killed`` at operation number ``fail_at``."""

    fail_at: int | None = None
    nested: bool = False
    """Count the operations inside another one too (each unlink of an ``rmtree``), not only the outer one."""
    count: int = 0
    armed: bool = False
    depth: int = 0
    log: list[str] = field(default_factory=list)
    staged: Tree | None = None
    """The site the build was about to put in place (read from its staging folder at the swap)."""

    def wrap(self, name: str, real: Callable[..., Any]) -> Callable[..., Any]:
        def operation(*args: Any, **kwargs: Any) -> Any:
            if self.armed and (self.nested or self.depth == 0):
                self.count += 1
                self.log.append(f"{name}({', '.join(os.fspath(a) if isinstance(a, (str, Path)) else repr(a) for a in args[:2])})")
                if self.fail_at is not None and self.count >= self.fail_at:
                    raise Killed(self.log[-1])  # and after the kill nothing more happens
            self.depth += 1
            try:
                return real(*args, **kwargs)
            finally:
                self.depth -= 1

        return operation


@contextmanager
def injected(monkeypatch: pytest.MonkeyPatch, injector: Injector, exchange: bool = True) -> Iterator[Injector]:
    """Patch every file operation (and the folder exchange) to go through ``injector``."""
    with monkeypatch.context() as patch:
        for module, name in OPERATIONS:
            patch.setattr(module, name, injector.wrap(f"{module.__name__}.{name}", getattr(module, name)))
        real = atomic.exchange if exchange else (lambda a, b: False)
        patch.setattr(atomic, "exchange", injector.wrap("exchange", real))
        swap_in = write.Staging.swap_in

        def arming(staging: write.Staging, out: Path) -> None:
            injector.staged = {p: staging.source(p).read_bytes() for p in staging.paths}
            injector.armed = True
            swap_in(staging, out)

        patch.setattr(write.Staging, "swap_in", arming)
        try:
            yield injector
        finally:
            injector.armed = False


@dataclass
class Show:
    """A small show built into ``out``, with an edit to apply and undo."""

    content: Path
    out: Path
    edit: Callable[[bool], None]
    """``edit(True)`` makes the new content, ``edit(False)`` puts the old back."""
    search: bool
    use_cache: bool

    def build(self, use_cache: bool = True) -> None:
        result = build_site(self.content, self.out, search=self.search, jobs=1, use_cache=use_cache)
        assert result.ok, [p.format() for p in result.problems]


def rewrite(path: Path, old: str, new: str) -> Callable[[bool], None]:
    before = path.read_text()
    assert old in before
    after = before.replace(old, new)

    def edit(forward: bool) -> None:
        path.write_text(after if forward else before)

    return edit


def make_show(tmp_path: Path, kind: str, search: bool, use_cache: bool) -> Show:
    content = copy_site("search", tmp_path / "show")
    if kind == "episode":
        edit = rewrite(content / "episodes" / "03-currents.md", "twice a day.",
                       "twice a day.\n[00:02:00] Ada: And the anchovies follow the shrimp up at night.")
    else:  # the show's title is on every page: a full rebuild
        edit = rewrite(content / "site.yaml", "title: Deep Water", "title: Deep and Shallow Water")
    return Show(content, tmp_path / "site", edit, search, use_cache)


@dataclass
class Outcome:
    points: int = 0
    unreached: int = 0
    """Crash points past the last operation of that run."""
    mixed: list[str] = field(default_factory=list)
    """Crash points after which site/ was neither the old nor the new site (or missing)."""
    broken: list[str] = field(default_factory=list)
    """Crash points after which the next build did not give a clean build's site with a loadable index."""


def crash_every_operation(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, show: Show, nested: bool = False,
                          exchange: bool = True, recover_first: bool = False, halfway: bool = False) -> Outcome:
    """Stop the rebuild at each operation of its final step in turn; see what each stop leaves.

    With ``halfway``, only at the middle one (with ``nested``: halfway through deleting the old site).
    """
    show.build()
    show.edit(True)
    clean = tmp_path / "clean"
    assert build_site(show.content, clean, search=show.search, jobs=1, use_cache=False).ok
    expected = comparable(clean)
    show.edit(False)
    show.build()
    show.edit(True)
    with injected(monkeypatch, Injector(nested=nested), exchange) as dry:
        show.build(show.use_cache)
    assert dry.count > 0 and tree(show.out) == dry.staged
    outcome = Outcome(points=dry.count)
    assert outcome.points > 2, dry.log
    for k in [dry.count // 2] if halfway else range(1, dry.count + 1):
        show.edit(False)
        show.build()
        old = tree(show.out)
        show.edit(True)
        with injected(monkeypatch, Injector(fail_at=k, nested=nested), exchange) as injector:
            try:
                show.build(show.use_cache)
                outcome.unreached += 1  # this run had fewer operations (Pagefind changed fewer files)
                continue
            except Killed:
                pass
        where = f"#{k} {injector.log[k - 1]}"
        if recover_first:
            write.recover(show.out)  # what the next build does first
        left = tree(show.out)
        if left != old and left != injector.staged:
            outcome.mixed.append(where + (" (no site/)" if left is None else ""))
        try:
            show.build()
            if comparable(show.out) != expected:
                outcome.broken.append(where + ": the next build differs from a clean build")
            beside = sorted(p.name for p in show.out.parent.iterdir() if p.name.startswith(".ssg-"))
            if beside:
                outcome.broken.append(f"{where}: left beside the site: {beside}")
        except AssertionError as exc:
            outcome.broken.append(f"{where}: {str(exc).splitlines()[0]}")
    return outcome


CASES = {
    "one-episode edit, search": ("episode", True, True),
    "full rebuild": ("title", False, True),
    "no-cache rebuild, search": ("title", True, False),
}
"""kind of edit, search, cache. Deleting the replaced site (``rmtree``) is one operation here; stopping it
halfway is the next test."""


@pytest.mark.parametrize("case", CASES)
def test_a_rebuild_stopped_at_any_file_operation_leaves_old_or_new(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, case: str) -> None:
    kind, search, use_cache = CASES[case]
    outcome = crash_every_operation(tmp_path, monkeypatch, make_show(tmp_path, kind, search, use_cache))
    print(f"{case}: {outcome.points} crash points ({outcome.unreached} not reached), {len(outcome.mixed)} "
          f"left a mixed site, {len(outcome.broken)} broke the next build")
    assert outcome.mixed == [] and outcome.broken == [], outcome


def test_a_build_stopped_while_deleting_the_replaced_site_is_cleaned_up_after(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Counting every unlink inside rmtree, the middle operation falls in deleting the old site.
    outcome = crash_every_operation(tmp_path, monkeypatch, make_show(tmp_path, "episode", False, False),
                                    nested=True, halfway=True)
    assert outcome.points > 20 and outcome.mixed == [] and outcome.broken == [], outcome


def test_without_a_folder_exchange_the_next_build_puts_the_previous_site_back(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Where renameat2 cannot exchange folders, two renames swap them; between the two there is
    # no site/, and the next build (``write.recover`` first) must put the previous one back.
    outcome = crash_every_operation(tmp_path, monkeypatch, make_show(tmp_path, "episode", False, True),
                                    exchange=False, recover_first=True)
    print(f"two renames: {outcome.points} crash points, {len(outcome.mixed)} mixed, {len(outcome.broken)} broken")
    assert outcome.mixed == [] and outcome.broken == [], outcome


def test_the_site_is_replaced_by_one_exchange_and_never_written_into(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Before the swap, no file operation of a rebuild touches site/: a stop anywhere there leaves it as it was.
    show = make_show(tmp_path, "episode", True, True)
    show.build()
    show.edit(True)
    out = str(show.out.resolve())
    touched: list[str] = []
    with monkeypatch.context() as patch:
        for module, name in OPERATIONS:
            real = getattr(module, name)

            def operation(*args: Any, _real: Callable[..., Any] = real, _name: str = name, **kwargs: Any) -> Any:
                # What an operation changes: both paths of a move, the new path of a link or copy.
                changes = args[:2] if _name in ("rename", "replace", "move") else args[1:2] if _name in (
                    "link", "symlink", "copy2", "copyfile") else args[:1]
                for arg in changes:
                    if isinstance(arg, (str, Path)) and (os.fspath(arg) + "/").startswith(out + "/"):
                        touched.append(f"{_name}({os.fspath(arg)})")
                return _real(*args, **kwargs)

            patch.setattr(module, name, operation)
        show.build()
    assert touched == []


# Real kills -----------------------------------------------------------------------------------------
def big_show(content: Path, episodes: int) -> None:
    for n in range(10, 10 + episodes):
        (content / "episodes" / f"{n}-extra.md").write_text(
            f"---\ntitle: Extra {n}\ndate: 2025-{1 + n % 12:02d}-{1 + n % 27:02d}\nepisode: {n}\n"
            f"speakers: [ada, ben]\n---\n" + "".join(
                f"[00:{m // 60:02d}:{m % 60:02d}] {'Ada' if m % 2 else 'Ben'}: Turn {m} of {n}, about tides.\n"
                for m in range(40)))


def _inodes(paths: list[Path]) -> tuple[int | None, ...]:
    marks: list[int | None] = []
    for path in paths:
        try:
            marks.append(os.stat(path).st_ino)
        except OSError:
            marks.append(None)
    return tuple(marks)


def test_killed_build_processes_leave_old_or_new(tmp_path: Path) -> None:
    # SIGKILL ``ssg build`` during full rebuilds (the title is on every page): twice at a random moment,
    # twice just after site/ or one of its pages is first seen to change (when the new site goes in).
    content = copy_site("search", tmp_path / "show")
    big_show(content, 60)
    out = tmp_path / "site"
    edit = rewrite(content / "site.yaml", "title: Deep Water", "title: Deep and Shallow Water")
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    command = [sys.executable, "-m", "ssg", "build", "--content", str(content), "--out", str(out),
               "--no-search", "--jobs", "1"]
    sites: dict[bool, Tree | None] = {}
    durations: list[float] = []
    for forward in (True, False):
        edit(forward)
        started = time.monotonic()
        subprocess.run(command, env=env, check=True, capture_output=True)
        durations.append(time.monotonic() - started)
        sites[forward] = tree(out)
    watched = [out, out / "index.html", *sorted(out.glob("episodes/*/index.html"))[::25]]
    rng = random.Random(16)
    forward = True
    mixed: list[int] = []
    for attempt in range(4):
        edit(forward)
        before = _inodes(watched)
        process = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        if attempt % 2:
            time.sleep(rng.uniform(0.2, 1.0) * min(durations))
        else:
            while process.poll() is None and _inodes(watched) == before:
                pass
            time.sleep(rng.uniform(0, 0.003))
        process.send_signal(signal.SIGKILL)
        process.wait()
        write.recover(out)  # what the next build does first (needed only without renameat2)
        if tree(out) not in (sites[True], sites[False]):
            mixed.append(attempt)
        subprocess.run(command, env=env, check=True, capture_output=True)
        assert tree(out) == sites[forward]
        forward = not forward
    assert mixed == []
