"""Build orchestration: load -> render -> write -> search index, as one call.

``build_site`` is what ``ssg build``, ``ssg serve`` and ``ssg deploy`` use.
It never raises for bad content: problems come back in the result, and the
previous output folder is left as it was when the build fails.
"""

from __future__ import annotations

import json
import multiprocessing
import os
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from ssg import cache, links, search_index, write
from ssg.errors import Problem
from ssg.load import load_site
from ssg.render import Renderer
from ssg.urls import Urls


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

    @property
    def errors(self) -> list[Problem]:
        """The problems that stopped (or would stop) the build."""
        return [p for p in self.problems if p.level == "error"]

    @property
    def warnings(self) -> list[Problem]:
        """The problems reported without stopping the build."""
        return [p for p in self.problems if p.level == "warning"]


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
    use_cache: bool = True,
) -> BuildResult:
    """Build the site in ``content`` into ``out`` (swapped in only on success).

    ``jobs`` worker processes render episodes (0: one per CPU). With
    ``use_cache``, episodes whose inputs did not change since the last build
    are taken from the previous site instead of rendered again.
    """
    started = time.perf_counter()
    result = BuildResult()
    folder = cache_dir or default_cache_dir(content)
    try:
        _build(content, out, result, base_url=base_url, strict=strict, search=search,
               jobs=jobs, progress=progress, cache_dir=folder if use_cache else None)
    finally:
        result.seconds = time.perf_counter() - started
        _record(content, out, result, cache_dir)
    return result


def _build(content: Path, out: Path, result: BuildResult, *, base_url: str | None, strict: bool,
           search: bool, jobs: int, progress: Progress | None, cache_dir: Path | None) -> None:
    clock = _Clock(result.timings)
    problem = _refuse_output_folder(content, out)
    if problem is not None:
        result.problems.append(problem)
        return
    site, problems = load_site(content, base_url=base_url, cache_dir=cache_dir, jobs=jobs)
    result.problems.extend(problems.items)
    clock.lap("load")
    if site is None or problems.has_errors(strict):
        return
    renderer = Renderer(site, content)
    result.episodes = len(site.episodes)
    result.speakers = len(site.speakers)
    write.clean_leftovers(out)
    staging = write.Staging.beside(out)
    try:
        manifest = cache.Manifest.load(cache_dir)
        show_key = cache.show_key(content, site, base_url)
        if not _stage(renderer, staging, result, clock, progress, manifest, show_key, jobs):
            staging.discard()
            return
        if search:
            if progress:
                progress("search", 0, 1)
            changed = {p for p in staging.changed if p.endswith(".html")}
            files, search_problems = search_index.index_site(
                staging.root, staging.previous, changed, staging.link_previous)
            result.problems.extend(search_problems)
            clock.lap("search")
            if search_problems:
                staging.discard()
                return
            staging.adopt(files)
        result.removed = staging.removed()
        result.changed = sorted(staging.changed)
        result.files = len(staging.owners)
        staging.swap_in(out)
        manifest.save()
        clock.lap("write")
        result.ok = True
    except BaseException:
        staging.discard()
        raise


def _stage(renderer: Renderer, staging: write.Staging, result: BuildResult, clock: _Clock,
           progress: Progress | None, manifest: cache.Manifest, show_key: str, jobs: int) -> bool:
    """Render every page into the staging folder; False when something clashed.

    An episode whose inputs match the manifest has its previous files linked
    in; the others are rendered, by ``jobs`` worker processes when there are
    enough of them to be worth it.
    """
    site = renderer.site
    content = renderer.content
    try:
        for path, source in renderer.asset_outputs():
            staging.copy(path, source, owner=_show_path(source, content))
        total = len(site.episodes)
        todo: list[tuple[int, str]] = []
        keys: list[str] = []
        for i, episode in enumerate(site.episodes):
            key = cache.episode_key(show_key, _source_file(content, site, episode.source),
                                    renderer.episode_key(i))
            keys.append(key)
            entry = manifest.get(key)
            if entry is not None and staging.reuse(entry, owner=episode.source):
                manifest.record(key, entry)
            else:
                todo.append((i, key))
        done = total - len(todo)
        for i, key, outputs in _render_episodes(renderer, todo, jobs):
            owner = site.episodes[i].source
            for path, data in outputs:
                staging.add(path, data, owner=owner)
            manifest.record(key, staging.entry([path for path, _ in outputs]))
            done += 1
            if progress and (done % 50 == 0 or done == total):
                progress("render", done, total)
        # The show-wide pages (lists, indexes, feed) depend on every episode: reuse them only
        # when no episode changed at all.
        site_key = cache.combine(show_key, keys)
        entry = manifest.get(site_key)
        if entry is not None and staging.reuse(entry, owner="a generated page"):
            manifest.record(site_key, entry)
        else:
            outputs = list(renderer.site_outputs())
            for path, data in outputs:
                staging.add(path, data, owner="a generated page")
            manifest.record(site_key, staging.entry([path for path, _ in outputs]))
    except write.OutputClash as exc:
        result.problems.append(Problem(site.content_dir, None, str(exc),
                                       "rename one of them: a slug: field, or the content file"))
        return False
    clock.lap("render")
    return True


def _source_file(content: Path, site: object, source: str) -> Path:
    """The file an episode was loaded from (``Episode.source`` is content's label + relative path)."""
    label = getattr(site, "content_dir", "")
    rel = source[len(label):].lstrip("/") if label and source.startswith(label) else source
    return content / rel


_WORKER: Renderer | None = None
"""The renderer a forked worker process renders with (inherited from the parent)."""

PARALLEL_MIN = 16
"""Fewer episodes to render than this are rendered in the main process."""


def _render_one(i: int) -> tuple[int, list[tuple[str, bytes]]]:
    assert _WORKER is not None
    return i, _WORKER.episode_outputs(i)


def _render_episodes(renderer: Renderer, todo: list[tuple[int, str]],
                     jobs: int) -> Iterator[tuple[int, str, list[tuple[str, bytes]]]]:
    """``(index, key, outputs)`` per episode, in index order; in worker processes when worth it."""
    keys = dict(todo)
    indices = [i for i, _ in todo]
    workers = jobs if jobs > 0 else (os.cpu_count() or 1)
    if workers <= 1 or len(indices) < PARALLEL_MIN or "fork" not in multiprocessing.get_all_start_methods():
        for i in indices:
            yield i, keys[i], renderer.episode_outputs(i)
        return
    global _WORKER
    _WORKER = renderer
    try:
        with multiprocessing.get_context("fork").Pool(min(workers, len(indices))) as pool:
            for i, outputs in pool.imap(_render_one, indices, chunksize=4):
                yield i, keys[i], outputs
    finally:
        _WORKER = None


def _show_path(source: Path, content: Path) -> str:
    try:
        return (content / source.relative_to(content)).as_posix()
    except ValueError:
        return f"theme file {source.name}"


def _refuse_output_folder(content: Path, out: Path) -> Problem | None:
    """The output folder must not be, contain, or sit inside the content folder."""
    c, o = content.resolve(), out.resolve()
    if o == c or c.is_relative_to(o) or o.is_relative_to(c):
        return Problem(str(out), None, f"output folder overlaps the content folder {content}",
                       "choose an --out folder outside content/, e.g. site")
    if o == Path(o.anchor) or o == Path.home():
        return Problem(str(out), None, "refusing to replace this folder with the site",
                       "choose a dedicated --out folder, e.g. site")
    return None


class _Clock:
    def __init__(self, timings: dict[str, float]) -> None:
        self.timings = timings
        self.last = time.perf_counter()

    def lap(self, stage: str) -> None:
        now = time.perf_counter()
        self.timings[stage] = self.timings.get(stage, 0.0) + now - self.last
        self.last = now


def _record(content: Path, out: Path, result: BuildResult, cache_dir: Path | None) -> None:
    """Remember how the last build went (for ``deploy`` and ``serve``)."""
    folder = cache_dir or default_cache_dir(content)
    record = {
        "ok": result.ok,
        "finished": time.time(),
        "out": str(out.resolve()),
        "errors": [p.format() for p in result.problems if p.level == "error"],
    }
    try:
        folder.mkdir(parents=True, exist_ok=True)
        tmp = folder / "last-build.json.tmp"
        tmp.write_text(json.dumps(record, indent=1), encoding="utf-8")
        os.replace(tmp, folder / "last-build.json")
    except OSError:
        pass


def check_site(content: Path, *, base_url: str | None = None, strict: bool = False) -> BuildResult:
    """Load, render and check internal links and anchors without writing anything."""
    started = time.perf_counter()
    result = BuildResult()
    clock = _Clock(result.timings)
    site, problems = load_site(content, base_url=base_url)
    result.problems.extend(problems.items)
    clock.lap("load")
    if site is None:
        result.seconds = time.perf_counter() - started
        return result
    renderer = Renderer(site, content)
    pages = dict(renderer.all())
    files = set(pages) | {path for path, _ in renderer.asset_outputs()}
    files.add(search_index.OUTPUT_SUBDIR + "/pagefind-ui.js")
    sources = {Urls.file(Urls.episode(e.slug)): e.source for e in site.episodes}
    result.problems.extend(links.check(pages, files, renderer.urls, sources))
    clock.lap("render")
    result.episodes = len(site.episodes)
    result.speakers = len(site.speakers)
    result.files = len(files)
    result.ok = not any(p.level == "error" or strict for p in result.problems)
    result.seconds = time.perf_counter() - started
    return result


def default_cache_dir(content: Path) -> Path:
    """Where the build cache and the last build's status live: beside ``content/``."""
    return content.resolve().parent / ".ssg-cache"


def last_build(content: Path, cache_dir: Path | None = None) -> dict[str, object] | None:
    """Status of the last build of ``content``: ``{"ok", "finished", "out", "errors"}``.

    ``finished`` is a Unix time; ``out`` the absolute output folder. None when
    no build has recorded its status (or the record is unreadable).
    """
    path = (cache_dir or default_cache_dir(content)) / "last-build.json"
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None
