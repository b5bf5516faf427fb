"""The look of the show: resized images with srcset, speaker colours and avatars, one date format, a compact phone header.

Sites are built from ``tests/fixtures/sites/look`` (cover art, an episode
image, a chapter image and one speaker portrait, all small files).
"""

from __future__ import annotations

import io
import re
import shutil
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from PIL import Image

from conftest import copy_site
from ssg import colours, images
from ssg.build import build_site

STYLE = Path(__file__).resolve().parents[1] / "ssg" / "themes" / "default" / "static" / "style.css"


def build(content: Path, out: Path) -> Path:
    result = build_site(content, out)
    assert result.ok, [p.format() for p in result.problems]
    return out


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("look")
    return build(copy_site("look", root / "show"), root / "site")


def page(site: Path, route: str) -> str:
    return (site / route / "index.html").read_text(encoding="utf-8")


def imgs(html: str) -> list[dict[str, str]]:
    return [dict(re.findall(r'([\w-]+)="([^"]*)"', tag)) for tag in re.findall(r"<img\b[^>]*>", html)]


def pixel_size(site: Path, url: str) -> tuple[int, int]:
    with Image.open(site / url.lstrip("/")) as image:
        assert image.format == "WEBP", url
        return image.size


# Images ------------------------------------------------------------------------------------------

@pytest.mark.parametrize("route", ["", "episodes/fog-signals/", "episodes/how-a-lighthouse-is-kept/",
                                   "speakers/", "speakers/ada/", "speakers/ben/"])
def test_every_image_has_its_size_and_variants_made_for_it(site: Path, route: str) -> None:
    tags = imgs(page(site, route))
    assert tags, "no images on the page"
    for tag in tags:
        size = int(tag["width"])
        assert tag["height"] == tag["width"], tag
        assert tag["src"].startswith("/assets/img/") and tag["src"].endswith(".webp"), tag
        candidates = [c.split() for c in tag["srcset"].split(", ")]
        assert [d for _, d in candidates][0] == "1x", tag
        for url, density in candidates:
            width, height = pixel_size(site, url)
            assert width == height
            # Each variant is the displayed size at its density, or the whole source when that is smaller.
            assert width == round(size * float(density[:-1])), (url, density, size)
        assert pixel_size(site, tag["src"])[0] == size


def test_no_page_downloads_the_full_size_cover(site: Path) -> None:
    for html_file in site.rglob("*.html"):
        for tag in imgs(html_file.read_text(encoding="utf-8")):
            assert "cover.png" not in tag["src"] + tag.get("srcset", ""), html_file
    logo = imgs(page(site, ""))[0]
    assert (logo["width"], logo["height"]) == ("32", "32")
    assert [pixel_size(site, c.split()[0])[0] for c in logo["srcset"].split(", ")] == [32, 64]


def test_cover_art_on_episode_pages_and_in_lists(site: Path) -> None:
    fog = imgs(page(site, "episodes/fog-signals/"))
    lights = imgs(page(site, "episodes/how-a-lighthouse-is-kept/"))
    cover = next(t for t in fog if t.get("class") == "episode-cover")
    show_cover = next(t for t in lights if t.get("class") == "episode-cover")
    assert cover["src"] != show_cover["src"]  # the episode's own image, else the show's
    home = [t for t in imgs(page(site, "")) if t.get("class") == "episode-art"]
    assert len(home) == 2 and home[0]["width"] == str(images.SIZES["thumb"])
    assert home[0]["src"].rsplit("-", 1)[0] == cover["src"].rsplit("-", 1)[0]
    chapter = next(t for t in lights if t.get("class") == "chapter-image")
    assert chapter["width"] == str(images.SIZES["chapter"])


def test_resized_images_are_made_once_and_reused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    content = copy_site("look", tmp_path / "show")
    out = build(content, tmp_path / "site")
    made = sorted(p.name for p in (out / "assets" / "img").iterdir())
    inodes = {name: (out / "assets" / "img" / name).stat().st_ino for name in made}

    def no_resizing(data: bytes, sizes: object) -> list[tuple[int, bytes]]:
        raise AssertionError("an image was resized again")

    monkeypatch.setattr(images, "resize", no_resizing)
    build(content, out)
    assert sorted(p.name for p in (out / "assets" / "img").iterdir()) == made
    assert {name: (out / "assets" / "img" / name).stat().st_ino for name in made} == inodes
    monkeypatch.undo()

    # New bytes for the cover: new names (pages link them), the old variants leave the site.
    image = Image.new("RGB", (400, 400), "#aa3355")
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    (content / "cover.png").write_bytes(buffer.getvalue())
    build(content, out)
    after = sorted(p.name for p in (out / "assets" / "img").iterdir())
    new = set(after) - set(made)
    assert new and all(name.split("-")[0] == images.digest(buffer.getvalue()) for name in new)
    logo = imgs(page(out, ""))[0]
    assert logo["src"].split("/")[-1] in new


def test_an_image_pillow_cannot_read_is_used_as_it_is(tmp_path: Path) -> None:
    content = copy_site("look", tmp_path / "show")
    (content / "people" / "ada.jpg").write_bytes(b"not a jpeg at all")
    out = build(content, tmp_path / "site")
    portrait = next(t for t in imgs(page(out, "speakers/ada/")) if t.get("class") == "speaker-photo")
    assert portrait["src"] == "/people/ada.jpg" and "srcset" not in portrait
    assert (portrait["width"], portrait["height"]) == ("160", "160")


def test_resize_is_pure_and_square() -> None:
    source = Image.new("RGB", (300, 120), "#123456")
    buffer = io.BytesIO()
    source.save(buffer, "PNG")
    first = images.resize(buffer.getvalue(), [40, 80])
    assert first == images.resize(buffer.getvalue(), [40, 80])
    assert [Image.open(io.BytesIO(data)).size for _, data in first] == [(40, 40), (80, 80)]
    assert images.widths(200, 300) == [200, 300]
    assert images.widths(32, 1400) == [32, 64]


# Speakers ----------------------------------------------------------------------------------------

def _scheme_colours() -> tuple[dict[str, str], dict[str, str]]:
    css = STYLE.read_text(encoding="utf-8")
    light_block = css[css.index(":root {"):css.index("}", css.index(":root {"))]
    dark_start = css.index(":root {", css.index("prefers-color-scheme: dark"))
    dark_block = css[dark_start:css.index("}", dark_start)]
    read = lambda block: dict(re.findall(r"--([\w-]+):\s*(#[0-9a-f]{6})", block))  # noqa: E731
    return read(light_block), read(dark_block)


def test_the_backgrounds_checked_are_the_themes() -> None:
    light, dark = _scheme_colours()
    for name in ("bg", "card", "mark"):
        assert light[name] in colours.LIGHT_BACKGROUNDS, name
        assert dark[name] in colours.DARK_BACKGROUNDS, name


def test_a_speakers_colour_depends_on_their_id_alone() -> None:
    # Pinned: a speaker keeps their colour across builds, machines and releases.
    assert colours.colours("ada") == colours.colours("ada")
    assert colours.colours("nadia") == ("#2f4dc6", "#879ae3")
    assert len({colours.colours(sid) for sid in ("nadia", "tom", "lin", "sunita", "pablo")}) == 5


@settings(max_examples=200, deadline=None)
@given(st.text(min_size=1, max_size=40))
def test_every_speaker_colour_reads_as_text_in_both_schemes(speaker_id: str) -> None:
    light, dark = colours.colours(speaker_id)
    assert min(colours.contrast(light, bg) for bg in colours.LIGHT_BACKGROUNDS) >= 4.5
    assert min(colours.contrast(dark, bg) for bg in colours.DARK_BACKGROUNDS) >= 4.5
    # The avatar's initials are the page background on the speaker's colour.
    assert colours.contrast(light, colours.LIGHT_BACKGROUNDS[0]) >= 4.5
    assert colours.contrast(dark, colours.DARK_BACKGROUNDS[0]) >= 4.5


@pytest.mark.parametrize("name,expected", [
    ("Ada Marsh", "AM"), ("Dr. Cleo Ruiz", "CR"), ("Ana B. Ortiz, PhD", "AO"), ("J. (Jay) Kowal", "JK"),
    ("Sam Lee 🎙", "SL"), ("Cher", "C"), ("李小龍", "李"), ("🎙", "?")])
def test_initials(name: str, expected: str) -> None:
    assert colours.initials(name) == expected


def test_speaker_colours_and_avatars_on_pages(site: Path) -> None:
    episode = page(site, "episodes/fog-signals/")
    for sid in ("ada", "cleo"):
        light, dark = colours.colours(sid)
        assert f'[data-speaker="{sid}"]{{--sc:{light}' in episode
        assert f'[data-speaker="{sid}"]{{--sc:{dark}}}' in episode
        assert f'data-speaker="{sid}"' in episode.split('id="transcript"')[1]  # the turns carry it
    assert '--si:"CR"' in episode  # Cleo has no portrait: her initials
    assert "--sa:image-set(" in episode  # Ada's portrait, resized for the label
    speakers = page(site, "speakers/")
    assert '<span class="avatar avatar-card" data-speaker="ben" aria-hidden="true">BO</span>' in speakers
    ada = next(t for t in imgs(speakers) if t.get("class") == "avatar avatar-card")
    assert ada["width"] == str(images.SIZES["card"])


def test_speaker_page_has_bio_links_portrait_recent_episodes_and_best_turns(site: Path) -> None:
    html = page(site, "speakers/ada/")
    assert "twelve years" in html and 'href="https://ada.example.org"' in html
    assert any(t.get("class") == "speaker-photo" for t in imgs(html))
    titles = re.findall(r'<h3 class="episode-title"><a href="[^"]+">([^<]+)</a>', html)
    assert titles == ["Fog signals", "How a lighthouse is kept"]  # most recent first
    best = html.split('class="best-turns"')[1].split("</section>")[0]
    # Her longest turn of each of her two episodes, the longer first, linked to its anchor in the episode.
    assert best.count("<blockquote") == 2
    assert best.index("Fog today") < best.index("lamp room")
    assert "/episodes/fog-signals/#" in best and "/episodes/how-a-lighthouse-is-kept/#" in best
    assert re.search(r'href="/episodes/fog-signals/#ada-[0-9a-f]+">Fog signals, at 0:03</a>', best)


# Dates -------------------------------------------------------------------------------------------

@pytest.mark.parametrize("language,expected", [
    ("en", "April 15, 2026"), ("de", "15. April 2026"), ("pt-BR", "15 de abril de 2026"),
    ("xx", "April 15, 2026")])
def test_one_date_format_everywhere_in_the_shows_language(tmp_path: Path, language: str, expected: str) -> None:
    content = copy_site("look", tmp_path / "show")
    site_yaml = content / "site.yaml"
    site_yaml.write_text(site_yaml.read_text().replace("language: en", f"language: {language}"))
    out = build(content, tmp_path / "site")
    for route in ("", "episodes/fog-signals/", "speakers/ada/", "tags/lights/"):
        shown = re.findall(r'<time datetime="2026-04-15">([^<]+)</time>', page(out, route))
        assert shown and set(shown) == {expected}, (route, shown)


# Phone header ------------------------------------------------------------------------------------

@pytest.mark.browser
@pytest.mark.parametrize("route", ["", "episodes/fog-signals/", "speakers/ada/", "speakers/"])
def test_phone_header_is_compact(site: Path, serve_dir, browser, route: str) -> None:  # type: ignore[no-untyped-def]
    context = browser.new_context(viewport={"width": 390, "height": 844})
    tab = context.new_page()
    tab.goto(serve_dir(site) + route)
    header = tab.evaluate("document.getElementById('site-header').getBoundingClientRect().height")
    content_top = tab.evaluate("document.querySelector('main h1').getBoundingClientRect().top")
    search = tab.evaluate("getComputedStyle(document.querySelector('.nav-search')).display")
    context.close()
    assert header <= 100, header
    assert content_top <= 200, content_top
    assert search != "none"  # the search page stays one tap away


# Listen on ---------------------------------------------------------------------------------------

def test_listen_on_buttons_in_the_order_written_and_rss_always(site: Path, tmp_path: Path) -> None:
    home = page(site, "")
    buttons = re.findall(r'<a class="listen[^"]*" href="([^"]+)"[^>]*>(?:<svg.*?</svg>)?([^<]+)</a>', home)
    assert buttons == [("https://open.spotify.com/show/harbourlights", "Spotify"),
                       ("https://podcasts.apple.com/podcast/harbour-lights/id1000000001", "Apple Podcasts"),
                       ("https://castro.fm/podcast/harbour-lights", "Castro"),
                       ("/feed.xml", "RSS feed")]
    # A show without listen_on still offers its feed.
    content = copy_site("look", tmp_path / "show")
    site_yaml = content / "site.yaml"
    site_yaml.write_text(site_yaml.read_text().split("listen_on:")[0])
    plain = page(build(content, tmp_path / "site"), "")
    assert re.findall(r'<a class="listen[^"]*" href="([^"]+)"', plain) == ["/feed.xml"]


def test_listen_on_warns_about_an_rss_entry_and_a_link_under_the_wrong_app(tmp_path: Path) -> None:
    content = copy_site("look", tmp_path / "show")
    site_yaml = content / "site.yaml"
    text = site_yaml.read_text().replace("  castro: https://castro.fm/podcast/harbour-lights",
                                         "  castro: https://overcast.fm/itunes1\n  rss: https://example.org/feed.xml")
    site_yaml.write_text(text)
    lines = text.splitlines()
    result = build_site(content, tmp_path / "site")
    assert result.ok
    warnings = {p.format() for p in result.problems if p.level == "warning"}
    castro = lines.index("  castro: https://overcast.fm/itunes1") + 1
    assert any(w.endswith(f"/site.yaml:{castro}: warning: 'listen_on.castro' points at overcast.fm, not at Castro "
                          "(check the link: Castro show pages are on castro.fm)") for w in warnings), warnings
    assert any(f"site.yaml:{castro + 1}: warning: 'listen_on.rss' is not needed" in w for w in warnings)


def test_two_files_with_the_same_bytes_share_their_variants(tmp_path: Path) -> None:
    content = copy_site("look", tmp_path / "show")
    shutil.copy(content / "cover.png", content / "people" / "ben.png")
    speakers = content / "speakers.yaml"
    speakers.write_text(speakers.read_text().replace("  title: Pilot\n", "  title: Pilot\n  image: people/ben.png\n"))
    out = build(content, tmp_path / "site")
    portrait = next(t for t in imgs(page(out, "speakers/ben/")) if t.get("class") == "speaker-photo")
    logo = imgs(page(out, ""))[0]
    assert portrait["src"].rsplit("-", 1)[0] == logo["src"].rsplit("-", 1)[0]
    assert pixel_size(out, portrait["src"]) == (160, 160)
