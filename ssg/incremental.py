"""The incremental layer: what a rebuild may take from the last build instead of doing it again.

The one module that knows a build cache exists. The render stage declares
its units (``ssg.render.Unit``: outputs, and the episodes and values they
read besides the show-wide inputs); this module turns those declarations
into keys (content hashes of the inputs) and says which units the last
build already made with the same key. The build links their files from the
previous site and renders the others.

The cache lives outside the site (``.ssg-cache/`` beside ``content/``) and is
only ever an accelerator: a missing, stale, damaged or foreign file is
ignored (a miss), never trusted. Every file in it is sealed (``_seal``): a
header holding the format and a BLAKE2b checksum over its bytes and its
label, which names what the file is, the key it was stored under (a turns
file, a compiled template) and the ssg that wrote it (``source_fingerprint``).
A file is used only when its checksum is proved again for the label asked
for, so a changed byte, a file of another ssg and two files swapped are all
misses. It holds:

- ``digests.pickle``: a content hash of every input file, kept with the
  file's size, times and inode so an unchanged file is not read again (a
  file changed within ``RACY_NS`` of being hashed is hashed again by the
  next build; within one build a file is read at most once);
- ``episodes/``: each episode's header as loaded, keyed by its file's bytes,
  the speakers it was read against and ssg's own source; its transcript sits
  in a file of its own, read (and its seal proved) just before the episode
  is rendered (``Transcripts``), so a rebuild that renders one episode reads
  one, and a build holds only the transcripts being rendered;
- ``state.pickle``: the last successful build: a fingerprint of all of its
  inputs, every file of the site it wrote (size, modification time, inode),
  the output paths of each render unit under the key of its inputs, and its
  problems. A build whose inputs and site are exactly as recorded has
  nothing to do; otherwise units whose keys match link their files from the
  previous site (when those files are still the ones recorded);
- ``templates/``: Jinja's compiled templates (``template_cache``).

Keys hash inputs, never a list of which output reads what: the ssg source,
the theme, every content file and the build options. Tests check that a
cached rebuild gives a site byte-identical to a clean build.
"""

from __future__ import annotations

import hashlib
import io
import os
import pickle
import shutil
import sys
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import lru_cache, partial
from importlib.util import find_spec
from operator import attrgetter
from pathlib import Path
from typing import TYPE_CHECKING, Any

import ssg
from ssg.files import Read, digest, scan

if TYPE_CHECKING:
    from jinja2 import BytecodeCache

    from ssg.feeds import FeedItems
    from ssg.model import Episode, Site, Transcript
    from ssg.render import Unit
    from ssg.write import FileStat

VERSION = 7
"""Format of everything in the cache folder; another value is a cold cache."""
STATE = "state.pickle"
DIGESTS = "digests.pickle"
EPISODES = "episodes"
INDEX = "index.pickle"
TURNS = ".turns"
"""Suffix of an episode's turns file (its name is the episode's key)."""
RACY_NS = 2_000_000_000
"""A digest is trusted only for a file last changed this long before it was hashed."""
LIBRARIES = ("jinja2", "markupsafe", "markdown_it", "mdurl", "yaml", "pagefind_bin")
"""Installed packages whose version can change the output."""
LEFTOVERS = ("outputs.json", "episodes.pickle")
"""Files of older cache formats, deleted on sight."""
MAGIC = b"ssg-cache\0" + VERSION.to_bytes(2, "big")
"""First bytes of every sealed cache file (a file of another format is a miss)."""
CHECKSUM_SIZE = 32
"""Bytes of the BLAKE2b checksum after ``MAGIC``."""


class CacheCorrupt(Exception):
    """A cache file a build relied on vanished or was damaged while it ran (the build starts again cold)."""


# Fingerprints --------------------------------------------------------------------
@lru_cache(maxsize=1)
def source_fingerprint() -> str:
    """Hash of ssg's own source, the Python version and the libraries that shape the output."""
    digest = hashlib.sha256(f"{VERSION}\0{ssg.__version__}\0{sys.version}".encode())
    package = Path(ssg.__file__).resolve().parent
    for path in sorted(package.rglob("*.py")):
        digest.update(path.relative_to(package).as_posix().encode() + b"\0")
        digest.update(path.read_bytes())
    for name in LIBRARIES:
        spec = find_spec(name)
        origin = spec.origin if spec is not None else None
        if origin and os.path.exists(origin):
            st = os.stat(origin)
            digest.update(f"\0{name}\0{origin}\0{st.st_size}\0{st.st_mtime_ns}".encode())
    return digest.hexdigest()


@dataclass(slots=True)
class Digests:
    """Content hashes of files, remembered with their stat so unchanged files are not read again."""

    path: Path | None
    """Where the table is kept (None: not kept)."""
    known: dict[str, tuple[int, int, int, int, int, str]] = field(default_factory=dict)
    """File -> (size, mtime_ns, ctime_ns, inode, hashed at (ns), hex digest)."""
    used: dict[str, tuple[int, int, int, int, int, str]] = field(default_factory=dict)
    """The entries asked for since the last save (what the next save keeps)."""
    fresh: bool = False
    """Whether a file was hashed since the last save."""

    @classmethod
    def open(cls, cache_dir: Path | None) -> Digests:
        """The table kept in ``cache_dir`` (empty when absent, damaged or of another ssg)."""
        if cache_dir is None:
            return cls(None)
        path = cache_dir / DIGESTS
        data = _read_sealed(path, _label(DIGESTS))
        known = data.get("digests") if isinstance(data, dict) else None
        return cls(path, known if isinstance(known, dict) else {})

    def of(self, path: Path | str) -> str:
        """Hex digest of the file's bytes (read and hashed now unless ``trusted`` knows it)."""
        name = os.fspath(path)
        known = self.trusted(name)
        if known is not None:
            return known
        with open(name, "rb") as handle:
            st = os.fstat(handle.fileno())
            data = handle.read()
        self.saw(name, (st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino, digest(data)))
        return self.used[name][5]

    def trusted(self, path: Path | str) -> str | None:
        """The file's digest when it is known without reading the file: hashed in this build, or
        recorded for the file's present stat long enough after its last change (``RACY_NS``)."""
        name = os.fspath(path)
        try:
            st = os.stat(name)
        except OSError:
            return None
        sig = (st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino)
        done = self.used.get(name)
        if done is not None and done[:4] == sig:  # hashed (or trusted) already in this build
            return done[5]
        old = self.known.get(name)
        if (old is not None and old[:4] == sig
                and old[4] - max(st.st_mtime_ns, st.st_ctime_ns) > RACY_NS):
            self.used[name] = old
            return old[5]
        return None

    def racy(self, path: Path | str) -> bool:
        """Whether the file's stat is as recorded, but changed too soon before it was hashed to trust it."""
        name = os.fspath(path)
        old = self.known.get(name)
        try:
            st = os.stat(name)
        except OSError:
            return False
        return old is not None and old[:4] == (st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino)

    def changed(self) -> bool:
        """Whether a file hashed or trusted since the last save is no longer as it was then."""
        for name, entry in self.used.items():
            try:
                st = os.stat(name)
            except OSError:
                return True
            if (st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino) != entry[:4]:
                return True
        return False

    def saw(self, name: str, read: tuple[int, int, int, int, str]) -> None:
        """Record the digest of bytes read elsewhere: (size, mtime_ns, ctime_ns, inode, hex digest) of the file
        as it was read (``fstat`` of the open file) and the BLAKE2b digest (20 bytes) of the bytes."""
        entry = (*read[:4], time.time_ns(), read[4])
        self.known[name] = self.used[name] = entry
        self.fresh = True

    def save(self) -> None:
        """Keep the entries used since the last save."""
        if self.path is not None and (self.fresh or self.used.keys() != self.known.keys()):
            _write_sealed(self.path, _label(DIGESTS), {"digests": self.used})
        self.known, self.used, self.fresh = self.used, {}, False


def walk(root: Path) -> Iterator[tuple[str, os.DirEntry[str]]]:
    """Every file and symlink under ``root`` as (relative POSIX path, entry), sorted by path parts."""
    found = [(rel.split("/"), rel, entry) for rel, entry in scan(root) if not entry.is_dir(follow_symlinks=False)]
    found.sort(key=lambda item: item[0])
    for _, rel, entry in found:
        yield rel, entry


class Untrusted(Exception):
    """A file's digest is not known without reading it (``tree_digest`` with ``read=False``)."""


def tree_digest(digest: Any, root: Path, digests: Digests, skip: Iterable[str] = (), read: bool = True) -> None:
    """Feed every file under ``root`` (path and content hash) into ``digest``.

    With ``read=False`` no file is read: ``Untrusted`` is raised for one whose digest is not known.
    """
    skipped = tuple(skip)
    digest.update(f"\0root\0{root}\0".encode())
    for rel, entry in walk(root):
        if skipped and rel.startswith(skipped):
            continue
        if entry.is_symlink():
            digest.update(f"{rel}\0link\0{os.readlink(entry.path)}\0".encode())
            if not entry.is_file():
                continue
        elif not entry.is_file(follow_symlinks=False):
            continue
        known = digests.of(entry.path) if read else digests.trusted(entry.path)
        if known is None and digests.racy(entry.path):
            known = digests.of(entry.path)  # as recorded, but changed too recently to trust that: hashed again
        if known is None:
            raise Untrusted(entry.path)
        digest.update(f"{rel}\0{known}\0".encode())


def inputs_fingerprint(content: Path, theme_roots: list[Path], options: str, digests: Digests,
                       read: bool = False) -> str:
    """Hash of everything a build reads: ssg itself, its options, the themes and every content file.

    Without ``read`` only a file whose stat is as recorded but too recent to
    trust is read: '' as soon as a file is seen to have changed (its stat),
    so a changed file is read once, by the build that follows.
    """
    digest = hashlib.sha256(f"{source_fingerprint()}\0{options}".encode())
    try:
        for root in [content, *theme_roots]:
            tree_digest(digest, root, digests, read=read)
    except Untrusted:
        return ""
    return digest.hexdigest()


def show_key(content: Path, theme_roots: list[Path], show_model: str, digests: Digests) -> str:
    """Hash of the show-wide inputs of every page: all but the episode files, and the loaded show."""
    digest = hashlib.sha256(f"{source_fingerprint()}\0{show_model}".encode())
    tree_digest(digest, content, digests, skip=[f"{EPISODES}/"])
    for root in theme_roots:
        tree_digest(digest, root, digests)
    return digest.hexdigest()


def combine(*parts: object) -> str:
    """One key from several (keys, digests, reprs of small values)."""
    digest = hashlib.sha256()
    for part in parts:
        digest.update(repr(part).encode())
        digest.update(b"\0")
    return digest.hexdigest()


# The layer as a build uses it -----------------------------------------------------
@dataclass(slots=True)
class Layer:
    """The incremental layer of one build: what it may take from the last build, and what it records.

    With no cache folder nothing is taken or recorded (every key is '').
    """

    cache_dir: Path | None
    content: Path
    theme_roots: list[Path]
    options: str
    """The build options that shape the output (as text)."""
    target: str
    """The output folder (absolute)."""
    digests: Digests
    state: State
    """The last successful build into ``target`` (empty when there is none)."""
    fingerprint: str = ""
    """``inputs_fingerprint`` at the start of this build ('' without a cache or a last build to compare with)."""
    episode_keys: dict[str, str] = field(default_factory=dict)
    """Episode source -> key of what it was loaded from (its file's bytes, with the show-wide key)."""
    store: EpisodeStore | None = None
    """The store of loaded episodes, once loading opened it (``open_store``)."""

    @classmethod
    def open(cls, cache_dir: Path | None, content: Path, theme_roots: list[Path], options: str,
             target: str) -> Layer:
        digests = Digests.open(cache_dir)
        state = State.load(cache_dir)
        if state.out != target:
            state = State()
        fingerprint = inputs_fingerprint(content, theme_roots, options, digests) if state.fingerprint else ""
        return cls(cache_dir, content, theme_roots, options, target, digests, state, fingerprint)

    def nothing_to_do(self, site_as_recorded: bool) -> bool:
        """Whether every input and the site are exactly as the last build left them."""
        return bool(self.fingerprint) and self.state.fingerprint == self.fingerprint and site_as_recorded

    def open_store(self, context: str) -> EpisodeStore:
        """The store of loaded episodes (``ssg.loading.load_site``'s ``open_store``)."""
        self.store = EpisodeStore.open(self.cache_dir, context, self.digests)
        return self.store

    def transcripts(self, held: dict[str, Transcript]) -> Transcripts:
        """Where rendering finds each episode's transcript: ``held`` (as loading returned them), or the store."""
        return Transcripts(held) if self.store is None else self.store.transcripts(held)

    def templates(self) -> Path | None:
        """The folder of compiled templates (``template_cache``); None without a cache."""
        if self.cache_dir is None:
            return None
        folder = self.cache_dir / "templates"
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError:
            return None
        return folder

    def keys(self, site: Site, units: Sequence[Unit], show_values: str) -> list[str]:
        """The key of each unit: a hash of the show-wide inputs and of what the unit declares it reads."""
        if self.cache_dir is None:
            return [""] * len(units)
        show = show_key(self.content, self.theme_roots, f"{self.options}\0{show_values}", self.digests)
        label, base = site.content_dir, os.fspath(self.content)
        episode = [combine(show, self.digests.of(_source_file(base, label, e.source))) for e in site.episodes]
        self.episode_keys = {e.source: key for e, key in zip(site.episodes, episode)}
        every = combine(show, episode)
        count = len(episode)
        keys = []
        for unit in units:
            headers = every if len(unit.headers) == count and count else [episode[i] for i in unit.headers]
            keys.append(combine(show, unit.name, [episode[i] for i in unit.episodes], headers, unit.values))
        return keys

    def saw(self, reads: dict[str, Read]) -> None:
        """Files the build read (``ssg.files.read_bytes``): their digests are known without reading them again."""
        for name, read in reads.items():
            self.digests.saw(name, read)

    def taken(self, key: str) -> tuple[str, ...] | None:
        """The output paths the last build made under ``key`` (None: not made, render the unit)."""
        return self.state.units.get(key) if key else None

    def feed_items(self, previous: Path | None) -> FeedItems | None:
        """The last feed's items, each taken again while its episode and the show-wide inputs are as they were."""
        if self.cache_dir is None:
            return None
        from ssg.feeds import FeedItems
        from ssg.urls import Urls

        keys = ItemKeys({source: combine(key, "feed item") for source, key in self.episode_keys.items()})
        units = self.state.units
        known = {key: units[key][0] for key in keys.keys.values() if len(units.get(key, ())) == 1}
        feed = self.previous_file(previous, Urls.FEED) if known else None
        if feed is None:
            return FeedItems(keys)
        return FeedItems.from_feed(keys, feed.decode("utf-8", "surrogateescape"), known)

    def previous_file(self, previous: Path | None, path: str) -> bytes | None:
        """A file of the previous site when it is still the one the last build wrote."""
        if previous is None:
            return None
        try:
            st = os.stat(previous / path)
            if (st.st_size, st.st_mtime_ns, st.st_ino) != self.state.files.get(path):
                return None
            return (previous / path).read_bytes()
        except OSError:
            return None

    def record(self, files: dict[str, FileStat], units: dict[str, tuple[str, ...]],
               problems: tuple[tuple[str, int | None, str, str, str], ...], counts: tuple[int, int]) -> None:
        """Remember a successful build (once its site is in place)."""
        if self.cache_dir is None:
            return
        # Inputs that changed while the build ran must not be taken as what it built from (no fingerprint).
        digests = self.digests
        fingerprint = "" if digests.changed() else inputs_fingerprint(self.content, self.theme_roots, self.options,
                                                                       digests, read=True)
        State(fingerprint, self.target, files, units, problems, counts).save(self.cache_dir)
        self.digests.save()

    def done(self) -> None:
        """End a build that recorded nothing (it failed, or had nothing to do)."""
        self.digests.save()


@dataclass(frozen=True, slots=True)
class ItemKeys:
    """Key of an episode's feed item, by the episode's source (``FeedItems.key_of``; picklable for workers)."""

    keys: dict[str, str]

    def __call__(self, episode: Episode) -> str | None:
        return self.keys.get(episode.source)


def _source_file(base: str, label: str, source: str) -> str:
    """The file an episode was loaded from (``Episode.source`` is content's label + relative path)."""
    rel = source[len(label):].lstrip("/") if label and source.startswith(label) else source
    return rel if base == "." else f"{base}/{rel}"  # as os.fspath(content / rel), without the Path


# The last successful build -------------------------------------------------------

@dataclass(slots=True)
class State:
    """What the last successful build read and wrote."""

    fingerprint: str = ""
    """``inputs_fingerprint`` of the build (with its options)."""
    out: str = ""
    """The output folder it wrote (absolute)."""
    files: dict[str, FileStat] = field(default_factory=dict)
    """Every file of that site."""
    units: dict[str, tuple[str, ...]] = field(default_factory=dict)
    """Render unit key -> the output paths it wrote."""
    problems: tuple[tuple[str, int | None, str, str, str], ...] = ()
    """Its problems (path, line, message, hint, level): warnings only, as it succeeded."""
    counts: tuple[int, int] = (0, 0)
    """Episodes and speakers it built."""

    @classmethod
    def load(cls, cache_dir: Path | None) -> State:
        """The state in ``cache_dir``; an empty one when absent, damaged or of another ssg."""
        if cache_dir is None:
            return cls()
        data = _read_sealed(cache_dir / STATE, _label(STATE))
        if not isinstance(data, dict):
            return cls()
        state = cls(data.get("fingerprint"), data.get("out"), data.get("files"), data.get("units"),  # type: ignore[arg-type]
                    data.get("problems"), data.get("counts"))  # type: ignore[arg-type]
        return state if state._well_formed() else cls()

    def _well_formed(self) -> bool:
        return (isinstance(self.fingerprint, str) and isinstance(self.out, str)
                and isinstance(self.files, dict) and isinstance(self.units, dict)
                and all(type(v) is tuple and len(v) == 3 for v in self.files.values())
                and all(type(v) is tuple for v in self.units.values())
                and isinstance(self.problems, tuple)
                and all(isinstance(p, tuple) and len(p) == 5 for p in self.problems)
                and isinstance(self.counts, tuple) and len(self.counts) == 2
                and all(isinstance(n, int) for n in self.counts))

    def save(self, cache_dir: Path | None) -> None:
        """Record a successful build (after its site is in place)."""
        if cache_dir is None:
            return
        _write_sealed(cache_dir / STATE, _label(STATE), {
            "fingerprint": self.fingerprint, "out": self.out, "files": self.files,
            "units": self.units, "problems": self.problems, "counts": self.counts,
        })
        for name in LEFTOVERS:
            try:
                (cache_dir / name).unlink()
            except OSError:
                pass


def clear(cache_dir: Path) -> None:
    """Empty the cache folder (the last build's status stays)."""
    for name in (STATE, DIGESTS, *LEFTOVERS):
        try:
            (cache_dir / name).unlink()
        except OSError:
            pass
    shutil.rmtree(cache_dir / EPISODES, ignore_errors=True)


# Loaded episodes -----------------------------------------------------------------
@dataclass(slots=True)
class EpisodeStore:
    """Episodes as loaded by earlier builds, keyed by their file and what they were read against.

    Only this machine's own cache folder is read (it is never published or
    shared), and an unreadable or foreign entry is simply a miss. Each entry
    (an episode's header, as loaded) is kept pickled on its own, so a rebuild
    unpickles only the entries it takes and writes the index again without
    pickling the unchanged ones. Each transcript sits in a file of its own
    (``stash``), read when its episode is rendered (``Transcripts``).
    """

    folder: Path | None
    """``<cache>/episodes`` (None: no store)."""
    context: str
    """Hash of what loading an episode depends on besides its file."""
    digests: Digests
    old: dict[str, bytes] = field(default_factory=dict)
    """Key -> pickled entry, as the last load kept them."""
    new: dict[str, bytes] = field(default_factory=dict)
    """The entries this load took or made (what ``save`` keeps)."""
    present: set[str] | None = None
    """Names of the turns files in ``folder`` (listed on first use)."""
    kept: dict[str, str] = field(default_factory=dict)
    """Episode source -> key of its transcript file, for each episode this load took or put."""

    @classmethod
    def open(cls, cache_dir: Path | None, context: str, digests: Digests | None = None) -> EpisodeStore:
        """The store in ``cache_dir`` for episodes loaded against ``context`` (the speakers)."""
        key = hashlib.sha256(f"{source_fingerprint()}\0{context}".encode()).hexdigest()
        if cache_dir is None:
            return cls(None, key, Digests(None))
        store = cls(cache_dir / EPISODES, key, digests or Digests.open(cache_dir))
        data = _read_sealed(store.folder / INDEX, _label(INDEX)) if store.folder else None
        if isinstance(data, dict) and data.get("context") == key:
            entries = data.get("entries")
            store.old = entries if isinstance(entries, dict) else {}
        return store

    def key(self, path: Path | str, rel: str) -> str | None:
        """Key of the episode in ``path`` when its file's digest is known without reading the file
        (None: no store, or the file is to be loaded, and read, anyway)."""
        if self.folder is None:
            return None
        digest = self.digests.trusted(path)
        return None if digest is None else combine(self.context, rel, digest)

    def key_of(self, rel: str, digest: str) -> str | None:
        """Key of an episode whose file (``rel``) was read with this digest (None when there is no store)."""
        return None if self.folder is None else combine(self.context, rel, digest)

    def saw(self, reads: dict[str, Read]) -> None:
        """The files loading read, each with its stat as read and the digest of its bytes (``Digests.saw``)."""
        for name, read in reads.items():
            self.digests.saw(name, read)

    def get(self, key: str) -> Any | None:
        """The entry stored under ``key`` when its transcript file is still there."""
        blob = self.old.get(key)
        if not isinstance(blob, bytes) or self.folder is None:
            return None
        if self.present is None:
            try:
                self.present = {e.name for e in os.scandir(self.folder) if e.name.endswith(TURNS)}
            except OSError:
                self.present = set()
        if f"{key}{TURNS}" not in self.present:
            return None
        try:
            value = _loads(blob)
        except Exception:  # noqa: BLE001 - a damaged entry is a miss
            return None
        source = getattr(getattr(value[0] if isinstance(value, tuple) and value else None, "episode", None),
                         "source", None)
        if not isinstance(source, str):
            return None
        self.new[key] = blob
        self.kept[source] = key
        return value

    def stash(self, key: str, transcript: Transcript) -> bool:
        """Keep an episode's transcript in the store; whether it was kept (it is then not held in memory).

        Safe to call in worker processes: it writes one file of its own.
        """
        assert self.folder is not None
        path = self.folder / f"{key}{TURNS}"
        if path.exists():
            return True
        from ssg.model import TURN_FIELDS

        # Column by column: plain tuples pickle and unpickle in C, Turn objects one Python call each.
        turns = transcript.turns
        return _write_sealed(path, key, tuple(tuple(map(attrgetter(name), turns)) for name in TURN_FIELDS))

    def put(self, key: str, value: Any) -> None:
        """Remember an entry (an episode's header, whose transcript went through ``stash``); one that cannot
        be pickled is not kept."""
        try:
            self.new[key] = _dumps(value)
        except (pickle.PicklingError, TypeError, AttributeError):
            return
        self.kept[value[0].episode.source] = key

    def save(self) -> None:
        """Keep what this load used: entries and turns files of deleted or edited files are dropped."""
        if self.folder is None or self.new.keys() == self.old.keys():
            return
        _write_sealed(self.folder / INDEX, _label(INDEX), {"context": self.context, "entries": self.new})
        wanted = {f"{key}{TURNS}" for key in self.new}
        try:
            stale = [e.path for e in os.scandir(self.folder) if e.name.endswith(TURNS) and e.name not in wanted]
        except OSError:
            stale = []
        for path in stale:
            try:
                os.unlink(path)
            except OSError:
                pass

    def transcripts(self, held: dict[str, Transcript]) -> Transcripts:
        """Where the build finds each episode's transcript: ``held`` (as loading returned them), else here."""
        return Transcripts(held, None if self.folder is None else os.fspath(self.folder), dict(self.kept))


@dataclass(frozen=True, slots=True)
class Transcripts:
    """Each episode's transcript, for rendering it: held in memory, or read from the store when asked for.

    Small enough to hand to worker processes (the held ones are those no store
    keeps). A transcript read from the store is not kept here: rendering one
    episode at a time holds one transcript at a time.
    """

    held: dict[str, Transcript]
    """Transcripts by episode source, as loading returned them."""
    folder: str | None = None
    """The store's folder (None: no store)."""
    keys: dict[str, str] = field(default_factory=dict)
    """Episode source -> key of its transcript file in ``folder``."""

    def of(self, episode: Episode) -> Transcript:
        """The episode's transcript, read now if the store has it.

        A file missing, damaged, of another episode or of another length is
        ``CacheCorrupt`` (the build starts again cold), raised before anything
        of the episode is rendered.
        """
        transcript = self.held.get(episode.source)
        if transcript is not None:
            return transcript
        key = self.keys.get(episode.source)
        if key is None or self.folder is None:
            raise CacheCorrupt(f"no transcript of {episode.source} was loaded or stored")
        path = Path(self.folder, f"{key}{TURNS}")
        from ssg.model import TURN_FIELDS, Transcript, turns_from_columns

        data = _read_sealed(path, key)
        if (not isinstance(data, tuple) or len(data) != len(TURN_FIELDS)
                or any(type(column) is not tuple or len(column) != episode.turn_count for column in data)):
            raise CacheCorrupt(f"the cached transcript {path} is missing or damaged")
        return Transcript(turns_from_columns(*data))


# Compiled templates --------------------------------------------------------------
def template_cache(folder: Path | None) -> BytecodeCache | None:
    """Jinja's cache of compiled templates in ``folder``, each file sealed under its template's key.

    Jinja itself checks a compiled template only against its source, not
    the compiled code: a changed byte in the code would be rendered. None for no folder.
    """
    if folder is None:
        return None
    import jinja2
    from jinja2.bccache import Bucket

    class SealedTemplates(jinja2.FileSystemBytecodeCache):
        def load_bytecode(self, bucket: Bucket) -> None:
            path = Path(self._get_cache_filename(bucket))
            code = _unseal(path, _label(f"template\0{bucket.key}"))
            if code is not None:
                bucket.bytecode_from_string(bytes(code))  # Jinja checks it is of this source and this Jinja

        def dump_bytecode(self, bucket: Bucket) -> None:
            path = Path(self._get_cache_filename(bucket))
            _write_file(path, _seal(_label(f"template\0{bucket.key}"), bucket.bytecode_to_string()))

    return SealedTemplates(os.fspath(folder))


# Files -----------------------------------------------------------------------------
def _label(name: str) -> str:
    """The label of a cache file of this ssg (its source, Python and libraries): ``name`` stamped with them."""
    return f"{source_fingerprint()}\0{name}"


def _checksum(label: str, payload: bytes | memoryview) -> bytes:
    digest = hashlib.blake2b(label.encode("utf-8", "surrogatepass") + b"\0", digest_size=CHECKSUM_SIZE)
    digest.update(payload)
    return digest.digest()


def _seal(label: str, payload: bytes) -> bytes:
    """A cache file's bytes: ``MAGIC``, the checksum of ``label`` and ``payload``, then ``payload``."""
    return MAGIC + _checksum(label, payload) + payload


def _unseal(path: Path, label: str) -> memoryview | None:
    """The payload of the sealed file at ``path`` when it proves to be what was stored under ``label``."""
    try:
        data = path.read_bytes()
    except OSError:
        return None
    start = len(MAGIC) + CHECKSUM_SIZE
    if len(data) < start or not data.startswith(MAGIC):
        return None
    payload = memoryview(data)[start:]
    if _checksum(label, payload) != data[len(MAGIC):start]:
        return None
    return payload


def _read_sealed(path: Path, label: str) -> Any:
    """The object in a sealed cache file; None when it is absent, damaged or not stored under ``label``."""
    payload = _unseal(path, label)
    if payload is None:
        return None
    try:
        return _loads(payload)  # its checksum proved
    except Exception:  # noqa: BLE001 - a file that proves but does not load (another Python) is a miss
        return None


def _write_sealed(path: Path, label: str, value: object) -> bool:
    """Write ``value`` pickled and sealed under ``label``; whether it was written (errors are ignored:
    the cache is only a help)."""
    try:
        payload = _dumps(value)
    except (pickle.PicklingError, TypeError, AttributeError):
        return False
    return _write_file(path, _seal(label, payload))


def _write_file(path: Path, data: bytes) -> bool:
    """Write a cache file atomically (a crash leaves the old file or none); whether it was written."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp.write_bytes(data)
        os.replace(tmp, path)
    except OSError:
        try:
            tmp.unlink()
        except OSError:
            pass
        return False
    return True


def _dumps(value: object) -> bytes:
    """``value`` pickled, as every cache file holds it (``_pickler``)."""
    out = io.BytesIO()
    _pickler()(out, pickle.HIGHEST_PROTOCOL).dump(value)
    return out.getvalue()


@lru_cache(maxsize=1)
def _pickler() -> type[pickle.Pickler]:
    """The cache's pickler: the model's frozen dataclasses pickled as constructor calls.

    Python's own way for a frozen dataclass with slots stores a state that
    ``__setstate__`` sets field by field; a call ``Cls(*fields)`` unpickles
    faster. It matters where a rebuild unpickles every episode's header from
    the store: 300 headers of the benchmark show (when their appearances held
    4,176 whole ``Turn``) unpickled in 112 ms this way, 141 ms Python's way,
    and pickled in 92 ms instead of 146 ms.
    Only this pickler does it: nothing else's pickling changes.
    """
    import copyreg
    import dataclasses

    from ssg import model

    table = copyreg.dispatch_table.copy()
    for cls in vars(model).values():
        if isinstance(cls, type) and dataclasses.is_dataclass(cls) and cls.__module__ == model.__name__:
            names = [f.name for f in dataclasses.fields(cls)]
            if all(f.init for f in dataclasses.fields(cls)):
                table[cls] = partial(_as_call, cls, attrgetter(*names) if len(names) > 1 else _one(names[0]))

    class Pickler(pickle.Pickler):
        dispatch_table = table

    return Pickler


def _as_call(cls: type, values: Callable[[Any], tuple[Any, ...]], obj: object) -> tuple[type, tuple[Any, ...]]:
    """``obj`` as ``cls(*values(obj))`` for the pickler."""
    return cls, values(obj)


def _one(name: str) -> Callable[[Any], tuple[Any, ...]]:
    """A getter of one field, as a tuple."""
    get = attrgetter(name)
    return lambda obj: (get(obj),)


def _loads(data: bytes | memoryview) -> Any:
    """What ``_dumps`` wrote (only ever our own cache's bytes)."""
    return pickle.loads(data)  # noqa: S301 - our own cache file
