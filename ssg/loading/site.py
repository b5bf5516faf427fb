"""The whole site: show, speakers and every episode loaded, then checked together.

Episodes are loaded in worker processes when there are many, and taken from
an ``EpisodeStore`` (handed in by the incremental layer) when their file did
not change since the last load. Loading gives the site (every episode's
header) and the transcripts beside it: those the store keeps are not held in
memory (``LoadedSite.transcripts`` holds the others); whoever renders an
episode asks the store for its transcript then.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import Any, NamedTuple, Protocol

from ssg import parallel
from ssg.errors import Problem, Problems
from ssg.files import Read, scan
from ssg.loading.checks import _check_collisions, _check_feed, _check_links_out, _check_tags
from ssg.loading.episode import Loaded, load_episode
from ssg.loading.show import load_show
from ssg.loading.speakers import SpeakerIndex, load_speakers
from ssg.model import Episode, Site, Speaker, Transcript
from ssg.transcript import DEFAULT_MARKERS


class EpisodeStore(Protocol):
    """Where episodes loaded by earlier builds are kept (``ssg.incremental.EpisodeStore`` is one).

    Named here, not imported: the cache is the incremental layer, a later stage
    than loading, and hands its store in through ``load_site(open_store=...)``.
    """

    folder: Path | None
    """Where the store keeps its files (None: no store, nothing is looked up or kept)."""

    def key(self, path: Path | str, rel: str) -> str | None: ...
    def key_of(self, rel: str, digest: str) -> str | None: ...
    def saw(self, reads: dict[str, Read]) -> None: ...
    def get(self, key: str) -> Any | None: ...
    def stash(self, key: str, transcript: Transcript) -> bool: ...
    def put(self, key: str, value: Any) -> None: ...
    def save(self) -> None: ...


class _NoStore:
    """No store: every episode is loaded from its file."""

    folder: Path | None = None

    def key(self, path: Path | str, rel: str) -> str | None:
        return None

    def key_of(self, rel: str, digest: str) -> str | None:
        return None

    def saw(self, reads: dict[str, Read]) -> None:
        pass

    def get(self, key: str) -> Any | None:
        return None

    def stash(self, key: str, transcript: Transcript) -> bool:
        return False

    def put(self, key: str, value: Any) -> None:
        pass

    def save(self) -> None:
        pass


class LoadedSite(NamedTuple):
    """What ``load_site`` gives: the site, the transcripts loading holds, and every problem found."""

    site: Site | None
    """The site (every episode's header); None when there are errors."""
    transcripts: dict[str, Transcript]
    """Transcripts by episode source (``Episode.source``): every episode's, but those the store keeps."""
    problems: Problems


def load_site(content: Path, *, base_url: str | None = None, label: str | None = None,
              open_store: Callable[[str], EpisodeStore] | None = None,
              jobs: int = 1) -> LoadedSite:
    """Load everything in ``content``: (site or None, transcripts, problems).

    With ``open_store`` (given what loading an episode depends on besides its
    file, it opens the store of earlier loads), episodes whose file (and the
    speakers they are read against, and ssg itself) did not change are taken
    from the last load, and the transcripts go to the store instead of being
    held (``LoadedSite.transcripts``).
    ``jobs`` worker processes parse the others (0: one per CPU).
    """
    problems = Problems()
    label = label or content.as_posix().rstrip("/")
    transcripts: dict[str, Transcript] = {}
    if not content.is_dir():
        problems.error(label, None, "content folder not found",
                       "run from your show's folder, pass --content DIR, or start one with 'ssg new DIR'")
        return LoadedSite(None, transcripts, problems)
    reads: dict[str, Read] = {}
    show = load_show(content, label, base_url, problems, reads)
    index = load_speakers(content, label, problems, reads)
    if show is not None and show.markers:
        index.markers = DEFAULT_MARKERS + show.markers
    root = content.resolve()
    episodes: list[Episode] = []
    inferred: dict[str, Speaker] = {}
    episode_dir = content / "episodes"
    found_files = _episode_files(episode_dir, root)
    if not found_files:
        problems.warning(f"{label}/episodes", None, "no episodes found",
                         "add Markdown files to the episodes folder")
    context = repr((index.speakers, sorted(index.labels.items()), index.markers))
    store = open_store(context) if open_store is not None else _NoStore()
    store.saw(reads)
    folder = os.fspath(episode_dir)
    paths = [f"{folder}/{name}" for name, _ in found_files]  # a Path is made only for a file to load
    rels = [f"{label}/episodes/{name}" for name, _ in found_files]
    inside = [within for _, within in found_files]
    for loaded, found in _load_all(store, paths, rels, inside, root, index, jobs):
        problems.extend(list(found))
        if loaded is None:
            continue
        episodes.append(loaded.episode)
        if loaded.transcript is not None:
            transcripts[loaded.episode.source] = loaded.transcript
        for sid, speaker in loaded.inferred.items():
            inferred.setdefault(sid, speaker)
    store.save()
    _check_collisions(episodes, problems)
    _check_tags(episodes, problems)
    _check_links_out(content, root, label, problems)
    if show is not None:
        _check_feed(show, episodes, f"{label}/site.yaml", problems)
    if show is None or problems.has_errors():
        return LoadedSite(None, {}, problems)
    episodes.sort(key=lambda e: (e.date, e.number or 0, e.slug), reverse=True)
    speakers = tuple(index.speakers.values()) + tuple(sorted(inferred.values(), key=lambda s: s.name.casefold()))
    return LoadedSite(Site(show=show, episodes=tuple(episodes), speakers=speakers, content_dir=label),
                      transcripts, problems)


Result = tuple["Loaded | None", tuple[Problem, ...]]
Done = tuple["Loaded | None", tuple[Problem, ...], dict[str, Read], "str | None"]
"""A loaded episode, its problems, the file as read (``Read``) and its key in the store."""
_WORK: tuple[Path, SpeakerIndex, EpisodeStore] | None = None
"""(content root, speakers, store) for ``_load_one``, in this process and in each load worker."""
PARALLEL_MIN = 32
"""Fewer episodes to parse than this are parsed in the main process."""


def _set_work(work: tuple[Path, SpeakerIndex, EpisodeStore]) -> None:
    """Set up a load worker process."""
    global _WORK
    _WORK = work


def _load_one(item: tuple[Path, str, bool]) -> Done:
    """Load one episode, reading its file once; a file ``inside`` the content folder (``item[2]``) has its
    transcript kept in the store under the key of the bytes read (a worker returns the header only)."""
    assert _WORK is not None
    root, index, store = _WORK
    mine = Problems()
    reads: dict[str, Read] = {}
    loaded = load_episode(item[0], item[1], root, index, mine, reads)
    read = reads.get(os.fspath(item[0]))
    key = store.key_of(item[1], read[4]) if item[2] and read is not None else None
    if (loaded is not None and loaded.transcript is not None and key is not None and not mine.has_errors()
            and store.stash(key, loaded.transcript)):
        loaded = Loaded(loaded.episode, None, loaded.inferred)
    return loaded, tuple(mine.items), reads, key


def _episode_files(folder: Path, root: Path) -> list[tuple[str, bool]]:
    """The ``*.md`` files under ``folder``, as ``sorted(folder.rglob("*.md"))`` finds them.

    Each as (path relative to ``folder``, whether it is certainly inside
    ``root``: no symlink on the way from ``folder``, which itself lies in
    ``root``). Like ``rglob``, symlinked folders are not entered. One
    ``scandir`` a folder, no ``Path`` per file: a show has thousands.
    """
    try:
        if not folder.is_dir():
            return []
        base_inside = folder.resolve().is_relative_to(root)
    except OSError:
        return []
    found = [(rel.split("/"), base_inside and not entry.is_symlink())
             for rel, entry in scan(folder) if entry.name.endswith(".md")]
    found.sort()  # by parts, as Paths sort
    return [("/".join(parts), inside) for parts, inside in found]


def _load_all(store: EpisodeStore, paths: list[str], rels: list[str], inside: list[bool], root: Path,
              index: SpeakerIndex, jobs: int) -> list[Result]:
    """Each episode loaded (or taken from the store), with its problems, in path order.

    Only a file ``inside`` the content folder (no symlink on its way) is
    looked up in the store or stashed into it; the others are loaded (and
    refused) as usual. A file is looked up only when the store knows its
    digest without reading it; the others are read once, by loading them.
    """
    results: list[Result | None] = [None] * len(paths)
    keys: dict[int, str] = {}
    for i, path in enumerate(paths if store.folder is not None else ()):  # no store: no keys
        try:
            key = store.key(path, rels[i]) if inside[i] else None
        except OSError:
            key = None
        if key is None:
            continue
        keys[i] = key
        hit = store.get(key)
        if isinstance(hit, tuple) and len(hit) == 2 and isinstance(hit[0], Loaded) and hit[0].transcript is None:
            results[i] = (hit[0], tuple(hit[1]))
    todo = [i for i, r in enumerate(results) if r is None]
    workers = jobs if jobs > 0 else (os.cpu_count() or 1)
    global _WORK
    _WORK = (root, index, store)
    items = [(Path(paths[i]), rels[i], inside[i]) for i in todo]
    try:
        size = min(workers, len(todo)) if len(todo) >= PARALLEL_MIN else 1
        with parallel.pool(size, _set_work, _WORK) as pool:
            done = list(pool.map(_load_one, items, chunksize=8))
    finally:
        _WORK = None
    for i, (loaded, found, reads, key) in zip(todo, done):
        results[i] = (loaded, found)
        store.saw(reads)
        if loaded is not None and loaded.transcript is None and key is not None:  # its transcript is stored
            store.put(key, (loaded, found))
    return [r for r in results if r is not None]
