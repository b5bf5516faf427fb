"""The listening experience: player, chapter seeking, moment links, follow-along (real browser).

The show is ``tests/fixtures/sites/player``; its audio, 20 seconds of silence
as WAV (which chromium plays and seeks), is written here before the build.
"""

from __future__ import annotations

import re
import struct
import wave
from pathlib import Path

import pytest

from conftest import built_site

TIMED = "episodes/timed/"
UNTIMED = "episodes/untimed/"
NOTES = "episodes/notes/"
AUDIO = "document.querySelector('#mini audio')"  # the one audio element, kept across pages


def silent_wav(path: Path, seconds: int = 20, rate: int = 8000) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with wave.open(str(path), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(1)
        out.setframerate(rate)
        out.writeframes(struct.pack("B", 128) * rate * seconds)


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return built_site(tmp_path_factory, "player", search=False,
                      prepare=lambda content: silent_wav(content / "audio" / "moments.wav"))


def turn_id(site: Path, page: str, words: str) -> str:
    """The anchor of the turn starting with ``words`` (ids are hashes of speaker and words)."""
    html = (site / page / "index.html").read_text()
    match = re.search(r'<div class="turn" id="([^"]+)"[^>]*>(?:(?!</div>).)*?<p>' + re.escape(words), html, re.S)
    assert match, words
    return match.group(1)


def current_time(page) -> float:  # type: ignore[no-untyped-def]
    return float(page.evaluate(f"{AUDIO}.currentTime"))


def wait_time(page, seconds: float) -> None:  # type: ignore[no-untyped-def]
    """Wait until the audio is at ``seconds``, or its last seek went there (it plays on after a seek, and on a
    loaded machine no poll may land in the 0.6 s window before it has played past)."""
    page.wait_for_function(f"Math.abs({AUDIO}.currentTime - {seconds}) < 0.3"
                           f" || Math.abs((window.__seeks || []).at(-1) - {seconds}) < 0.3", polling=100, timeout=15000)


def wait_playing(page, words: str) -> None:  # type: ignore[no-untyped-def]
    page.wait_for_function(f"(document.querySelector('.turn.is-playing') || {{}}).textContent?.includes({words!r})",
                           polling=100, timeout=15000)


IN_VIEW = """sel => {
    const r = document.querySelector(sel).getBoundingClientRect();
    const cover = [...document.querySelectorAll('.site-header, #player')]
        .filter(e => ['sticky', 'fixed'].includes(getComputedStyle(e).position))
        .map(e => e.getBoundingClientRect().bottom).filter(b => b > 0 && b < innerHeight / 2);
    return r.top >= Math.max(0, ...cover) - 1 && r.bottom <= innerHeight + 1;
}"""


def in_view(page, selector: str) -> bool:  # type: ignore[no-untyped-def]
    """Wholly inside the viewport and not under the sticky header or player."""
    return bool(page.evaluate(IN_VIEW, selector))


def wait_in_view(page, selector: str) -> None:  # type: ignore[no-untyped-def]
    """In view once any smooth scrolling has settled."""
    page.wait_for_function(IN_VIEW, arg=selector, polling=100, timeout=5000)


@pytest.mark.browser
def test_chapter_list_bar_and_headings_seek(site: Path, serve_dir, page) -> None:  # type: ignore[no-untyped-def]
    page.goto(serve_dir(site) + TIMED)
    page.click(".chapters a[href='#middle']")
    wait_time(page, 6)
    assert page.url.endswith("#middle")
    assert page.locator("#player .pl-now").inner_text() == "Middle"
    page.click("#player .pl-prev")
    wait_time(page, 0)
    assert page.locator("#player .pl-now").inner_text() == "Opening"
    page.click(".chapter-heading#ending > a")
    wait_time(page, 14)
    assert page.locator(".chapters li.current a").inner_text() == "Ending"
    assert page.locator("#player .pl-now").inner_text() == "Ending", "the player names the chapter heard"
    assert page.locator("#player .pl-range").get_attribute("aria-valuetext") == "0:14 of 0:20, Ending"


@pytest.mark.browser
def test_t_link_seeks_and_marks_the_turn(site: Path, serve_dir, new_page) -> None:  # type: ignore[no-untyped-def]
    page = new_page(viewport={"width": 900, "height": 500}, reduced_motion="reduce")
    base = serve_dir(site)
    page.goto(base + TIMED + "#t=0:16")
    wait_time(page, 16)
    marked = page.locator(".turn.is-target")
    assert marked.count() == 1 and "Sixteen." in marked.inner_text()
    assert in_view(page, ".turn.is-target")
    page.goto(base + TIMED + "#t=npt:3")  # same document: a hashchange
    wait_time(page, 3)
    assert "Two." in page.locator(".turn.is-target").inner_text()
    page.goto(base + TIMED + "#t=10.5")
    wait_time(page, 10.5)
    assert "Ten." in page.locator(".turn.is-target").inner_text()
    assert page.locator(".turn.is-target").count() == 1


@pytest.mark.browser
def test_turn_anchor_marks_scrolls_and_seeks(site: Path, serve_dir, new_page) -> None:  # type: ignore[no-untyped-def]
    page = new_page(viewport={"width": 900, "height": 500})
    anchor = turn_id(site, TIMED, "Fourteen.")
    page.goto(serve_dir(site) + TIMED + "#" + anchor)
    wait_time(page, 14)
    assert page.locator(".turn.is-target").get_attribute("id") == anchor
    wait_in_view(page, f"#{anchor}")
    assert page.evaluate(f"{AUDIO}.paused"), "opening a link must not start playback"


@pytest.mark.browser
def test_t_link_with_an_end_stops_there(site: Path, serve_dir, page) -> None:  # type: ignore[no-untyped-def]
    page.goto(serve_dir(site) + TIMED + "#t=1,2")
    wait_time(page, 1)
    page.click("#player .pl-play")  # a user gesture starts playback
    page.wait_for_function(f"{AUDIO}.paused === false", polling=100, timeout=15000)
    page.wait_for_function(f"{AUDIO}.paused === true", polling=100, timeout=15000)
    assert 1.9 <= current_time(page) <= 2.6


@pytest.mark.browser
def test_seeking_past_the_end_of_a_range_keeps_playing(site: Path, serve_dir, page) -> None:  # type: ignore[no-untyped-def]
    page.goto(serve_dir(site) + TIMED + "#t=1,3")
    wait_time(page, 1)
    page.click("#player .pl-play")
    page.wait_for_function(f"{AUDIO}.paused === false", polling=100, timeout=15000)
    page.evaluate(f"{AUDIO}.currentTime = 5")  # the listener drags the scrubber past the end
    page.wait_for_function(f"{AUDIO}.currentTime > 6", polling=100, timeout=15000)
    assert not page.evaluate(f"{AUDIO}.paused")


@pytest.mark.browser
def test_turn_time_seeks_and_current_turn_follows(site: Path, serve_dir, page) -> None:  # type: ignore[no-untyped-def]
    page.goto(serve_dir(site) + TIMED)
    page.locator(".turn", has_text="Four.").locator(".turn-link").click()
    wait_time(page, 4)
    wait_playing(page, "Four.")
    assert page.locator(".turn[aria-current='time']").count() == 1
    assert page.locator(".turn.is-playing").get_attribute("aria-current") == "time"
    page.evaluate(f"{AUDIO}.currentTime = 8.5")
    wait_playing(page, "Eight.")
    assert page.locator(".turn.is-playing").count() == 1
    assert page.locator(".chapters li.current a").inner_text() == "Middle"
    assert page.locator(".chapter-heading.current").get_attribute("id") == "middle"


@pytest.mark.browser
def test_follow_along_and_back_to_now(site: Path, serve_dir, new_page) -> None:  # type: ignore[no-untyped-def]
    page = new_page(viewport={"width": 900, "height": 420}, reduced_motion="reduce")
    page.goto(serve_dir(site) + TIMED)
    page.locator(".turn", has_text="Zero.").locator(".turn-link").click()
    page.wait_for_function(f"{AUDIO}.paused === false", polling=100, timeout=15000)
    # The reader is watching: the turn being spoken is kept in view.
    wait_playing(page, "Four.")
    assert in_view(page, ".turn.is-playing")
    assert not page.locator(".back-to-now").is_visible()
    # The reader scrolls away: the page stays where they put it, and "Back to now" shows.
    page.mouse.wheel(0, -5000)
    page.wait_for_selector(".back-to-now", state="visible", timeout=5000)
    y = page.evaluate("scrollY")
    wait_playing(page, "Eight.")
    assert page.evaluate("scrollY") == y
    assert not in_view(page, ".turn.is-playing")
    page.click(".back-to-now")
    assert in_view(page, ".turn.is-playing")
    assert not page.locator(".back-to-now").is_visible()
    assert page.evaluate("document.activeElement.closest('.turn') === document.querySelector('.turn.is-playing')")
    wait_playing(page, "Twelve.")
    assert in_view(page, ".turn.is-playing")


@pytest.mark.browser
def test_playing_from_the_top_leaves_the_page_where_it_is(site: Path, serve_dir, new_page) -> None:  # type: ignore[no-untyped-def]
    page = new_page(viewport={"width": 900, "height": 600}, reduced_motion="reduce")
    page.goto(serve_dir(site) + TIMED)
    page.click("#player .pl-play")
    wait_playing(page, "Two.")
    assert page.evaluate("scrollY") == 0
    assert page.locator(".back-to-now").is_visible()
    assert page.locator("#player .pl-play").get_attribute("aria-label") == "Pause"
    page.click("#player .pl-play")
    page.wait_for_selector(".back-to-now", state="hidden", timeout=5000)
    assert page.evaluate(f"{AUDIO}.paused")


@pytest.mark.browser
def test_keyboard_controls_and_turning_them_off(site: Path, serve_dir, page) -> None:  # type: ignore[no-untyped-def]
    page.goto(serve_dir(site) + TIMED + "#t=1")
    wait_time(page, 1)
    page.keyboard.press("]")
    wait_time(page, 6)
    page.keyboard.press("]")
    wait_time(page, 14)
    page.keyboard.press("[")
    wait_time(page, 6)
    page.keyboard.press("j")
    wait_time(page, 0)
    page.keyboard.press("l")
    wait_time(page, 20)  # forward 30 s stops at the end
    page.keyboard.press("j")
    wait_time(page, 5)
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "skip-link"
    assert page.get_attribute("#player button[data-key='j']", "aria-keyshortcuts") == "j"
    # Single-key shortcuts can be turned off (WCAG 2.1.4) in the player's menu, and stay off.
    assert page.locator(".pl-keys").is_hidden(), "folded into the menu, not under the player"
    page.click("#player .pl-menu summary")
    page.uncheck("#player .pl-keys")
    page.keyboard.press("Escape")
    assert page.locator(".pl-keys").is_hidden()
    page.keyboard.press("j")
    page.wait_for_timeout(300)
    assert abs(current_time(page) - 5) < 0.3
    assert page.get_attribute("#player button[data-key='j']", "aria-keyshortcuts") is None
    page.reload()
    wait_time(page, 1)
    assert not page.is_checked("#player .pl-keys")
    page.keyboard.press("l")
    page.wait_for_timeout(300)
    assert abs(current_time(page) - 1) < 0.3
    # The controls work from the keyboard like any button.
    page.focus("#player button[data-key='l']")
    page.keyboard.press("Enter")
    wait_time(page, 20)
    page.focus("#player button[data-key='j']")
    page.keyboard.press("Enter")
    wait_time(page, 5)
    # The seek bar is a slider: arrows move 5 s.
    page.focus("#player .pl-range")
    page.keyboard.press("ArrowRight")
    wait_time(page, 10)


@pytest.mark.browser
def test_copy_link_to_a_moment(site: Path, serve_dir, new_page) -> None:  # type: ignore[no-untyped-def]
    page = new_page(permissions=["clipboard-read", "clipboard-write"])
    base = serve_dir(site)
    copied = "document.getElementById('moment-status').dataset.url"

    def copy(locator) -> str:  # type: ignore[no-untyped-def]
        page.evaluate(f"delete {copied.rsplit('.', 1)[0]}.url")
        locator.hover()
        locator.click()
        page.wait_for_function(copied, polling=100, timeout=15000)
        return str(page.evaluate(copied))

    page.goto(base + TIMED)
    expected = base + TIMED + "#t=0:06"
    assert copy(page.locator(".turn", has_text="Six.").locator(".moment-link")) == expected
    assert page.evaluate("navigator.clipboard.readText()") == expected
    assert copy(page.locator(".chapter-heading#ending + .moment-link")) == base + TIMED + "#t=0:14"
    assert page.locator(".chapter-heading .moment-link").count() == 0, "a heading's name stays its title"
    # Estimated times are not moments: the link is the turn's anchor.
    page.goto(base + UNTIMED)
    anchor = turn_id(site, UNTIMED, "And the player")
    assert copy(page.locator(f"#{anchor} .moment-link")) == base + UNTIMED + "#" + anchor
    # No transcript: chapters get their buttons in the chapter list.
    page.goto(base + NOTES)
    assert copy(page.locator(".chapters li", has_text="Goodbye").locator(".moment-link")) == base + NOTES + "#t=0:10"


@pytest.mark.browser
def test_estimated_times_are_not_followed(site: Path, serve_dir, page) -> None:  # type: ignore[no-untyped-def]
    page.goto(serve_dir(site) + UNTIMED)
    page.click("#player button[data-key='l']")
    page.click("#player button[data-key='j']")
    wait_time(page, 5)
    page.wait_for_timeout(300)
    assert page.locator(".turn.is-playing, .turn[aria-current]").count() == 0
    assert page.locator(".chapter-heading[data-estimated] > a").first.get_attribute("href") == "#first-half"
    page.click(".chapter-heading#first-half > a")  # an estimated heading only navigates
    page.wait_for_timeout(300)
    assert abs(current_time(page) - 5) < 0.3


@pytest.mark.browser
def test_small_screen_player_stays_on_top(site: Path, serve_dir, new_page) -> None:  # type: ignore[no-untyped-def]
    page = new_page(viewport={"width": 375, "height": 640}, reduced_motion="reduce")
    anchor = turn_id(site, TIMED, "Sixteen.")
    page.goto(serve_dir(site) + TIMED + "#" + anchor)
    wait_time(page, 16)
    player = page.locator("#player").bounding_box()
    assert player and abs(player["y"]) < 1, "the player sticks to the top of the screen"
    turn = page.locator(f"#{anchor}").bounding_box()
    assert turn and turn["y"] >= player["y"] + player["height"] - 1, "the turn is not under the player"
    assert page.evaluate("document.querySelector('.pl-ctrl').getBoundingClientRect().height") < 60, \
        "the controls fit on one line"


@pytest.mark.browser
def test_works_without_javascript(site: Path, serve_dir, browser) -> None:  # type: ignore[no-untyped-def]
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(serve_dir(site) + TIMED + "#middle")
    assert page.locator(".turn").count() == 10
    assert page.locator("audio[controls]").count() == 1
    assert page.locator("audio[controls]").is_visible(), "the native player is the player"
    assert page.locator(".pl").is_hidden()
    assert page.locator(".moment-link").count() == 0
    assert page.evaluate("document.querySelector(':target').id") == "middle"
    context.close()


def test_episode_page_weight_is_small(site: Path) -> None:
    """HTML (without the transcript text) + CSS + JS of an episode page stays under 60 KB."""
    html = (site / TIMED / "index.html").read_text()
    shell = re.sub(r'<section class="transcript".*?</section>', "", html, flags=re.S)
    assets = re.findall(r'(?:href|src)="/(assets/[^"]+\.(?:css|js))"', html)  # every stylesheet and script
    assert {Path(a).suffix for a in assets} == {".css", ".js"}
    sizes = {"html": len(shell.encode()), **{a: (site / a).stat().st_size for a in assets}}
    total = sum(sizes.values())
    print(f"episode page weight without transcript: {total} bytes {sizes}")
    assert total < 60_000
