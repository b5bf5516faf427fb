"""``ssg deploy``: publish a finished build to a git branch or a folder.

Deploy publishes what ``ssg build`` wrote; it does not build. It refuses a
site whose last build failed or whose content changed since, so what goes
out is what was checked. Targets:

- ``--git REMOTE --branch B``: one commit per deploy on branch B of the
  remote (GitHub Pages style, with ``.nojekyll`` and ``CNAME``), made in a
  temporary clone (``ssg-deploy-<pid>-*`` in the temporary folder; a killed
  deploy's clone is removed by the next one); the user's own repository is
  never touched. History is kept unless ``--force``. A refused push shows
  the remote's own lines.
- ``--dir PATH``: builds the complete new folder beside PATH (the site, plus
  the folder's other files unless ``--delete``; unchanged files are hard
  links) and swaps it in one step, so PATH is the previous deploy or the new
  one whatever happens (a full disk, a kill). A mount point cannot be
  swapped and is refused.

Both list what they would change with ``--dry-run`` and ask for ``--yes``
before deleting a large share of the published files.
"""

from __future__ import annotations

import argparse
import errno
import filecmp
import os
import re
import shutil
import stat
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from ssg import atomic
from ssg.build import last_build
from ssg.console import paint, plural
from ssg.watch import newest, watched_folders

DELETE_SHARE = 0.5
"""A deploy deleting more than this share of the published files needs ``--yes``..."""
DELETE_MIN = 10
"""...when it deletes at least this many files."""

GIT_REPO_ENV = ("GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE", "GIT_OBJECT_DIRECTORY", "GIT_COMMON_DIR",
                "GIT_ALTERNATE_OBJECT_DIRECTORIES", "GIT_IMPLICIT_WORK_TREE", "GIT_PREFIX", "GIT_SHALLOW_FILE",
                "GIT_GRAFT_FILE", "GIT_NAMESPACE")
"""Variables that point git at a repository (set in hooks, for one): dropped, so that only the
temporary clone is ever touched."""
LEFTOVER_PREFIX = ".ssg-deploy-"
LEFTOVER = re.compile(r"\.ssg-deploy-(\d+)-(new|old)-(.+)", re.S)
"""Folders a folder deploy makes beside its target: ``.ssg-deploy-<pid>-<new|old>-<target name>``."""
CLONE_PREFIX = "ssg-deploy-"
CLONE = re.compile(r"ssg-deploy-(\d+)-[a-z0-9_]+")
"""A git deploy's temporary clone, in the temporary folder: ``ssg-deploy-<pid>-<random>``."""
MAX_REMOTE_LINES = 20
"""At most this many of the remote's own lines are shown when it refuses a push."""


class DeployError(Exception):
    """A deploy that cannot or must not go ahead; the message says why and what to do."""


@dataclass(slots=True)
class Plan:
    """What a deploy changes at its target."""

    added: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    deleted: list[str] = field(default_factory=list)
    kept: int = 0
    """Unchanged files already published."""

    def empty(self) -> bool:
        return not (self.added or self.changed or self.deleted)

    def lines(self) -> list[str]:
        return ([f"add     {p}" for p in self.added] + [f"change  {p}" for p in self.changed]
                + [f"delete  {p}" for p in self.deleted])

    def summary(self) -> str:
        return (f"{plural(len(self.added), 'file')} added, {len(self.changed)} changed, "
                f"{len(self.deleted)} deleted, {self.kept} unchanged")


# Checks ---------------------------------------------------------------------------
def check_fresh(content: Path, out: Path) -> None:
    """Refuse a missing, failed or stale build."""
    if not (out / "index.html").is_file():
        raise DeployError(f"{out}: no built site here (run 'ssg build' first)")
    status = last_build(content)
    if status is None or Path(str(status.get("out", ""))) != out.resolve():
        raise DeployError(f"{out}: no record of building this site from {content} (run 'ssg build' first)")
    if not status.get("ok"):
        raise DeployError(f"{out}: the last build failed (fix the errors 'ssg build' reports, then build again)")
    finished = float(status.get("finished", 0))  # type: ignore[arg-type]
    latest = newest(watched_folders(content))  # folders too: a removed file changes its folder
    if latest is not None and latest[0] / 1e9 > finished:
        raise DeployError(f"{latest[1]} changed after the last build (run 'ssg build' again, then deploy)")


def site_files(out: Path) -> list[str]:
    """Every file of the built site, as sorted relative POSIX paths."""
    return sorted(p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file())


def extra_files(content: Path) -> dict[str, bytes]:
    """Files a git host wants beside the site: ``.nojekyll``, and ``CNAME`` for a custom domain."""
    from ssg.frontmatter import YamlError, load_yaml

    extra = {".nojekyll": b""}
    try:
        data = load_yaml((content / "site.yaml").read_text(encoding="utf-8-sig"))
    except (OSError, UnicodeDecodeError, YamlError):
        data = None
    if isinstance(data, dict) and data.get("domain"):
        extra["CNAME"] = (str(data["domain"]).strip() + "\n").encode()
    return extra


def guard_deletions(plan: Plan, published: int, yes: bool) -> None:
    """Ask for ``--yes`` before deleting a large share of what is published."""
    if yes or not plan.deleted:
        return
    if len(plan.deleted) >= DELETE_MIN and len(plan.deleted) > DELETE_SHARE * max(published, 1):
        raise DeployError(f"this deploy would delete {len(plan.deleted)} of {published} published files "
                          "(check --dry-run, then pass --yes if that is right)")


# Folder target ---------------------------------------------------------------------
def plan_dir(out: Path, dest: Path, extra: dict[str, bytes], delete: bool) -> Plan:
    """Compare the site with a folder."""
    plan = Plan()
    wanted = set(site_files(out)) | set(extra)
    for rel in sorted(wanted):
        target = dest / rel
        if not target.is_file():
            plan.added.append(rel)
        elif rel in extra:
            if target.read_bytes() != extra[rel]:
                plan.changed.append(rel)
            else:
                plan.kept += 1
        elif not filecmp.cmp(out / rel, target, shallow=False):
            plan.changed.append(rel)
        else:
            plan.kept += 1
    if delete and dest.is_dir():
        present = {p.relative_to(dest).as_posix() for p in dest.rglob("*")
                   if p.is_file() and p.relative_to(dest).parts[0] != ".git"}
        plan.deleted = sorted(present - wanted)
    return plan


def apply_dir(out: Path, dest: Path, extra: dict[str, bytes], plan: Plan) -> None:
    """Copy added and changed files (each replaced atomically), then delete stale ones.

    Used on the temporary git clone, which nobody reads while it changes.
    Folders left empty by a deletion go too; other empty folders stay.
    """
    for rel in plan.added + plan.changed:
        target = dest / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = target.with_name(f".{target.name}.ssg-tmp")
        if rel in extra:
            tmp.write_bytes(extra[rel])
        else:
            shutil.copy2(out / rel, tmp)
        os.replace(tmp, target)
    emptied: set[Path] = set()
    for rel in plan.deleted:
        (dest / rel).unlink(missing_ok=True)
        emptied.update((dest / rel).parents)
    for folder in sorted(emptied, key=lambda p: len(p.parts), reverse=True):
        if folder.is_relative_to(dest) and folder != dest and not any(folder.iterdir()):
            folder.rmdir()


def _stale(pid: int) -> bool:
    """Whether files named after process ``pid`` are left over: it is gone, or it is this process."""
    if pid == os.getpid():
        return True  # the name is this process's, and it is not using it: an earlier process had this pid
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    except OSError:
        return False  # alive, someone else's
    return False


def _leftover(kind: str, target: Path) -> Path:
    """The name beside ``target`` of this process's new copy (``new``) or of the replaced one (``old``)."""
    return target.with_name(f"{LEFTOVER_PREFIX}{os.getpid()}-{kind}-{target.name}")


def clean_dir_leftovers(target: Path) -> None:
    """Undo what a killed folder deploy left beside ``target``.

    A previous folder parked between the two renames of the fallback swap is
    put back when the target is missing; every other leftover (a half-made
    new copy, a replaced copy not yet deleted) is removed.
    """
    if not target.parent.is_dir():
        return
    found: list[tuple[bool, Path]] = []
    for entry in os.scandir(target.parent):
        match = LEFTOVER.fullmatch(entry.name)
        if match and match[3] == target.name and _stale(int(match[1])):
            found.append((match[2] == "old", Path(entry.path)))
    for parked, path in sorted(found, reverse=True):  # the parked previous folders first
        if not (parked and atomic.recover(target, path)):
            shutil.rmtree(path, ignore_errors=True)


def _make_folder(stage: Path, target: Path, rel: str) -> None:
    """Create folder ``rel`` (and its parents) in the new copy, with the mode it has at the target."""
    if not rel or (stage / rel).is_dir():
        return
    _make_folder(stage, target, rel.rpartition("/")[0])
    os.mkdir(stage / rel)
    try:
        model = os.stat(target / rel, follow_symlinks=False)
    except OSError:
        return
    if stat.S_ISDIR(model.st_mode):
        os.chmod(stage / rel, stat.S_IMODE(model.st_mode))


def _keep(old: Path, new: Path) -> None:
    """Carry a file of the target into the new copy: a hard link, or a copy where links are refused."""
    try:
        os.link(old, new, follow_symlinks=False)
    except OSError as exc:
        if exc.errno not in (errno.EPERM, errno.EXDEV, errno.EMLINK, errno.ENOTSUP, errno.EOPNOTSUPP):
            raise
        shutil.copy2(old, new, follow_symlinks=False)


class _Conflict(Exception):
    """The target has a file where the site has a folder, or the other way round."""


def stage_dir(out: Path, target: Path, stage: Path, extra: dict[str, bytes], plan: Plan, delete: bool) -> None:
    """Fill the empty folder ``stage`` with what ``target`` must hold after the deploy.

    The site's new and changed files are copied from ``out``; unchanged ones
    and the target's own files (all of them, but those in ``plan.deleted``)
    are hard links to the target's, so that only what changed takes space.
    Folders of the target that lose all their files to ``--delete`` go;
    other empty folders stay.
    """
    site = set(site_files(out)) | set(extra)
    copied = set(plan.added + plan.changed)
    for rel in sorted(site):
        _make_folder(stage, target, rel.rpartition("/")[0])
        if rel not in copied:
            _keep(target / rel, stage / rel)
        elif rel in extra:
            with open(stage / rel, "xb") as f:
                f.write(extra[rel])
        else:
            shutil.copy2(out / rel, stage / rel)
    if target.is_dir():
        _carry(target, stage, "", set(plan.deleted), site, delete)


def _carry(target: Path, stage: Path, rel: str, deleted: set[str], site: set[str], delete: bool) -> bool:
    """Bring folder ``rel`` of the target over to the new copy; returns whether a file in it was deleted."""
    dropped = False
    with os.scandir(target / rel if rel else target) as entries:
        for entry in sorted(entries, key=lambda e: e.name):
            path = f"{rel}/{entry.name}" if rel else entry.name
            folder = entry.is_dir(follow_symlinks=False)
            if path in site:
                if folder and not delete:
                    raise _Conflict(f"{path} is a folder there and a file in the site")
                dropped |= folder
            elif folder:
                dropped |= _carry(target, stage, path, deleted, site, delete)
            elif path in deleted:
                dropped = True
            elif (stage / path).is_dir():
                raise _Conflict(f"{path} is a file there and a folder in the site")
            else:
                _make_folder(stage, target, rel)
                _keep(Path(entry.path), stage / path)
    if rel and not dropped:
        _make_folder(stage, target, rel)  # an empty folder of the user's: it stays
    return dropped


def _size(count: int) -> str:
    return f"{count / 1e6:.1f} MB" if count >= 1e5 else f"{max(1, round(count / 1e3))} kB"


def publish_dir(out: Path, dest: Path, extra: dict[str, bytes], plan: Plan, delete: bool) -> None:
    """Make ``dest`` the new site in one step: build the whole new folder beside it, then swap the two.

    Whatever moment the process dies at, ``dest`` is the previous deploy or
    the new one (on a system without ``renameat2`` it may be missing, and
    the next deploy puts the previous one back). What a killed deploy left
    beside ``dest`` is removed by the next one.
    """
    target = dest.resolve()
    if target.exists() and not target.is_dir():
        raise DeployError(f"{dest}: exists and is not a folder (choose a folder)")
    if atomic.mount_point_of(target):
        raise DeployError(f"{dest}: is a mount point, so it cannot be replaced in one step (deploy into a folder "
                          f"inside it, such as {dest / 'site'}, and serve that)")
    target.parent.mkdir(parents=True, exist_ok=True)
    stage, old = _leftover("new", target), _leftover("old", target)
    for leftover in (stage, old):
        shutil.rmtree(leftover, ignore_errors=True)
    needed = sum((out / rel).stat().st_size for rel in plan.added + plan.changed if rel not in extra)
    previous: Path | None = None
    try:
        try:
            os.mkdir(stage)
            if target.is_dir():
                model = target.stat()
                os.chmod(stage, stat.S_IMODE(model.st_mode))
                if os.geteuid() == 0 and (model.st_uid, model.st_gid) != (os.geteuid(), os.getegid()):
                    os.chown(stage, model.st_uid, model.st_gid)
            stage_dir(out, target, stage, extra, plan, delete)
            atomic.sync_file_system(stage)
            previous = atomic.swap_dir(stage, target, old)
        except BaseException:
            atomic.recover(target, old)  # a fallback swap stopped between its renames
            shutil.rmtree(stage, ignore_errors=True)
            raise
    except _Conflict as exc:
        raise DeployError(f"{dest}: {exc} (move it away, or deploy with --delete; the folder was not changed)"
                          ) from None
    except OSError as exc:
        if exc.errno in (errno.ENOSPC, errno.EDQUOT):
            raise DeployError(f"{dest}: no space left for the new copy beside it (it needs about {_size(needed)} "
                              "more on that disk; free some space there, then deploy again; the folder was "
                              "not changed)") from None
        raise DeployError(f"{dest}: could not write the new copy beside it: {exc.strerror or exc} (check that "
                          f"you can write in {target.parent}; the folder was not changed)") from None
    atomic.sync_folder(target.parent)
    if previous is not None:
        shutil.rmtree(previous, ignore_errors=True)


def check_dir_target(out: Path, content: Path, dest: Path) -> None:
    """Refuse a target folder that is, or holds, the site or the content (``--delete`` would eat them)."""
    d = dest.resolve()
    if d == out.resolve() or d.is_relative_to(out.resolve()):
        raise DeployError(f"{dest}: the target is the site folder itself (choose another folder)")
    for what, folder in (("site", out), ("content", content)):
        if folder.resolve().is_relative_to(d):
            raise DeployError(f"{dest}: the target folder holds your {what} folder {folder} "
                              "(deploy into a folder of its own)")


def deploy_dir(out: Path, dest: Path, extra: dict[str, bytes], *, delete: bool, dry_run: bool, yes: bool) -> Plan:
    """Publish into a folder."""
    if not dry_run:
        clean_dir_leftovers(dest.resolve())
    plan = plan_dir(out, dest, extra, delete)
    published = sum(1 for p in dest.rglob("*") if p.is_file()) if dest.is_dir() else 0
    guard_deletions(plan, published, yes)
    if not dry_run and not plan.empty():
        publish_dir(out, dest, extra, plan, delete)
    return plan


# Git target ----------------------------------------------------------------------
def _git(*args: str, cwd: Path, check: bool = True,
         hint: str = "check the remote URL and your access to it") -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in GIT_REPO_ENV}
    env.update(GIT_TERMINAL_PROMPT="0", LC_ALL="C")
    done = subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True, env=env)
    if check and done.returncode != 0:
        message = [line.strip() for line in (done.stderr or done.stdout).splitlines() if line.strip()]
        raise DeployError(f"git {args[0]} failed: {_first_error(message, done.returncode)} ({hint})")
    return done


def _first_error(lines: list[str], code: int) -> str:
    """The line of git's output that says what went wrong (its first ``fatal:`` or ``error:``)."""
    for line in lines:
        for prefix in ("fatal: ", "error: "):
            if line.startswith(prefix):
                return line[len(prefix):]
    return lines[0] if lines else f"exit code {code}"


def _printable(line: str) -> str:
    return "".join(c for c in line if c == "\t" or (c.isprintable() and c != "\x7f")).strip()


def push_error(stderr: str, remote: str, branch: str, code: int) -> str:
    """What to tell the user when ``git push`` failed: git's verdict, the remote's own lines, and a hint.

    The remote URL is suggested for checking only when the remote was not
    reached (no ref was accepted or refused).
    """
    lines = [line for line in map(_printable, stderr.splitlines()) if line]
    said = [line for line in lines if line.startswith("remote:") and line[7:].strip()]
    status = next((line for line in lines if line.startswith("! [")), None)
    where = f"git push to {remote} ({branch})"
    if status is None:
        head = f"{where} failed: {_first_error(lines, code)} (check the remote URL and your access to it)"
    else:
        reason = re.search(r"\(([^()]*)\)$", status)
        why = reason[1] if reason else status[2:]
        if "[remote rejected]" in status:
            hint = ("the remote says why below; fix that, then deploy again" if said
                    else "the remote gave no reason; ask its owner, then deploy again")
            head = f"{where} was refused by the remote: {why} ({hint})"
        elif why in ("fetch first", "non-fast-forward"):
            head = (f"{where} was rejected: {why} (the branch changed on the remote meanwhile: deploy again, "
                    "or --force to replace it)")
        else:
            head = f"{where} was rejected: {why} (nothing was published; deploy again once that is fixed)"
    return "\n".join([head, *(f"  {line}" for line in said[:MAX_REMOTE_LINES])])


def _stale_clones(root: Path) -> None:
    """Remove the temporary clones of deploys that were killed (their process is gone)."""
    try:
        entries = list(os.scandir(root))
    except OSError:
        return
    for entry in entries:
        match = CLONE.fullmatch(entry.name)
        try:
            mine = entry.is_dir(follow_symlinks=False) and entry.stat(follow_symlinks=False).st_uid == os.geteuid()
        except OSError:
            continue
        if match and mine and _stale(int(match[1])):
            shutil.rmtree(entry.path, ignore_errors=True)


def _identity(cwd: Path) -> list[str]:
    """``-c user.name/-c user.email`` when git has none configured (``GIT_AUTHOR_*`` still win)."""
    out: list[str] = []
    for key, value in (("user.name", "ssg deploy"), ("user.email", "ssg@localhost")):
        if not _git("config", key, cwd=cwd, check=False).stdout.strip():
            out += ["-c", f"{key}={value}"]
    return out


def remote_url(remote: str) -> str:
    """The remote as git should see it from a temporary clone: a local path made absolute."""
    if "://" not in remote and Path(remote).exists():
        return str(Path(remote).resolve())
    return remote


def deploy_git(out: Path, remote: str, branch: str, extra: dict[str, bytes], *, message: str, force: bool,
               dry_run: bool, yes: bool) -> tuple[Plan, str]:
    """Publish as one commit on ``branch`` of ``remote``; returns the plan and the new commit (or '')."""
    if shutil.which("git") is None:
        raise DeployError("git is not installed (install git, or deploy with --dir)")
    root = Path(tempfile.gettempdir())
    _stale_clones(root)
    tmp = tempfile.mkdtemp(prefix=f"{CLONE_PREFIX}{os.getpid()}-", dir=root)
    try:
        work = Path(tmp) / "work"
        work.mkdir()
        _git("init", "-q", cwd=work)
        _git("remote", "add", "origin", remote_url(remote), cwd=work)
        exists = _git("ls-remote", "--exit-code", "--heads", "origin", branch, cwd=work, check=False)
        if exists.returncode not in (0, 2):
            _git("ls-remote", "--heads", "origin", branch, cwd=work)  # raises with git's message
        has_branch = exists.returncode == 0
        if has_branch:
            _git("fetch", "-q", "--depth", "1", "origin", branch, cwd=work)
            _git("checkout", "-q", "-B", branch, "FETCH_HEAD", cwd=work)
        else:
            _git("checkout", "-q", "--orphan", branch, cwd=work)
        published = [p for p in _git("ls-files", "-z", cwd=work).stdout.split("\0") if p]
        plan = plan_dir(out, work, extra, delete=True)
        plan.deleted = [p for p in plan.deleted if p in set(published)]
        guard_deletions(plan, len(published), yes)
        if dry_run or (plan.empty() and not force):
            return plan, ""
        apply_dir(out, work, extra, plan)
        if force and has_branch:
            _git("checkout", "-q", "--orphan", f"{branch}-new", cwd=work)
        _git("add", "-A", cwd=work)
        _git(*_identity(work), "commit", "-q", "-m", message, cwd=work)
        if force and has_branch:
            _git("branch", "-M", branch, cwd=work)
        push = ["push", "-q", "origin", f"HEAD:refs/heads/{branch}"]
        if force:
            push.insert(1, "--force")
        done = _git(*push, cwd=work, check=False)
        if done.returncode != 0:
            raise DeployError(push_error(done.stderr, remote, branch, done.returncode))
        commit = _git("rev-parse", "HEAD", cwd=work).stdout.strip()
        return plan, commit
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def main(args: argparse.Namespace) -> int:
    """Run ``ssg deploy``."""
    content, out = Path(args.content), Path(args.out)
    if not args.git and not args.dir:
        print("deploy: say where to: --git REMOTE (a branch of a git remote) or --dir PATH (a folder)",
              file=sys.stderr)
        return 2
    try:
        check_fresh(content, out)
        extra = extra_files(content)
        if args.dir:
            check_dir_target(out, content, Path(args.dir))
            plan = deploy_dir(out, Path(args.dir), extra, delete=args.delete, dry_run=args.dry_run, yes=args.yes)
            where, commit = args.dir, ""
        else:
            message = args.message or f"Deploy site ({len(site_files(out))} files) with ssg"
            plan, commit = deploy_git(out, args.git, args.branch, extra, message=message, force=args.force,
                                      dry_run=args.dry_run, yes=args.yes)
            where = f"{args.git} ({args.branch})"
    except DeployError as exc:
        print(paint(f"deploy: {exc}", "red", sys.stderr), file=sys.stderr)
        return 1
    except OSError as exc:
        where = f"{exc.filename}: " if exc.filename else ""
        print(paint(f"deploy: {where}{exc.strerror or exc} (check the target folder and its permissions)",
                    "red", sys.stderr), file=sys.stderr)
        return 1
    if args.dry_run:
        for line in plan.lines():
            print(line)
        print(f"Dry run for {where}: {plan.summary()}; nothing was changed.")
    elif plan.empty() and not commit:
        print(f"Nothing to deploy: {where} already has this site.")
    else:
        note = f", commit {commit[:10]}" if commit else ""
        print(f"{paint('Deployed', 'green', sys.stdout)} to {where}: {plan.summary()}{note}")
    return 0
