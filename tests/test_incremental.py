"""Fast paths give the same site: cached rebuilds and parallel rendering equal a clean serial build."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import copy_site
from ssg import build as build_module
from ssg.build import build_site


def tree(site: Path) -> dict[str, bytes]:
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in sorted(site.rglob("*")) if p.is_file()}


def clean_build(content: Path, out: Path, jobs: int = 1) -> dict[str, bytes]:
    shutil.rmtree(out, ignore_errors=True)
    result = build_site(content, out, search=False, jobs=jobs, use_cache=False)
    assert result.ok, [p.format() for p in result.problems]
    return tree(out)


def many_episodes(content: Path, count: int = 40) -> None:
    for n in range(10, 10 + count):
        (content / "episodes" / f"{n}-extra.md").write_text(
            f"---\ntitle: Extra {n}\ndate: 2025-{1 + n % 12:02d}-{1 + n % 27:02d}\nepisode: {n}\n"
            f"audio_url: https://cdn.tides.example.org/{n}.mp3\naudio_bytes: 10\n---\n"
            f"[00:00:01] Ada: Extra episode {n}, *about* tides.\n[00:00:09] Ben: Indeed {n}.\n")


def touch(path: Path, text: str) -> None:
    time.sleep(0.01)
    path.write_text(text)


EDITS: dict[str, Callable[[Path], None]] = {
    "episode body": lambda c: touch(c / "episodes/01-spring-tides.md",
                                    (c / "episodes/01-spring-tides.md").read_text().replace("They do not.", "No.")),
    "episode title (neighbours' links)": lambda c: touch(
        c / "episodes/02-harbour.md",
        (c / "episodes/02-harbour.md").read_text().replace('"Bringing ships into harbour"', "Harbour pilots")),
    "speakers file": lambda c: touch(c / "speakers.yaml",
                                     (c / "speakers.yaml").read_text().replace("Ben Okafor", "Benedict Okafor")),
    "site file": lambda c: touch(c / "site.yaml", (c / "site.yaml").read_text().replace("Tidal Notes", "Tide Notes")),
    "template override": lambda c: (c / "templates").mkdir() or touch(
        c / "templates" / "404.html", "{% extends 'base.html' %}{% block main %}<h1>Lost at sea</h1>{% endblock %}"),
    "static asset": lambda c: (c / "static").mkdir() or touch(c / "static" / "style.css", "body { color: red }"),
    "deleted episode": lambda c: (c / "episodes/02-harbour.md").unlink(),
    "added episode": lambda c: touch(c / "episodes/05-new.md",
                                     "---\ntitle: Brand new\ndate: 2026-06-01\nepisode: 5\ntags: [fresh]\n---\nAda: New.\n"),
    "tags removed everywhere": lambda c: [touch(p, "\n".join(line for line in p.read_text().splitlines()
                                                             if not line.startswith("tags:")) + "\n")
                                          for p in (c / "episodes").glob("*.md")],
}


@pytest.mark.parametrize("edit", list(EDITS), ids=list(EDITS))
def test_cached_rebuild_equals_clean_build(tmp_path: Path, edit: str) -> None:
    content = copy_site("basic", tmp_path / "show")
    out = tmp_path / "site"
    assert build_site(content, out, search=False).ok
    assert build_site(content, out, search=False).ok  # warm: everything from the cache
    EDITS[edit](content)
    result = build_site(content, out, search=False)
    assert result.ok, [p.format() for p in result.problems]
    assert tree(out) == clean_build(content, tmp_path / "clean")


def test_cache_is_used_and_untouched_files_keep_their_inode(tmp_path: Path) -> None:
    content = copy_site("basic", tmp_path / "show")
    many_episodes(content)
    out = tmp_path / "site"
    build_site(content, out, search=False)
    page = out / "episodes" / "extra-20" / "index.html"
    before = page.stat()
    calls: list[int] = []
    original = build_module.Renderer.episode_outputs

    def counting(self, i):  # type: ignore[no-untyped-def]
        calls.append(i)
        return original(self, i)

    build_module.Renderer.episode_outputs = counting  # type: ignore[method-assign]
    try:
        EDITS["episode body"](content)
        result = build_site(content, out, search=False, jobs=1)
    finally:
        build_module.Renderer.episode_outputs = original  # type: ignore[method-assign]
    assert result.ok
    assert len(calls) == 1  # only the edited episode is rendered again (its neighbours' links did not change)
    assert page.stat().st_ino == before.st_ino and page.stat().st_mtime_ns == before.st_mtime_ns
    assert result.changed and all("spring-tides" in p or "/" not in p or p.startswith(("tags/", "speakers/", "page/"))
                                  for p in result.changed)


def test_a_damaged_previous_file_is_rendered_again(tmp_path: Path) -> None:
    content = copy_site("basic", tmp_path / "show")
    out = tmp_path / "site"
    build_site(content, out, search=False)
    page = out / "episodes" / "spring-tides-neap-tides" / "index.html"
    time.sleep(0.01)
    page.write_text("damaged")
    assert build_site(content, out, search=False).ok
    assert tree(out) == clean_build(content, tmp_path / "clean")


def test_parallel_rendering_equals_serial(tmp_path: Path) -> None:
    content = copy_site("basic", tmp_path / "show")
    many_episodes(content)
    serial = clean_build(content, tmp_path / "one", jobs=1)
    parallel = clean_build(content, tmp_path / "two", jobs=2)
    assert parallel == serial
    assert len(serial) > 100


def test_help_is_fast_to_import(tmp_path: Path) -> None:
    """``ssg --help`` imports none of the heavy libraries (no wall time asserted)."""
    code = ("import contextlib, io, sys; from ssg.cli import main\n"
            "with contextlib.redirect_stdout(io.StringIO()):\n"
            "    try:\n        main(['--help'])\n    except SystemExit:\n        pass\n"
            "heavy = [m for m in ('jinja2', 'markdown_it', 'yaml', 'ssg.build', 'ssg.render') if m in sys.modules]\n"
            "print(','.join(heavy))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=tmp_path,
                          env={**os.environ})
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == ""
