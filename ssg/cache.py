"""Build cache: which episode outputs a rebuild can take unchanged from the previous site.

The cache lives outside the site (``.ssg-cache/`` beside ``content/``) and
holds no pages, only a manifest: for each episode, a key of everything its
outputs depend on, and the size and modification time of each output file
it wrote. A rebuild whose key matches, and whose previous files are still
exactly those files, hard-links them into the new site instead of rendering.

The key is deliberately coarse: the ssg source, the theme, the show and
speaker files, the speaker list after loading, whether any episode has
tags (the site navigation shows a Tags link), the episode's own file, and
its neighbours' titles (the previous/next links). Any change to any of those
re-renders; tests check rebuilt sites are byte-identical to clean builds.
"""

from __future__ import annotations

import hashlib
import json
import os
import pickle
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import ssg
from ssg import theme
from ssg.model import Site

VERSION = 1
MANIFEST = "outputs.json"
Entry = dict[str, list[int]]
"""Output path -> [size, mtime_ns] of the file as written."""


@lru_cache(maxsize=1)
def source_fingerprint() -> str:
    """Hash of the ssg package's own source: a new ssg renders everything again."""
    digest = hashlib.sha256(ssg.__version__.encode())
    package = Path(ssg.__file__).resolve().parent
    for path in sorted(package.rglob("*.py")):
        digest.update(path.relative_to(package).as_posix().encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def _hash_files(digest: "hashlib._Hash", folder: Path) -> None:
    if not folder.is_dir():
        return
    for path in sorted(folder.rglob("*")):
        if path.is_file():
            digest.update(path.relative_to(folder).as_posix().encode())
            digest.update(path.read_bytes())


def show_key(content: Path, site: Site, base_url: str | None) -> str:
    """Hash of the show-wide inputs every episode page depends on."""
    digest = hashlib.sha256(f"{VERSION}\0{source_fingerprint()}\0{base_url}".encode())
    for folder in theme.template_dirs(content, site.show.theme) + theme.static_dirs(content, site.show.theme):
        _hash_files(digest, folder)
    for name in ("site.yaml", "speakers.yaml"):
        path = content / name
        if path.is_file():
            digest.update(path.read_bytes())
    _hash_files(digest, content / "speakers")
    digest.update(repr(site.show).encode())
    digest.update(repr(site.speakers).encode())
    digest.update(b"tags" if any(e.tags for e in site.episodes) else b"no-tags")
    return digest.hexdigest()


def episode_key(show: str, source: Path, extra: tuple[object, ...]) -> str:
    """Hash of one episode's inputs: the show key, its file, and its neighbours."""
    digest = hashlib.sha256(show.encode())
    digest.update(source.read_bytes())
    digest.update(repr(extra).encode())
    return digest.hexdigest()


def combine(show: str, keys: list[str]) -> str:
    """Key of the show-wide outputs: the show key and every episode's key, in order."""
    digest = hashlib.sha256(show.encode())
    for key in keys:
        digest.update(key.encode())
    return digest.hexdigest()


@dataclass(slots=True)
class Manifest:
    """The cache's record of the outputs of the last successful build."""

    path: Path | None
    entries: dict[str, Entry] = field(default_factory=dict)
    fresh: dict[str, Entry] = field(default_factory=dict)
    """Entries of the build in progress (replace ``entries`` when it succeeds)."""

    @classmethod
    def load(cls, cache_dir: Path | None) -> Manifest:
        """The manifest in ``cache_dir`` (empty when absent, unreadable or from another version)."""
        if cache_dir is None:
            return cls(None)
        path = cache_dir / MANIFEST
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return cls(path)
        if not isinstance(data, dict) or data.get("version") != VERSION:
            return cls(path)
        entries = data.get("entries")
        return cls(path, entries if isinstance(entries, dict) else {})

    def get(self, key: str) -> Entry | None:
        return self.entries.get(key)

    def record(self, key: str, entry: Entry) -> None:
        self.fresh[key] = entry

    def save(self) -> None:
        """Write the entries of the build that just succeeded."""
        if self.path is None:
            return
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            tmp = self.path.with_suffix(".tmp")
            tmp.write_text(json.dumps({"version": VERSION, "entries": self.fresh}), encoding="utf-8")
            os.replace(tmp, self.path)
        except OSError:
            pass


EPISODES = "episodes.pickle"


@dataclass(slots=True)
class EpisodeStore:
    """Loaded episodes from the last build, keyed by their file and what they were read against.

    Only this machine's own cache folder is read (it is never published or
    shared), and an unreadable or foreign store is simply ignored.
    """

    path: Path | None
    context: str
    old: dict[str, object] = field(default_factory=dict)
    new: dict[str, object] = field(default_factory=dict)

    @classmethod
    def open(cls, cache_dir: Path | None, context: str) -> EpisodeStore:
        store = cls(cache_dir / EPISODES if cache_dir else None,
                    hashlib.sha256(f"{VERSION}\0{source_fingerprint()}\0{context}".encode()).hexdigest())
        if store.path is not None:
            try:
                with store.path.open("rb") as handle:
                    data = pickle.load(handle)  # noqa: S301 - our own cache file, written below
                if isinstance(data, dict):
                    store.old = data
            except Exception:  # noqa: BLE001 - any unreadable cache is a cold cache
                store.old = {}
        return store

    def key(self, rel: str, data: bytes) -> str:
        digest = hashlib.sha256(self.context.encode())
        digest.update(rel.encode())
        digest.update(data)
        return digest.hexdigest()

    def get(self, key: str) -> object | None:
        value = self.old.get(key)
        if value is not None:
            self.new[key] = value
        return value

    def put(self, key: str, value: object) -> None:
        self.new[key] = value

    def save(self) -> None:
        """Keep what this load used (entries of deleted or edited files are dropped)."""
        if self.path is None or (self.new.keys() == self.old.keys()):
            return
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            tmp = self.path.with_suffix(".tmp")
            with tmp.open("wb") as handle:
                pickle.dump(self.new, handle, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(tmp, self.path)
        except (OSError, pickle.PicklingError):
            pass
