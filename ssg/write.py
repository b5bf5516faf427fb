"""Write: the one place that puts files on disk for a build.

A build's outputs go into a fresh staging folder beside the output folder.
The staging folder refuses a second file at one path (two episodes with one
slug, a content file shadowing a page) and any path that would leave it.
When the build succeeds, ``swap_in`` replaces the output folder with the
staging folder in one step (Linux ``renameat2`` with ``RENAME_EXCHANGE``), so
whatever moment a build is stopped at, the output folder is the previous
site or the new one, never a mix, and a failed build leaves the previous
site as it was. Where the system cannot exchange two folders, two renames
are used, the previous site parked under a fixed name in between; the next
build puts it back if the build was killed between them (``recover``).

Files whose bytes did not change are hard-linked from the previous site, so
their modification times survive rebuilds (``serve`` and ``deploy --dir``
rely on that) and unchanged files cost no disk writes. Worker processes may
``put`` files into the staging folder themselves; the parent then ``claim``s
their paths in a fixed order, so clashes are reported the same either way.

When the output folder is exactly what the last build left (every file as
it recorded), a rebuild trusts that record (``Staging.over``): a file is
known unchanged from the snapshot, without looking at it again. The staging
folder is still the whole new site (unchanged files hard-linked), so the
swap is the same one step; the output folder itself is never written into.

The site a swap replaced is not deleted but kept beside the output folder
as its spare (``spare_site``). The next rebuild over a recorded site turns
the spare into its staging folder and brings it up to date with the site
(``Staging.over``): only the paths whose file is not already the site's own
(by inode) are linked again, so a one-episode edit costs in proportion to
what changed, not to the size of the site. A file in it is never written
into (it may be the site's own file): a changed file is unlinked and
written anew. A build stopped meanwhile leaves a staging folder that the
next build deletes (``clean_leftovers``).
"""

from __future__ import annotations

import os
import shutil
import tempfile
import threading
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from ssg import atomic
from ssg.files import Read, read_bytes, scan

STAGING_PREFIX = ".ssg-staging-"
OLD_PREFIX = ".ssg-old-"
PARKED_PREFIX = ".ssg-previous-"
SPARE_SUFFIX = ".ssg-spare"
"""The spare of ``site/`` is ``.site.ssg-spare`` beside it (``spare_site``)."""
BACKGROUND_DELETE_MIN = 2000
"""A replaced site of at least this many files is deleted by a detached process."""


FileStat = tuple[int, int, int]
"""(size, mtime_ns, inode) of a file of the site."""


class OutputClash(Exception):
    """Two outputs at one path, or an output path that would leave the site."""


def check_route(path: str) -> str:
    """Validate an output path (relative, POSIX, inside the site); returns it.

    Empty, ``.`` and ``..`` parts are refused, so an accepted path is
    already in normal form (no leading, trailing or doubled slash).
    """
    wrapped = f"/{path}/"  # an empty, "." or ".." part shows as "//", "/./" or "/../"
    if "//" in wrapped or "/./" in wrapped or "/../" in wrapped or "\\" in path or "\x00" in path:
        raise OutputClash(f"output path {path!r} is not a plain relative path inside the site")
    return path


@dataclass(slots=True)
class Staging:
    """A staging folder that is filled with one build's files."""

    root: Path
    """The staging folder (beside the output folder, on the same file system)."""
    previous: Path | None
    """The current output folder, when there is one, to reuse unchanged files from."""
    owners: dict[str, str] = field(default_factory=dict)
    """Output path (case-folded) -> what produced it (for clash messages)."""
    changed: list[str] = field(default_factory=list)
    """Paths that are new or whose bytes differ from the previous site."""
    paths: list[str] = field(default_factory=list)
    """Every path staged, in the order it was claimed."""
    folders: set[str] = field(default_factory=set)
    """Folders known to exist in the staging folder."""
    base: dict[str, FileStat] | None = None
    """Set when the output folder is as the last build recorded it (``over``): its files as they are."""
    mirror: bool = False
    """Whether the staging folder began as the whole previous site (``base``), each file hard-linked."""
    keep_spare: bool = False
    """Keep the replaced site as the spare for the next build (``swap_in``), instead of deleting it."""

    @classmethod
    def beside(cls, out: Path) -> Staging:
        """A new empty staging folder next to ``out``, to become the whole new site."""
        out = out.resolve()
        out.parent.mkdir(parents=True, exist_ok=True)
        root = Path(tempfile.mkdtemp(prefix=STAGING_PREFIX + out.name + "-", dir=out.parent))
        previous = out if out.is_dir() else None
        return cls(root=root, previous=previous)

    @classmethod
    def over(cls, out: Path, files: dict[str, FileStat]) -> Staging:
        """A staging folder for a new ``out``, whose files are ``files`` (its snapshot, as recorded).

        When ``out`` has a spare, the spare becomes the staging folder,
        brought up to date to hold every file of ``out`` (``mirror``).
        """
        out = out.resolve()
        spare = spare_site(out)
        if not os.path.isdir(spare) or os.path.islink(spare):
            staging = cls.beside(out)
            staging.base = dict(files)
            return staging
        root = Path(tempfile.mkdtemp(prefix=STAGING_PREFIX + out.name + "-", dir=out.parent))
        os.rename(spare, root)  # over the empty folder just made: a stop from here on leaves a staging leftover
        staging = cls(root=root, previous=out, base=dict(files), mirror=True)
        staging._mirror(out)
        return staging

    def _mirror(self, out: Path) -> None:
        """Make the staging folder hold exactly the files of ``base``, each one ``out``'s own (hard-linked).

        A file already linked to the one of ``out`` (same inode) stays;
        everything else in it is removed, and what is missing is linked.
        """
        assert self.base is not None
        files = self.base
        needed: set[str] = set()
        for path in files:
            parent = path.rpartition("/")[0]
            while parent and parent not in needed:
                needed.add(parent)
                parent = parent.rpartition("/")[0]
        root = os.fspath(self.root)
        present: set[str] = set()
        stale: list[str] = []
        folders: set[str] = set()
        for rel, entry in scan(root):
            if entry.is_dir(follow_symlinks=False):
                if rel in needed:
                    folders.add(rel)
                else:
                    stale.append(rel)
                continue
            expected = files.get(rel)
            if expected is not None and entry.inode() == expected[2]:
                present.add(rel)
            else:
                os.unlink(entry.path)
        for rel in sorted(stale, key=lambda rel: -rel.count("/")):  # deepest first: each is empty by then
            shutil.rmtree(f"{root}/{rel}", ignore_errors=True)
        self.folders = folders
        previous = os.fspath(out)
        for path in files:
            if path not in present:
                self._make_parent(path)
                os.link(f"{previous}/{path}", f"{root}/{path}")

    def source(self, path: str) -> Path:
        """Where the staged bytes of ``path`` are."""
        return self.root / path

    def claim(self, path: str, owner: str) -> str:
        """Reserve an output path for ``owner``; raises ``OutputClash`` when it is taken."""
        path = check_route(path)
        key = path.casefold()
        if key in self.owners:
            raise OutputClash(f"two files would be written to '{path}': {self.owners[key]} and {owner}")
        self.owners[key] = owner
        self.paths.append(path)
        return path

    def _make_parent(self, path: str) -> None:
        parent = path.rpartition("/")[0]
        if parent and parent not in self.folders:
            folder = os.path.join(self.root, parent)
            try:
                os.mkdir(folder)
            except FileExistsError:
                pass
            except FileNotFoundError:
                os.makedirs(folder, exist_ok=True)
            self.folders.add(parent)

    def _keep(self, path: str, old: Path) -> None:
        """Stage the previous site's file ``old`` as it is (hard-linked)."""
        if self.mirror:
            return  # it is there already
        self._make_parent(path)
        os.link(old, self.root / path)

    def _clear(self, path: str) -> None:
        """Remove the previous site's file at ``path`` from a mirror, before other bytes go there.

        Never written into: the file may be the output folder's own.
        """
        if self.mirror and self.base is not None and path in self.base:
            try:
                os.unlink(self.root / path)
            except FileNotFoundError:
                pass

    def _reuse(self, path: str, data: bytes) -> bool:
        """Keep the previous site's file when its bytes are ``data``."""
        if self.previous is None or (self.base is not None and path not in self.base):
            return False
        old = self.previous / path
        try:
            size = self.base[path][0] if self.base is not None else old.stat().st_size
            if size != len(data) or old.read_bytes() != data:
                return False
            self._keep(path, old)
        except OSError:
            return False
        return True

    def add(self, path: str, data: bytes, owner: str = "a page") -> None:
        """Stage a file with these bytes."""
        self.claim(path, owner)
        if self.put(path, data):
            self.changed.append(path)

    def put(self, path: str, data: bytes) -> bool:
        """Stage a file without claiming its path (a worker's half of ``add``); True when it changed.

        The caller claims the path afterwards (``claim``), in the same order a
        serial build would have, and records it as changed.
        """
        if self._reuse(check_route(path), data):
            return False
        self._clear(path)
        self._make_parent(path)
        (self.root / path).write_bytes(data)
        return True

    def reuse(self, paths: Iterable[str], owner: str, recorded: dict[str, tuple[int, int, int]]) -> bool:
        """Link these files from the previous site if each is still exactly as ``recorded``.

        ``recorded`` maps a path to the (size, mtime_ns, inode) the file had
        when the last build wrote it. Nothing is staged when one differs.
        """
        paths = list(paths)
        if self.previous is None or not paths:
            return False
        previous = os.fspath(self.previous)
        if self.base is not None:
            # The output folder was checked against the record when this staging began.
            if any(self.base.get(path) != recorded.get(path) for path in paths):
                return False
        else:
            for path in paths:
                expected = recorded.get(path)
                try:
                    st = os.stat(f"{previous}/{check_route(path)}")
                except (OSError, OutputClash):
                    return False
                if (st.st_size, st.st_mtime_ns, st.st_ino) != expected:
                    return False
        root = os.fspath(self.root)
        for path in paths:
            self.claim(path, owner)
            if not self.mirror:
                self._make_parent(path)
                os.link(f"{previous}/{path}", f"{root}/{path}")
        return True

    def keep(self, path: str, owner: str) -> bool:
        """Stage the previous site's ``path`` as it is, when it has one; False when it has none.

        For outputs whose name stands for their input (a resized image's name
        holds its source's digest and size): the same name means the same bytes.
        """
        if self.previous is None or (self.base is not None and path not in self.base):
            return False
        old = self.previous / check_route(path)
        if not old.is_file():
            return False
        self.claim(path, owner)
        self._keep(path, old)
        return True

    def copy(self, path: str, source: Path, owner: str | None = None, reads: dict[str, Read] | None = None,
             data: bytes | None = None) -> None:
        """Stage a copy of ``source`` (its modification time too), reading it once at most.

        With ``reads``, the file as read is recorded there (``ssg.files.read_bytes``);
        ``data``: its bytes, read already (and recorded) by the caller.
        """
        self.claim(path, owner or str(source))
        old = self.previous / path if self.previous is not None else None
        try:
            st_old = old.stat() if old is not None else None
        except OSError:
            st_old = None
        if old is not None and st_old is not None:
            st_src = source.stat()
            if st_old.st_size == st_src.st_size and st_old.st_mtime_ns == st_src.st_mtime_ns:
                self._keep(path, old)
                return
        if data is None:
            data = read_bytes(source, reads)
        if old is not None and st_old is not None and st_old.st_size == len(data):
            try:
                if old.read_bytes() == data:
                    self._keep(path, old)
                    return
            except OSError:
                pass
        self._clear(path)
        self._make_parent(path)
        (self.root / path).write_bytes(data)
        shutil.copystat(source, self.root / path)
        self.changed.append(path)

    def link_previous(self, folder: str) -> list[str]:
        """Hard-link a whole folder of the previous site into this one (unclaimed); returns its files."""
        assert self.previous is not None
        prefix = check_route(folder) + "/"
        if self.base is not None:
            paths = sorted(path for path in self.base if path.startswith(prefix))
        else:
            paths = sorted(path for path in snapshot(self.previous / folder))
            paths = [prefix + path for path in paths]
        for path in paths:
            self._make_parent(path)
            os.link(self.previous / path, self.root / path)
        return paths

    def prune(self) -> None:
        """Remove from a mirror the previous site's files that no output claimed (call before indexing)."""
        if not self.mirror or self.base is None:
            return
        claimed = set(self.paths)
        parents: set[str] = set()
        for path in self.base:
            if path not in claimed:
                try:
                    os.unlink(self.root / path)
                except FileNotFoundError:
                    pass
                parents.add(path.rpartition("/")[0])
        for parent in sorted(parents, key=lambda rel: -rel.count("/")):  # folders left empty go too
            while parent:
                try:
                    os.rmdir(self.root / parent)
                except OSError:
                    break
                self.folders.discard(parent)
                parent = parent.rpartition("/")[0]

    def adopt(self, paths: Iterable[str]) -> None:
        """Record files another tool wrote into the staging folder (the search index)."""
        for path in paths:
            key = path.casefold()
            if key in self.owners:
                raise OutputClash(f"'{path}' was written by the search indexer over {self.owners[key]}")
            self.owners[key] = "the search indexer"
            self.paths.append(path)
            old, new = (self.previous / path if self.previous else None), self.root / path
            if old is None or not _same_file(old, new):
                self.changed.append(path)
            elif not os.path.samefile(old, new):
                os.replace(_link_beside(old, new), new)  # same bytes: keep the previous file and its time

    def files(self) -> list[str]:
        """Every file in the staging folder, as sorted relative POSIX paths."""
        return sorted(snapshot(self.root))

    def removed(self) -> list[str]:
        """Paths the previous site had that this one has not."""
        if self.previous is None:
            return []
        before = self.base if self.base is not None else snapshot(self.previous)
        return sorted(set(before) - set(self.paths))

    def snapshot_after(self, out: Path) -> dict[str, FileStat]:
        """``snapshot(out)`` once ``swap_in(out)`` is done (only the changed files are looked at when it can)."""
        if self.base is None or self.previous != out.resolve():
            return snapshot(out)
        files = dict(self.base)
        for path in self.removed():
            files.pop(path, None)
        for path in self.changed:
            st = os.stat(out / path)
            files[path] = (st.st_size, st.st_mtime_ns, st.st_ino)
        return files

    def _drop_spare(self, out: Path) -> None:
        _drop_spare_of(out, len(self.paths))

    def discard(self) -> None:
        """Delete the staging folder (a failed build)."""
        shutil.rmtree(self.root, ignore_errors=True)

    def swap_in(self, out: Path) -> None:
        """Make the staging folder the output folder, in one step where the system can."""
        out = out.resolve()
        if out.exists() and not out.is_dir():
            raise OutputClash(f"output path {out} exists and is not a folder")
        os.chmod(self.root, 0o755)
        if not out.exists():
            os.rename(self.root, out)
            self._drop_spare(out)
            if self.keep_spare:  # no site was replaced: the spare is made of links to the new one
                spare = Staging(Path(tempfile.mkdtemp(prefix=STAGING_PREFIX + out.name + "-", dir=out.parent)),
                                out, base={path: (0, 0, 0) for path in self.paths})
                spare._mirror(out)
                os.rename(spare.root, spare_site(out))
            return
        if atomic.exchange(self.root, out):
            old = self.root  # now holds the previous site
            if self.keep_spare:
                self._drop_spare(out)
                os.rename(old, spare_site(out))
                return
        else:
            parked = parked_site(out)
            os.rename(out, parked)
            os.rename(self.root, out)  # a kill before this: ``recover`` puts the parked site back
            old = Path(tempfile.mkdtemp(prefix=OLD_PREFIX + out.name + "-", dir=out.parent))
            os.rename(parked, old / "site")
        if len(self.paths) >= BACKGROUND_DELETE_MIN:
            remove_in_background(old)
        else:
            shutil.rmtree(old, ignore_errors=True)


def _drop_spare_of(out: Path, files: int) -> None:
    """Delete a spare this build did not use (the site was not as recorded): it would cost more than it saves."""
    spare = spare_site(out)
    if not os.path.lexists(spare):
        return
    if files < BACKGROUND_DELETE_MIN:
        shutil.rmtree(spare, ignore_errors=True)  # what a stop leaves is still a spare (see ``Staging._mirror``)
        return
    old = Path(tempfile.mkdtemp(prefix=OLD_PREFIX + out.name + "-", dir=out.parent))
    os.rename(spare, old / "spare")
    remove_in_background(old)


def spare_site(out: Path) -> Path:
    """Where the site a swap replaced is kept for the next build (``Staging.over``)."""
    return out.parent / f".{out.name}{SPARE_SUFFIX}"


def parked_site(out: Path) -> Path:
    """Where the previous site waits between the two renames of a swap without ``atomic.exchange``."""
    return out.parent / f"{PARKED_PREFIX}{out.name}"


def recover(out: Path) -> None:
    """Undo what a killed build left: put a parked previous site back, delete staging and old folders."""
    out = out.resolve()
    parked = parked_site(out)
    if os.path.isdir(parked):
        if not os.path.lexists(out):
            os.rename(parked, out)
        else:
            shutil.rmtree(parked, ignore_errors=True)
    clean_leftovers(out)


def _same_file(a: Path, b: Path) -> bool:
    try:
        sa, sb = a.stat(), b.stat()
        if (sa.st_dev, sa.st_ino) == (sb.st_dev, sb.st_ino):
            return True
        if sa.st_size != sb.st_size:
            return False
        return a.read_bytes() == b.read_bytes()
    except OSError:
        return False


def _link_beside(source: Path, target: Path) -> Path:
    """A hard link to ``source`` next to ``target`` under a temporary name."""
    link = target.with_name(f".{target.name}.ssg-link")
    if link.exists():
        link.unlink()
    os.link(source, link)
    return link


def remove_in_background(folder: Path) -> None:
    """Delete a folder from a detached process, so the build need not wait for it.

    Used for the replaced site, already renamed out of the way; what a
    killed deletion leaves is removed by the next build (``clean_leftovers``).
    Deletes in place when this process has other threads or cannot fork.
    """
    if threading.active_count() > 1 or not hasattr(os, "fork"):
        shutil.rmtree(folder, ignore_errors=True)
        return
    try:
        pid = os.fork()
    except OSError:
        shutil.rmtree(folder, ignore_errors=True)
        return
    if pid == 0:  # the child forks the deleter and leaves at once, so nobody has to reap it
        try:
            if os.fork() == 0:
                try:
                    os.setsid()
                    shutil.rmtree(folder, ignore_errors=True)
                finally:
                    os._exit(0)
        finally:
            os._exit(0)
    os.waitpid(pid, 0)


def snapshot(folder: Path) -> dict[str, FileStat]:
    """Every file under ``folder``: relative POSIX path -> (size, mtime_ns, inode); {} when absent."""
    files: dict[str, tuple[int, int, int]] = {}
    for rel, entry in scan(folder):
        if entry.is_file(follow_symlinks=False):
            st = entry.stat(follow_symlinks=False)
            files[rel] = (st.st_size, st.st_mtime_ns, st.st_ino)
    return files


def clean_leftovers(out: Path) -> None:
    """Remove staging and replaced folders left by a build that was killed (or still being deleted)."""
    out = out.resolve()
    if not out.parent.is_dir():
        return
    for stale in out.parent.glob(f"{STAGING_PREFIX}{out.name}-*"):
        shutil.rmtree(stale, ignore_errors=True)
    for stale in out.parent.glob(f"{OLD_PREFIX}{out.name}-*"):
        shutil.rmtree(stale, ignore_errors=True)
    for stale in out.parent.glob(".ssg-pagefind-*"):
        shutil.rmtree(stale, ignore_errors=True)
