"""``ssg deploy``: to a real (local, bare) git repository and to a folder."""

from __future__ import annotations

import errno
import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
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


# A deploy is the old site or the new one, never half -----------------------------------------------------------
def tree(folder: Path) -> dict[str, object] | None:
    """Everything under ``folder``: files with their bytes, links with their targets, folders; None when absent."""
    if not folder.exists():
        return None
    found: dict[str, object] = {}
    for path in sorted(folder.rglob("*")):
        rel = path.relative_to(folder).as_posix()
        if path.is_symlink():
            found[rel] = ("link", os.readlink(path))
        elif path.is_dir():
            found[rel] = "folder"
        else:
            found[rel] = path.read_bytes()
    return found


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.startswith((".ssg-deploy-", "ssg-deploy-")))


@pytest.fixture
def disk(tmp_path: Path) -> Iterator[Path]:
    """A 512 kB file system (tmpfs), mounted for the test; skipped where mounting is not allowed."""
    mount = tmp_path / "disk"
    mount.mkdir()
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=512k", "tmpfs", str(mount)],
                          capture_output=True, text=True)
    if done.returncode != 0:
        pytest.skip(f"cannot mount a small tmpfs here ({(done.stderr or done.stdout).strip()}): "
                    "the injected full-disk test covers this")
    try:
        yield mount
    finally:
        subprocess.run(["umount", "-l", str(mount)], capture_output=True)


def test_a_full_disk_leaves_the_previous_deploy_and_names_the_target(show: Path, disk: Path) -> None:
    dest = disk / "public"
    assert run_ssg("deploy", "--dir", str(dest), cwd=show).returncode == 0
    before = tree(dest)
    (show / "content" / "static").mkdir()
    (show / "content" / "static" / "trailer.bin").write_bytes(os.urandom(300_000))  # more than is free
    edit(show)
    assert run_ssg("build", "--no-search", cwd=show).returncode == 0
    done = run_ssg("deploy", "--dir", str(dest), "--delete", cwd=show)
    assert done.returncode == 1
    assert done.stderr.startswith(f"deploy: {dest}: no space left for the new copy beside it")
    assert "free some space there" in done.stderr and "the folder was not changed" in done.stderr
    assert len(done.stderr.splitlines()) == 1 and "site/" not in done.stderr
    assert tree(dest) == before and leftovers(disk) == []
    # Once there is room again, the deploy goes through.
    (show / "content" / "static" / "trailer.bin").write_bytes(b"small")
    assert run_ssg("build", "--no-search", cwd=show).returncode == 0
    done = run_ssg("deploy", "--dir", str(dest), "--delete", cwd=show)
    assert done.returncode == 0, done.stderr
    assert tree(dest) == {**tree(show / "site"), ".nojekyll": b"", "CNAME": b"tides.example.org\n"}  # type: ignore[dict-item]
    assert leftovers(disk) == []


def test_a_mount_point_is_refused_with_a_clear_line(show: Path, disk: Path) -> None:
    (disk / "keep.txt").write_text("mine")
    done = run_ssg("deploy", "--dir", str(disk), cwd=show)
    assert done.returncode == 1
    assert done.stderr == (f"deploy: {disk}: is a mount point, so it cannot be replaced in one step (deploy into a "
                           f"folder inside it, such as {disk / 'site'}, and serve that)\n")
    assert tree(disk) == {"keep.txt": b"mine"}


EXTRA = {".nojekyll": b"", "CNAME": b"tides.example.org\n"}


def write_tree(folder: Path, files: dict[str, bytes]) -> Path:
    for rel, data in files.items():
        (folder / rel).parent.mkdir(parents=True, exist_ok=True)
        (folder / rel).write_bytes(data)
    return folder


OLD_SITE = {"index.html": b"<h1>home v1</h1>", "feed.xml": b"<rss>v1</rss>", "assets/style.css": b"body{}",
            **{f"episodes/{i}/index.html": f"episode {i}".encode() for i in range(3)}, "tags/old/index.html": b"tag"}
NEW_SITE = {"index.html": b"<h1>home v2</h1>", "feed.xml": b"<rss>v2</rss>", "assets/style.css": b"body{}",
            **{f"episodes/{i}/index.html": f"episode {i}{' v2' * (i == 1)}".encode() for i in range(4)},
            "speakers/ravi/index.html": b"ravi"}
USERS_OWN = {"uploads/photo.jpg": b"\xff\xd8 a photo", ".git/config": b"[core]\n", "notes.txt": b"mine"}


@pytest.fixture
def sites(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Path, Path, Path]:
    """Two builds and a target holding the first one (deployed), the user's own files and an empty folder.

    The deploys skip flushing the disk (``syncfs``): it changes no file, and on a busy shared disk each
    call can wait for other processes' writes.
    """
    from ssg import atomic
    from ssg.deploy import deploy_dir

    monkeypatch.setattr(atomic, "sync_file_system", lambda folder: None)

    old = write_tree(tmp_path / "old-site", OLD_SITE)
    new = write_tree(tmp_path / "new-site", NEW_SITE)
    dest = write_tree(tmp_path / "www" / "public", USERS_OWN)
    (dest / "drafts").mkdir()
    deploy_dir(old, dest, EXTRA, delete=False, dry_run=False, yes=True)
    return old, new, dest


def expected_after(new: Path, dest: Path, delete: bool, tmp_path: Path) -> dict[str, object] | None:
    """The target once the new site is deployed without interruption (into a copy)."""
    from ssg.deploy import deploy_dir

    copy = tmp_path / "expected" / ("delete" if delete else "keep")
    shutil.copytree(dest, copy, symlinks=True)
    deploy_dir(new, copy, EXTRA, delete=delete, dry_run=False, yes=True)
    return tree(copy)


@pytest.mark.parametrize("delete", [False, True])
def test_an_injected_full_disk_at_every_file_leaves_the_previous_deploy(
        sites: tuple[Path, Path, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch, delete: bool) -> None:
    """Runs everywhere: the k-th file copied fails with ENOSPC, for every k."""
    from ssg.deploy import DeployError, deploy_dir

    _, new, dest = sites
    before = tree(dest)
    pristine = shutil.copytree(dest, tmp_path / "pristine", symlinks=True)
    real_copy = shutil.copyfile
    failures: list[str] = []
    k = 0
    while True:
        calls = 0

        def copyfile(src: object, dst: object, **kw: object) -> object:
            nonlocal calls
            calls += 1
            if calls > k:
                raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(src))
            return real_copy(src, dst, **kw)  # type: ignore[arg-type]

        monkeypatch.setattr(shutil, "copyfile", copyfile)
        try:
            deploy_dir(new, dest, EXTRA, delete=delete, dry_run=False, yes=True)
        except (DeployError, OSError) as exc:
            message = str(exc)
        else:
            break
        finally:
            monkeypatch.setattr(shutil, "copyfile", real_copy)
        if not (message.startswith(f"{dest}: no space left") and str(new) not in message
                and tree(dest) == before and leftovers(dest.parent) == []):
            failures.append(f"copy {k + 1}: {message!r}")
            shutil.rmtree(dest)
            shutil.copytree(pristine, dest, symlinks=True)
        k += 1
    assert failures == [], f"{len(failures)} of {k} full-disk points left a changed target or named the source"
    assert k >= 4, "the deploy copies the changed files"


WRITES = [(os, "link"), (os, "symlink"), (os, "mkdir"), (os, "rename"), (os, "replace"), (os, "unlink"),
          (os, "rmdir"), (os, "chmod"), (os, "chown"), (shutil, "copyfile")]
"""Every call that changes a file system, as the deploy makes them (``shutil.rmtree`` goes through ``os``)."""


def killed_at(k: int, run: Callable[[], object]) -> bool:
    """Run ``run`` in a forked child that SIGKILLs itself just before its k-th file system change.

    Returns False when the run finished before reaching that change.
    """
    import builtins
    import io

    from ssg import atomic

    pid = os.fork()
    if pid == 0:
        try:
            count = 0

            def wrap(func: Callable[..., object]) -> Callable[..., object]:
                def changing(*args: object, **kw: object) -> object:
                    nonlocal count
                    count += 1
                    if count == k:
                        os.kill(os.getpid(), signal.SIGKILL)
                    return func(*args, **kw)
                return changing

            for module, name in WRITES:
                setattr(module, name, wrap(getattr(module, name)))
            atomic.exchange = wrap(atomic.exchange)  # type: ignore[assignment]
            opener = io.open

            def writing_open(file: object, mode: str = "r", *args: object, **kw: object) -> object:
                return (wrap(opener) if set(mode) & set("wxa+") else opener)(file, mode, *args, **kw)

            builtins.open = io.open = writing_open  # type: ignore[assignment]
            run()
        finally:
            os._exit(0)
    _, status = os.waitpid(pid, 0)
    return os.WIFSIGNALED(status)


@pytest.mark.parametrize(("exchange", "delete"), [(True, False), (False, True)],
                         ids=["renameat2-keep-own-files", "two-renames-delete"])
def test_a_deploy_killed_at_any_point_leaves_the_old_or_the_new_folder(
        sites: tuple[Path, Path, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch, delete: bool,
        exchange: bool) -> None:
    """SIGKILL before each file system change the deploy makes, one point per run, every point."""
    from ssg import atomic
    from ssg.deploy import deploy_dir

    _, new, dest = sites
    if not exchange:
        monkeypatch.setattr(atomic, "exchange", lambda a, b: False)
    pristine = tmp_path / "pristine"
    shutil.copytree(dest, pristine, symlinks=True)
    before, after = tree(dest), expected_after(new, dest, delete, tmp_path)
    assert before != after
    mixed: dict[int, str] = {}
    k = 1
    while killed_at(k, lambda: deploy_dir(new, dest, EXTRA, delete=delete, dry_run=False, yes=True)):
        seen = tree(dest)
        if seen is None and not exchange:  # between the two renames: the next deploy puts it back
            from ssg.deploy import clean_dir_leftovers
            clean_dir_leftovers(dest)
            seen = tree(dest)
        if seen not in (before, after):
            mixed[k] = "missing" if seen is None else "a mix"
        deploy_dir(new, dest, EXTRA, delete=delete, dry_run=False, yes=True)  # the next deploy
        if tree(dest) != after or leftovers(dest.parent) != []:
            mixed[k] = mixed.get(k, "") + f" then the next deploy left {leftovers(dest.parent)} or a wrong folder"
        shutil.rmtree(dest)
        shutil.copytree(pristine, dest, symlinks=True)
        k += 1
    assert mixed == {}, f"{len(mixed)} of {k - 1} kill points: " + "; ".join(f"{n}: {w}" for n, w in mixed.items())
    assert k > 20, "every change the deploy makes is a kill point"


def hook(remote: Path, script: str) -> None:
    path = remote / "hooks" / "pre-receive"
    path.write_text("#!/bin/sh\n" + script)
    path.chmod(0o755)


def test_a_push_the_remote_refuses_shows_the_remotes_own_reason(show: Path, remote: Path, tmp_path: Path) -> None:
    temp = tmp_path / "temp"
    temp.mkdir()
    env = {**os.environ, "NO_COLOR": "1", **GIT_ENV, "TMPDIR": str(temp)}
    assert run_ssg("deploy", "--git", str(remote), cwd=show).returncode == 0
    hook(remote, 'echo "policy: gh-pages only takes signed pushes" >&2\necho "ask ops@example.org"\nexit 1\n')
    edit(show)
    assert run_ssg("build", "--no-search", cwd=show).returncode == 0
    done = subprocess.run([sys.executable, "-m", "ssg", "deploy", "--git", str(remote)], cwd=show,
                          capture_output=True, text=True, timeout=120, env=env)
    assert done.returncode == 1
    assert done.stderr.splitlines() == [
        f"deploy: git push to {remote} (gh-pages) was refused by the remote: pre-receive hook declined "
        "(the remote says why below; fix that, then deploy again)",
        "  remote: policy: gh-pages only takes signed pushes",
        "  remote: ask ops@example.org"]
    assert len(commits(remote)) == 1 and list(temp.iterdir()) == []


def test_a_killed_git_deploy_leaves_nothing_once_the_next_one_has_run(show: Path, remote: Path,
                                                                      tmp_path: Path) -> None:
    temp = tmp_path / "temp"
    temp.mkdir()
    started, release = tmp_path / "started", tmp_path / "release"
    hook(remote, f'touch "{started}"\nwhile [ ! -e "{release}" ]; do sleep 0.05; done\n')
    env = {**os.environ, "NO_COLOR": "1", **GIT_ENV, "TMPDIR": str(temp)}
    deploy = subprocess.Popen([sys.executable, "-m", "ssg", "deploy", "--git", str(remote)], cwd=show, env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    try:
        for _ in range(1200):
            if started.exists() or deploy.poll() is not None:
                break
            time.sleep(0.05)
        assert started.exists(), "the push reached the remote's hook"
        os.killpg(deploy.pid, signal.SIGKILL)  # the deploy, git and the hook, as a closed terminal would
    finally:
        release.touch()
        deploy.wait(timeout=60)
    assert [p.name.split("-")[:2] for p in temp.iterdir()] == [["ssg", "deploy"]]  # the clone it left
    assert leftovers(temp)[0].startswith(f"ssg-deploy-{deploy.pid}-")
    done = subprocess.run([sys.executable, "-m", "ssg", "deploy", "--git", str(remote)], cwd=show,
                          capture_output=True, text=True, timeout=120, env=env)
    assert done.returncode == 0, done.stderr
    assert list(temp.iterdir()) == [] and "index.html" in published(remote)


def test_a_remote_that_cannot_be_reached_at_push_suggests_the_url() -> None:
    from ssg.deploy import push_error

    stderr = ("fatal: unable to access 'https://git.example.org/show.git/': Could not resolve host: "
              "git.example.org\n")
    assert push_error(stderr, "https://git.example.org/show.git", "gh-pages", 128) == (
        "git push to https://git.example.org/show.git (gh-pages) failed: unable to access "
        "'https://git.example.org/show.git/': Could not resolve host: git.example.org "
        "(check the remote URL and your access to it)")
