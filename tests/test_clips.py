"""Clips: every soundbite gets its page (``episodes/<slug>/clips/<id>/``) with its words, a player
limited to it and a preview card; the episode page lists them; the sitemap has them.

The show is ``tests/fixtures/sites/player`` (soundbites 0:04-0:07 "Four to seven" and an untitled
one at 0:10-0:14). Bad ids are in ``fixtures/invalid/soundbite-ids.txt``; the pages in a browser
are in ``test_listening.py``.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import ROOT, built_site, copy_site
from ssg import urls
from ssg.build import build_site, check_site
from test_player import silent_wav

CLIP = "episodes/timed/clips/four-to-seven/index.html"
UNTITLED = "episodes/timed/clips/t10/index.html"


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return built_site(tmp_path_factory, "player", search=False,
                      prepare=lambda content: silent_wav(content / "audio" / "moments.wav"))


class Meta(HTMLParser):
    """``<meta property|name=... content=...>`` of a page."""

    def __init__(self) -> None:
        super().__init__()
        self.meta: dict[str, str] = {}

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "meta" and (a.get("property") or a.get("name")):
            self.meta[a.get("property") or a.get("name") or ""] = a.get("content") or ""


def parse(path: Path) -> Meta:
    meta = Meta()
    meta.feed(path.read_text(encoding="utf-8"))
    return meta


def test_each_soundbite_has_its_page(site: Path) -> None:
    assert sorted(p.relative_to(site).as_posix() for p in (site / "episodes/timed/clips").rglob("*.html")) == [
        "episodes/timed/clips/four-to-seven/index.html", "episodes/timed/clips/t10/index.html"]
    html = (site / CLIP).read_text()
    # The words heard in 0:04-0:07: the turns at 0:04 and 0:06, not the one at 0:08.
    first_words = r'<div class="turn"[^>]*>.*?</p><p>(\w+)\.'
    assert re.findall(first_words, html) == ["Four", "Six"]
    assert re.findall(first_words, (site / UNTITLED).read_text()) == ["Ten", "Twelve"]
    assert '<h1>Four to seven</h1>' in html
    assert 'data-from="4" data-to="7"' in html, "the player is limited to the clip"
    assert 'href="/episodes/timed/#t=0:04"' in html, "a link to the whole episode at that moment"
    assert re.search(r'<a class="turn-link" href="/episodes/timed/#ben-[0-9a-f]{6}">0:06</a>', html), \
        "each quoted turn links to itself on the episode page"
    assert "<h1>Clip from Every two seconds</h1>" in (site / UNTITLED).read_text()


def test_the_preview_card(site: Path) -> None:
    meta = parse(site / CLIP).meta
    assert meta["og:title"] == meta["twitter:title"] == "Four to seven · Every two seconds · Moments"
    assert meta["og:description"].startswith("“Four. Still in the opening chapter, still talking")
    assert meta["og:description"] == meta["twitter:description"] == meta["description"]
    assert len(meta["og:description"]) <= 300
    assert meta["og:url"] == "https://moments.example.org/episodes/timed/clips/four-to-seven/"
    assert meta["og:audio"] == "https://moments.example.org/audio/moments.wav#t=4,7"
    assert meta["og:audio:type"] == "audio/wav"
    assert "og:image" not in meta, "this show has no art"


def test_the_preview_card_shows_the_art(tmp_path: Path) -> None:
    content = copy_site("player", tmp_path / "show")
    (content / "site.yaml").write_text((content / "site.yaml").read_text() + "image: cover.png\n")
    (content / "cover.png").write_bytes((ROOT / "content" / "cover.png").read_bytes())
    result = build_site(content, tmp_path / "site", search=False)
    assert result.ok, [p.format() for p in result.problems]
    meta = parse(tmp_path / "site" / CLIP).meta
    assert meta["og:image"] == meta["twitter:image"] == "https://moments.example.org/cover.png"
    assert meta["twitter:card"] == "summary_large_image"


def test_the_episode_page_lists_its_clips(site: Path) -> None:
    html = (site / "episodes/timed/index.html").read_text()
    clips = html[html.index('<section class="clips"'):]
    clips = clips[:clips.index("</section>")]
    assert re.findall(r'<a href="([^"]+)">([^<]+)</a> <span class="clip-time">([^<]+)</span>', clips) == [
        ("/episodes/timed/clips/four-to-seven/", "Four to seven", "0:04–0:07"),
        ("/episodes/timed/clips/t10/", "Clip at 0:10", "0:10–0:14")]
    assert 'class="clips"' not in (site / "episodes/untimed/index.html").read_text()


def test_links_to_moments_pass_the_link_check(tmp_path: Path) -> None:
    """A clip's link to the episode at ``#t=0:04`` is a moment, not an element id; a wrong id still fails."""
    content = copy_site("player", tmp_path / "show")
    silent_wav(content / "audio" / "moments.wav")
    before = [p.message for p in check_site(content).errors]  # this show's chapters without a transcript
    assert not [m for m in before if "t=" in m or "clips" in m], before
    notes = content / "episodes" / "03-notes.md"
    notes.write_text(notes.read_text().replace("Show notes and chapters, no transcript.",
                                               "See [the end](/episodes/timed/#nowhere) and [then](/episodes/timed/#t=0:14)."))
    assert sorted(p.message for p in check_site(content).errors) == sorted([
        *before, "broken link to /episodes/timed/#nowhere (no element with id 'nowhere')"])


def test_the_sitemap_lists_the_clips(site: Path) -> None:
    sitemap = (site / "sitemap.xml").read_text()
    for clip in ("four-to-seven", "t10"):
        assert (f"<loc>https://moments.example.org/episodes/timed/clips/{clip}/</loc><lastmod>2026-05-01</lastmod>"
                in sitemap)


def test_ids_given_made_from_titles_or_from_the_start(tmp_path: Path) -> None:
    assert urls.clip_ids(["", "", "", "own", ""], ["The best bit!", "", "", "", "Own"], [1, 754.5, 754.5, 3, 4]) == [
        "the-best-bit", "t754-5", "t754-5-2", "own", "own-2"]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["", "a", "x-1", "best-bit"]),
                          st.text(max_size=30), st.floats(0, 36_000_000, allow_nan=False)), max_size=12))
def test_ids_are_unique_and_name_a_folder(bites: list[tuple[str, str, float]]) -> None:
    given_ids: list[str] = []
    for own, _, _ in bites:  # the loader refuses an id given twice
        given_ids.append(own if own not in given_ids else "")
    ids = urls.clip_ids(given_ids, [t for _, t, _ in bites], [s for _, _, s in bites])
    assert len(set(ids)) == len(ids) == len(bites)
    assert all(urls.is_safe_slug(i) and not urls.too_long(i) for i in ids), ids
    assert all(i == own for i, own in zip(ids, given_ids) if own)
