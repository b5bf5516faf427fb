"""Search asks Pagefind for few words, and for more when those leave the best page open (real browser).

Every word Pagefind is asked costs an index chunk per bundle, so the search page
asks first for the two longest uncommon words of the query. The fixture show
(``tests/fixtures/sites/ties``): fourteen "Clear night" episodes each say
"the marmalade telescope" three times and "an owl" far from it; only "The owl"
says "marmalade telescope - an owl" together, once (Pagefind's phrase search
does not see those words in a row, for the standalone dash). The two longest words alone
leave fifteen pages tied, more than are read first, and Pagefind ranks the
decoys (three mentions each) above the one that matters: the third word decides.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import built_site
from test_search_passages import search, turn_of


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return built_site(tmp_path_factory, "ties")


@pytest.mark.browser
@pytest.mark.parametrize("query", ["marmalade telescope an owl", '"marmalade telescope an owl"'])
def test_when_the_longest_words_tie_the_others_decide(site: Path, serve_dir, page, query: str) -> None:  # type: ignore[no-untyped-def]
    base = serve_dir(site)
    search(page, base, query)
    assert page.locator(".result-title").first.inner_text() == "The owl"
    turn = turn_of(site, "the-owl", "marmalade telescope")
    href = page.locator(".result").first.locator(".hit-link").first.get_attribute("href") or ""
    assert href.startswith("/episodes/the-owl/?find=") and href.endswith(f"#{turn}")


@pytest.mark.browser
def test_common_words_alone_find_their_turn(site: Path, serve_dir, page) -> None:  # type: ignore[no-untyped-def]
    base = serve_dir(site)
    search(page, base, "back at us from the")
    assert page.locator(".result-title").first.inner_text() == "The owl"
    turn = turn_of(site, "the-owl", "back at us")
    href = page.locator(".result").first.locator(".hit-link").first.get_attribute("href") or ""
    assert href.endswith(f"#{turn}")
