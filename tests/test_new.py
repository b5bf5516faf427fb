"""``ssg new``: a new show that builds at once."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path


def run_ssg(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "ssg", *args], cwd=cwd, capture_output=True, text=True,
                          timeout=120, env={**os.environ, "NO_COLOR": "1"})


def test_new_show_builds_at_once(tmp_path: Path) -> None:
    done = run_ssg("new", "myshow", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert "cd myshow" in done.stdout and "ssg serve" in done.stdout
    show = tmp_path / "myshow"
    for rel in ("content/site.yaml", "content/speakers.yaml", "content/episodes/001-hello-world.md",
                "content/templates", "content/cover.png"):
        assert (show / rel).exists(), rel
    assert "# The show." in (show / "content" / "site.yaml").read_text()
    built = run_ssg("build", "--no-search", "--strict", cwd=show)  # --strict: a warning fails the build
    assert built.returncode == 0, built.stderr
    assert built.stderr == ""
    assert b"001-hello-world.mp3" in (show / "site" / "feed.xml").read_bytes()
    page = (show / "site" / "episodes" / "hello-world" / "index.html").read_text()
    assert page.count('class="turn"') == 5
    assert 'href="#the-interesting-thing"' in page
    assert 'data-speaker="first-guest"' in page  # the SPEAKER_2 alias


def test_new_refuses_a_non_empty_folder(tmp_path: Path) -> None:
    (tmp_path / "busy").mkdir()
    (tmp_path / "busy" / "notes.txt").write_text("mine")
    done = run_ssg("new", "busy", cwd=tmp_path)
    assert done.returncode == 1
    assert done.stderr == "busy: folder is not empty (choose a new folder name, or empty this one)\n"
    assert sorted(p.name for p in (tmp_path / "busy").iterdir()) == ["notes.txt"]


def test_new_refuses_a_file(tmp_path: Path) -> None:
    (tmp_path / "show").write_text("mine")
    done = run_ssg("new", "show", cwd=tmp_path)
    assert done.returncode == 1
    assert done.stderr == "show: a file of that name exists (choose a new folder name)\n"
    assert (tmp_path / "show").read_text() == "mine"


def test_new_fills_an_empty_folder(tmp_path: Path) -> None:
    (tmp_path / "show").mkdir()
    done = run_ssg("new", "show", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "show" / "content" / "site.yaml").is_file()


def test_every_site_field_is_explained() -> None:
    from ssg.scaffold import SITE_YAML

    fields = ["title", "description", "base_url", "language", "author", "owner", "image", "categories",
              "explicit", "copyright", "domain", "page_size", "type", "theme", "links"]
    assert [f for f in fields if f"\n{f}:" not in SITE_YAML and f"\n# {f}:" not in SITE_YAML] == []
