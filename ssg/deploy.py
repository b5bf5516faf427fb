"""``ssg deploy``: publish a finished build to a git branch or a folder.

Deploy publishes what ``ssg build`` wrote; it does not build. It refuses a
site whose last build failed or whose content changed since, so what goes
out is what was checked. Targets:

- ``--git REMOTE --branch B``: one commit per deploy on branch B of the
  remote (GitHub Pages style, with ``.nojekyll`` and ``CNAME``), made in a
  temporary clone; the user's own repository is never touched. History is
  kept unless ``--force``.
- ``--dir PATH``: copies new and changed files; deletes stale ones only with
  ``--delete``.

Both list what they would change with ``--dry-run`` and ask for ``--yes``
before deleting a large share of the published files.
"""

from __future__ import annotations

import argparse
import filecmp
import os
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

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
    plan = plan_dir(out, dest, extra, delete)
    published = sum(1 for p in dest.rglob("*") if p.is_file()) if dest.is_dir() else 0
    guard_deletions(plan, published, yes)
    if not dry_run:
        dest.mkdir(parents=True, exist_ok=True)
        apply_dir(out, dest, extra, plan)
    return plan


# Git target ----------------------------------------------------------------------
def _git(*args: str, cwd: Path, check: bool = True,
         hint: str = "check the remote URL and your access to it") -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in GIT_REPO_ENV}
    env.update(GIT_TERMINAL_PROMPT="0", LC_ALL="C")
    done = subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True, env=env)
    if check and done.returncode != 0:
        message = [line.strip() for line in (done.stderr or done.stdout).splitlines() if line.strip()]
        if args[0] == "push" and any(w in line for line in message for w in ("(fetch first)", "(non-fast-forward)")):
            hint = "the branch changed on the remote meanwhile: deploy again, or --force to replace it"
        raise DeployError(f"git {args[0]} failed: {_first_error(message, done.returncode)} ({hint})")
    return done


def _first_error(lines: list[str], code: int) -> str:
    """The line of git's output that says what went wrong (its first ``fatal:`` or ``error:``)."""
    for line in lines:
        for prefix in ("fatal: ", "error: "):
            if line.startswith(prefix):
                return line[len(prefix):]
    return lines[0] if lines else f"exit code {code}"


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
    with tempfile.TemporaryDirectory(prefix="ssg-deploy-") as tmp:
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
        _git(*push, cwd=work)
        commit = _git("rev-parse", "HEAD", cwd=work).stdout.strip()
        return plan, commit


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
