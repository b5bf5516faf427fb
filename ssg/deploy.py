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

DELETE_SHARE = 0.5
"""A deploy deleting more than this share of the published files needs ``--yes``..."""
DELETE_MIN = 10
"""...when it deletes at least this many files."""


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
    newest = _newest(content)
    if newest is not None and newest[0] > finished:
        raise DeployError(f"{newest[1]} changed after the last build (run 'ssg build' again, then deploy)")


def _newest(content: Path) -> tuple[float, str] | None:
    from ssg.theme import BUILTIN_THEMES

    best: tuple[float, str] | None = None
    for folder in (content, content.parent / "themes", BUILTIN_THEMES):
        if not folder.is_dir():
            continue
        for dirpath, dirnames, filenames in os.walk(folder):
            dirnames[:] = [d for d in dirnames if not d.startswith(".") and d != "__pycache__"]
            for name in filenames:
                path = os.path.join(dirpath, name)
                try:
                    mtime = os.stat(path).st_mtime
                except OSError:
                    continue
                if best is None or mtime > best[0]:
                    best = (mtime, path)
    return best


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
    """Copy added and changed files (each replaced atomically), then delete stale ones."""
    for rel in plan.added + plan.changed:
        target = dest / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = target.with_name(f".{target.name}.ssg-tmp")
        if rel in extra:
            tmp.write_bytes(extra[rel])
        else:
            shutil.copy2(out / rel, tmp)
        os.replace(tmp, target)
    for rel in plan.deleted:
        (dest / rel).unlink(missing_ok=True)
    folders = [p for p in dest.rglob("*") if p.is_dir() and p.relative_to(dest).parts[0] != ".git"]
    for folder in sorted(folders, key=lambda p: len(p.parts), reverse=True):
        if not any(folder.iterdir()):
            folder.rmdir()


def deploy_dir(out: Path, dest: Path, extra: dict[str, bytes], *, delete: bool, dry_run: bool, yes: bool) -> Plan:
    """Publish into a folder."""
    if dest.resolve() == out.resolve() or dest.resolve().is_relative_to(out.resolve()):
        raise DeployError(f"{dest}: the target is the site folder itself (choose another folder)")
    plan = plan_dir(out, dest, extra, delete)
    published = sum(1 for p in dest.rglob("*") if p.is_file()) if dest.is_dir() else 0
    guard_deletions(plan, published, yes)
    if not dry_run:
        dest.mkdir(parents=True, exist_ok=True)
        apply_dir(out, dest, extra, plan)
    return plan


# Git target ----------------------------------------------------------------------
def _git(*args: str, cwd: Path, check: bool = True) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "GIT_TERMINAL_PROMPT": "0", "LC_ALL": "C"}
    done = subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True, env=env)
    if check and done.returncode != 0:
        message = (done.stderr or done.stdout).strip().splitlines()
        raise DeployError(f"git {args[0]} failed: {message[-1] if message else done.returncode} "
                          "(check the remote URL and your access to it)")
    return done


def _identity(cwd: Path) -> list[str]:
    """``-c user.name/-c user.email`` when git has no identity configured."""
    name = _git("config", "user.name", cwd=cwd, check=False).stdout.strip()
    email = _git("config", "user.email", cwd=cwd, check=False).stdout.strip()
    out: list[str] = []
    if not name and not os.environ.get("GIT_AUTHOR_NAME"):
        out += ["-c", "user.name=ssg deploy"]
    if not email and not os.environ.get("GIT_AUTHOR_EMAIL"):
        out += ["-c", "user.email=ssg@localhost"]
    return out


def deploy_git(out: Path, remote: str, branch: str, extra: dict[str, bytes], *, message: str, force: bool,
               dry_run: bool, yes: bool) -> tuple[Plan, str]:
    """Publish as one commit on ``branch`` of ``remote``; returns the plan and the new commit (or '')."""
    if shutil.which("git") is None:
        raise DeployError("git is not installed (install git, or deploy with --dir)")
    with tempfile.TemporaryDirectory(prefix="ssg-deploy-") as tmp:
        work = Path(tmp) / "work"
        work.mkdir()
        _git("init", "-q", cwd=work)
        _git("remote", "add", "origin", remote, cwd=work)
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
