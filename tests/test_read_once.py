"""Every content file is read once per build at most, and hashed from the bytes read (issue #18, point 3).

Opens are counted in this process (``jobs=1``) by wrapping ``open`` (what
``Path.read_bytes``, ``shutil.copy2`` and ``ssg.files.read_bytes`` call).
"""

from __future__ import annotations

import builtins
import io
import os
import time
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from conftest import copy_site
from ssg.build import build_site

ASSET = "cover.png"
"""A content file copied into the site as it is."""


@pytest.fixture
def opens(monkeypatch: pytest.MonkeyPatch) -> Iterator[Callable[[Path], Counter[str]]]:
    """``opens(content)``: how many times each file under ``content`` was opened since the last call."""
    seen: Counter[str] = Counter()
    real = builtins.open

    def counting(file: Any, *args: Any, **kwargs: Any) -> Any:
        if isinstance(file, (str, os.PathLike)):
            seen[os.path.realpath(file)] += 1
        return real(file, *args, **kwargs)

    monkeypatch.setattr(builtins, "open", counting)
    monkeypatch.setattr(io, "open", counting)

    def under(content: Path) -> Counter[str]:
        root = os.path.realpath(content) + "/"
        found = Counter({path[len(root):]: n for path, n in seen.items() if path.startswith(root)})
        seen.clear()
        return found

    yield under


def content_files(content: Path) -> set[str]:
    return {p.relative_to(content).as_posix() for p in content.rglob("*") if p.is_file()}


def show(tmp_path: Path) -> Path:
    content = copy_site("basic", tmp_path / "show")
    (content / ASSET).write_bytes(b"\x89PNG art")
    return content


@pytest.mark.parametrize("cache", [True, False], ids=["cache", "no cache"])
def test_a_clean_build_reads_each_content_file_once(tmp_path: Path, opens: Callable[[Path], Counter[str]],
                                                    cache: bool) -> None:
    content = show(tmp_path)
    opens(content)
    assert build_site(content, tmp_path / "site", search=False, jobs=1, use_cache=cache).ok
    counted = opens(content)
    assert dict(counted) == {name: 1 for name in content_files(content)}


def test_an_edit_reads_the_edited_file_once_and_other_episodes_not_at_all(
        tmp_path: Path, opens: Callable[[Path], Counter[str]], monkeypatch: pytest.MonkeyPatch) -> None:
    from ssg import incremental

    content = show(tmp_path)
    out = tmp_path / "site"
    assert build_site(content, out, search=False, jobs=1).ok
    monkeypatch.setattr(incremental, "RACY_NS", 0)  # the files were written just now: trust their stat anyway
    assert build_site(content, out, search=False, jobs=1).ok  # and hashed by now: a no-change build
    opens(content)
    assert build_site(content, out, search=False, jobs=1).ok
    assert opens(content) == Counter()
    episode = content / "episodes" / "01-spring-tides.md"
    time.sleep(0.01)
    episode.write_text(episode.read_text().replace("They do not.", "No."))
    opens(content)
    result = build_site(content, out, search=False, jobs=1)
    assert result.ok and result.changed
    # The show's own files are parsed by every build that loads, and the images its pages show are read
    # (once) to name their resized copies; other episodes come from the cache.
    assert opens(content) == Counter({"episodes/01-spring-tides.md": 1, "site.yaml": 1, "speakers.yaml": 1,
                                      "cover.png": 1})
