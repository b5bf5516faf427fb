"""One player that remembers, clips and quotes (issue #21), in a real browser.

The show is ``tests/fixtures/sites/player`` (its audio, 20 seconds of silence as WAV, is written
before the build): one play control, speed kept across a reload, the position resumed, the mini
player carrying on across a navigation, a clip page playing its range only, "Share quote" giving a
link to the moment, and no layout shift while the player starts.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import built_site
from test_player import AUDIO, silent_wav, wait_time

TIMED = "episodes/timed/"
CLIP = "episodes/timed/clips/four-to-seven/"
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 800}
PLAYING = f"{AUDIO} && !{AUDIO}.paused"


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return built_site(tmp_path_factory, "player", search=False,
                      prepare=lambda content: silent_wav(content / "audio" / "moments.wav"))


def visible_play_controls(page) -> int:  # type: ignore[no-untyped-def]
    """Visible native players plus visible buttons named Play or Pause."""
    return int(page.evaluate("""() => [...document.querySelectorAll('audio[controls], button, [role=button]')]
        .filter(e => e.checkVisibility() && (e.tagName === 'AUDIO'
            || /^(play|pause)\\b/i.test((e.getAttribute('aria-label') || e.textContent).trim()))).length"""))


def play(page) -> None:  # type: ignore[no-untyped-def]
    page.click("#player .pl-play")
    page.wait_for_function(PLAYING, polling=100, timeout=15000)


def wait_past(page, seconds: float) -> None:  # type: ignore[no-untyped-def]
    page.wait_for_function(f"{AUDIO}.currentTime > {seconds}", polling=100, timeout=15000)


@pytest.mark.browser
@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_one_visible_play_control(site: Path, serve_dir, new_page, viewport) -> None:  # type: ignore[no-untyped-def]
    page = new_page(viewport=viewport)
    page.goto(serve_dir(site) + TIMED)
    page.wait_for_load_state("load")
    assert visible_play_controls(page) == 1
    # The known duration shows from the start, not 0:00 / 0:00.
    assert page.locator("#player").inner_text().count("0:20") >= 1
    play(page)
    assert visible_play_controls(page) == 1, "Play became Pause; nothing else appeared"


@pytest.mark.browser
def test_speed_is_kept_across_a_reload(site: Path, serve_dir, page) -> None:  # type: ignore[no-untyped-def]
    page.goto(serve_dir(site) + TIMED)
    speed = page.locator("#player .pl-speed")
    while speed.inner_text() != "1.5×":
        speed.click()
    assert speed.get_attribute("aria-label") == "Playback speed 1.5×"
    page.reload()
    assert page.locator("#player .pl-speed").inner_text() == "1.5×"
    play(page)
    assert page.evaluate(f"{AUDIO}.playbackRate") == 1.5


@pytest.mark.browser
def test_the_position_is_resumed_when_the_episode_is_opened_again(site: Path, serve_dir, page) -> None:  # type: ignore[no-untyped-def]
    base = serve_dir(site)
    page.goto(base + TIMED)
    page.click("#player .pl-ctrl button[data-key='l']")  # forward 30 s: to the end, clamped
    page.click("#player .pl-ctrl button[data-key='j']")  # back 15 s: 0:05
    wait_time(page, 5)
    play(page)
    wait_past(page, 6.5)
    page.click("#player .pl-play")  # pause
    left = float(page.evaluate(f"{AUDIO}.currentTime"))
    page.goto(base)  # elsewhere, then back: a new page load
    page.goto(base + TIMED)
    shown = page.locator("#player .pl-at").inner_text()
    assert shown == f"0:{int(left):02d}", "the player shows where the listener left off"
    play(page)
    assert float(page.evaluate(f"{AUDIO}.currentTime")) >= left - 0.2


@pytest.mark.browser
def test_the_mini_player_carries_on_across_a_navigation(site: Path, serve_dir, page) -> None:  # type: ignore[no-untyped-def]
    base = serve_dir(site)
    page.goto(base + TIMED)
    play(page)
    wait_past(page, 1)
    page.evaluate("window.stillHere = true")
    assert page.locator("#mini").is_hidden(), "on the episode's own page its player is the player"
    page.click(".site-nav a[href$='/speakers/']")
    page.wait_for_url(base + "speakers/")
    assert page.evaluate("window.stillHere === true"), "the page was swapped, not reloaded"
    assert page.locator("main h1").inner_text() == "Speakers"
    mini = page.locator("#mini")
    assert mini.is_visible()
    assert mini.locator(".mini-title").inner_text() == "Every two seconds"
    at = float(page.evaluate(f"{AUDIO}.currentTime"))
    wait_past(page, at + 1)
    assert page.evaluate(PLAYING), "the audio kept playing"
    assert mini.locator(".pl-play").get_attribute("aria-label") == "Pause"
    # Back to the episode: its own player is the live one again.
    page.go_back()
    page.wait_for_url(base + TIMED)
    page.wait_for_selector("#player .pl-play[aria-label='Pause']")
    assert page.locator("#mini").is_hidden()
    assert page.evaluate("window.stillHere === true")
    # Paused, a link loads its page as usual; the mini player there resumes with one tap.
    page.click("#player .pl-play")
    left = float(page.evaluate(f"{AUDIO}.currentTime"))
    page.click(".site-nav a[href$='/speakers/']")
    page.wait_for_url(base + "speakers/")
    assert page.evaluate("window.stillHere") is None, "a new page load"
    assert page.locator("#mini .mini-time").inner_text().startswith(f"0:{int(left):02d}")
    page.click("#mini .pl-play")
    page.wait_for_function(PLAYING, polling=100, timeout=15000)
    assert float(page.evaluate(f"{AUDIO}.currentTime")) >= left - 0.2


@pytest.mark.browser
def test_a_clip_page_plays_only_its_range(site: Path, serve_dir, page) -> None:  # type: ignore[no-untyped-def]
    base = serve_dir(site)
    page.goto(base + CLIP)
    assert page.locator("h1").inner_text() == "Four to seven"
    assert page.locator("#player .pl-dur").inner_text() == "0:03", "the seek bar spans the clip"
    assert page.locator("#player .pl-range").get_attribute("min") == "4"
    assert page.locator("#player .pl-range").get_attribute("max") == "7"
    assert "Four. Still in the opening chapter" in page.locator(".clip-quote").inner_text()
    full = page.locator(".clip-full a")
    assert full.get_attribute("href") == "/" + TIMED + "#t=0:04"
    page.evaluate(f"""() => {{ window.heard = []; {AUDIO}.addEventListener('timeupdate',
        () => window.heard.push({AUDIO}.currentTime)); }}""")
    play(page)
    assert float(page.evaluate(f"{AUDIO}.currentTime")) >= 3.9
    page.wait_for_function(f"{AUDIO}.paused", polling=100, timeout=15000)
    heard = page.evaluate("window.heard")
    assert min(heard) >= 3.9 and max(heard) <= 7.3, heard
    assert abs(float(page.evaluate(f"{AUDIO}.currentTime")) - 7) < 0.3
    assert page.locator("#player .pl-at").inner_text() == "0:03"
    # The preview card.
    meta = {name: page.locator(f"meta[property='{name}']").get_attribute("content")
            for name in ["og:title", "og:description", "og:audio", "og:url"]}
    assert meta["og:title"].startswith("Four to seven")
    assert meta["og:description"].startswith("“Four. Still in the opening chapter")
    assert meta["og:audio"] == "https://moments.example.org/audio/moments.wav#t=4,7"
    assert meta["og:url"] == "https://moments.example.org/" + CLIP
    # Following the link to the whole episode: it opens at that moment.
    full.click()
    wait_time(page, 4)


@pytest.mark.browser
def test_share_quote_links_to_the_moment(site: Path, serve_dir, new_page) -> None:  # type: ignore[no-untyped-def]
    page = new_page(permissions=["clipboard-read", "clipboard-write"])
    base = serve_dir(site)
    page.goto(base + TIMED)
    # The reader selects words in the middle of Ben's turn at 0:14.
    page.evaluate("""() => {
        const p = [...document.querySelectorAll('.turn p:not(.turn-meta)')].find(p => p.textContent.startsWith('Fourteen.'));
        const text = p.firstChild, at = text.textContent.indexOf('the turns keep coming');
        const range = document.createRange();
        range.setStart(text, at);
        range.setEnd(text, at + 'the turns keep coming'.length);
        getSelection().removeAllRanges();
        getSelection().addRange(range);
    }""")
    page.click(".share-quote")
    dialog = page.locator("dialog.share")
    assert dialog.is_visible()
    assert dialog.locator("blockquote p").inner_text() == "“the turns keep coming”"
    assert dialog.locator("footer").inner_text().startswith("Ben Okafor, Every two seconds")
    link = dialog.locator("input").input_value()
    assert link == base + TIMED + "#t=0:14"
    dialog.locator("button", has_text="Copy quote and link").click()
    page.wait_for_function("document.getElementById('moment-status').dataset.url", polling=100, timeout=5000)
    copied = page.evaluate("navigator.clipboard.readText()")
    assert copied == f"“the turns keep coming” — Ben Okafor, Every two seconds\n{link}"
    dialog.locator("button", has_text="Close").click()
    # The link opens the episode at that moment, with that turn marked.
    other = new_page()
    other.goto(link)
    wait_time(other, 14)
    assert other.locator(".turn.is-target").inner_text().count("Fourteen.") == 1


CLS = """() => new Promise(done => {
    let sum = 0;
    new PerformanceObserver(list => { for (const e of list.getEntries()) sum += e.value; })
        .observe({type: 'layout-shift', buffered: true});
    setTimeout(() => done(sum), 500);
})"""


@pytest.mark.browser
@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
@pytest.mark.parametrize("path", [TIMED, CLIP], ids=["episode", "clip"])
def test_no_layout_shift_while_the_player_starts(site: Path, serve_dir, new_page, viewport, path) -> None:  # type: ignore[no-untyped-def]
    page = new_page(viewport=viewport)
    page.goto(serve_dir(site) + path)
    page.wait_for_load_state("load")
    page.wait_for_timeout(500)
    assert page.evaluate(CLS) == 0


@pytest.mark.browser
@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_no_axe_violations_in_the_new_parts(site: Path, serve_dir, new_page, scheme: str) -> None:  # type: ignore[no-untyped-def]
    """The clip page, the player's menu, the mini player and the share dialog, as axe-core sees them."""
    from test_a11y import TAGS, axe_source

    source = axe_source()

    def check(page) -> None:  # type: ignore[no-untyped-def]
        page.add_script_tag(content=source)
        results = page.evaluate("tags => axe.run(document, {runOnly: {type: 'tag', values: tags}, "
                                "resultTypes: ['violations']})", TAGS)
        assert [(v["id"], [n["target"] for n in v["nodes"]][:3]) for v in results["violations"]] == []

    base = serve_dir(site)
    page = new_page(color_scheme=scheme, viewport=PHONE, reduced_motion="reduce")
    page.goto(base + CLIP)
    check(page)
    page.goto(base + TIMED)
    play(page)
    page.click("#player .pl-menu summary")
    assert page.locator("#player .pl-keys").is_visible()
    check(page)  # the menu open, a turn playing
    page.click(".site-nav a[href$='/speakers/']")
    page.wait_for_selector("#mini .mini-title")
    check(page)  # the mini player
    page.go_back()
    page.wait_for_selector("#player .pl-play[aria-label='Pause']")  # the episode's page is back
    page.evaluate("""() => {
        const p = document.querySelector('.turn p:not(.turn-meta)');
        getSelection().selectAllChildren(p);
    }""")
    page.click(".share-quote")
    check(page)  # the share dialog


@pytest.mark.browser
def test_a_swapped_page_brings_its_styles_and_scripts(site: Path, serve_dir, page, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """While audio plays, a page with its own head styles, a <noscript> and scripts is swapped in whole.

    A script inside <main> (with a src or inline) runs again with each page it comes with; one
    outside <main> that ran already cannot, so that page then loads as usual.
    """
    extra = tmp_path / "site"
    import shutil
    shutil.copytree(site, extra)
    main = '<main id="main" class="wrap">'
    home = (extra / "index.html").read_text()
    home = home.replace("</head>", "<style>.own-style { color: rgb(1, 2, 3); }</style></head>")
    home = home.replace(main, main + '<p class="own-style" id="styled">Styled</p>'
                        '<noscript><style>#styled { display: none; }</style></noscript>'
                        '<script src="/own.js" defer></script><script>window.inline = (window.inline || 0) + 1;</script>')
    (extra / "index.html").write_text(home)
    untimed = (extra / "episodes/untimed/index.html").read_text()
    (extra / "episodes/untimed/index.html").write_text(untimed.replace("</body>", '<script src="/outer.js" defer></script></body>'))
    (extra / "own.js").write_text("window.ownRuns = (window.ownRuns || 0) + 1;\n")
    (extra / "outer.js").write_text("window.outerRuns = (window.outerRuns || 0) + 1;\n")
    base = serve_dir(extra)
    page.goto(base + TIMED)
    play(page)
    page.evaluate("window.stillHere = true")
    home_link = ".site-nav a[href='/']"
    page.click(home_link)
    page.wait_for_function("window.ownRuns === 1 && window.inline === 1", polling=100, timeout=5000)
    assert page.evaluate("window.stillHere === true") and page.evaluate(PLAYING)
    assert page.locator("#styled").is_visible(), "a <noscript> style does not apply with JavaScript on"
    assert page.evaluate("getComputedStyle(document.getElementById('styled')).color") == "rgb(1, 2, 3)"
    page.go_back()
    page.wait_for_url(base + TIMED)
    assert page.evaluate("getComputedStyle(document.querySelector('.site-title')).color") != "rgb(1, 2, 3)"
    page.click(home_link)
    page.wait_for_function("window.ownRuns === 2 && window.inline === 2", polling=100, timeout=5000)
    assert page.evaluate("window.stillHere === true") and page.evaluate(PLAYING)
    page.go_back()
    page.wait_for_url(base + TIMED)
    page.click("a[rel=next]")  # the untimed episode, with a script of its own after <main>
    page.wait_for_function("window.outerRuns === 1", polling=100, timeout=5000)
    assert page.evaluate("window.stillHere === true") and page.evaluate(PLAYING)
    assert page.locator("#mini").is_visible(), "another episode's page: the mini player shows what plays"
    assert page.locator("#player .pl-play").get_attribute("aria-label") == "Play"
    page.go_back()
    page.wait_for_url(base + TIMED)
    page.click("a[rel=next]")
    page.wait_for_function("window.outerRuns === 1 && window.stillHere === undefined", polling=100, timeout=10000)
