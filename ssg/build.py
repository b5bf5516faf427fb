"""Build orchestration: load -> render -> write -> search index, as one call.

``build_site`` is what ``ssg build``, ``ssg serve`` and ``ssg deploy`` use.
It never raises for bad content: problems come back in the result, and the
previous output folder is left as it was when the build fails.
"""

from __future__ import annotations

import gc
import json
import os
import time
import traceback
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from ssg import incremental, parallel, search_index, theme, write
from ssg.errors import Problem
from ssg.files import Read

if TYPE_CHECKING:
    from ssg.feeds import FeedItems
    from ssg.loading.assets import Assets, Images, SourceImage
    from ssg.model import Site
    from ssg.render import Renderer, Unit


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

PARALLEL_MIN = 16
"""Below this much work to render no workers are started: an episode's unit counts 1, a show-wide page's
``PAGE_WEIGHT`` (a page of a list renders in about a tenth of an episode's time: a one-episode edit of a
1,000-episode show renders its episode and ~110 list pages in 0.2 s, less than starting workers costs)."""
PAGE_WEIGHT = 0.1
SITE_UNIT = "a generated page"
"""Owner of the show-wide pages in clash messages."""


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

    ``jobs`` worker processes load and render episodes (0: one per CPU).
    With ``use_cache``, a build whose inputs and previous site are exactly
    as the last build left them does nothing, and otherwise episodes whose
    inputs did not change are taken from the previous site instead of being
    rendered again (see ``ssg.incremental``).
    """
    started = time.perf_counter()
    result = BuildResult()
    folder = cache_dir or default_cache_dir(content)
    options = dict(base_url=base_url, strict=strict, search=search, jobs=jobs, progress=progress,
                   cache_dir=folder if use_cache else None)
    try:
        try:
            _build(content, out, result, **options)  # type: ignore[arg-type]
        except incremental.CacheCorrupt:
            incremental.clear(folder)
            result = BuildResult()
            _build(content, out, result, **options)  # type: ignore[arg-type]
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
    write.recover(out)  # a build killed while swapping may have parked the site, or left folders beside it
    layer = incremental.Layer.open(cache_dir, content, _theme_roots(content), repr((base_url, strict, search)),
                                   str(out.resolve()))
    current = write.snapshot(out) if layer.state.files else {}
    as_recorded = bool(current) and current == layer.state.files
    if layer.nothing_to_do(as_recorded):
        _unchanged(result, layer.state)
        layer.done()
        clock.lap("load")
        return

    from ssg.loading import load_site
    from ssg.loading.assets import load_assets, load_images
    from ssg.render import Renderer

    # Loading makes objects by the hundred thousand and no garbage cycles: the cycle collector is off
    # meanwhile (it would only walk them again and again). Nothing is frozen: what a build leaves
    # behind is garbage for the next collection, so a long-running ``ssg serve`` stays the same size.
    collecting = gc.isenabled()
    gc.disable()
    try:
        site, held, problems = load_site(content, base_url=base_url, open_store=layer.open_store, jobs=jobs)
    finally:
        if collecting:
            gc.enable()
    reads: dict[str, Read] = {}  # the files read for assets and images, as read: the incremental layer hears of them
    if site is not None:
        assets = load_assets(content, site.show.theme, site.content_dir, problems, reads)
        media = load_images(site, content, problems, reads)
    result.problems.extend(problems.items)
    clock.lap("load")
    if site is None or problems.has_errors(strict):
        layer.done()
        return
    templates = layer.templates()
    renderer = Renderer(site, assets, media.shown, bytecode_cache=incremental.template_cache(templates))
    result.episodes = len(site.episodes)
    result.speakers = len(site.speakers)
    # When the site is as the last build left it (and the cache says which outputs are still current),
    # its files are known from the record, and the site the last build replaced (its spare) is brought up
    # to date as the staging folder; otherwise each file is looked at. Either way the staging folder becomes
    # the whole new site (unchanged files hard-linked) and is swapped in at once.
    changes_only = as_recorded and cache_dir is not None
    staging = write.Staging.over(out, current) if changes_only else write.Staging.beside(out)
    staging.keep_spare = cache_dir is not None
    try:
        units = _stage(renderer, staging, result, progress, layer, jobs, templates, content, media, reads,
                       layer.transcripts(held))
        if units is None:
            staging.discard()
            layer.done()
            return
        staging.prune()
        clock.lap("render")
        if search:
            if progress:
                progress("search", 0, 1)
            changed = {p for p in staging.changed if p.endswith(".html")}
            files, search_problems = search_index.index_site(
                staging.root, staging.paths, staging.previous, changed, staging.link_previous, staging.source)
            result.problems.extend(search_problems)
            clock.lap("search")
            if search_problems:
                staging.discard()
                layer.done()
                return
            staging.adopt(files)
        result.removed = staging.removed()
        result.changed = sorted(staging.changed)
        result.files = len(staging.paths)
        staging.swap_in(out)
        layer.record(staging.snapshot_after(out), units,
                     tuple((p.path, p.line, p.message, p.hint, p.level) for p in result.problems),
                     (result.episodes, result.speakers))
        clock.lap("write")
        result.ok = True
    except BaseException:
        staging.discard()
        raise


def _unchanged(result: BuildResult, state: incremental.State) -> None:
    """The result of a build with nothing to do: the last build's, with no files changed."""
    result.problems.extend(Problem(path, line, message, hint, level)  # type: ignore[arg-type]
                           for path, line, message, hint, level in state.problems)
    result.episodes, result.speakers = state.counts
    result.files = len(state.files)
    result.ok = True


def _theme_roots(content: Path) -> list[Path]:
    """Every theme ``site.yaml`` could name, as ``theme.theme_root`` finds it (all count as inputs)."""
    roots: dict[str, Path] = {}
    for base in (content.parent / "themes", theme.BUILTIN_THEMES):
        try:
            names = sorted(p.name for p in base.iterdir())
        except OSError:
            continue
        for name in names:
            if name not in roots and theme.theme_root(content, name) == base / name:
                roots[name] = base / name
    return list(roots.values())


Written = list[tuple[str, bool]]
"""The paths a render unit staged, each with whether its bytes changed."""
Rendered = tuple[Written, dict[str, str]]
"""What a unit staged, and the keys of the feed items it made (item key -> digest of its XML)."""


@dataclass(slots=True)
class _Job:
    """What a worker process needs to render units as the parent would (pickled once per worker)."""

    site: Site
    assets: Assets
    """The assets as loaded (minified stylesheets and scripts, template folders): a worker reads none."""
    images: Mapping[str, SourceImage]
    """The images pages show, as loaded (``Images.shown``, without their bytes): a worker reads none."""
    templates: Path | None
    """The folder of compiled templates (``incremental.template_cache``)."""
    staging: write.Staging
    feed_items: FeedItems | None
    transcripts: incremental.Transcripts
    """Where each episode's transcript is (held, or in the episode store)."""


class _Units:
    """Renders units of the site into the staging folder (in the parent, or in a worker process)."""

    def __init__(self, job: _Job, renderer: Renderer | None = None, units: list[Unit] | None = None) -> None:
        from ssg.render import Renderer

        if renderer is None:  # in a worker: the parent's renderer, made again
            renderer = Renderer(job.site, job.assets, job.images,
                                bytecode_cache=incremental.template_cache(job.templates))
            renderer.feed_items = job.feed_items
        self.site, self.staging, self.renderer = job.site, job.staging, renderer
        self.transcripts = job.transcripts
        self.units = units if units is not None else renderer.units()

    def render(self, k: int) -> Rendered:
        unit = self.units[k]
        # The transcripts it declares, read (and proved) before anything of it is rendered.
        transcripts = tuple(self.transcripts.of(self.site.episodes[i]) for i in unit.episodes)
        with _template_errors():
            outputs = unit.render(*transcripts)
        items = self.renderer.feed_items
        made: dict[str, str] = {}
        if items is not None and items.made:
            made, items.made = items.made, {}
        return [(path, self.staging.put(path, data)) for path, data in outputs], made


_WORKER: list[_Units] = []
"""The units of a worker process (set up once from a ``_Job``)."""


def _worker_setup(job: _Job) -> None:
    _WORKER[:] = [_Units(job)]


def _worker_render(k: int) -> Rendered:
    return _WORKER[0].render(k)


def _stage(renderer: Renderer, staging: write.Staging, result: BuildResult, progress: Progress | None,
           layer: incremental.Layer, jobs: int, templates: Path | None, content: Path, media: Images,
           reads: dict[str, Read], transcripts: incremental.Transcripts) -> dict[str, tuple[str, ...]] | None:
    """Stage every output; returns the render units (key -> paths), None when two outputs clashed
    or a file to copy could not be read (the problem is in ``result``).

    ``media``: the images as loaded, whose bytes are copied and resized here;
    ``reads``: the files loading read (the files copied here are added);
    ``transcripts``: where each episode's transcript is, for the units that read one.

    The units are the render stage's (``Renderer.units``). A unit whose key
    (``incremental.Layer.keys``) the last build made has its files linked
    from the previous site (when they are still the files it wrote); the
    others are rendered, by worker processes when there are enough of them.
    """
    site = renderer.site
    made: dict[str, tuple[str, ...]] = {}
    total = len(site.episodes)
    try:
        unreadable = False
        for path, source, data in renderer.asset_outputs():
            if data is None:
                try:
                    staging.copy(path, source, owner=_show_path(source, content), reads=reads,
                                 data=media.data.get(source))
                except OSError as exc:
                    if exc.filename != os.fspath(source):
                        raise
                    unreadable = True
                    result.problems.append(Problem(_show_path(source, content), None,
                                                   f"cannot read file: {exc.strerror}", "check its permissions"))
            else:
                staging.add(path, data, owner=_show_path(source, content))
        if unreadable:
            return None
        _stage_images(renderer, staging, content, media.data)
        layer.saw(reads)
        units = renderer.units()
        keys = layer.keys(site, units, renderer.show_values())
        renderer.feed_items = layer.feed_items(staging.previous)
        todo = [k for k, key in enumerate(keys) if staging.previous is None or layer.taken(key) is None]
        job = _Job(site, renderer.assets, renderer.images, templates, staging, renderer.feed_items, transcripts)
        here = _Units(job, renderer, units)
        size = parallel.workers(jobs)
        if sum(1 if units[k].episodes else PAGE_WEIGHT for k in todo) < PARALLEL_MIN:
            size = 1  # little to render means the show is mostly as before: not worth starting workers
        size = max(1, min(size, len(todo)))
        with parallel.pool(size, _worker_setup, job) as workers:
            render = _worker_render if size > 1 else here.render
            rendered = iter(workers.map(render, todo, chunksize=max(1, min(8, len(todo) // (4 * size)))))
            wanted = set(todo)
            for k, (unit, key) in enumerate(zip(units, keys)):
                owner = unit.name if unit.episodes else SITE_UNIT
                paths = layer.taken(key)
                if k in wanted or paths is None or not staging.reuse(paths, owner, layer.state.files):
                    written, items = next(rendered) if k in wanted else here.render(k)
                    paths = _claim(staging, written, owner)
                    made.update((item, (digest,)) for item, digest in items.items())
                if key:
                    made[key] = paths
                if progress and k < total and ((k + 1) % 50 == 0 or k + 1 == total):
                    progress("render", k + 1, total)
    except write.OutputClash as exc:
        result.problems.append(Problem(site.content_dir, None, str(exc),
                                       "rename one of them: a slug: field, or the content file"))
        return None
    except TemplateFailed as exc:
        result.problems.append(Problem(exc.path, exc.line, exc.message, exc.hint))
        return None
    return made


class TemplateFailed(Exception):
    """A template could not be rendered. Plain strings, so a worker process can report it."""

    def __init__(self, path: str, line: int | None, message: str, hint: str) -> None:
        super().__init__(path, line, message, hint)
        self.path, self.line, self.message, self.hint = path, line, message, hint


@contextmanager
def _template_errors() -> Iterator[None]:
    """Turns a Jinja2 error into ``TemplateFailed``, naming the template file and line at fault."""
    import jinja2

    try:
        yield
    except jinja2.TemplateError as exc:
        path, line = "", None
        if isinstance(exc, jinja2.TemplateSyntaxError):
            path, line = exc.filename or exc.name or "", exc.lineno
        else:
            for frame, lineno in traceback.walk_tb(exc.__traceback__):
                if frame.f_globals.get("__jinja_template__") is not None or frame.f_code.co_filename.endswith(
                        (".html", ".xml", ".txt", ".j2")):
                    path, line = frame.f_code.co_filename, lineno
        if isinstance(exc, jinja2.TemplateNotFound):
            message = f"template {exc.name!r} not found"
            hint = "add it to content/templates/, or name one the theme has"
        else:
            message = f"template error: {exc.message or type(exc).__name__}"
            hint = "fix the template, or delete the override to use the theme's own"
        raise TemplateFailed(_user_path(path) or "templates", line, message, hint) from None


def _user_path(path: str) -> str:
    """A path relative to the working folder when it is under it."""
    try:
        return Path(path).resolve().relative_to(Path.cwd()).as_posix() if path else ""
    except ValueError:
        return path


def _claim(staging: write.Staging, written: Written, owner: str) -> tuple[str, ...]:
    """Claim the paths a unit staged (in a fixed order, so clashes read the same however it ran)."""
    for path, changed in written:
        staging.claim(path, owner)
        if changed:
            staging.changed.append(path)
    return tuple(path for path, _ in written)


def _stage_images(renderer: Renderer, staging: write.Staging, content: Path, read: Mapping[Path, bytes]) -> None:
    """Resized images: each variant the previous site has is kept (its name is its input), the rest made
    from the bytes loading read (``read``)."""
    from ssg import images

    for source, variants in renderer.image_variants():
        owner = _show_path(source, content)
        todo = [(path, width) for path, width in variants if not staging.keep(path, owner)]
        if todo:
            made = images.resize(read[source], [width for _, width in todo])
            for (path, _), (_, data) in zip(todo, made):
                staging.add(path, data, owner=owner)


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
    from ssg import links
    from ssg.loading import load_site
    from ssg.loading.assets import load_assets, load_images
    from ssg.render import Renderer
    from ssg.urls import Urls

    started = time.perf_counter()
    result = BuildResult()
    clock = _Clock(result.timings)
    site, transcripts, problems = load_site(content, base_url=base_url)
    if site is not None:
        assets = load_assets(content, site.show.theme, site.content_dir, problems)
        media = load_images(site, content, problems)
    result.problems.extend(problems.items)
    clock.lap("load")
    if site is None:
        result.seconds = time.perf_counter() - started
        return result
    renderer = Renderer(site, assets, media.shown)
    pages = dict(renderer.all(transcripts))
    files = set(pages) | {path for path, _, _ in renderer.asset_outputs()}
    files |= {path for _, variants in renderer.image_variants() for path, _ in variants}
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
