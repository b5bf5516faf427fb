"""Search: a Pagefind index where a hit lands on the exact turn, filterable by speaker (real browser).

The fixture show (``tests/fixtures/sites/search``) has four episodes in two
seasons and two years: a chapter titled "Lighthouse keepers" (and a passing
"lighthouse" elsewhere), "fresnel" only in show notes, "cartographer" only in
a speaker's bio, "shrimp" said only by Ada in an episode Ben and Cleo are in,
"thermocline" said once by Ben, eight "barnacle" turns in one episode, and an
untimed episode.
"""

from __future__ import annotations

import gzip
import json
import re
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest

from conftest import copy_site
from ssg import search_index
from ssg.build import build_site
from ssg.serve import Preview

EPISODE = "/episodes/currents-and-layers/"
DATES = {"keepers-of-the-light": "2025-06-01", "barnacles": "2025-09-10",
         "currents-and-layers": "2026-02-01", "plankton-untimed": "2026-04-01"}
IN_VIEW = """el => new Promise((done, fail) => {
  const t0 = Date.now();
  (function check() {
    const r = el.getBoundingClientRect();
    const top = document.elementFromPoint(r.left + 8, Math.max(0, r.top) + 8);
    if (r.top >= 0 && r.top < innerHeight && el.contains(top)) done();
    else if (Date.now() - t0 > 5000) fail('turn not in view, or under the header');
    else setTimeout(check, 50);
  })();
})"""


def make_site(root: Path, base_url: str | None = None, extra: int = 0) -> Path:
    """Build the search fixture (plus ``extra`` short episodes about anchovies) into ``root/site``."""
    content = copy_site("search", root / "show")
    for i in range(extra):
        (content / "episodes" / f"9{i:02d}-anchovy.md").write_text(
            f"---\ntitle: Anchovy {i}\ndate: 2024-01-{i + 1:02d}\nepisode: {100 + i}\nduration: '5:00'\n"
            "audio_url: https://cdn.deep.example.org/a.mp3\naudio_bytes: 10\n---\n"
            f"[00:00:0{i % 10}] Ada: Anchovy shoals, part {i}.\n")
    out = root / "site"
    result = build_site(content, out, base_url=base_url)
    assert result.ok, [p.format() for p in result.problems]
    return out


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_site(tmp_path_factory.mktemp("search"))


def wait_for_results(page) -> str:  # type: ignore[no-untyped-def]
    page.wait_for_function("() => { const s = document.getElementById('search-status').textContent;"
                           " return s && !s.startsWith('Searching'); }")
    return page.inner_text("#search-status")


def search(page, base: str, query: str, **params: str) -> str:  # type: ignore[no-untyped-def]
    url = f"{base}search/?q={query}" + "".join(f"&{k}={v}" for k, v in params.items())
    page.goto(url)
    return wait_for_results(page)


def titles(page) -> list[str]:  # type: ignore[no-untyped-def]
    return page.locator(".result-title").all_inner_texts()


def fragment(path: Path) -> dict[str, object]:
    data = gzip.decompress(path.read_bytes())
    return json.loads(data[len(b"pagefind_dcd"):])  # type: ignore[no-any-return]


def all_fragments(site: Path) -> list[dict[str, object]]:
    return [fragment(p) for p in sorted((site / "pagefind").glob("*/fragment/*.pf_fragment"))]


# The index ---------------------------------------------------------------------------------------
def test_build_writes_bundles_dates_and_page_attributes(site: Path) -> None:
    listing = json.loads((site / "pagefind" / "shards.json").read_text())
    assert listing["shards"][-1] == "speakers/" and len(listing["shards"]) >= 3
    for shard in listing["shards"]:
        assert (site / "pagefind" / shard / "pagefind.js").is_file()
        assert (site / "pagefind" / shard / "pagefind-worker.js").is_file()
        assert not list((site / "pagefind" / shard).glob("pagefind-*ui*"))  # Pagefind's own UIs: once, in pagefind/
    bundle = json.loads((site / "pagefind" / "speakers" / "bundle.json").read_text())
    assert bundle["pages"] == [f"speakers/{s}/index.html" for s in ("ada", "ben", "cleo")]
    assert listing == {"shards": listing["shards"]}  # small: the search page fetches it first
    # dates.json: the publication date of every episode's fragment (for "newest first").
    dates = json.loads((site / "pagefind" / "dates.json").read_text())
    urls = {f["url"]: f for f in all_fragments(site)}
    assert sorted(dates.values()) == sorted(DATES.values())
    for shard in listing["shards"]:
        for path in (site / "pagefind" / shard / "fragment").glob("*.pf_fragment"):
            meta = fragment(path)["meta"]
            assert dates.get(path.stem) == meta.get("date")  # type: ignore[union-attr]
    # What each page says about itself.
    ep = urls[EPISODE]
    assert ep["filters"] == {"speaker": ["ada", "ben", "cleo"], "season": ["2"], "year": ["2026"],
                             "tag": ["physics", "history"]}
    assert ep["meta"] == {"title": "Currents and layers", "number": "3", "season": "2",
                          "date": "2026-02-01", "type": "episode"}
    assert ep["content"].startswith("Currents and layers. Why the water is not one thing.")  # type: ignore[union-attr]
    # Only the person's header and bio are indexed, not the list of episodes on their page.
    ada = urls["/speakers/ada/"]
    assert ada["meta"]["type"] == "speaker" and ada["meta"]["title"] == "Ada Marsh"  # type: ignore[index]
    assert "cartographer" in ada["content"] and "Barnacles" not in ada["content"]  # type: ignore[operator]
    # Navigation, header, footer, episode lists: never indexed.
    assert set(urls) == {f"/episodes/{slug}/" for slug in DATES} | {f"/speakers/{s}/" for s in ("ada", "ben", "cleo")}
    for f in urls.values():
        assert "Skip to content" not in f["content"] and "Podcast feed" not in f["content"]  # type: ignore[operator]


def test_turn_anchors_reach_the_index(site: Path) -> None:
    ep = {f["url"]: f for f in all_fragments(site)}[EPISODE]
    html = (site / "episodes" / "currents-and-layers" / "index.html").read_text()
    turns = re.findall(r'<div class="turn" id="([^"]+)" data-speaker="([^"]+)"', html)
    anchors = [a["id"] for a in ep["anchors"] if a["element"] == "div"]  # type: ignore[index, union-attr]
    assert anchors == [t for t, _ in turns] and len(turns) == 4
    assert all(t.startswith(s + "-") for t, s in turns)  # search.js reads the speaker from the turn id
    assert "<h1" not in html.split('class="transcript"')[1]  # no extra headings for screen readers


def test_only_our_configuration_applies(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A pagefind.yml in the working folder or PAGEFIND_* variables must not change the index."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "pagefind.yml").write_text('exclude_selectors: [".turn"]\n')
    monkeypatch.setenv("PAGEFIND_EXCLUDE_SELECTORS", ".turn")
    site = make_site(tmp_path)
    ep = {f["url"]: f for f in all_fragments(site)}[EPISODE]
    assert "thermocline" in ep["content"]  # type: ignore[operator]


def test_indexing_failure_is_a_build_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    site = make_site(tmp_path)
    before = sorted(p.relative_to(site) for p in site.rglob("*"))
    fake = tmp_path / "pagefind"
    fake.write_text("#!/bin/sh\necho 'Error: could not read the site' >&2\nexit 3\n")
    fake.chmod(fake.stat().st_mode | stat.S_IEXEC)
    monkeypatch.setattr(search_index, "pagefind_executable", lambda: fake)
    path = tmp_path / "show" / "content" / "episodes" / "03-currents.md"
    path.write_text(path.read_text().replace("millions of them", "billions of them"))
    result = build_site(tmp_path / "show" / "content", site)
    assert not result.ok
    assert [p.format() for p in result.errors] == [
        "pagefind: search indexing failed: Error: could not read the site "
        "(build with --no-search to publish without search)"]
    assert sorted(p.relative_to(site) for p in site.rglob("*")) == before


def test_an_index_not_written_is_a_build_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    fake = tmp_path / "pagefind"
    fake.write_text("#!/bin/sh\nexit 0\n")
    fake.chmod(fake.stat().st_mode | stat.S_IEXEC)
    monkeypatch.setattr(search_index, "pagefind_executable", lambda: fake)
    content = copy_site("search", tmp_path / "show")
    result = build_site(content, tmp_path / "site")
    assert not result.ok and not (tmp_path / "site").exists()
    assert [p.message for p in result.errors][0].startswith("Pagefind reported success but wrote no index in ")


def test_a_hanging_indexer_is_stopped_and_reported(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Runs of several groups at once: one that never ends is stopped at the time limit, not waited for."""
    fake = tmp_path / "pagefind"
    fake.write_text("#!/bin/sh\nexec sleep 60\n")
    fake.chmod(fake.stat().st_mode | stat.S_IEXEC)
    monkeypatch.setattr(search_index, "pagefind_executable", lambda: fake)
    monkeypatch.setattr(search_index, "TIMEOUT", 1)
    content = copy_site("search", tmp_path / "show")
    result = build_site(content, tmp_path / "site")
    assert not result.ok and not (tmp_path / "site").exists()
    assert [p.format() for p in result.errors] == [
        "pagefind: search indexing took more than 1 s and was stopped "
        "(build with --no-search to publish without search)"]


def test_missing_pagefind_is_a_build_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    content = copy_site("search", tmp_path / "show")
    monkeypatch.setattr(search_index, "pagefind_executable", lambda: None)
    result = build_site(content, tmp_path / "site")
    assert [p.format() for p in result.errors] == [
        "pagefind: the Pagefind binary is not installed (pip install pagefind-bin, or build with --no-search)"]
    assert not (tmp_path / "site").exists()


def entries(site: Path) -> dict[str, int]:
    shards = json.loads((site / "pagefind" / "shards.json").read_text())["shards"]
    return {s: (site / "pagefind" / s / "pagefind-entry.json").stat().st_ino for s in shards}


def test_unchanged_pages_keep_their_index(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    site = make_site(tmp_path)
    before = entries(site)
    monkeypatch.setattr(search_index, "pagefind_executable", lambda: None)  # must not be needed
    result = build_site(tmp_path / "show" / "content", site, use_cache=False)
    assert result.ok, [p.format() for p in result.problems]
    assert entries(site) == before
    assert len(json.loads((site / "pagefind" / "dates.json").read_text())) == 4


def test_an_edit_reindexes_only_its_shard(tmp_path: Path) -> None:
    site = make_site(tmp_path)
    before = entries(site)
    edited = search_index.shard_of("episodes/currents-and-layers/index.html") + "/"
    path = tmp_path / "show" / "content" / "episodes" / "03-currents.md"
    path.write_text(path.read_text().replace("millions of them", "billions of them"))
    assert build_site(tmp_path / "show" / "content", site).ok
    after = entries(site)
    # The speakers' pages changed too (their tables link each person's first turn), and their
    # bundle is small: only the edited episode's shard of the eight is indexed again.
    assert [s for s in before if after[s] != before[s]] in ([edited], [edited, "speakers/"])
    for bundle in (site / "pagefind").glob("*/"):  # the edited page's old fragment is gone
        pages = json.loads((bundle / "bundle.json").read_text())["pages"]
        assert len(list((bundle / "fragment").iterdir())) == len(pages), bundle.name
    assert "billions of them" in str(all_fragments(site))


def test_shards_grow_with_the_show_so_one_pagefind_run_stays_small() -> None:
    assert [search_index.shard_count(n) for n in (0, 3, 1000, 3200, 3201, 10_000)] == [8, 8, 8, 8, 16, 32]
    pages = [f"episodes/episode-{n}/index.html" for n in range(10_000)] + ["speakers/ada/index.html"]
    groups = search_index.group_pages(pages)
    assert len(groups) == 33 and list(groups)[-1] == "speakers"
    assert max(len(g) for g in groups.values()) <= search_index.SHARD_PAGES
    assert sum(len(g) for g in groups.values()) == len(pages)


def test_a_bio_edit_reindexes_only_the_speakers(tmp_path: Path) -> None:
    site = make_site(tmp_path)
    before = entries(site)
    path = tmp_path / "show" / "content" / "speakers.yaml"
    path.write_text(path.read_text().replace("marine cartographer", "marine surveyor"))
    assert build_site(tmp_path / "show" / "content", site).ok
    after = entries(site)
    assert [s for s in before if after[s] != before[s]] == ["speakers/"]
    ada = {f["url"]: f for f in all_fragments(site)}["/speakers/ada/"]
    assert "surveyor" in ada["content"]  # type: ignore[operator]


# The search page ------------------------------------------------------------------------------
@pytest.mark.browser
def test_hit_names_episode_speaker_time_and_lands_on_the_turn(site: Path, serve_dir, page) -> None:  # type: ignore[no-untyped-def]
    base = serve_dir(site)
    fragments: list[str] = []
    page.on("request", lambda r: fragments.append(r.url) if r.url.endswith(".pf_fragment") else None)
    page.goto(f"{base}search/")
    page.fill("#search-q", "thermocline")
    assert wait_for_results(page) == "1 match in 1 episode."
    assert page.url.endswith("/search/?q=thermocline")
    assert titles(page) == ["Currents and layers"]
    assert page.locator(".result-meta").inner_text() == "Season 2 · Episode 3 · February 1, 2026"
    assert page.locator(".result-meta time").get_attribute("datetime") == "2026-02-01"
    hit = page.locator(".hit-link")
    assert hit.count() == 1
    assert hit.locator(".hit-speaker").inner_text() == "Ben Okafor"
    assert hit.locator(".hit-time").inner_text() == "0:30"
    assert hit.locator("mark").all_inner_texts() == ["thermocline"]
    assert hit.locator(".hit-text").inner_text() == "Below them the thermocline keeps the cold water down."
    # Only pages that match are downloaded (at most one per bundle to check it), never the whole index.
    bundles = json.loads((site / "pagefind" / "shards.json").read_text())["shards"]
    assert 1 <= len(fragments) < len(bundles)
    href = hit.get_attribute("href") or ""
    assert re.fullmatch(rf"{EPISODE}\?find=thermocline#ben-[0-9a-f]{{6}}", href)
    hit.click()
    page.wait_for_url(lambda url: url.endswith(href))
    turn = page.locator(f"#{href.split('#')[1]}")
    assert "thermocline" in turn.inner_text()
    assert turn.evaluate("el => el.matches(':target')")
    turn.evaluate(IN_VIEW)
    marked = turn.evaluate("el => getComputedStyle(el).backgroundColor")
    assert marked != page.locator(".turn").first.evaluate("el => getComputedStyle(el).backgroundColor")


@pytest.mark.browser
def test_speaker_filter_keeps_only_that_speakers_words(site: Path, serve_dir, page) -> None:  # type: ignore[no-untyped-def]
    base = serve_dir(site)
    # Ben and Cleo are in the episode where Ada says "shrimp"; neither says it.
    assert search(page, base, "shrimp") == "1 match in 1 episode."
    assert search(page, base, "shrimp", speaker="ben") == "No matches said by Ben Okafor."
    assert page.locator(".result").count() == 0
    assert search(page, base, "shrimp", speaker="cleo") == "No matches said by Cleo Ruiz."
    assert search(page, base, "shrimp", speaker="ada") == "1 match said by Ada Marsh in 1 episode."
    assert (page.locator(".hit-link").get_attribute("href") or "").startswith(f"{EPISODE}?find=shrimp#ada-")
    assert page.locator("#search-speaker").input_value() == "ada"
    # Choosing in the form filters too, and goes into the address.
    page.select_option("#search-speaker", "ben")
    assert wait_for_results(page) == "No matches said by Ben Okafor."
    assert "speaker=ben" in page.url
    # "tide": Ben's turns only, never Ada's or Cleo's, and not the episodes' titles or notes.
    assert search(page, base, "tide", speaker="ben") == "2 matches said by Ben Okafor in 2 episodes."
    assert page.locator(".hit-speaker").all_inner_texts() == ["Ben Okafor", "Ben Okafor"]


@pytest.mark.browser
def test_filters_by_season_year_and_tag_and_sorts_by_date(site: Path, serve_dir, page) -> None:  # type: ignore[no-untyped-def]
    base = serve_dir(site)
    assert search(page, base, "tide") == "4 matches in 4 episodes."
    search(page, base, "tide", season="1")
    assert sorted(titles(page)) == ["Barnacles", "Keepers of the light"]
    search(page, base, "tide", year="2026")
    assert sorted(titles(page)) == ["Currents and layers", "Plankton, untimed"]
    search(page, base, "tide", tag="history")
    assert sorted(titles(page)) == ["Currents and layers", "Keepers of the light"]
    search(page, base, "tide", sort="newest")
    assert titles(page) == ["Plankton, untimed", "Currents and layers", "Barnacles", "Keepers of the light"]
    page.select_option("#search-sort", "oldest")
    wait_for_results(page)
    page.wait_for_function("() => document.querySelector('.result-title').textContent === 'Keepers of the light'")
    assert titles(page) == ["Keepers of the light", "Barnacles", "Currents and layers", "Plankton, untimed"]
    assert "sort=oldest" in page.url
    page.select_option("#search-season", "2")
    page.wait_for_function("() => document.querySelectorAll('.result').length === 2")
    assert titles(page) == ["Currents and layers", "Plankton, untimed"]
    assert "season=2" in page.url and "sort=oldest" in page.url


@pytest.mark.browser
def test_chapter_title_ranks_above_a_passing_mention(site: Path, serve_dir, page) -> None:  # type: ignore[no-untyped-def]
    base = serve_dir(site)
    assert search(page, base, "lighthouse") == "2 matches in 2 episodes."
    assert titles(page) == ["Keepers of the light", "Barnacles"]
    chapter = page.locator(".result").first.locator(".hit-link")
    assert chapter.locator(".hit-head").inner_text() == "Chapter 0:05"
    assert chapter.locator("mark").inner_text() == "Lighthouse"
    assert chapter.get_attribute("href") == "/episodes/keepers-of-the-light/#lighthouse-keepers"
    chapter.click()
    page.wait_for_url("**#lighthouse-keepers")
    page.locator("#lighthouse-keepers").evaluate(IN_VIEW)


@pytest.mark.browser
def test_show_notes_and_speaker_bios_are_searchable(site: Path, serve_dir, page) -> None:  # type: ignore[no-untyped-def]
    base = serve_dir(site)
    assert search(page, base, "fresnel") == "1 match in 1 episode."
    hit = page.locator(".hit-link")
    assert hit.locator(".hit-head").inner_text() == "Show notes"
    assert hit.get_attribute("href") == "/episodes/keepers-of-the-light/#notes"
    assert search(page, base, "cartographer") == "1 match in 1 speaker."
    assert titles(page) == ["Ada Marsh"]
    assert page.locator(".result-meta").inner_text() == "Speaker"
    assert page.locator(".hit-link mark").inner_text().startswith("cartographer")
    assert page.locator(".hit-link").get_attribute("href") == "/speakers/ada/"
    # A speaker filter is about words said: bios are not.
    assert search(page, base, "cartographer", speaker="ada") == "No matches said by Ada Marsh."


@pytest.mark.browser
def test_many_hits_in_one_episode_are_all_reachable(site: Path, serve_dir, page) -> None:  # type: ignore[no-untyped-def]
    base = serve_dir(site)
    assert search(page, base, "barnacle") == "8 matches in 1 episode."
    assert page.locator(".result > .hits > .hit").count() == 5
    assert page.locator(".more-hits summary").inner_text() == "3 more in this episode"
    page.locator(".more-hits summary").click()
    assert page.locator(".more-hits .hit").count() == 3
    assert page.locator(".hit-time").all_inner_texts() == [f"{10 + i}:00" for i in range(8)]
    assert page.locator(".hit-speaker").all_inner_texts() == ["Ada Marsh", "Ben Okafor"] * 4


@pytest.mark.browser
def test_untimed_turn_shows_no_time(site: Path, serve_dir, page) -> None:  # type: ignore[no-untyped-def]
    base = serve_dir(site)
    assert search(page, base, "bloom") == "1 match in 1 episode."
    hit = page.locator(".hit-link")
    assert hit.locator(".hit-speaker").inner_text() == "Ada Marsh"
    assert hit.locator(".hit-time").count() == 0
    assert (hit.get_attribute("href") or "").startswith("/episodes/plankton-untimed/?find=bloom#ada-")


@pytest.mark.browser
def test_header_search_box_and_keyboard_only(site: Path, serve_dir, page) -> None:  # type: ignore[no-untyped-def]
    base = serve_dir(site)
    page.goto(base)
    page.focus("#site-search")
    page.keyboard.type("thermocline")
    page.keyboard.press("Enter")
    page.wait_for_url("**/search/?q=thermocline")
    wait_for_results(page)
    assert page.locator("#search-q").input_value() == "thermocline"
    assert page.evaluate("document.activeElement.id") == "search-q"
    for _ in range(20):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.classList.contains('hit-link')"):
            break
    else:
        pytest.fail("no search hit is reachable with Tab")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(rf"{EPISODE}\?find=thermocline#ben-"))
    page.locator(".turn:target").evaluate(IN_VIEW)


@pytest.mark.browser
def test_more_results_load_on_request(tmp_path: Path, serve_dir, page) -> None:  # type: ignore[no-untyped-def]
    site = make_site(tmp_path, extra=13)
    base = serve_dir(site)
    assert search(page, base, "anchovy") == "10 matches in 10 episodes, the best 10 of 13 shown."
    button = page.locator("#search-more")
    assert button.is_visible() and button.inner_text() == "More results"
    button.focus()
    page.keyboard.press("Enter")
    page.wait_for_function("() => document.querySelectorAll('.result').length === 13")
    assert page.inner_text("#search-status") == "13 matches in 13 episodes."
    assert button.is_hidden()
    assert page.evaluate("document.activeElement.closest('.result') === document.querySelectorAll('.result')[10]")
    # Under a speaker filter the pages are checked a step at a time too.
    assert search(page, base, "anchovy", speaker="ada") == (
        "10 matches said by Ada Marsh in 10 episodes, from the first 10 of 13 episodes checked.")
    assert button.inner_text() == "Check more episodes"
    button.click()
    page.wait_for_function("() => document.querySelectorAll('.result').length === 13")
    assert search(page, base, "anchovy", speaker="ben") == "No matches said by Ben Okafor."
    # Newest first across every bundle, not per bundle.
    search(page, base, "anchovy", sort="newest")
    button.click()
    page.wait_for_function("() => document.querySelectorAll('.result').length === 13")
    assert titles(page) == [f"Anchovy {i}" for i in reversed(range(13))]


@pytest.mark.browser
def test_a_bundle_without_the_word_offers_no_prefix_of_it(tmp_path: Path, serve_dir, page) -> None:  # type: ignore[no-untyped-def]
    # Pagefind answers a word a bundle lacks with the longest prefix of it the bundle has: the twenty
    # episodes of "anchovy shoals", in every bundle but one, must not become candidates for "shoalish".
    site = make_site(tmp_path, extra=20)
    (tmp_path / "show" / "content" / "episodes" / "950-shoalish.md").write_text(
        "---\ntitle: Shoalish\ndate: 2024-03-01\nepisode: 150\nduration: '5:00'\n"
        "audio_url: https://cdn.deep.example.org/a.mp3\naudio_bytes: 10\n---\n"
        "[00:00:01] Ada: Something shoalish about the light today.\n")
    assert build_site(tmp_path / "show" / "content", site).ok
    base = serve_dir(site)
    assert search(page, base, "shoalish") == "1 match in 1 episode."
    assert titles(page) == ["Shoalish"]
    assert search(page, base, "shoalish today") == "1 match in 1 episode."


@pytest.mark.browser
def test_search_under_a_sub_path(tmp_path: Path, serve_dir, page) -> None:  # type: ignore[no-untyped-def]
    site = make_site(tmp_path, base_url="https://x.example/show/")
    base = serve_dir(site, prefix="/show/")
    assert search(page, base, "thermocline") == "1 match in 1 episode."
    assert page.locator(".result-title a").get_attribute("href") == f"/show{EPISODE}"
    href = page.locator(".hit-link").get_attribute("href") or ""
    assert href.startswith(f"/show{EPISODE}?find=thermocline#ben-")
    page.locator(".hit-link").click()
    page.wait_for_url(lambda url: url.endswith(href))
    page.locator(".turn:target").evaluate(IN_VIEW)


@pytest.fixture
def preview(tmp_path: Path) -> Iterator[Preview]:
    content = copy_site("search", tmp_path / "show")
    running = Preview(content, "127.0.0.1", 0, search=True, log=lambda line: None)
    running.start()
    yield running
    running.stop()


@pytest.mark.browser
def test_search_in_the_preview_server(preview: Preview, page) -> None:  # type: ignore[no-untyped-def]
    assert search(page, preview.url, "shrimp", speaker="ada") == "1 match said by Ada Marsh in 1 episode."
    page.locator(".hit-link").click()
    page.wait_for_url(re.compile(rf"{EPISODE}\?find=shrimp#ada-"))
    page.locator(".turn:target").evaluate(IN_VIEW)


@pytest.mark.browser
def test_without_javascript_the_page_says_where_to_look(site: Path, serve_dir, browser) -> None:  # type: ignore[no-untyped-def]
    base = serve_dir(site)
    context = browser.new_context(java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(f"{base}search/?q=thermocline")
        note = page.locator(".search-nojs")
        assert note.is_visible() and "needs JavaScript" in note.inner_text()
        assert note.locator("a").first.get_attribute("href") == "/"
        assert page.locator("#search-q").is_visible()
    finally:
        context.close()


@pytest.mark.browser
def test_a_site_built_without_search_says_so(tmp_path: Path, serve_dir, page) -> None:  # type: ignore[no-untyped-def]
    content = copy_site("search", tmp_path / "show")
    assert build_site(content, tmp_path / "site", search=False).ok
    base = serve_dir(tmp_path / "site")
    assert search(page, base, "thermocline") == "This copy of the site was built without its search index."
