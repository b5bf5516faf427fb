"""The speakers index at hundreds of people: hosts first, then by episodes, and a name filter.

The show is written here: 300 speakers (two hosts with few episodes, guests
with from 0 to 11 episodes each) over 40 episodes.
"""

from __future__ import annotations

import html
import re
from pathlib import Path

import pytest

from ssg.build import build_site

FIRST = ["Ada", "Ben", "Cleo", "Dev", "Esa", "Femi", "Gus", "Hana", "Ivo", "Juno", "Kai", "Lea", "Mo", "Noor", "Ola"]
LAST = ["Marsh", "Okafor", "Reyes", "Tanaka", "Ng", "Berg", "Costa", "Dahl", "Ekwueme", "Fox",
        "Gale", "Holm", "Ito", "Jovanović", "Khan", "Lund", "Moreau", "Nash", "Ortiz", "Park"]
EPISODES = 40


def people() -> list[tuple[str, str, str]]:
    """(id, name, role) of 300 people; the hosts come last in speakers.yaml on purpose."""
    guests = [(f"p{i}", f"{FIRST[i % len(FIRST)]} {LAST[i // len(FIRST)]}", "guest")
              for i in range(len(FIRST) * len(LAST) - 2)]
    return guests + [("zoe", "Zoë Host", "host"), ("yan", "Yan Cohost", "co-host")]


def episodes_of(pid: str) -> list[int]:
    """The episodes a person is in: hosts in 2 and 3, guest i in (i * 7) % 12 of them."""
    if pid == "zoe":
        return [0, 1]
    if pid == "yan":
        return [0, 1, 2]
    n = (int(pid[1:]) * 7) % 12
    start = int(pid[1:]) % EPISODES
    return [(start + k) % EPISODES for k in range(n)]


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("speakers")
    content = root / "content"
    (content / "episodes").mkdir(parents=True)
    (content / "site.yaml").write_text("title: Crowd\nbase_url: https://example.org/\n", encoding="utf-8")
    (content / "speakers.yaml").write_text("".join(
        f"- id: {pid}\n  name: {name}\n  role: {role}\n" for pid, name, role in people()), encoding="utf-8")
    cast: dict[int, list[str]] = {n: [] for n in range(EPISODES)}
    for pid, _, _ in people():
        for n in episodes_of(pid):
            cast[n].append(pid)
    for n, ids in cast.items():
        (content / "episodes" / f"e{n}.md").write_text(
            f"---\ntitle: Episode {n}\ndate: 2026-01-{n % 28 + 1:02d}\nepisode: {n + 1}\n"
            f"speakers: [{', '.join(ids)}]\n---\nzoe: Welcome to episode {n}.\n", encoding="utf-8")
    result = build_site(content, root / "site", search=False, jobs=1)
    assert result.ok, [p.format() for p in result.problems if p.level == "error"]
    return root / "site"


def listed_names(site: Path) -> list[str]:
    page = (site / "speakers" / "index.html").read_text(encoding="utf-8")
    return [html.unescape(name) for name in re.findall(r'<h2><a href="/speakers/[^"]+/">([^<]+)</a></h2>', page)]


def test_hosts_first_then_most_episodes_then_name(site: Path) -> None:
    counts = {name: len(episodes_of(pid)) for pid, name, _ in people()}
    counts["Zoë Host"] = EPISODES  # she speaks in every episode, whatever the front matter lists
    hosts = ["Zoë Host", "Yan Cohost"]  # Zoë is in more episodes
    guests = sorted((name for _, name, role in people() if role == "guest"),
                    key=lambda name: (-counts[name], name.casefold()))
    names = listed_names(site)
    assert len(names) == 300
    assert names == hosts + guests
    assert counts[names[2]] == 11 and counts[names[-1]] == 0  # a guest in 11 episodes leads the guests


def test_filter_is_there_for_scripts_and_the_list_is_complete_without(site: Path) -> None:
    page = (site / "speakers" / "index.html").read_text(encoding="utf-8")
    assert '<p class="speaker-find" id="speaker-find" hidden>' in page  # shown by the script only
    assert '<input id="speaker-filter" type="search"' in page
    assert page.count('<li class="speaker-card"') == 300


@pytest.mark.browser
def test_typing_in_the_filter_leaves_only_matching_names(site: Path, serve_dir, page) -> None:  # type: ignore[no-untyped-def]
    base = serve_dir(site)
    page.goto(base + "speakers/")
    cards = page.locator("#speaker-list > li:visible")
    assert cards.count() == 300
    page.fill("#speaker-filter", "ovi")
    expected = sorted(name for _, name, _ in people() if "ovi" in name.lower())
    assert len(expected) == 15
    assert sorted(cards.locator("h2").all_inner_texts()) == expected
    assert page.inner_text("#speaker-shown") == "15 of 300"
    page.fill("#speaker-filter", "ADA jovan")
    assert cards.locator("h2").all_inner_texts() == ["Ada Jovanović"]
    page.fill("#speaker-filter", "")
    assert cards.count() == 300
