"""``ssg check --apps``: per episode, what each podcast app will show, from the table in ssg/apps.py."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import copy_site
from ssg.cli import main
from test_feed_tags import rich_show


def rows(output: str, source_end: str) -> dict[str, list[str]]:
    """The rows of one episode's block: app -> its columns."""
    lines = output.splitlines()
    start = next(i for i, line in enumerate(lines) if line.split(":")[0].endswith(source_end))
    found = {}
    for line in lines[start + 2:start + 9]:
        name, rest = line[2:17].strip(), line[17:].split()
        found[name] = rest
    return found


def test_every_app_and_what_it_shows(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    content = rich_show(tmp_path / "show")
    assert main(["check", "--content", str(content), "--apps"]) == 0
    out = capsys.readouterr().out
    spring = rows(out, "01-spring-tides.md")
    assert list(spring) == ["Apple Podcasts", "Spotify", "Pocket Casts", "Overcast", "Podverse", "Fountain",
                            "AntennaPod"]
    assert spring["Apple Podcasts"] == ["3", "(description", "timestamps)", "VTT", "none", "show", "none"]
    assert spring["Spotify"] == ["3", "(psc:chapters)", "none", "none", "show", "none"]
    assert spring["Podverse"] == ["3", "(podcast:chapters)", "VTT", "2", "show", "yes"]
    harbour = rows(out, "02-harbour.md")
    # Two chapters: no description list, so Apple shows none; Spotify still reads psc:chapters.
    assert harbour["Apple Podcasts"][0] == "none" and harbour["Spotify"][:2] == ["2", "(psc:chapters)"]


def test_no_funding_no_people_no_art(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    content = copy_site("basic", tmp_path / "show")
    path = content / "site.yaml"
    path.write_text(path.read_text().replace("image: cover.png\n", ""))
    main(["check", "--content", str(content), "--apps"])
    out = capsys.readouterr().out
    spring = rows(out, "01-spring-tides.md")
    assert spring["Fountain"][-3:] == ["2", "none", "none"]  # people yes, no artwork, no funding
    assert spring["Overcast"][-2:] == ["none", "none"]
