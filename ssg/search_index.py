"""Search index: Pagefind (from the ``pagefind-bin`` package) over the built pages, in shards.

Episode pages are split into groups by a hash of their path (``SHARDS`` of
them, doubled for as long as a group would hold more than ``SHARD_PAGES``
pages, since Pagefind's memory grows with the pages of a run), and
speaker pages (name, role and bio) form one more group; each group gets its
own Pagefind bundle (``pagefind/<group>/``). The search page loads one bundle
and merges the others (Pagefind's ``mergeIndex``), as listed in
``pagefind/shards.json``. Bundles are indexed in parallel, and a rebuild
re-indexes only the groups whose pages changed: the others keep their
previous bundle, which is what Pagefind would write again for the same pages
(up to the order it names a few files in).

So that anything made for Pagefind's standard layout works (its stock UIs
with their default ``bundlePath``, ``import("/pagefind/pagefind.js")``),
``pagefind/`` itself holds Pagefind's UI files (once, not per bundle) and a
``pagefind.js`` of ours with the exports of Pagefind's: it loads the first
bundle and merges the others before answering. A rebuild that indexes no
bundle keeps the previous UI files.

Each bundle also gets ``bundle.json``: its pages (what a rebuild compares)
and each page's publication date by Pagefind's page id (read back from the
fragments Pagefind wrote). The dates of all bundles are merged into
``pagefind/dates.json`` for the search page's "newest first" (Pagefind sorts
merged results by score, which is no date order across bundles).

Runs with no network access and no configuration but ours (no
``PAGEFIND_*`` variables, no ``pagefind.yml`` from the working folder); any
failure, or a bundle that was not written, becomes a build error naming what
to do.
"""

from __future__ import annotations

import gzip
import json
import os
import re
import shutil
import subprocess
import tempfile
import threading
import zlib
from collections.abc import Callable, Iterable
from pathlib import Path

from ssg.errors import Problem

OUTPUT_SUBDIR = "pagefind"
SHARDS = 8
"""Number of episode shards of a show of up to ``SHARDS * SHARD_PAGES`` episodes (an episode's shard moves
only when the show grows past such a size)."""
SHARD_PAGES = 400
"""Most episode pages a shard should hold: Pagefind takes about 1.2 MB of memory per page it indexes."""
SPEAKERS = "speakers"
"""The group of speaker pages (they change whenever an episode adds an appearance; kept apart so
that does not re-index episode shards)."""
LIST = "shards.json"
DATES = "dates.json"
BUNDLE = "bundle.json"
TIMEOUT = 1800
"""Seconds one Pagefind run may take."""
SIGNATURE = b"pagefind_dcd"
"""What a decompressed Pagefind fragment starts with."""
STOCK = ("pagefind-ui.js", "pagefind-ui.css", "pagefind-component-ui.js", "pagefind-component-ui.css",
         "pagefind-modular-ui.js", "pagefind-modular-ui.css", "pagefind-highlight.js")
"""Pagefind's own search interfaces (about 0.4 MB): kept once, in ``pagefind/``, where they find ``pagefind.js``."""
ENTRY = "pagefind.js"
ENTRY_JS = """// Pagefind's standard entry point for this site, written by ssg (ssg/search_index.py). The index is in
// bundles, pagefind/<bundle>/, each a whole Pagefind bundle: this module loads the first and merges the
// others before it answers, so anything made for Pagefind's standard layout (its stock UIs with their
// default bundlePath, import("/pagefind/pagefind.js")) searches the whole site. Same exports as Pagefind's.
import * as primary from "./%(first)s/pagefind.js";

const BUNDLES = %(bundles)s;
const here = new URL(".", import.meta.url);
const at = name => new URL(name + "/", here).href;
// Pages are listed from the site's root (the folder above this one) unless a baseUrl is given.
const settled = (given = {}) => {
  const { basePath, ...rest } = given || {};
  return { baseUrl: new URL("..", here).pathname, ...rest };
};

function merger(target, given) {
  let done = null;
  return () => done ??= (async () => {
    for (const name of BUNDLES.slice(1)) await target.mergeIndex(at(name), { baseUrl: settled(given()).baseUrl });
  })();
}

let chosen = {};
let ready = merger(primary, () => chosen);
primary.options(settled());
export const options = async given => { chosen = { ...chosen, ...given }; return primary.options(settled(given)); };
export const init = async () => { await primary.init(); await ready(); };
export const search = async (term, given) => { await ready(); return primary.search(term, given); };
export const debouncedSearch = async (term, given, wait) => { await ready(); return primary.debouncedSearch(term, given, wait); };
export const preload = async (term, given) => { await ready(); return primary.preload(term, given); };
export const filters = async () => { await ready(); return primary.filters(); };
export const mergeIndex = async (path, given) => { await ready(); return primary.mergeIndex(path, given); };
export const destroy = async () => { await primary.destroy(); chosen = {}; ready = merger(primary, () => chosen); };
export const createInstance = (given = {}) => {
  const instance = primary.createInstance({ ...settled(given), basePath: at(BUNDLES[0]) });
  const merged = merger(instance, () => given);
  return {
    options: more => instance.options(settled(more)),
    init: async () => { await instance.init(); await merged(); },
    destroy: () => instance.destroy(),
    mergeIndex: async (path, more) => { await merged(); return instance.mergeIndex(path, more); },
    search: async (term, more = {}) => { await merged(); return instance.search(term, more); },
    debouncedSearch: async (term, more, wait) => { await merged(); return instance.debouncedSearch(term, more, wait); },
    preload: async (term, more = {}) => { await merged(); return instance.preload(term, more); },
    filters: async () => { await merged(); return instance.filters(); },
  };
};
"""

Linker = Callable[[str], list[str]]
"""Takes a folder of the previous site into the staging folder; returns its files."""
Locator = Callable[[str], Path]
"""Where the bytes of a staged path are (the staging folder holds only changed files on a rebuild)."""


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


def shard_count(episodes: int) -> int:
    """How many shards the episode pages of a show of this size are split into."""
    count = SHARDS
    while episodes > count * SHARD_PAGES:
        count *= 2
    return count


def shard_of(page: str, shards: int = SHARDS) -> str:
    """The group of an indexed page: ``shard-N`` for an episode page, ``speakers`` for a speaker page."""
    if page.startswith("speakers/"):
        return SPEAKERS
    return f"shard-{zlib.crc32(page.encode('utf-8')) % shards}"


def indexed_pages(paths: Iterable[str]) -> list[str]:
    """Of the site's paths, the pages Pagefind indexes: episode pages and speaker pages."""
    return sorted(path for path in paths if _INDEXED.fullmatch(path))


_INDEXED = re.compile(r"(?:episodes|speakers)/[^/]+/index\.html")


def group_pages(pages: list[str]) -> dict[str, list[str]]:
    """Pages by group, episode shards first (the search page loads the first group's bundle)."""
    groups: dict[str, list[str]] = {}
    shards = shard_count(sum(not page.startswith("speakers/") for page in pages))
    for page in pages:
        groups.setdefault(shard_of(page, shards), []).append(page)
    return dict(sorted(groups.items(), key=lambda item: (item[0] == SPEAKERS, item[0])))


def index_site(folder: Path, paths: Iterable[str], previous: Path | None = None, changed: set[str] | None = None,
               link: Linker | None = None, locate: Locator | None = None) -> tuple[list[str], list[Problem]]:
    """Index the site staged in ``folder``, whose files are ``paths``; returns (files written, problems).

    With ``previous`` (the last site), ``changed`` (pages added or changed
    since) and ``link`` (takes a folder of the previous site into this
    one), groups none of whose pages changed are taken from the previous site.
    ``locate`` says where a staged file's bytes are when that is not ``folder``.
    Bundles are written into ``folder``.
    """
    folder = folder.resolve()  # Pagefind runs in a folder of its own: every path it gets is absolute
    where: Locator = locate or (lambda path: folder / path)
    groups = group_pages(indexed_pages(paths))
    reuse = _reusable(groups, previous, changed) if link is not None else set()
    if reuse and len(reuse) == len(groups) and not _has_stock(previous):
        reuse.discard(min(reuse, key=lambda name: (len(groups[name]), name)))  # index one, for Pagefind's UI files
    todo = [name for name in groups if name not in reuse]
    exe = pagefind_executable()
    if todo and exe is None:
        return [], [Problem("pagefind", None, "the Pagefind binary is not installed",
                            "pip install pagefind-bin, or build with --no-search")]
    files: list[str] = []
    for name in groups:
        if name in reuse:
            assert link is not None
            files += link(f"{OUTPUT_SUBDIR}/{name}")
    if todo:
        assert exe is not None
        problems = _run_groups(exe, folder, {name: groups[name] for name in todo}, where)
        if problems:
            return [], problems
    files += _place_stock(folder, todo, previous)
    for name in todo:
        root = folder / OUTPUT_SUBDIR / name
        files += sorted(p.relative_to(folder).as_posix() for p in root.rglob("*") if p.is_file())
    files += _write_lists(folder, groups, where)
    return files, []


def _has_stock(previous: Path | None) -> bool:
    return previous is not None and all((previous / OUTPUT_SUBDIR / name).is_file() for name in STOCK)


def _place_stock(folder: Path, indexed: list[str], previous: Path | None) -> list[str]:
    """Put Pagefind's UI files in ``pagefind/``: from a bundle indexed now (dropping every bundle's copy),
    else the previous site's."""
    if not indexed and not _has_stock(previous):
        return []  # no pages to index
    root = folder / OUTPUT_SUBDIR
    root.mkdir(parents=True, exist_ok=True)
    for name in STOCK:
        if indexed:
            os.replace(root / indexed[0] / name, root / name)
            for other in indexed[1:]:
                (root / other / name).unlink(missing_ok=True)
        else:
            assert previous is not None
            shutil.copy2(previous / OUTPUT_SUBDIR / name, root / name)
    return [f"{OUTPUT_SUBDIR}/{name}" for name in STOCK]


def _reusable(groups: dict[str, list[str]], previous: Path | None, changed: set[str] | None) -> set[str]:
    """Groups whose pages are the same as last time and unchanged, with a complete bundle to take."""
    if previous is None or changed is None:
        return set()
    old = _previous_groups(previous)
    return {name for name, pages in groups.items()
            if old.get(name) == pages and not (set(pages) & changed)
            and _complete(previous / OUTPUT_SUBDIR / name)}


def _complete(bundle: Path) -> bool:
    """Whether a folder holds a whole bundle: Pagefind's entry points, the metadata and wasm files
    its entry names (a site left half-replaced by an older ssg may lack them), and our ``bundle.json``."""
    if not all((bundle / name).is_file() for name in ("pagefind.js", "pagefind-entry.json", BUNDLE)):
        return False
    try:
        languages = json.loads((bundle / "pagefind-entry.json").read_text(encoding="utf-8"))["languages"]
        named = [f"pagefind.{lang['hash']}.pf_meta" for lang in languages.values()]
        named += [f"wasm.{lang['wasm']}.pagefind" for lang in languages.values() if lang.get("wasm")]
    except (OSError, ValueError, KeyError, AttributeError, TypeError):
        return False
    return bool(named) and all((bundle / name).is_file() for name in named)


def _read_bundle(listing: Path) -> tuple[list[str], dict[str, str]]:
    """A bundle's pages and dates from its ``bundle.json`` (nothing when it is missing or broken)."""
    try:
        data = json.loads(listing.read_text(encoding="utf-8"))
        return [str(p) for p in data["pages"]], {str(k): str(v) for k, v in data["dates"].items()}
    except (OSError, ValueError, KeyError, AttributeError, TypeError):
        return [], {}


def _previous_groups(previous: Path) -> dict[str, list[str]]:
    root = previous / OUTPUT_SUBDIR
    if not root.is_dir():
        return {}
    return {bundle.name: _read_bundle(bundle / BUNDLE)[0] for bundle in root.iterdir() if bundle.is_dir()}


def _write_lists(folder: Path, groups: dict[str, list[str]], where: Locator) -> list[str]:
    """Write ``shards.json`` (the bundles, for the search page) and ``dates.json`` (all bundles' dates)."""
    root = folder / OUTPUT_SUBDIR
    root.mkdir(parents=True, exist_ok=True)
    listing = {"shards": [f"{name}/" for name in groups]}
    (root / LIST).write_text(json.dumps(listing) + "\n", encoding="utf-8")
    names = list(groups)
    if names:
        (root / ENTRY).write_text(ENTRY_JS % {"first": names[0], "bundles": json.dumps(names)}, encoding="utf-8")
    dates: dict[str, str] = {}
    for name in groups:
        dates.update(_read_bundle(where(f"{OUTPUT_SUBDIR}/{name}/{BUNDLE}"))[1])
    (root / DATES).write_text(json.dumps(dates, sort_keys=True, separators=(",", ":")) + "\n", encoding="utf-8")
    return [f"{OUTPUT_SUBDIR}/{LIST}", f"{OUTPUT_SUBDIR}/{DATES}"] + ([f"{OUTPUT_SUBDIR}/{ENTRY}"] if names else [])


def _run_groups(exe: Path, folder: Path, groups: dict[str, list[str]], where: Locator) -> list[Problem]:
    """Run Pagefind once per group, a few at a time, each over a folder of hard links to its pages.

    Largest groups first, each lane taking the next group as soon as its run
    ends: no lane idles at the end while one large group runs alone.
    """
    from concurrent.futures import ThreadPoolExecutor

    work = Path(tempfile.mkdtemp(prefix=".ssg-pagefind-", dir=folder.parent))
    started: list[subprocess.Popen[str]] = []
    lock = threading.Lock()
    stopping = threading.Event()

    def index(name: str) -> Problem | None:
        with lock:  # no run starts once stopping is set (the runs started are stopped with the build)
            if stopping.is_set():
                return None
            try:
                process = _start(exe, folder, work, name, groups[name], where)
            except OSError as exc:
                stopping.set()
                return Problem("pagefind", None, f"could not run Pagefind: {exc}",
                               "reinstall pagefind-bin, or build with --no-search")
            started.append(process)
        return _finish(process, TIMEOUT) or _check_bundle(folder / OUTPUT_SUBDIR / name, groups[name])

    lanes = ThreadPoolExecutor(max(1, os.cpu_count() or 1))
    try:
        found = list(lanes.map(index, sorted(groups, key=lambda name: -len(groups[name]))))
    finally:
        with lock:
            stopping.set()
            for process in started:
                if process.poll() is None:
                    process.kill()
        lanes.shutdown(wait=True, cancel_futures=True)
        shutil.rmtree(work, ignore_errors=True)
    unique: dict[str, Problem] = {p.message: p for p in found if p is not None}
    return list(unique.values())


def _start(exe: Path, folder: Path, work: Path, name: str, pages: list[str],
           where: Locator) -> subprocess.Popen[str]:
    """Start Pagefind over one group's pages (hard links under ``work``), writing ``pagefind/<name>/``."""
    source = work / name
    for page in pages:
        target = source / page
        target.parent.mkdir(parents=True, exist_ok=True)
        os.link(where(page), target)
    output = folder / OUTPUT_SUBDIR / name
    command = [str(exe), "--site", str(source), "--output-path", str(output), "--silent"]
    env = {k: v for k, v in os.environ.items() if not k.startswith("PAGEFIND_")}
    # In its own folder, so no pagefind.yml/.toml/.json lying around the user's project applies.
    return subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            env=env, cwd=work)


def _finish(process: subprocess.Popen[str], timeout: float = TIMEOUT) -> Problem | None:
    """Wait for one Pagefind run (at most ``timeout`` seconds); a problem when it failed or took too long."""
    try:
        out, err = process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        process.kill()
        process.communicate()
        return Problem("pagefind", None, f"search indexing took more than {TIMEOUT} s and was stopped",
                       "build with --no-search to publish without search")
    if process.returncode == 0:
        return None
    detail = [line for line in (err or out).strip().splitlines() if line.strip()]
    message = detail[-1].strip() if detail else f"exit code {process.returncode}"
    return Problem("pagefind", None, f"search indexing failed: {message}",
                   "build with --no-search to publish without search")


def _check_bundle(bundle: Path, pages: list[str]) -> Problem | None:
    """Check Pagefind wrote a bundle with one fragment per page (and its UI files); write its ``bundle.json``."""
    fragments = sorted((bundle / "fragment").glob("*.pf_fragment"))
    if not (bundle / "pagefind.js").is_file() or not (bundle / "pagefind-entry.json").is_file():
        return Problem("pagefind", None, f"Pagefind reported success but wrote no index in {bundle.name}/",
                       "reinstall pagefind-bin, or build with --no-search")
    if len(fragments) < len(pages):
        return Problem("pagefind", None, f"Pagefind indexed {len(fragments)} of {len(pages)} pages "
                       f"in {bundle.name}/ (first page: {pages[0]})",
                       "keep data-pagefind-body in overridden episode.html and speaker.html templates")
    dates: dict[str, str] = {}
    for path in fragments:
        date = _fragment_date(path)
        if date:
            dates[path.name.removesuffix(".pf_fragment")] = date
    data = {"pages": pages, "dates": dict(sorted(dates.items()))}
    (bundle / BUNDLE).write_text(json.dumps(data, indent=0) + "\n", encoding="utf-8")
    if not all((bundle / name).is_file() for name in STOCK):
        return Problem("pagefind", None, f"Pagefind wrote no search interface files in {bundle.name}/",
                       "reinstall pagefind-bin, or build with --no-search")
    return None


def _fragment_date(path: Path) -> str:
    """The ``date`` meta of a Pagefind fragment (gzip of a signature and JSON), or ''."""
    try:
        data = gzip.decompress(path.read_bytes())
        if data.startswith(SIGNATURE):
            data = data[len(SIGNATURE):]
        meta = json.loads(data).get("meta", {})
    except (OSError, ValueError, AttributeError):
        return ""
    date = meta.get("date", "") if isinstance(meta, dict) else ""
    return date if isinstance(date, str) else ""
