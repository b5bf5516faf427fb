"""Accessibility: axe-core finds no WCAG 2.1 AA violations on the main page types, light and dark.

axe-core is the npm package's ``axe.min.js``, as shipped inside the
``axe-playwright-python`` wheel (so CI needs no Node.js); it runs in
Debian's chromium.
"""

from __future__ import annotations

import json
from importlib import resources
from pathlib import Path

import pytest

from conftest import copy_site
from ssg.build import build_site

PAGES = ["", "episodes/spring-tides-neap-tides/", "speakers/ada/", "speakers/", "search/?q=tide"]
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("a11y")
    content = copy_site("basic", root / "show")
    result = build_site(content, root / "site")
    assert result.ok, [p.format() for p in result.problems]
    return root / "site"


def axe_source() -> str:
    try:
        return (resources.files("axe_playwright_python") / "axe.min.js").read_text(encoding="utf-8")
    except (ModuleNotFoundError, FileNotFoundError):
        pytest.skip("axe-core is not installed (pip install axe-playwright-python; .ci/run does it)")


@pytest.mark.browser
@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("path", PAGES)
def test_no_axe_violations(site: Path, serve_dir, browser, path: str, scheme: str) -> None:  # type: ignore[no-untyped-def]
    context = browser.new_context(color_scheme=scheme)
    page = context.new_page()
    page.goto(serve_dir(site) + path)
    if path.startswith("search"):
        page.wait_for_selector(".hit")
    page.add_script_tag(content=axe_source())
    results = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})", TAGS)
    context.close()
    violations = [
        {"id": v["id"], "help": v["help"], "nodes": [n["target"] for n in v["nodes"]][:5]}
        for v in results["violations"]
    ]
    assert violations == [], json.dumps(violations, indent=1)
    assert results["passes"], "axe ran no checks"
