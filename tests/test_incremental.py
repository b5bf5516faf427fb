"""Fast paths give the same site: cached rebuilds and parallel rendering equal a clean serial build.

Every test here compares whole sites byte for byte with a clean build made
without the cache, by one process; none of them asserts a wall time.
"""

from __future__ import annotations

import dataclasses
import gc
import os
import pickle
import shutil
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

import ssg
from conftest import copy_site
from ssg import incremental as cache, write
from ssg import render as render_module
from ssg.build import build_site, default_cache_dir
from ssg.errors import Problems
from ssg.loading import load_site
from ssg.loading.assets import load_assets, load_images
from ssg.model import Episode, Transcript
from ssg.render import Renderer, Unit
from ssg.urls import Urls


def tree(site: Path) -> dict[str, bytes]:
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in sorted(site.rglob("*")) if p.is_file()}


def stats(site: Path) -> dict[str, tuple[int, int]]:
    return {p.relative_to(site).as_posix(): (p.stat().st_ino, p.stat().st_mtime_ns)
            for p in site.rglob("*") if p.is_file()}


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


def replace_in(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text, f"{old!r} not in {path}"
    touch(path, text.replace(old, new))


HOME = Urls.home(1)
"""The home page's unit (named by its route): counted as the show-wide pages being rendered."""


def wrap_units(monkeypatch: pytest.MonkeyPatch, before: Callable[[Unit], None]) -> None:
    """Call ``before(unit)`` whenever a unit of the site is rendered in this process (use jobs=1)."""
    units = Renderer.units

    def wrapped(self: Renderer) -> list[Unit]:
        def watched(unit: Unit) -> Unit:
            def render(*transcripts: Transcript) -> list[tuple[str, bytes]]:
                before(unit)
                return unit.render(*transcripts)
            return dataclasses.replace(unit, render=render)
        return [watched(unit) for unit in units(self)]

    monkeypatch.setattr(render_module.Renderer, "units", wrapped)


@pytest.fixture
def count_renders(monkeypatch: pytest.MonkeyPatch) -> Iterator[dict[str, int]]:
    """Counts episode units and home pages rendered in this process (use jobs=1)."""
    calls = {"episodes": 0, "site": 0}

    def count(unit: Unit) -> None:
        if unit.episodes:
            calls["episodes"] += 1
        elif unit.name == HOME:
            calls["site"] += 1

    wrap_units(monkeypatch, count)
    yield calls


EDITS: dict[str, Callable[[Path], None]] = {
    "episode body": lambda c: replace_in(c / "episodes/01-spring-tides.md", "They do not.", "No."),
    "episode title (neighbours' links)": lambda c: replace_in(
        c / "episodes/02-harbour.md", '"Bringing ships into harbour"', "Harbour pilots"),
    "episode date (order of episodes)": lambda c: replace_in(
        c / "episodes/01-spring-tides.md", "date: 2026-01-05", "date: 2024-01-05"),
    "episode tags": lambda c: replace_in(c / "episodes/01-spring-tides.md", "tags: [science, moon]", "tags: [moon]"),
    "speakers file": lambda c: replace_in(c / "speakers.yaml", "Ben Okafor", "Benedict Okafor"),
    "site file": lambda c: replace_in(c / "site.yaml", "Tidal Notes", "Tide Notes"),
    "template override": lambda c: (c / "templates").mkdir() or touch(
        c / "templates" / "404.html", "{% extends 'base.html' %}{% block main %}<h1>Lost at sea</h1>{% endblock %}"),
    "static asset": lambda c: (c / "static").mkdir() or touch(c / "static" / "style.css", "body { color: red }"),
    "content file (cover art)": lambda c: (time.sleep(0.01), (c / "cover.png").write_bytes(b"\x89PNG new art")),
    "deleted episode": lambda c: (c / "episodes/02-harbour.md").unlink(),
    "added episode": lambda c: touch(c / "episodes/05-new.md",
                                     "---\ntitle: Brand new\ndate: 2026-06-01\nepisode: 5\ntags: [fresh]\n---\nAda: New.\n"),
    "new undeclared speaker": lambda c: replace_in(c / "episodes/01-spring-tides.md", "[00:00:15] Ben:",
                                                   "[00:00:15] Dora Guest:"),
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
    assert result.changed  # every edit above shows somewhere


@pytest.mark.parametrize("edit", ["episode body", "episode title (neighbours' links)", "deleted episode",
                                  "added episode", "speakers file"])
def test_parallel_cached_rebuild_equals_clean_serial_build(tmp_path: Path, edit: str) -> None:
    content = copy_site("basic", tmp_path / "show")
    many_episodes(content)
    out = tmp_path / "site"
    assert build_site(content, out, search=False, jobs=2).ok
    EDITS[edit](content)
    result = build_site(content, out, search=False, jobs=2)
    assert result.ok, [p.format() for p in result.problems]
    assert tree(out) == clean_build(content, tmp_path / "clean", jobs=1)


def test_one_edit_renders_one_episode_and_keeps_other_files(tmp_path: Path,
                                                             count_renders: dict[str, int]) -> None:
    content = copy_site("basic", tmp_path / "show")
    many_episodes(content)
    out = tmp_path / "site"
    build_site(content, out, search=False, jobs=1)
    before = stats(out)
    count_renders.update(episodes=0, site=0)
    EDITS["episode body"](content)
    result = build_site(content, out, search=False, jobs=1)
    assert result.ok
    assert count_renders == {"episodes": 1, "site": 1}  # the neighbours' links did not change
    after = stats(out)
    kept = {path for path in after if after[path] == before.get(path)}
    assert set(result.changed) == set(after) - kept
    episode_files = {p for p in after if p.startswith("episodes/")}
    assert {p for p in episode_files if p not in kept} <= {p for p in episode_files if "spring-tides" in p}
    assert "episodes/extra-20/index.html" in kept


def test_title_edit_renders_the_episode_and_its_neighbours(tmp_path: Path,
                                                           count_renders: dict[str, int]) -> None:
    content = copy_site("basic", tmp_path / "show")
    many_episodes(content)
    out = tmp_path / "site"
    build_site(content, out, search=False, jobs=1)
    count_renders.update(episodes=0, site=0)
    EDITS["episode title (neighbours' links)"](content)
    assert build_site(content, out, search=False, jobs=1).ok
    assert count_renders == {"episodes": 3, "site": 1}


def test_nothing_changed_renders_and_writes_nothing(tmp_path: Path, count_renders: dict[str, int]) -> None:
    content = copy_site("basic", tmp_path / "show")
    EDITS["new undeclared speaker"](content)
    out = tmp_path / "site"
    first = build_site(content, out, search=False)
    assert first.ok and first.warnings  # they are reported again
    before = stats(out)
    count_renders.update(episodes=0, site=0)
    again = build_site(content, out, search=False)
    assert again.ok
    assert count_renders == {"episodes": 0, "site": 0}
    assert again.changed == [] and again.removed == []
    assert [p.format() for p in again.problems] == [p.format() for p in first.problems]
    assert (again.episodes, again.speakers, again.files) == (first.episodes, first.speakers, first.files)
    assert stats(out) == before
    assert tree(out) == clean_build(content, tmp_path / "clean")


def test_other_options_are_not_mistaken_for_no_change(tmp_path: Path) -> None:
    content = copy_site("basic", tmp_path / "show")
    EDITS["new undeclared speaker"](content)
    out = tmp_path / "site"
    assert build_site(content, out, search=False).ok
    other = build_site(content, out, search=False, base_url="https://mirror.example.net/tides/")
    assert other.ok and other.changed
    assert "https://mirror.example.net/tides/" in (out / "feed.xml").read_text()
    strict = build_site(content, out, search=False, strict=True)
    assert not strict.ok  # the warning fails a strict build, even with nothing changed


TAMPERING: dict[str, Callable[[Path], None]] = {
    "page edited": lambda site: (time.sleep(0.01), (site / "index.html").write_text("defaced")),
    "page deleted": lambda site: (site / "episodes" / "spring-tides-neap-tides" / "index.html").unlink(),
    "stray file added": lambda site: (site / "stray.html").write_text("left behind"),
    "folder replaced": lambda site: (shutil.rmtree(site), site.mkdir()),
}


@pytest.mark.parametrize("damage", list(TAMPERING), ids=list(TAMPERING))
def test_a_tampered_site_is_repaired(tmp_path: Path, damage: str) -> None:
    content = copy_site("basic", tmp_path / "show")
    out = tmp_path / "site"
    assert build_site(content, out, search=False).ok
    TAMPERING[damage](out)
    result = build_site(content, out, search=False)
    assert result.ok
    assert tree(out) == clean_build(content, tmp_path / "clean")
    if damage == "stray file added":
        assert result.removed == ["stray.html"]


def unsealed(path: Path) -> Any:
    """The object in a sealed cache file (read past its header)."""
    return pickle.loads(path.read_bytes()[len(cache.MAGIC) + cache.CHECKSUM_SIZE:])


def sealed(path: Path, label: str, value: object) -> None:
    """Write ``value`` as a cache file whose checksum proves: only the checks behind the seal can catch it."""
    cache._write_sealed(path, label, value)


def _truncate_turns(cache_dir: Path) -> None:
    for path in (cache_dir / cache.EPISODES).glob("*.turns"):
        path.write_bytes(path.read_bytes()[:20])


def _reshape_turns(cache_dir: Path) -> None:
    """Each turns file still a tuple of tuples, but its columns one short (a cache of another shape)."""
    for path in (cache_dir / cache.EPISODES).glob("*.turns"):
        columns = unsealed(path)
        sealed(path, path.name.removesuffix(cache.TURNS), tuple(column[:-1] for column in columns))


def _one_entry_damaged(cache_dir: Path) -> None:
    index = cache_dir / cache.EPISODES / cache.INDEX
    data = unsealed(index)
    key = sorted(data["entries"])[0]
    data["entries"][key] = data["entries"][key][:30]
    sealed(index, cache._label(cache.INDEX), data)


CORRUPTIONS: dict[str, Callable[[Path], None]] = {
    "state unreadable": lambda c: (c / cache.STATE).write_bytes(b"not a pickle"),
    "state of another format": lambda c: (c / cache.STATE).write_bytes(pickle.dumps({"version": -1})),
    "state with wrong types": lambda c: sealed(
        c / cache.STATE, cache._label(cache.STATE),
        {"fingerprint": 1, "out": None, "files": [], "units": 3, "problems": None, "counts": "x"}),
    "digests unreadable": lambda c: (c / cache.DIGESTS).write_bytes(b"\x80\x04garbage"),
    "digests lying": lambda c: sealed(c / cache.DIGESTS, cache._label(cache.DIGESTS), {
        "digests": {k: (*v[:5], "0" * 40) for k, v in unsealed(c / cache.DIGESTS)["digests"].items()}}),
    "episode index unreadable": lambda c: (c / cache.EPISODES / cache.INDEX).write_bytes(b"\x00" * 100),
    "turns files truncated": _truncate_turns,
    "turns files of another shape": _reshape_turns,
    "one episode entry damaged": _one_entry_damaged,
    "turns files deleted": lambda c: [p.unlink() for p in (c / cache.EPISODES).glob("*.turns")],
    "cache deleted": lambda c: shutil.rmtree(c),
}


@pytest.mark.parametrize("corruption", list(CORRUPTIONS), ids=list(CORRUPTIONS))
@pytest.mark.parametrize("edit", ["template override", "episode body"])
def test_a_damaged_cache_is_ignored_never_trusted(tmp_path: Path, corruption: str, edit: str) -> None:
    content = copy_site("basic", tmp_path / "show")
    out = tmp_path / "site"
    assert build_site(content, out, search=False).ok
    cache_dir = default_cache_dir(content)
    assert (cache_dir / cache.STATE).is_file() and list((cache_dir / cache.EPISODES).glob("*.turns"))
    if corruption == "digests lying":
        time.sleep(cache.RACY_NS / 1e9 + 0.1)
        assert build_site(content, out, search=False).ok  # hashed again: now trusted by their stat
    CORRUPTIONS[corruption](cache_dir)
    EDITS[edit](content)
    result = build_site(content, out, search=False)
    assert result.ok, [p.format() for p in result.problems]
    assert tree(out) == clean_build(content, tmp_path / "clean")
    assert build_site(content, out, search=False).ok  # and the cache works again afterwards
    assert tree(out) == clean_build(content, tmp_path / "clean")


def test_a_new_ssg_renders_everything_again(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                            count_renders: dict[str, int]) -> None:
    content = copy_site("basic", tmp_path / "show")
    out = tmp_path / "site"
    assert build_site(content, out, search=False, jobs=1).ok
    monkeypatch.setattr(ssg, "__version__", ssg.__version__ + ".post1")
    cache.source_fingerprint.cache_clear()
    try:
        count_renders.update(episodes=0, site=0)
        assert build_site(content, out, search=False, jobs=1).ok
    finally:
        cache.source_fingerprint.cache_clear()
    assert count_renders == {"episodes": 3, "site": 1}


def test_a_crash_before_the_swap_leaves_site_and_cache_usable(tmp_path: Path,
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    content = copy_site("basic", tmp_path / "show")
    out = tmp_path / "site"
    assert build_site(content, out, search=False).ok
    before = tree(out)
    EDITS["episode title (neighbours' links)"](content)

    def killed(self: write.Staging, out: Path) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(write.Staging, "swap_in", killed)
    with pytest.raises(KeyboardInterrupt):
        build_site(content, out, search=False)
    monkeypatch.undo()
    assert tree(out) == before
    assert build_site(content, out, search=False).ok
    assert tree(out) == clean_build(content, tmp_path / "clean")


def test_content_edited_during_a_build_is_not_taken_as_built(tmp_path: Path,
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    content = copy_site("basic", tmp_path / "show")
    out = tmp_path / "site"
    def edit_meanwhile(unit: Unit) -> None:
        if unit.name == HOME:
            EDITS["episode body"](content)  # after the episode was loaded and rendered

    wrap_units(monkeypatch, edit_meanwhile)
    assert build_site(content, out, search=False, jobs=1).ok
    monkeypatch.undo()
    assert "They do not." in (out / "episodes" / "spring-tides-neap-tides" / "index.html").read_text()
    result = build_site(content, out, search=False)
    assert result.ok and result.changed
    assert tree(out) == clean_build(content, tmp_path / "clean")


def test_cache_stays_outside_the_site(tmp_path: Path) -> None:
    content = copy_site("basic", tmp_path / "show")
    out = tmp_path / "site"
    assert build_site(content, out, search=False).ok
    assert default_cache_dir(content) == tmp_path / "show" / ".ssg-cache"
    assert (default_cache_dir(content) / cache.STATE).is_file()
    assert not [p for p in out.rglob("*") if "cache" in p.name or p.suffix in (".pickle", ".turns")]
    assert not (content / ".ssg-cache").exists()


def _disguised(episode: Episode, donor: Episode, keep: tuple[str, ...]) -> Episode:
    """``episode`` with every field but ``keep`` taken from ``donor``."""
    fields = {f.name: getattr(donor, f.name) for f in dataclasses.fields(donor) if f.name not in keep}
    return dataclasses.replace(episode, **fields)


def loaded_renderer(site: Any, content: Path) -> Renderer:
    """A renderer of ``site`` with the assets and images of ``content`` loaded, as the build makes it."""
    problems = Problems()
    renderer = Renderer(site, load_assets(content, site.show.theme, site.content_dir, problems),
                        load_images(site, content, problems).shown)
    assert not problems.has_errors(), problems.items
    return renderer


def test_episode_outputs_read_other_episodes_only_as_their_unit_declares(tmp_path: Path) -> None:
    """``Renderer.episode_unit`` names what an episode's outputs read of other episodes; keep it true.

    The neighbours are changed in everything but their slug and title, and
    every other episode in everything but its slug: the middle episode's
    outputs must not change. If this fails, a template or exporter started
    reading more of other episodes: declare it in ``Renderer.episode_unit``.
    """
    content = copy_site("basic", tmp_path / "show")
    many_episodes(content, count=8)
    site, transcripts, problems = load_site(content)
    assert site is not None, problems.items
    episodes = site.episodes
    i = len(episodes) // 2
    transcript = transcripts[episodes[i].source]
    before = loaded_renderer(site, content).episode_unit(i)
    donor = next(e for e in episodes if e.tags)
    changed = tuple(
        e if j == i else _disguised(e, donor, ("slug", "title") if abs(j - i) == 1 else ("slug",))
        for j, e in enumerate(episodes))
    assert all(changed[j] != episodes[j] for j in (i - 1, i + 1))
    assert any(e.tags for e in changed) == any(e.tags for e in episodes)  # the navigation shows Tags either way
    other = dataclasses.replace(site, episodes=changed)
    after = loaded_renderer(other, content).episode_unit(i)
    assert after.render(transcript) == before.render(transcript)
    assert (after.episodes, after.headers, after.values) == (before.episodes, before.headers, before.values)


def test_show_wide_pages_read_only_the_episodes_they_declare(tmp_path: Path) -> None:
    """A show-wide unit whose declared episodes and values are as before renders the same bytes.

    Every episode is changed in everything but what orders the list (slug,
    date, number) and its file; each unit that still declares the same
    episodes and values must give the same outputs. If this fails,
    a page reads an episode it does not declare: add it to the unit.
    """
    content = copy_site("basic", tmp_path / "show")
    many_episodes(content, count=30)
    site, _, problems = load_site(content)
    assert site is not None, problems.items
    donor = site.episodes[-1]
    keep = ("slug", "date", "number", "source")
    changed = tuple(e if j % 3 else _disguised(e, donor, keep) for j, e in enumerate(site.episodes))
    other = dataclasses.replace(site, episodes=changed)

    def declared(s: Any) -> dict[str, tuple[Unit, object]]:
        return {u.name: (u, (tuple(s.episodes[i] for i in u.headers), u.values))
                for u in loaded_renderer(s, content).site_units()}

    old, new = declared(site), declared(other)
    same = [name for name in old if name in new and old[name][1] == new[name][1]]
    assert len(same) >= 5  # pages listing untouched episodes only
    for name in same:
        assert old[name][0].render() == new[name][0].render(), name
    assert any(old[name][0].render() != new[name][0].render() for name in old if name not in same)


def test_a_cached_build_holds_the_transcript_it_renders_and_no_other(tmp_path: Path,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    """With the cache on, a transcript stays in the store until its episode is rendered (bounded memory).

    Counted while each episode unit renders, in a cold build (episodes parsed
    in this process) and in a rebuild that renders every episode again.
    """
    content = copy_site("basic", tmp_path / "show")
    many_episodes(content, 20)
    out = tmp_path / "site"
    alive: list[int] = []

    def transcripts() -> int:
        return sum(1 for o in gc.get_objects() if type(o) is Transcript)

    def count(unit: Unit) -> None:
        if unit.episodes:
            alive.append(transcripts() - before)

    gc.collect()
    before = transcripts()  # other tests' (module-level samples)
    wrap_units(monkeypatch, count)
    assert build_site(content, out, search=False, jobs=1).ok
    EDITS["template override"](content)
    assert build_site(content, out, search=False, jobs=1).ok
    assert len(alive) == 2 * 23
    assert set(alive) == {1}  # the one being rendered


def test_parallel_rendering_equals_serial(tmp_path: Path) -> None:
    content = copy_site("basic", tmp_path / "show")
    many_episodes(content)
    serial = clean_build(content, tmp_path / "one", jobs=1)
    parallel = clean_build(content, tmp_path / "two", jobs=2)
    assert parallel == serial
    assert len(serial) > 100
    cached = tmp_path / "three"
    assert build_site(content, cached, search=False, jobs=2, cache_dir=tmp_path / "cache").ok
    assert tree(cached) == serial


def test_help_is_fast_to_import(tmp_path: Path) -> None:
    """``ssg --help`` imports none of the heavy libraries (no wall time asserted)."""
    code = ("import contextlib, io, sys; from ssg.cli import main\n"
            "with contextlib.redirect_stdout(io.StringIO()):\n"
            "    try:\n        main(['--help'])\n    except SystemExit:\n        pass\n"
            "heavy = [m for m in ('jinja2', 'markdown_it', 'yaml', 'ssg.build', 'ssg.render', 'ssg.loading')"
            " if m in sys.modules]\n"
            "print(','.join(heavy))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=tmp_path,
                          env={**os.environ})
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == ""


def rebuild_in_a_new_process(content: Path, out: Path, report: str) -> str:
    """Build ``content`` into ``out`` in a fresh Python process; it prints ``r.ok`` and ``report`` (an expression)."""
    code = ("import sys; from pathlib import Path; from ssg.build import build_site\n"
            f"r = build_site(Path({str(content)!r}), Path({str(out)!r}), search=False)\n"
            f"print(r.ok, {report})")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=out.parent)
    assert done.returncode == 0, done.stderr
    return done.stdout.strip()


def test_a_build_with_nothing_to_do_imports_no_renderer(tmp_path: Path) -> None:
    """The no-change check runs before the heavy libraries are imported."""
    content = copy_site("basic", tmp_path / "show")
    out = tmp_path / "site"
    assert build_site(content, out, search=False).ok
    heavy = "r.changed, [m for m in ('jinja2', 'markdown_it', 'yaml') if m in sys.modules]"
    assert rebuild_in_a_new_process(content, out, heavy) == "True [] []"


def test_an_edit_of_plain_text_does_not_import_markdown_it(tmp_path: Path) -> None:
    """markdown-it is imported only when some text needs it: a plain edit renders without it."""
    content = copy_site("basic", tmp_path / "show")
    out = tmp_path / "site"
    assert build_site(content, out, search=False).ok
    episode = content / "episodes" / "01-spring-tides.md"
    episode.write_text(episode.read_text().replace("Today, spring tides.", "Today, spring tides again."))
    assert rebuild_in_a_new_process(content, out, "'markdown_it' in sys.modules") == "True False"
    assert "spring tides again." in (out / "episodes" / "spring-tides-neap-tides" / "transcript.vtt").read_text()


@pytest.fixture
def count_pages(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """The routes of pages actually rendered in this process (use jobs=1)."""
    routes: list[str] = []
    page = Renderer._page

    def counting(self: Renderer, template: str, route: str, **context: object) -> tuple[str, bytes]:
        routes.append(route)
        return page(self, template, route, **context)

    monkeypatch.setattr(render_module.Renderer, "_page", counting)
    yield routes


def test_show_wide_pages_not_showing_the_edited_episode_are_taken_as_they_were(
        tmp_path: Path, count_pages: list[str]) -> None:
    content = copy_site("basic", tmp_path / "show")
    out = tmp_path / "site"
    assert build_site(content, out, search=False, jobs=1).ok
    assert "speakers/cleo/" in count_pages  # Cleo is only in episode 2
    count_pages.clear()
    EDITS["episode body"](content)  # episode 1, with Ada and Ben
    assert build_site(content, out, search=False, jobs=1).ok
    assert "speakers/cleo/" not in count_pages
    assert {"speakers/ada/", "speakers/ben/"} <= set(count_pages)
    count_pages.clear()
    replace_in(content / "episodes/02-harbour.md", '"Bringing ships into harbour"', "Harbour pilots")
    assert build_site(content, out, search=False, jobs=1).ok
    assert "speakers/cleo/" in count_pages
    assert "Harbour pilots" in (out / "speakers" / "cleo" / "index.html").read_text()
    assert tree(out) == clean_build(content, tmp_path / "clean")


def test_a_page_reading_the_whole_show_is_rendered_when_any_episode_changes(
        tmp_path: Path, count_pages: list[str]) -> None:
    content = copy_site("basic", tmp_path / "show")
    (content / "templates").mkdir()
    (content / "templates" / "404.html").write_text(
        "{% extends 'base.html' %}{% block main %}<h1>Lost</h1>"
        "{% for e in site.episodes %}<a>{{ e.title }}</a>{% endfor %}{% endblock %}")
    out = tmp_path / "site"
    assert build_site(content, out, search=False, jobs=1).ok
    count_pages.clear()
    EDITS["episode body"](content)  # the page read site.episodes: it depends on every episode
    assert build_site(content, out, search=False, jobs=1).ok
    assert "404.html" in count_pages and "speakers/cleo/" not in count_pages
    count_pages.clear()
    replace_in(content / "episodes/02-harbour.md", '"Bringing ships into harbour"', "Harbour pilots")
    assert build_site(content, out, search=False, jobs=1).ok
    assert "404.html" in count_pages
    assert "Harbour pilots" in (out / "404.html").read_text()
    assert tree(out) == clean_build(content, tmp_path / "clean")


def test_only_changed_files_are_new_files_in_an_untouched_site(tmp_path: Path) -> None:
    content = copy_site("basic", tmp_path / "show")
    many_episodes(content, 5)
    out = tmp_path / "site"
    assert build_site(content, out, search=False).ok
    before = stats(out)
    (content / "episodes" / "12-extra.md").unlink()
    EDITS["episode body"](content)
    result = build_site(content, out, search=False)
    assert result.ok
    after = stats(out)  # the folder is swapped for a new one, in which unchanged files are the same files
    assert {p for p in after if after[p] != before.get(p)} == set(result.changed)
    assert not (out / "episodes" / "extra-12").exists()  # its folder goes with its files
    beside = [p.name for p in out.parent.iterdir() if p.name.startswith(".")]
    assert beside == [write.spare_site(out).name]  # no staging left behind: the replaced site is the spare
    assert tree(out) == clean_build(content, tmp_path / "clean")


def test_an_edit_brings_the_spare_up_to_date_in_proportion_to_what_changed(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The site a swap replaced is kept; the next rebuild links into it only what is not already the site's."""
    content = copy_site("basic", tmp_path / "show")
    many_episodes(content, 40)
    out = tmp_path / "site"
    assert build_site(content, out, search=False, jobs=1).ok
    EDITS["episode title (neighbours' links)"](content)
    assert build_site(content, out, search=False, jobs=1).ok  # the first site becomes the spare
    assert write.spare_site(out).is_dir()
    files = len(stats(out))
    before = {p: (out / p).read_bytes() for p in stats(out)}
    operations: list[str] = []
    for name in ("link", "mkdir", "unlink"):
        real = getattr(os, name)

        def counted(*args: Any, _real: Callable[..., Any] = real, _name: str = name, **kwargs: Any) -> Any:
            operations.append(_name)
            return _real(*args, **kwargs)

        monkeypatch.setattr(os, name, counted)
    EDITS["episode body"](content)
    result = build_site(content, out, search=False, jobs=1)
    monkeypatch.undo()
    assert result.ok
    assert files > 200 and len(operations) < 60, operations  # not one link per file of the site
    assert tree(out) == clean_build(content, tmp_path / "clean")
    spare = write.spare_site(out)
    assert tree(spare) == before  # the replaced site, whole and as it was (never written into)


def test_a_failed_rebuild_leaves_an_untouched_site_as_it_was(tmp_path: Path) -> None:
    content = copy_site("basic", tmp_path / "show")
    out = tmp_path / "site"
    assert build_site(content, out, search=False).ok
    before, times = tree(out), stats(out)
    EDITS["episode body"](content)
    touch(content / "episodes" / "09-clash.md",  # the same slug as episode 1: two pages at one path
          "---\ntitle: Clash\ndate: 2026-03-01\nepisode: 9\nslug: spring-tides-neap-tides\n---\nAda: Hi.\n")
    result = build_site(content, out, search=False)
    assert not result.ok
    assert tree(out) == before and stats(out) == times
    (content / "episodes" / "09-clash.md").unlink()
    assert build_site(content, out, search=False).ok
    assert tree(out) == clean_build(content, tmp_path / "clean")


def test_the_feed_builds_again_only_the_edited_episodes_item(tmp_path: Path,
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    from ssg import feeds

    content = copy_site("basic", tmp_path / "show")
    many_episodes(content, 5)
    out = tmp_path / "site"
    assert build_site(content, out, search=False, jobs=1).ok
    made: list[str] = []
    item_xml = feeds._item_xml

    def counting(renderer: Renderer, episode: Episode) -> str:
        made.append(episode.slug)
        return item_xml(renderer, episode)

    monkeypatch.setattr(feeds, "_item_xml", counting)
    EDITS["episode body"](content)
    assert build_site(content, out, search=False, jobs=1).ok
    assert made == ["spring-tides-neap-tides"]
    made.clear()
    replace_in(content / "site.yaml", "Tidal Notes", "Tide Notes")  # the show: every item again
    assert build_site(content, out, search=False, jobs=1).ok
    assert len(made) == 8
    assert tree(out) == clean_build(content, tmp_path / "clean")
