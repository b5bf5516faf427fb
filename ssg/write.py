"""Write: the one place that puts files on disk for a build.

A build's outputs go into a fresh staging folder beside the output folder.
The staging folder refuses a second file at one path (two episodes with one
slug, a content file shadowing a page) and any path that would leave it.
When the build succeeds, ``swap_in`` replaces the output folder with the
staging folder in two renames, so a reader never sees a half-built site and
a failed build leaves the previous site as it was.

Files whose bytes did not change are hard-linked from the previous site, so
their modification times survive rebuilds (``serve`` and ``deploy --dir``
rely on that) and unchanged files cost no disk writes.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

STAGING_PREFIX = ".ssg-staging-"
OLD_PREFIX = ".ssg-old-"


class OutputClash(Exception):
    """Two outputs at one path, or an output path that would leave the site."""


def check_route(path: str) -> str:
    """Validate an output path (relative, POSIX, inside the site); returns it normalised."""
    pure = PurePosixPath(path)
    if (not path or "\\" in path or "\x00" in path or pure.is_absolute()
            or any(part in ("", ".", "..") for part in path.split("/"))):
        raise OutputClash(f"output path {path!r} is not a plain relative path inside the site")
    return pure.as_posix()


@dataclass(slots=True)
class Staging:
    """A staging folder that is filled with one build's files."""

    root: Path
    """The staging folder (beside the output folder, on the same file system)."""
    previous: Path | None
    """The current output folder, when there is one, to reuse unchanged files from."""
    owners: dict[str, str] = field(default_factory=dict)
    """Output path -> what produced it (for clash messages)."""
    changed: list[str] = field(default_factory=list)
    """Paths that are new or whose bytes differ from the previous site."""

    @classmethod
    def beside(cls, out: Path) -> Staging:
        """A new empty staging folder next to ``out``."""
        out = out.resolve()
        out.parent.mkdir(parents=True, exist_ok=True)
        root = Path(tempfile.mkdtemp(prefix=STAGING_PREFIX + out.name + "-", dir=out.parent))
        previous = out if out.is_dir() else None
        return cls(root=root, previous=previous)

    def _claim(self, path: str, owner: str) -> Path:
        path = check_route(path)
        key = path.casefold()
        if key in self.owners:
            raise OutputClash(f"two files would be written to '{path}': {self.owners[key]} and {owner}")
        self.owners[key] = owner
        target = self.root / path
        target.parent.mkdir(parents=True, exist_ok=True)
        return target

    def _reuse(self, path: str, target: Path, data: bytes) -> bool:
        """Hard-link the previous site's file when its bytes are ``data``."""
        if self.previous is None:
            return False
        old = self.previous / path
        try:
            if old.stat().st_size != len(data) or old.read_bytes() != data:
                return False
            os.link(old, target)
        except OSError:
            return False
        return True

    def add(self, path: str, data: bytes, owner: str = "a page") -> None:
        """Stage a file with these bytes."""
        target = self._claim(path, owner)
        if not self._reuse(path, target, data):
            target.write_bytes(data)
            self.changed.append(path)

    def reuse(self, entry: dict[str, list[int]], owner: str) -> bool:
        """Link every file of a cache entry from the previous site, if each is still as recorded."""
        if self.previous is None or not entry:
            return False
        for path, (size, mtime_ns) in entry.items():
            try:
                st = (self.previous / check_route(path)).stat()
            except (OSError, OutputClash):
                return False
            if st.st_size != size or st.st_mtime_ns != mtime_ns:
                return False
        for path in entry:
            target = self._claim(path, owner)
            os.link(self.previous / path, target)
        return True

    def entry(self, paths: list[str]) -> dict[str, list[int]]:
        """Size and modification time of staged files, for the build cache."""
        out: dict[str, list[int]] = {}
        for path in paths:
            st = (self.root / path).stat()
            out[path] = [st.st_size, st.st_mtime_ns]
        return out

    def copy(self, path: str, source: Path, owner: str | None = None) -> None:
        """Stage a copy of ``source``."""
        target = self._claim(path, owner or str(source))
        if self.previous is not None:
            old = self.previous / path
            try:
                st_old, st_src = old.stat(), source.stat()
                if st_old.st_size == st_src.st_size and (
                        st_old.st_mtime_ns == st_src.st_mtime_ns or old.read_bytes() == source.read_bytes()):
                    os.link(old, target)
                    return
            except OSError:
                pass
        shutil.copy2(source, target)
        self.changed.append(path)

    def link_previous(self, folder: str) -> list[str]:
        """Hard-link a whole folder of the previous site into this one (unclaimed); returns its files."""
        assert self.previous is not None
        source = self.previous / check_route(folder)
        paths: list[str] = []
        for path in sorted(source.rglob("*")):
            if path.is_file():
                rel = path.relative_to(self.previous).as_posix()
                target = self.root / rel
                target.parent.mkdir(parents=True, exist_ok=True)
                os.link(path, target)
                paths.append(rel)
        return paths

    def adopt(self, paths: Iterable[str]) -> None:
        """Record files another tool wrote into the staging folder (the search index)."""
        for path in paths:
            key = path.casefold()
            if key in self.owners:
                raise OutputClash(f"'{path}' was written by the search indexer over {self.owners[key]}")
            self.owners[key] = "the search indexer"
            if self.previous is None or not _same_file(self.previous / path, self.root / path):
                self.changed.append(path)

    def files(self) -> list[str]:
        """Every file in the staging folder, as sorted relative POSIX paths."""
        return sorted(p.relative_to(self.root).as_posix() for p in self.root.rglob("*") if p.is_file())

    def removed(self) -> list[str]:
        """Paths the previous site had that this one has not."""
        if self.previous is None:
            return []
        old = {p.relative_to(self.previous).as_posix() for p in self.previous.rglob("*") if p.is_file()}
        return sorted(old - {p for p in self.files()})

    def discard(self) -> None:
        """Delete the staging folder (a failed build)."""
        shutil.rmtree(self.root, ignore_errors=True)

    def swap_in(self, out: Path) -> None:
        """Make the staging folder the output folder."""
        out = out.resolve()
        if out.exists() and not out.is_dir():
            raise OutputClash(f"output path {out} exists and is not a folder")
        os.chmod(self.root, 0o755)
        if out.exists():
            old = Path(tempfile.mkdtemp(prefix=OLD_PREFIX + out.name + "-", dir=out.parent))
            old.rmdir()
            os.rename(out, old)
            os.rename(self.root, out)
            shutil.rmtree(old, ignore_errors=True)
        else:
            os.rename(self.root, out)


def _same_file(a: Path, b: Path) -> bool:
    try:
        if a.stat().st_size != b.stat().st_size:
            return False
        return a.read_bytes() == b.read_bytes()
    except OSError:
        return False


def clean_leftovers(out: Path) -> None:
    """Remove staging folders left by a build that was killed."""
    out = out.resolve()
    if not out.parent.is_dir():
        return
    for stale in out.parent.glob(f"{STAGING_PREFIX}{out.name}-*"):
        shutil.rmtree(stale, ignore_errors=True)
    for stale in out.parent.glob(f"{OLD_PREFIX}{out.name}-*"):
        shutil.rmtree(stale, ignore_errors=True)
    for stale in out.parent.glob(".ssg-pagefind-*"):
        shutil.rmtree(stale, ignore_errors=True)
