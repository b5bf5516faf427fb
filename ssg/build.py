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
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from ssg import cache, parallel, search_index, theme, write
from ssg.errors import Problem

if TYPE_CHECKING:
    from ssg.feeds import FeedItems
    from ssg.model import Episode, Site
    from ssg.render import Renderer


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
"""Below this many episodes to render (or in the show, for the show-wide pages) no workers are started."""
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
    rendered again (see ``ssg.cache``).
    """
    started = time.perf_counter()
    result = BuildResult()
    folder = cache_dir or default_cache_dir(content)
    options = dict(base_url=base_url, strict=strict, search=search, jobs=jobs, progress=progress,
                   cache_dir=folder if use_cache else None)
    try:
        try:
            _build(content, out, result, **options)  # type: ignore[arg-type]
        except cache.CacheCorrupt:
            cache.clear(folder)
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
    roots = _theme_roots(content)
    digests = cache.Digests.open(cache_dir)
    options = repr((base_url, strict, search))
    fingerprint = cache.inputs_fingerprint(content, roots, options, digests) if cache_dir else ""
    state = cache.State.load(cache_dir)
    target = str(out.resolve())
    if state.out != target:
        state = cache.State()
    current = write.snapshot(out) if state.files else {}
    as_recorded = bool(current) and current == state.files
    if fingerprint and state.fingerprint == fingerprint and as_recorded:
        _unchanged(result, state)
        digests.save()
        clock.lap("load")
        return

    from ssg.loading import load_site
    from ssg.render import Renderer

    # Loading makes objects by the hundred thousand and no garbage cycles: the cycle collector is off
    # meanwhile (it would only walk them again and again). Nothing is frozen: what a build leaves
    # behind is garbage for the next collection, so a long-running ``ssg serve`` stays the same size.
    collecting = gc.isenabled()
    gc.disable()
    try:
        site, problems = load_site(content, base_url=base_url, open_store=partial(cache.EpisodeStore.open, cache_dir),
                                   jobs=jobs)
    finally:
        if collecting:
            gc.enable()
    result.problems.extend(problems.items)
    clock.lap("load")
    if site is None or problems.has_errors(strict):
        digests.save()
        return
    renderer = Renderer(site, content)
    if cache_dir is not None:
        _template_cache(renderer, cache_dir)
    result.episodes = len(site.episodes)
    result.speakers = len(site.speakers)
    # When the site is as the last build left it (and the cache says which outputs are still current),
    # its files are known from the record; otherwise each one is looked at. Either way the whole new site
    # is staged (unchanged files hard-linked) and swapped in at once.
    changes_only = as_recorded and cache_dir is not None
    staging = write.Staging.over(out, current) if changes_only else write.Staging.beside(out)
    try:
        show = (cache.show_key(content, roots, repr((base_url, site.show, site.speakers,
                                                     any(e.tags for e in site.episodes))), digests)
                if cache_dir else "")
        units = _stage(renderer, staging, result, progress, state, show, digests, jobs, cache_dir)
        if units is None:
            staging.discard()
            return
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
                return
            staging.adopt(files)
        result.removed = staging.removed()
        result.changed = sorted(staging.changed)
        result.files = len(staging.paths)
        staging.swap_in(out)
        if cache_dir is not None:
            # Inputs that changed while the build ran must not be taken as what it built from.
            again = cache.inputs_fingerprint(content, roots, options, digests)
            cache.State(
                fingerprint if again == fingerprint else "", target, staging.snapshot_after(out), units,
                tuple((p.path, p.line, p.message, p.hint, p.level) for p in result.problems),
                (result.episodes, result.speakers),
            ).save(cache_dir)
            digests.save()
        clock.lap("write")
        result.ok = True
    except BaseException:
        staging.discard()
        raise


def _unchanged(result: BuildResult, state: cache.State) -> None:
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


def _template_cache(renderer: Renderer, cache_dir: Path) -> None:
    """Keep compiled templates in the cache (each one sealed, see ``cache.template_cache``)."""
    folder = cache_dir / "templates"
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:
        return
    renderer.env.bytecode_cache = cache.template_cache(folder)


Written = list[tuple[str, bool]]
"""The paths a render unit staged, each with whether its bytes changed."""
Rendered = tuple[Written, dict[str, tuple[str, ...]]]
"""What a unit staged, and the page keys it used (to keep in the build state)."""
SITE_READ = ("*",)
"""Recorded under a page's context key when its template read the whole list of episodes."""


class _PageMemo:
    """Takes a page from the previous site when its template, context and the show are as before.

    Wraps ``Renderer._page``. A page's key is the show key (templates,
    assets, show and speaker files, ssg itself), the template name, the
    route and a description of the context the page is rendered with, in
    which each episode stands as its file's digest. Templates also reach the
    whole site through the ``site`` global; a page whose rendering read
    ``site.episodes`` is keyed on every episode as well (``SITE_READ``).
    It also gives the renderer the last feed's items (``FeedItems``), and
    hands on the keys of the items made with the page keys (``take``).
    """

    def __init__(self, renderer: Renderer, state: cache.State, staging: write.Staging, show: str,
                 site_key: str, named: dict[int, str]) -> None:
        from ssg.urls import Urls

        self.file = Urls.file
        self.state, self.staging, self.show, self.site_key = state, staging, show, site_key
        self.named = named
        """Episode (by id) -> key of its inputs."""
        self.described = dict(named)
        """What ``context_key`` names without describing it: the episodes, and the appearances and
        chapters in them (parts of an episode are as its key says), then each model object it described."""
        for episode in renderer.site.episodes:
            key = named.get(id(episode))
            if key is not None:
                for j, part in enumerate((*episode.appearances, *episode.chapters)):
                    self.described[id(part)] = f"{key}:{j}"
        self.render = renderer._page
        self.tracked = _tracked(renderer.site)
        renderer.site = self.tracked
        renderer.env.globals["site"] = self.tracked
        renderer._page = self.page  # type: ignore[method-assign]
        self.used: dict[str, tuple[str, ...]] = {}
        self.keep: list[object] = []
        self.active = False
        """Whether pages are looked up (only the show-wide pages are: an episode's outputs are one unit)."""
        self.renderer = renderer
        renderer.feed_items = self._feed_items()

    def _feed_items(self) -> FeedItems:
        """The last feed's items, each taken again while its episode and the show are as they were."""
        from ssg.feeds import FeedItems
        from ssg.urls import Urls

        keys = {id_: cache.combine(self.show, "feed item", key) for id_, key in self.named.items()}

        def key_of(episode: Episode) -> str | None:
            return keys.get(id(episode))

        units = self.state.units
        known = {key: units[key][0] for key in keys.values() if len(units.get(key, ())) == 1}
        previous = self._previous(Urls.FEED) if known else None
        if previous is None:
            return FeedItems(key_of)
        return FeedItems.from_feed(key_of, previous.decode("utf-8", "surrogateescape"), known)

    def take(self) -> dict[str, tuple[str, ...]]:
        """The page keys used since the last call (and the feed items made)."""
        used, self.used = self.used, {}
        items = self.renderer.feed_items
        if items is not None and items.made:
            used.update((key, (digest,)) for key, digest in items.made.items())
            items.made = {}
        return used

    def page(self, template: str, route: str, **context: object) -> tuple[str, bytes]:
        if not self.active:
            return self.render(template, route, **context)
        path = self.file(route)
        try:
            local = cache.combine(self.show, template, route, cache.context_key(context, self.described, self.keep))
        except cache.Unkeyable:
            return self.render(template, route, **context)
        whole = cache.combine(local, self.site_key)
        key = whole if self.state.units.get(local) == SITE_READ else local
        old = self.state.units.get(key)
        data = self._previous(path) if old == (path,) else None
        if data is None:
            _SITE_READ[0] = False
            path, data = self.render(template, route, **context)
            key = whole if _SITE_READ[0] else local
            if key == whole:
                self.used[local] = SITE_READ
        self.used[key] = (path,)
        return path, data

    def _previous(self, path: str) -> bytes | None:
        """The previous site's file when it is still the one the last build wrote."""
        previous = self.staging.previous
        if previous is None:
            return None
        try:
            st = os.stat(previous / path)
            if (st.st_size, st.st_mtime_ns, st.st_ino) != self.state.files.get(path):
                return None
            return (previous / path).read_bytes()
        except OSError:
            return None


_SITE_READ = [False]
"""Set when a template reads ``site.episodes`` (see ``_tracked``)."""


def _tracked(site: Site) -> Site:
    """The same site, noting in ``_SITE_READ`` whenever its list of episodes is read."""
    from ssg.model import Site

    class TrackedSite(Site):
        __slots__ = ()

        def __getattribute__(self, name: str) -> object:
            if name == "episodes":
                _SITE_READ[0] = True
            return super().__getattribute__(name)

    return TrackedSite(show=site.show, episodes=site.episodes, speakers=site.speakers,
                       content_dir=site.content_dir)


def _joined(parts: list[Rendered]) -> Rendered:
    """Rendered groups as one: their files in order, and all their page keys."""
    return [w for part in parts for w in part[0]], {k: v for part in parts for k, v in part[1].items()}


@dataclass(slots=True)
class _Job:
    """What a worker process needs to render units as the parent would (pickled once per worker)."""

    site: Site
    content: Path
    cache_dir: Path | None
    staging: write.Staging
    state: cache.State
    show: str
    site_key: str
    sources: list[str]


class _Units:
    """Renders an episode's outputs, or a group of show-wide pages, into the staging folder."""

    def __init__(self, job: _Job, renderer: Renderer | None = None) -> None:
        from ssg.render import Renderer

        if renderer is None:  # in a worker: the parent's renderer, made again
            renderer = Renderer(job.site, job.content)
            if job.cache_dir is not None:
                _template_cache(renderer, job.cache_dir)
        self.site, self.staging = job.site, job.staging
        self.renderer = renderer
        self.pages = (_PageMemo(renderer, job.state, job.staging, job.show, job.site_key,
                                {id(e): cache.combine(e.source, d) for e, d in zip(job.site.episodes, job.sources)})
                      if job.show else None)
        self.groups = renderer.site_output_groups()

    def episode(self, i: int) -> Written:
        with _template_errors():
            outputs = self.renderer.episode_outputs(i)
        cache.release(self.site.episodes[i])
        return [(path, self.staging.put(path, data)) for path, data in outputs]

    def group(self, g: int) -> Rendered:
        staging, pages = self.staging, self.pages
        with _template_errors():
            if pages is None:
                return [(path, staging.put(path, data)) for path, data in self.groups[g]()], {}
            pages.active = True
            try:
                written = [(path, staging.put(path, data)) for path, data in self.groups[g]()]
            finally:
                pages.active = False
            return written, pages.take()

    def site_pages(self) -> Rendered:
        return _joined([self.group(g) for g in range(len(self.groups))])


_WORKER: list[_Units] = []
"""The units of a worker process (set up once from a ``_Job``)."""


def _worker_setup(job: _Job) -> None:
    _WORKER[:] = [_Units(job)]


def _worker_episode(i: int) -> Written:
    return _WORKER[0].episode(i)


def _worker_group(g: int) -> Rendered:
    return _WORKER[0].group(g)


def _stage(renderer: Renderer, staging: write.Staging, result: BuildResult, progress: Progress | None,
           state: cache.State, show: str, digests: cache.Digests, jobs: int,
           cache_dir: Path | None = None) -> dict[str, tuple[str, ...]] | None:
    """Stage every output; returns the render units (key -> paths), None when two outputs clashed.

    A unit is one episode's outputs, or the show-wide pages. A unit whose
    key matches the last build has its files linked from the previous site
    (when they are still the files it wrote); the others are rendered, by
    worker processes when there are enough of them.
    """
    site = renderer.site
    content = renderer.content
    units: dict[str, tuple[str, ...]] = {}
    total = len(site.episodes)
    try:
        for path, source in renderer.asset_outputs():
            staging.copy(path, source, owner=_show_path(source, content))
        sources = [digests.of(_source_file(content, site, e.source)) for e in site.episodes] if show else []
        keys = ([cache.combine(show, sources[i], renderer.episode_key(i)) for i in range(total)]
                if show else [""] * total)
        site_key = cache.combine(show, keys) if show else ""
        todo = [i for i, key in enumerate(keys) if not _reusable(staging, state, key)]
        site_todo = not _reusable(staging, state, site_key)

        job = _Job(site, content, cache_dir, staging, state, show, site_key, sources)
        here = _Units(job, renderer)
        size = parallel.workers(jobs)
        if len(todo) < PARALLEL_MIN:
            # Few episodes to render means the show is mostly as before, and so are most of its
            # show-wide pages (``_PageMemo``): not worth starting workers for.
            size = 1
        size = max(1, min(size, len(todo) + (len(here.groups) if site_todo else 0)))
        with parallel.pool(size, _worker_setup, job) as workers:
            show_pages: Callable[[], Rendered] | None = None
            if site_todo and size > 1:
                waits = [workers.submit(_worker_group, g) for g in range(len(here.groups))]

                def show_pages() -> Rendered:
                    return _joined([wait() for wait in waits])
            episode = _worker_episode if size > 1 else here.episode
            rendered = iter(workers.map(episode, todo, chunksize=max(1, min(8, len(todo) // (4 * size)))))
            wanted = set(todo)
            for i, key in enumerate(keys):
                owner = site.episodes[i].source
                if i in wanted or not _reuse(staging, state, key, owner, units):
                    written = next(rendered) if i in wanted else here.episode(i)
                    units[key] = _claim(staging, written, owner)
                if progress and ((i + 1) % 50 == 0 or i + 1 == total):
                    progress("render", i + 1, total)
            if site_todo or not _reuse(staging, state, site_key, SITE_UNIT, units):
                written, memo = show_pages() if show_pages is not None else here.site_pages()
                units[site_key] = _claim(staging, written, SITE_UNIT)
                units.update(memo)
    except write.OutputClash as exc:
        result.problems.append(Problem(site.content_dir, None, str(exc),
                                       "rename one of them: a slug: field, or the content file"))
        return None
    except TemplateFailed as exc:
        result.problems.append(Problem(exc.path, exc.line, exc.message, exc.hint))
        return None
    return units if show else {}


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


def _reusable(staging: write.Staging, state: cache.State, key: str) -> bool:
    """Whether the last build rendered a unit with this key (its files are checked when linked)."""
    return bool(key) and staging.previous is not None and key in state.units


def _reuse(staging: write.Staging, state: cache.State, key: str, owner: str,
           units: dict[str, tuple[str, ...]]) -> bool:
    paths = state.units.get(key) if key else None
    if paths is None or not staging.reuse(paths, owner, state.files):
        return False
    units[key] = paths
    return True


def _claim(staging: write.Staging, written: Written, owner: str) -> tuple[str, ...]:
    """Claim the paths a unit staged (in a fixed order, so clashes read the same however it ran)."""
    for path, changed in written:
        staging.claim(path, owner)
        if changed:
            staging.changed.append(path)
    return tuple(path for path, _ in written)


def _source_file(content: Path, site: Site, source: str) -> str:
    """The file an episode was loaded from (``Episode.source`` is content's label + relative path)."""
    label = site.content_dir
    rel = source[len(label):].lstrip("/") if label and source.startswith(label) else source
    base = os.fspath(content)
    return rel if base == "." else f"{base}/{rel}"  # as os.fspath(content / rel), without the Path


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
    from ssg.render import Renderer
    from ssg.urls import Urls

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
