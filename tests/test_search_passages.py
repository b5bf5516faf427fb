"""Search by passage, phrases across punctuation, Pagefind's standard layout, find in this episode (real browser).

The fixture show (``tests/fixtures/sites/passages``): "Many mentions" says
each of "copper", "lantern", "velvet", "anchor" and "harbour" eight times, never
two of them in one turn (Pagefind ranks it first for those words); "One night"
says all five once, together, in one turn among sixty of filler; "Said with
punctuation" has standalone dashes ( - , -- , em and en dashes), a hyphenated
"Woo-hoo!", straight and curly apostrophes and ellipses between words.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from conftest import built_site, copy_site
from ssg import search_index
from ssg.build import build_site

PUNCTUATION = "/episodes/said-with-punctuation/"
STOCK = ("pagefind-ui.js", "pagefind-ui.css", "pagefind-component-ui.js", "pagefind-component-ui.css",
         "pagefind-modular-ui.js", "pagefind-modular-ui.css", "pagefind-highlight.js")


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return built_site(tmp_path_factory, "passages")


def search(page, base: str, query: str) -> str:  # type: ignore[no-untyped-def]
    page.goto(f"{base}search/")
    page.fill("#search-q", query)
    page.press("#search-q", "Enter")
    page.wait_for_function("() => { const s = document.getElementById('search-status').textContent;"
                           " return s && !s.startsWith('Searching'); }")
    return page.inner_text("#search-status")


def turn_of(site: Path, slug: str, words: str) -> str:
    """The id of the turn of an episode page whose text holds ``words``."""
    html = (site / "episodes" / slug / "index.html").read_text()
    for turn_id, body in re.findall(r'<div class="turn" id="([^"]+)"(.*?)</div>', html, re.S):
        if words in body:
            return turn_id
    raise AssertionError(f"no turn of {slug} says {words!r}")


# Passage ranking -------------------------------------------------------------------------------
@pytest.mark.browser
def test_the_turn_holding_all_the_words_beats_the_page_that_repeats_them(site: Path, serve_dir, page) -> None:  # type: ignore[no-untyped-def]
    base = serve_dir(site)
    query = "copper lantern velvet anchor harbour"
    # Pagefind alone (the standard entry point) ranks the page that repeats the words first.
    page.goto(base)
    urls = page.evaluate("""async q => { const pf = await import('/pagefind/pagefind.js');
      const r = await pf.search(q); return Promise.all(r.results.map(async x => (await x.data()).url)); }""", query)
    assert urls[0] == "/episodes/many-mentions/" and "/episodes/one-night/" in urls
    # The search page ranks by the best passage: the one turn that says them all together.
    search(page, base, query)
    assert page.locator(".result-title").first.inner_text() == "One night"
    hit = page.locator(".result").first.locator(".hit-link").first
    turn = turn_of(site, "one-night", "copper lantern")
    href = hit.get_attribute("href") or ""
    assert href.startswith("/episodes/one-night/?find=") and href.endswith(f"#{turn}")
    assert hit.locator("mark").all_inner_texts() == ["copper", "lantern", "velvet", "anchor", "harbour,"]
    # The hit opens the turn with the words found in the episode's find box.
    hit.click()
    page.wait_for_url(re.compile(f"#{turn}$"))
    assert page.input_value("#find-q") == "copper lantern on the velvet anchor line in the harbour"
    assert page.inner_text("#find-count") == "1 of 1"
    assert page.evaluate("CSS.highlights.get('find-current').size") == 1


# Quoted phrases across punctuation ---------------------------------------------------------------
PHRASES = [
    ('"came back every single one"', "every single one"),          # " - " in the text
    ('"skipper said quietly that"', "quietly"),                     # " -- "
    ('"out against the tide to look"', "against the tide"),         # em dashes
    ('"were red mostly and easy"', "mostly"),                        # en dashes
    ('"woo hoo that was"', "That was the biggest"),                 # "Woo-hoo!" typed without punctuation
    ('"Woo-hoo! That was"', "That was the biggest"),                # ... and with it
    ('"woohoo that was"', "That was the biggest"),                  # ... and as one word
    ('"dont tell the harbourmaster"', "harbourmaster"),              # curly apostrophe in the text
    ('"don\'t tell the harbourmaster"', "harbourmaster"),            # straight one in the query
    ('"I won’t tell anyone"', "crab pots"),                          # curly in the query, straight in the text
    ('"well maybe the lighthouse"', "lighthouse keeper"),           # "Well...maybe"
    ('"so the fog rolled"', "fog rolled"),                           # "So…"
    ('"a half remembered shanty"', "shanty"),                        # hyphen inside a word
    ('"skipper said - quietly - that"', "quietly"),                  # dashes in the query too
]


@pytest.mark.browser
@pytest.mark.parametrize(("query", "said"), PHRASES, ids=[q for q, _ in PHRASES])
def test_a_quoted_phrase_matches_across_punctuation(site: Path, serve_dir, page, query: str, said: str) -> None:  # type: ignore[no-untyped-def]
    base = serve_dir(site)
    assert search(page, base, query) == "1 match in 1 episode."
    hit = page.locator(".hit-link")
    assert (hit.get_attribute("href") or "").endswith("#" + turn_of(site, "said-with-punctuation", said))
    assert hit.locator("mark").count() >= 3


@pytest.mark.browser
def test_a_quoted_phrase_is_not_its_words_apart(site: Path, serve_dir, page) -> None:  # type: ignore[no-untyped-def]
    base = serve_dir(site)
    # Every word is in the episode, not in this order: no match (unquoted, the episode is found).
    assert search(page, base, '"tide the against"') == "No matches."
    assert search(page, base, "tide the against") == "1 match in 1 episode."


# Pagefind's standard layout ----------------------------------------------------------------------
def test_pagefind_folder_is_a_standard_bundle_entry(site: Path) -> None:
    root = site / "pagefind"
    shards = json.loads((root / "shards.json").read_text())["shards"]
    for name in STOCK:
        assert (root / name).is_file(), name
        assert not list(root.glob(f"*/{name}")), f"{name} kept in a bundle too"
    entry = (root / "pagefind.js").read_text()
    assert f'import * as primary from "./{shards[0]}pagefind.js";' in entry
    assert json.dumps([s.rstrip("/") for s in shards]) in entry
    for export in ("options", "init", "search", "debouncedSearch", "preload", "filters", "mergeIndex", "destroy",
                   "createInstance"):
        assert f"export const {export} " in entry, export


def test_a_rebuild_that_indexes_nothing_keeps_the_stock_files(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    content = copy_site("passages", tmp_path / "show")
    out = tmp_path / "site"
    assert build_site(content, out).ok
    before = {name: (out / "pagefind" / name).read_bytes() for name in STOCK}
    monkeypatch.setattr(search_index, "pagefind_executable", lambda: None)  # nothing may be indexed again
    assert build_site(content, out, use_cache=False).ok
    assert {name: (out / "pagefind" / name).read_bytes() for name in STOCK} == before
    # A previous site without them (an older ssg's): one bundle, the smallest, is indexed again for them.
    for name in STOCK:
        (out / "pagefind" / name).unlink()
    monkeypatch.undo()
    indexed: list[str] = []
    run_groups = search_index._run_groups

    def counted(exe, folder, groups, where):  # type: ignore[no-untyped-def]
        indexed.extend(groups)
        return run_groups(exe, folder, groups, where)

    monkeypatch.setattr(search_index, "_run_groups", counted)
    result = build_site(content, out, use_cache=False)
    assert result.ok and all((out / "pagefind" / name).is_file() for name in STOCK)
    assert len(indexed) == 1  # (its pagefind-entry.json may come out byte for byte as before)


@pytest.mark.browser
def test_the_stock_ui_with_its_defaults_searches_every_bundle(site: Path, serve_dir, page) -> None:  # type: ignore[no-untyped-def]
    shards = json.loads((site / "pagefind" / "shards.json").read_text())["shards"]
    page_shard = search_index.shard_of("episodes/said-with-punctuation/index.html", search_index.SHARDS) + "/"
    assert page_shard != shards[0]  # the page is in a bundle that is merged, not the first
    (site / "stock.html").write_text(
        '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Stock UI</title>'
        '<link href="/pagefind/pagefind-ui.css" rel="stylesheet"><script src="/pagefind/pagefind-ui.js"></script>'
        '</head><body><div id="search"></div><script>'
        'window.addEventListener("DOMContentLoaded", () => new PagefindUI({ element: "#search" }));'
        "</script></body></html>")
    base = serve_dir(site)
    page.goto(f"{base}stock.html")
    page.fill("#search input", '"tell the harbourmaster about"')
    result = page.locator(".pagefind-ui__result-link")
    result.first.wait_for(timeout=15_000)
    assert result.all_inner_texts() == ["Said with punctuation"]
    assert result.first.get_attribute("href") == PUNCTUATION
    # And a speaker from the speakers' bundle.
    page.fill("#search input", "okafor")
    page.wait_for_function("() => [...document.querySelectorAll('.pagefind-ui__result-link')]"
                           ".some(a => a.textContent === 'Ben Okafor')", timeout=15_000)


# Find in this episode ----------------------------------------------------------------------------
@pytest.mark.browser
def test_find_in_this_episode(site: Path, serve_dir, page) -> None:  # type: ignore[no-untyped-def]
    base = serve_dir(site)
    # The box is there before the first paint: nothing in or below it moves as the page loads (the player's
    # script, which adds its controls above, is left out to see that).
    page.route("**/player.*.js", lambda route: route.abort())
    page.goto(f"{base}{PUNCTUATION.lstrip('/')}")
    moved = page.evaluate("""() => new Promise(done => {
      const moved = [];
      new PerformanceObserver(list => {
        for (const e of list.getEntries()) for (const s of e.sources) {
          if (s.node && s.node.nodeType === 1 && s.node.closest('#find, #transcript')) moved.push(s.node.id || s.node.className);
        }
      }).observe({ type: 'layout-shift', buffered: true });
      setTimeout(() => done(moved), 500);
    })""")
    assert moved == []
    box = page.get_by_role("searchbox", name="Find in this episode", exact=True)
    assert box.get_attribute("id") == "find-q"
    assert page.locator("#find-count").get_attribute("aria-live") == "polite"
    first_turn = page.locator(".turn").first.bounding_box()
    box.fill("the")
    page.wait_for_function("() => document.getElementById('find-count').textContent === '1 of 16'")
    assert page.locator(".turn").first.bounding_box() == first_turn  # nothing moved
    assert page.evaluate("CSS.highlights.get('find').size") == 16
    # Enter, Shift+Enter and the buttons move between matches; the address names the turn.
    box.press("Enter")
    assert page.inner_text("#find-count") == "2 of 16"
    box.press("Shift+Enter")
    box.press("Shift+Enter")
    assert page.inner_text("#find-count") == "16 of 16"
    assert page.url.endswith("#" + turn_of(site, "said-with-punctuation", "fog rolled"))
    page.click("#find-next")
    assert page.inner_text("#find-count") == "1 of 16"
    # Punctuation does not count, as in search.
    box.fill("woo hoo that")
    page.wait_for_function("() => document.getElementById('find-count').textContent === '1 of 1'")
    assert page.evaluate("CSS.highlights.get('find-current').values().next().value.toString()") == "Woo-hoo! That"
    assert page.url.endswith("#" + turn_of(site, "said-with-punctuation", "Woo-hoo"))
    # Only the matching turns, on request.
    page.check("#find-only")
    assert page.locator(".turn:visible").count() == 1
    box.fill("zeppelin")
    page.wait_for_function("() => document.getElementById('find-count').textContent === 'No matches'")
    assert page.locator(".turn:visible").count() == 0
    # Escape clears the box, the count, the highlights and the filter.
    box.press("Escape")
    assert box.input_value() == "" and page.inner_text("#find-count") == ""
    assert page.locator(".turn:visible").count() == 10
    assert page.evaluate("CSS.highlights.has('find')") is False


@pytest.mark.browser
def test_find_opened_from_a_search_hit_starts_at_its_turn(site: Path, serve_dir, page) -> None:  # type: ignore[no-untyped-def]
    base = serve_dir(site)
    turn = turn_of(site, "said-with-punctuation", "crab pots")
    page.goto(f"{base}{PUNCTUATION.lstrip('/')}?find=the#{turn}")
    page.wait_for_function("() => document.getElementById('find-count').textContent.endsWith(' of 16')")
    current = page.evaluate("CSS.highlights.get('find-current').values().next().value"
                            ".startContainer.parentElement.closest('.turn').id")
    assert current == turn
    assert page.locator(f"#{turn}").evaluate("el => el.matches(':target')")


@pytest.mark.browser
def test_without_javascript_there_is_no_find_box(site: Path, serve_dir, browser) -> None:  # type: ignore[no-untyped-def]
    base = serve_dir(site)
    context = browser.new_context(java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(f"{base}{PUNCTUATION.lstrip('/')}")
        assert page.locator("#find").is_hidden()
    finally:
        context.close()
