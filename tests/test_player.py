"""The listening experience: player, chapter seeking, #t= moment links, follow-along (real browser)."""

from __future__ import annotations

import re
import struct
import wave
from pathlib import Path

import pytest

from conftest import copy_site
from ssg.build import build_site

SLUG = "episodes/short-one/"
EPISODE = """---
title: Short one
date: 2026-05-01
episode: 9
duration: "0:10"
audio_url: audio/short.wav
audio_bytes: 80044
audio_type: audio/wav
chapters:
  - {start: 0, title: Opening}
  - {start: 5, title: Second part}
---
[00:00:00] Ada: Zero.
[00:00:02] Ben: Two.
[00:00:04] Ada: Four.
[00:00:06] Ben: Six.
[00:00:08] Ada: Eight.
"""


def silent_wav(path: Path, seconds: int = 10, rate: int = 8000) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with wave.open(str(path), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(1)
        out.setframerate(rate)
        out.writeframes(struct.pack("B", 128) * rate * seconds)


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("player")
    content = copy_site("basic", root / "show")
    (content / "episodes" / "09-short.md").write_text(EPISODE)
    silent_wav(content / "audio" / "short.wav")
    result = build_site(content, root / "site", search=False)
    assert result.ok, [p.format() for p in result.problems]
    return root / "site"


def current_time(page) -> float:  # type: ignore[no-untyped-def]
    return float(page.evaluate("document.querySelector('#player audio').currentTime"))


def wait_time(page, seconds: float) -> None:  # type: ignore[no-untyped-def]
    try:
        _wait_time(page, seconds)
    except Exception:
        print("STATE", page.evaluate("(() => {const a = document.querySelector('#player audio'); return [location.href, a.currentTime, a.readyState, a.networkState, a.error && a.error.message, a.preload]})()"))
        raise


def _wait_time(page, seconds: float) -> None:  # type: ignore[no-untyped-def]
    page.wait_for_function(f"Math.abs(document.querySelector('#player audio').currentTime - {seconds}) < 0.3",
                           polling=100, timeout=15000)


@pytest.mark.browser
def test_chapter_click_seeks(site: Path, serve_dir, page) -> None:  # type: ignore[no-untyped-def]
    page.goto(serve_dir(site) + SLUG)
    page.click(".chapters a[href='#second-part']")
    wait_time(page, 5)
    assert page.url.endswith("#second-part")
    page.click(".chapter-bar li:first-child button")
    wait_time(page, 0)


@pytest.mark.browser
def test_t_link_seeks_and_marks_the_turn(site: Path, serve_dir, page) -> None:  # type: ignore[no-untyped-def]
    base = serve_dir(site)
    page.goto(base + SLUG + "#t=0:06")
    wait_time(page, 6)
    marked = page.locator(".turn.is-target")
    assert marked.count() == 1 and "Six." in marked.inner_text()
    page.goto(base + SLUG + "#t=npt:3")
    wait_time(page, 3)
    assert "Two." in page.locator(".turn.is-target").inner_text()


@pytest.mark.browser
def test_t_link_with_an_end_stops_there(site: Path, serve_dir, browser) -> None:  # type: ignore[no-untyped-def]
    context = browser.new_context()
    page = context.new_page()
    page.goto(serve_dir(site) + SLUG + "#t=1,2")
    wait_time(page, 1)
    page.click(".player-controls button[aria-keyshortcuts='k']")  # a user gesture starts playback
    page.wait_for_function("document.querySelector('#player audio').paused === false", polling=100, timeout=15000)
    page.wait_for_function("document.querySelector('#player audio').paused === true", polling=100, timeout=15000)
    assert 1.9 <= current_time(page) <= 2.6
    context.close()


@pytest.mark.browser
def test_turn_time_seeks_and_current_turn_follows(site: Path, serve_dir, page) -> None:  # type: ignore[no-untyped-def]
    page.goto(serve_dir(site) + SLUG)
    page.locator(".turn", has_text="Four.").locator(".turn-link").click()
    wait_time(page, 4)
    page.wait_for_selector(".turn.is-playing")
    assert "Four." in page.locator(".turn.is-playing").inner_text()
    assert page.locator(".turn[aria-current='true']").count() == 1
    page.evaluate("document.querySelector('#player audio').currentTime = 8.5")
    page.wait_for_function("document.querySelector('.turn.is-playing').textContent.includes('Eight.')", polling=100, timeout=15000)
    assert page.locator(".chapters li.current a").inner_text() == "Second part"


@pytest.mark.browser
def test_keyboard_controls(site: Path, serve_dir, page) -> None:  # type: ignore[no-untyped-def]
    page.goto(serve_dir(site) + SLUG + "#t=1")
    wait_time(page, 1)
    page.keyboard.press("]")
    wait_time(page, 5)
    page.keyboard.press("[")
    wait_time(page, 0)
    page.keyboard.press("l")
    page.wait_for_function("document.querySelector('#player audio').currentTime >= 9.9", polling=100, timeout=15000)
    page.keyboard.press("j")
    page.wait_for_function("document.querySelector('#player audio').currentTime < 9", polling=100, timeout=15000)
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.className")
    assert focused == "skip-link"


@pytest.mark.browser
def test_copy_link_to_a_moment(site: Path, serve_dir, browser) -> None:  # type: ignore[no-untyped-def]
    context = browser.new_context(permissions=["clipboard-read", "clipboard-write"])
    page = context.new_page()
    base = serve_dir(site)
    page.goto(base + SLUG)
    turn = page.locator(".turn", has_text="Six.")
    turn.hover()
    turn.locator(".moment-link").click()
    page.wait_for_function("document.getElementById('moment-status').dataset.url", polling=100, timeout=15000)
    expected = base + SLUG + "#t=0:06"
    assert page.evaluate("document.getElementById('moment-status').dataset.url") == expected
    assert page.evaluate("navigator.clipboard.readText()") == expected
    page.locator(".chapter-heading", has_text="Second part").locator(".moment-link").click()
    page.wait_for_function(f"document.getElementById('moment-status').dataset.url.endsWith('#t=0:05')", polling=100, timeout=15000)
    context.close()


@pytest.mark.browser
def test_works_without_javascript(site: Path, serve_dir, browser) -> None:  # type: ignore[no-untyped-def]
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(serve_dir(site) + SLUG + "#second-part")
    assert page.locator(".turn").count() == 5
    assert page.locator("audio[controls]").count() == 1
    assert page.locator(".moment-link").count() == 0
    assert page.evaluate("document.querySelector(':target').id") == "second-part"
    context.close()


def test_episode_page_weight_is_small(site: Path) -> None:
    """HTML (without the transcript text) + CSS + JS of an episode page stays under 60 KB."""
    html = (site / SLUG / "index.html").read_text()
    shell = re.sub(r'<section class="transcript".*?</section>', "", html, flags=re.S)
    assets = re.findall(r'(?:href|src)="/(assets/[^"]+\.(?:css|js))"', html)
    assert sorted(Path(a).suffix for a in assets) == [".css", ".js"]
    total = len(shell.encode()) + sum((site / a).stat().st_size for a in assets)
    print(f"episode page weight without transcript: {total} bytes")
    assert total < 60_000
