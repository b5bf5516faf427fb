"""Accessibility: axe-core finds no WCAG 2.1 AA violations on the main page types, light and dark.

axe-core is the npm package's ``axe.min.js``, as shipped inside the
``axe-playwright-python`` wheel (so CI needs no Node.js); it runs in
Debian's chromium. Pages are checked as a listener meets them: with the
player script run, and an episode also opened at a moment (a turn marked by
the link, with its "Copy link" shown, and another one playing), also on a
phone-sized screen.
"""

from __future__ import annotations

import json
from importlib import resources
from pathlib import Path

import pytest

from conftest import built_site

EPISODE = "episodes/spring-tides-neap-tides/"
PAGES = [
    ("home", ""),
    ("episode", EPISODE),
    ("episode at a moment", EPISODE + "#t=2:01"),
    ("episode at a moment, phone", EPISODE + "#t=12:31"),
    ("untimed episode", "episodes/fog-auto-captions/"),
    ("speaker", "speakers/ada/"),
    ("speakers", "speakers/"),
    ("search", "search/?q=tide"),
]
LOOK_PAGES = [
    ("home with cover art", ""),
    ("episode with its own image and a chapter image", "episodes/fog-signals/"),
    ("episode with chapter images, phone", "episodes/how-a-lighthouse-is-kept/"),
    ("speaker with a portrait", "speakers/ada/"),
    ("speaker with a portrait, phone", "speakers/ada/"),
    ("speaker without a portrait", "speakers/cleo/"),
    ("speakers with avatars", "speakers/"),
    ("tag", "tags/lights/"),
    ("tags", "tags/"),
    ("not found", "404.html"),
]
PHONE = {"width": 375, "height": 740}
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return built_site(tmp_path_factory, "basic")


@pytest.fixture(scope="module")
def look_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return built_site(tmp_path_factory, "look")


def axe_source() -> str:
    try:
        return (resources.files("axe_playwright_python") / "axe.min.js").read_text(encoding="utf-8")
    except (ModuleNotFoundError, FileNotFoundError):
        pytest.skip("axe-core is not installed (pip install axe-playwright-python; .ci/run does it)")


@pytest.mark.browser
@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("name,path", PAGES, ids=[name for name, _ in PAGES])
def test_no_axe_violations(site: Path, serve_dir, browser, name: str, path: str, scheme: str) -> None:  # type: ignore[no-untyped-def]
    check_page(site, serve_dir, browser, name, path, scheme)


@pytest.mark.browser
@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("name,path", LOOK_PAGES, ids=[name for name, _ in LOOK_PAGES])
def test_no_axe_violations_with_images_and_avatars(look_site: Path, serve_dir, browser, name: str, path: str,  # type: ignore[no-untyped-def]
                                                    scheme: str) -> None:
    check_page(look_site, serve_dir, browser, name, path, scheme)


def check_page(site: Path, serve_dir, browser, name: str, path: str, scheme: str) -> None:  # type: ignore[no-untyped-def]
    """axe-core's WCAG 2.1 A/AA rules over one page, in one colour scheme: no violations."""
    viewport = PHONE if name.endswith("phone") else {"width": 1280, "height": 800}
    context = browser.new_context(color_scheme=scheme, viewport=viewport, reduced_motion="reduce")
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto(serve_dir(site) + path)
    if path.startswith("search"):
        page.wait_for_selector(".hit")
    if "#t=" in path:
        # One turn marked by the link, another one playing (15 s earlier).
        page.wait_for_selector(".turn.is-target.is-playing")
        page.keyboard.press("j")
        page.wait_for_selector(".turn.is-target:not(.is-playing)")
        page.wait_for_selector(".turn.is-playing:not(.is-target)")
    page.add_script_tag(content=axe_source())
    results = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})", TAGS)
    context.close()
    violations = [
        {"id": v["id"], "help": v["help"],
         "nodes": [(n["target"], n.get("failureSummary", "")[:300]) for n in v["nodes"]][:5]}
        for v in results["violations"]
    ]
    assert violations == [], json.dumps(violations, indent=1)
    assert any(rule["id"] == "color-contrast" for rule in results["passes"]), "axe checked no contrast"
    assert not errors, errors


@pytest.mark.browser
def test_turns_announce_their_speaker(site: Path, serve_dir, page) -> None:  # type: ignore[no-untyped-def]
    """A screen reader meets each turn's speaker first, then the time, then the words."""
    page.goto(serve_dir(site) + EPISODE)
    turn = page.locator(".turn", has_text="The moon pulls the water")
    snapshot = turn.aria_snapshot()
    lines = [line.strip() for line in snapshot.splitlines()]
    speaker = next(i for i, line in enumerate(lines) if "Ada Marsh" in line)
    time = next(i for i, line in enumerate(lines) if "2:01" in line)
    words = next(i for i, line in enumerate(lines) if "The moon pulls the water" in line)
    assert speaker < time < words, snapshot
