"""``ssg deploy``: to a real (local, bare) git repository and to a folder."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import copy_site

GIT_ENV = {"GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1"}


def run_ssg(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "NO_COLOR": "1", **GIT_ENV}
    for key in ("GIT_AUTHOR_NAME", "GIT_AUTHOR_EMAIL", "GIT_COMMITTER_NAME", "GIT_COMMITTER_EMAIL"):
        env.pop(key, None)  # deploy must work with no git identity configured
    return subprocess.run([sys.executable, "-m", "ssg", *args], cwd=cwd, capture_output=True, text=True,
                          timeout=120, env=env)


def git(*args: str, cwd: Path) -> str:
    return subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True, check=True,
                          env={**os.environ, **GIT_ENV}).stdout


@pytest.fixture
def show(tmp_path: Path) -> Path:
    root = tmp_path / "show"
    copy_site("basic", root)
    (root / "content" / "site.yaml").write_text(
        (root / "content" / "site.yaml").read_text() + "domain: tides.example.org\n")
    assert run_ssg("build", "--no-search", cwd=root).returncode == 0
    return root


@pytest.fixture
def remote(tmp_path: Path) -> Path:
    bare = tmp_path / "remote.git"
    git("init", "-q", "--bare", str(bare), cwd=tmp_path)
    return bare


def published(remote: Path, branch: str = "gh-pages") -> list[str]:
    return sorted(git("ls-tree", "-r", "--name-only", branch, cwd=remote).split())


def commits(remote: Path, branch: str = "gh-pages") -> list[str]:
    return git("log", "--format=%H %s", branch, cwd=remote).splitlines()


def edit(show: Path) -> None:
    time.sleep(0.01)
    path = show / "content" / "episodes" / "01-spring-tides.md"
    path.write_text(path.read_text().replace("They do not.", "They really do not."))


def test_git_deploy_then_noop_then_one_commit_per_change(show: Path, remote: Path) -> None:
    done = run_ssg("deploy", "--git", str(remote), cwd=show)
    assert done.returncode == 0, done.stderr
    files = published(remote)
    site = sorted(p.relative_to(show / "site").as_posix() for p in (show / "site").rglob("*") if p.is_file())
    assert files == sorted([*site, ".nojekyll", "CNAME"])
    assert git("show", "gh-pages:CNAME", cwd=remote) == "tides.example.org\n"
    assert len(commits(remote)) == 1
    # A second deploy of the same build is a no-op.
    again = run_ssg("deploy", "--git", str(remote), cwd=show)
    assert again.returncode == 0 and "Nothing to deploy" in again.stdout
    assert len(commits(remote)) == 1
    # An edit, rebuilt and deployed: one new commit holding only what changed.
    edit(show)
    assert run_ssg("build", "--no-search", cwd=show).returncode == 0
    done = run_ssg("deploy", "--git", str(remote), "-m", "Fix a line", cwd=show)
    assert done.returncode == 0, done.stderr
    log = commits(remote)
    assert len(log) == 2 and log[0].endswith(" Fix a line")
    changed = git("diff", "--name-only", "gh-pages~1", "gh-pages", cwd=remote).split()
    assert "episodes/spring-tides-neap-tides/index.html" in changed
    assert "episodes/bringing-ships-into-harbour/index.html" not in changed
    assert "speakers/cleo/index.html" not in changed


def test_git_force_replaces_history(show: Path, remote: Path) -> None:
    assert run_ssg("deploy", "--git", str(remote), cwd=show).returncode == 0
    edit(show)
    assert run_ssg("build", "--no-search", cwd=show).returncode == 0
    assert run_ssg("deploy", "--git", str(remote), "--force", cwd=show).returncode == 0
    assert len(commits(remote)) == 1


def test_git_dry_run_changes_nothing(show: Path, remote: Path) -> None:
    done = run_ssg("deploy", "--git", str(remote), "--dry-run", cwd=show)
    assert done.returncode == 0
    assert "add     index.html" in done.stdout and "nothing was changed" in done.stdout
    assert git("branch", "--list", cwd=remote) == ""


def test_folder_deploy_copies_changes_and_deletes_only_when_asked(show: Path, tmp_path: Path) -> None:
    dest = tmp_path / "public"
    dest.mkdir()
    (dest / "old.html").write_text("stale")
    done = run_ssg("deploy", "--dir", str(dest), cwd=show)
    assert done.returncode == 0, done.stderr
    assert (dest / "index.html").read_bytes() == (show / "site" / "index.html").read_bytes()
    assert (dest / "old.html").exists()
    mtime = (dest / "speakers" / "cleo" / "index.html").stat().st_mtime_ns
    edit(show)
    assert run_ssg("build", "--no-search", cwd=show).returncode == 0
    dry = run_ssg("deploy", "--dir", str(dest), "--delete", "--dry-run", cwd=show)
    assert "change  episodes/spring-tides-neap-tides/index.html" in dry.stdout
    assert "delete  old.html" in dry.stdout
    assert (dest / "old.html").exists()
    done = run_ssg("deploy", "--dir", str(dest), "--delete", cwd=show)
    assert done.returncode == 0
    assert not (dest / "old.html").exists()
    assert b"They really do not." in (dest / "episodes/spring-tides-neap-tides/index.html").read_bytes()
    assert (dest / "speakers" / "cleo" / "index.html").stat().st_mtime_ns == mtime  # unchanged: not copied
    assert "Nothing to deploy" in run_ssg("deploy", "--dir", str(dest), "--delete", cwd=show).stdout


def test_refuses_stale_failed_or_missing_builds(show: Path, remote: Path, tmp_path: Path) -> None:
    edit(show)
    done = run_ssg("deploy", "--git", str(remote), cwd=show)
    assert done.returncode == 1
    assert done.stderr.startswith("deploy: content/episodes/01-spring-tides.md changed after the last build")
    path = show / "content" / "episodes" / "01-spring-tides.md"
    path.write_text(path.read_text().replace("date: 2026-01-05", "date: 2026-01-32"))
    assert run_ssg("build", "--no-search", cwd=show).returncode == 1
    done = run_ssg("deploy", "--git", str(remote), cwd=show)
    assert done.returncode == 1 and "the last build failed" in done.stderr
    empty = tmp_path / "empty"
    copy_site("basic", empty)
    done = run_ssg("deploy", "--dir", str(tmp_path / "x"), cwd=empty)
    assert done.returncode == 1 and "no built site here (run 'ssg build' first)" in done.stderr
    assert git("branch", "--list", cwd=remote) == ""


def test_large_deletion_needs_yes(show: Path, tmp_path: Path) -> None:
    dest = tmp_path / "public"
    (dest / "archive").mkdir(parents=True)
    for i in range(60):
        (dest / "archive" / f"{i}.html").write_text("old")
    done = run_ssg("deploy", "--dir", str(dest), "--delete", cwd=show)
    assert done.returncode == 1
    assert "would delete 60 of 60 published files" in done.stderr
    assert len(list((dest / "archive").iterdir())) == 60
    assert run_ssg("deploy", "--dir", str(dest), "--delete", "--yes", cwd=show).returncode == 0
    assert not (dest / "archive").exists()


def test_needs_a_target(show: Path) -> None:
    done = run_ssg("deploy", cwd=show)
    assert done.returncode == 2 and "--git REMOTE" in done.stderr


def test_relative_remote_path(show: Path, remote: Path) -> None:
    done = run_ssg("deploy", "--git", "../remote.git", cwd=show)
    assert done.returncode == 0, done.stderr
    assert "index.html" in published(remote)


def test_the_users_own_repository_is_never_touched(show: Path, remote: Path) -> None:
    """Even when GIT_DIR points at it (as inside a git hook)."""
    git("init", "-q", cwd=show)
    before = (show / ".git" / "config").read_text()
    env = {**os.environ, "NO_COLOR": "1", **GIT_ENV, "GIT_DIR": str(show / ".git"), "GIT_WORK_TREE": str(show)}
    done = subprocess.run([sys.executable, "-m", "ssg", "deploy", "--git", str(remote)], cwd=show,
                          capture_output=True, text=True, timeout=120, env=env)
    assert done.returncode == 0, done.stderr
    assert (show / ".git" / "config").read_text() == before
    assert git("status", "--porcelain", "--untracked-files=no", cwd=show) == ""
    assert not list((show / ".git" / "refs" / "heads").iterdir())
    assert "index.html" in published(remote)


def test_refuses_when_a_content_file_was_removed_after_the_build(show: Path, remote: Path) -> None:
    time.sleep(0.01)
    (show / "content" / "episodes" / "01-spring-tides.md").unlink()
    done = run_ssg("deploy", "--git", str(remote), cwd=show)
    assert done.returncode == 1
    assert done.stderr.startswith("deploy: content/episodes changed after the last build")


def test_refuses_a_folder_that_holds_the_site_or_the_content(show: Path) -> None:
    for target in (".", ".."):
        done = run_ssg("deploy", "--dir", target, "--delete", "--yes", cwd=show)
        assert done.returncode == 1
        assert "the target folder holds your site folder site (deploy into a folder of its own)" in done.stderr
    done = run_ssg("deploy", "--dir", "site/public", cwd=show)
    assert done.returncode == 1 and "the target is the site folder itself" in done.stderr
    assert (show / "content" / "site.yaml").exists() and (show / "site" / "index.html").exists()


def test_a_target_that_cannot_be_written_is_one_line(show: Path, tmp_path: Path) -> None:
    dest = tmp_path / "public"
    (dest / "index.html").mkdir(parents=True)  # a folder where the site has a file
    done = run_ssg("deploy", "--dir", str(dest), cwd=show)
    assert done.returncode == 1
    assert "Traceback" not in done.stderr and len(done.stderr.strip().splitlines()) == 1
    assert done.stderr.startswith("deploy: ")


def test_unrelated_empty_folders_at_the_target_stay(show: Path, tmp_path: Path) -> None:
    dest = tmp_path / "public"
    (dest / "uploads").mkdir(parents=True)
    (dest / "old" / "deep").mkdir(parents=True)
    (dest / "old" / "deep" / "page.html").write_text("stale")
    assert run_ssg("deploy", "--dir", str(dest), "--delete", cwd=show).returncode == 0
    assert (dest / "uploads").is_dir() and not (dest / "old").exists()


def test_a_remote_that_is_not_a_repository_is_one_clear_line(show: Path, tmp_path: Path) -> None:
    done = run_ssg("deploy", "--git", str(tmp_path / "nowhere.git"), cwd=show)
    assert done.returncode == 1
    assert done.stderr == (f"deploy: git ls-remote failed: '{tmp_path / 'nowhere.git'}' does not appear to be "
                           "a git repository (check the remote URL and your access to it)\n")
