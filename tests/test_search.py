"""Search: a Pagefind index where a hit lands on the exact turn, filterable by speaker (real browser)."""

from __future__ import annotations

import json
import stat
from pathlib import Path

import pytest

from conftest import copy_site
from ssg import search_index
from ssg.build import build_site

MANY = "\n".join(f"[00:{10 + i:02d}:00] {'Ada' if i % 2 else 'Ben'}: Tide number {i} of the barnacle story."
                 for i in range(8))


def make_site(root: Path, base_url: str | None = None) -> Path:
    content = copy_site("basic", root / "show")
    (content / "episodes" / "04-barnacles.md").write_text(
        "---\ntitle: Barnacles\ndate: 2026-04-01\nepisode: 4\nduration: '30:00'\n"
        "audio_url: https://cdn.tides.example.org/04.mp3\naudio_bytes: 100\n---\n" + MANY + "\n")
    out = root / "site"
    result = build_site(content, out, base_url=base_url)
    assert result.ok, [p.format() for p in result.problems]
    return out


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_site(tmp_path_factory.mktemp("search"))


def search(page, base: str, query: str, speaker: str = "") -> str:  # type: ignore[no-untyped-def]
    url = f"{base}search/?q={query}" + (f"&speaker={speaker}" if speaker else "")
    page.goto(url)
    page.wait_for_function("() => { const s = document.getElementById('search-status').textContent;"
                           " return s && !s.startsWith('Searching'); }")
    return page.inner_text("#search-status")


def test_build_writes_the_index(site: Path) -> None:
    shards = json.loads((site / "pagefind" / "shards.json").read_text())["shards"]
    assert shards and all((site / "pagefind" / shard / "pagefind.js").is_file() for shard in shards)
    assert all(list((site / "pagefind" / shard / "fragment").iterdir()) for shard in shards)
    page = (site / "episodes" / "spring-tides-neap-tides" / "index.html").read_text()
    assert "data-pagefind-body" in page
    assert 'data-pagefind-filter="speaker:ada"' in page
    assert not (site / "index.html").read_text().count("data-pagefind-body")


@pytest.mark.browser
def test_hit_shows_speaker_time_snippet_and_lands_on_the_turn(site: Path, serve_dir, page) -> None:  # type: ignore[no-untyped-def]
    base = serve_dir(site)
    assert search(page, base, "neap") == "1 matching turn in 1 episode"
    hit = page.locator(".hit-link").first
    assert hit.locator(".hit-speaker").inner_text() == "Ben Okafor"
    assert hit.locator(".hit-time").inner_text() == "0:15"
    assert hit.locator("mark").first.inner_text().lower().startswith("neap")
    assert page.locator(".result-title").inner_text() == "Spring tides, neap tides"
    assert "Episode 1" in page.locator(".result-meta").inner_text()
    href = hit.get_attribute("href") or ""
    assert href.startswith("/episodes/spring-tides-neap-tides/#ben-")
    hit.click()
    page.wait_for_url(f"**{href}")
    turn = page.locator(f"#{href.split('#')[1]}")
    assert "nobody ever talks about" in turn.inner_text()
    assert turn.evaluate("el => el.matches(':target')")
    # In view once the (smooth) scroll settles.
    turn.evaluate("el => new Promise((done, fail) => { const t0 = Date.now(); (function check() {"
                  " const r = el.getBoundingClientRect();"
                  " if (r.top >= 0 && r.top < innerHeight) done(); else if (Date.now() - t0 > 5000) fail('not in view');"
                  " else setTimeout(check, 50); })(); })")
    # The marked turn looks different from its neighbours.
    marked = turn.evaluate("el => getComputedStyle(el).backgroundColor")
    other = page.locator(".turn").first.evaluate("el => getComputedStyle(el).backgroundColor")
    assert marked != other


@pytest.mark.browser
def test_speaker_filter_keeps_only_that_speakers_words(site: Path, serve_dir, page) -> None:  # type: ignore[no-untyped-def]
    base = serve_dir(site)
    # "neap" is in the title and in Ben's words; Ada never says it.
    assert search(page, base, "neap", speaker="ada") == "No matches."
    assert search(page, base, "neap", speaker="ben") == "1 matching turn in 1 episode"
    # "moon": Ada says it; Ben appears in that episode but never says it.
    assert search(page, base, "moon", speaker="ben") == "No matches."
    assert search(page, base, "moon", speaker="ada").startswith("1 matching turn")
    assert page.locator("#search-speaker").input_value() == "ada"


@pytest.mark.browser
def test_many_hits_in_one_episode_are_all_reachable(site: Path, serve_dir, page) -> None:  # type: ignore[no-untyped-def]
    base = serve_dir(site)
    assert search(page, base, "barnacle") == "8 matching turns in 1 episode"
    assert page.locator(".result > .hits > .hit").count() == 5
    page.locator(".more-hits summary").click()
    assert page.locator(".more-hits .hit").count() == 3
    times = page.locator(".hit-time").all_inner_texts()
    assert times == [f"{10 + i}:00" for i in range(8)]


@pytest.mark.browser
def test_header_search_box_opens_results(site: Path, serve_dir, page) -> None:  # type: ignore[no-untyped-def]
    base = serve_dir(site)
    page.goto(base)
    page.fill("#site-search", "harbour")
    page.press("#site-search", "Enter")
    page.wait_for_url("**/search/?q=harbour")
    page.wait_for_selector(".hit")
    assert page.locator("#search-q").input_value() == "harbour"


@pytest.mark.browser
def test_search_under_a_sub_path(tmp_path: Path, serve_dir, page) -> None:  # type: ignore[no-untyped-def]
    site = make_site(tmp_path, base_url="https://example.org/show/")
    base = serve_dir(site, prefix="/show/")
    assert search(page, base, "neap").startswith("1 matching turn")
    href = page.locator(".hit-link").first.get_attribute("href") or ""
    assert href.startswith("/show/episodes/spring-tides-neap-tides/#ben-")
    page.locator(".hit-link").first.click()
    page.wait_for_selector(".turn:target")


def test_indexing_failure_is_a_build_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    site = make_site(tmp_path)
    before = sorted(p.relative_to(site) for p in site.rglob("*"))
    fake = tmp_path / "pagefind"
    fake.write_text("#!/bin/sh\necho 'Error: could not read the site' >&2\nexit 3\n")
    fake.chmod(fake.stat().st_mode | stat.S_IEXEC)
    monkeypatch.setattr(search_index, "pagefind_executable", lambda: fake)
    path = tmp_path / "show" / "content" / "episodes" / "01-spring-tides.md"
    path.write_text(path.read_text().replace("They do not.", "They never do."))
    result = build_site(tmp_path / "show" / "content", site)
    assert not result.ok
    assert [p.format() for p in result.errors] == [
        "pagefind: search indexing failed: Error: could not read the site "
        "(build with --no-search to publish without search)"]
    assert sorted(p.relative_to(site) for p in site.rglob("*")) == before


def test_missing_pagefind_is_a_build_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    content = copy_site("basic", tmp_path / "show")
    monkeypatch.setattr(search_index, "pagefind_executable", lambda: None)
    result = build_site(content, tmp_path / "site")
    assert [p.format() for p in result.errors] == [
        "pagefind: the Pagefind binary is not installed (pip install pagefind-bin, or build with --no-search)"]
    assert not (tmp_path / "site").exists()


def test_unchanged_pages_keep_their_index(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    site = make_site(tmp_path)
    shard = json.loads((site / "pagefind" / "shards.json").read_text())["shards"][0]
    entry = (site / "pagefind" / shard / "pagefind-entry.json").stat()
    monkeypatch.setattr(search_index, "pagefind_executable", lambda: None)  # must not be needed
    result = build_site(tmp_path / "show" / "content", site)
    assert result.ok, [p.format() for p in result.problems]
    assert (site / "pagefind" / shard / "pagefind-entry.json").stat().st_ino == entry.st_ino


def test_an_edit_reindexes_only_its_shard(tmp_path: Path) -> None:
    site = make_site(tmp_path)
    shards = json.loads((site / "pagefind" / "shards.json").read_text())["shards"]
    assert len(shards) >= 2  # the test needs episodes in more than one shard
    before = {s: (site / "pagefind" / s / "pagefind-entry.json").stat().st_ino for s in shards}
    edited = f"shard-{search_index.shard_of('episodes/spring-tides-neap-tides/index.html')}/"
    path = tmp_path / "show" / "content" / "episodes" / "01-spring-tides.md"
    path.write_text(path.read_text().replace("They do not.", "They never do, said the barnacle."))
    assert build_site(tmp_path / "show" / "content", site).ok
    after = {s: (site / "pagefind" / s / "pagefind-entry.json").stat().st_ino for s in shards}
    assert [s for s in shards if after[s] != before[s]] == [edited]
