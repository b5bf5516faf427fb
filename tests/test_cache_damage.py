"""A damaged cache is never trusted, even when the damage keeps every file loadable.

Each case changes bytes inside a cache file so that it still unpickles (or
still loads as a compiled template): one letter of a title in the episode
index, two transcripts swapped, one word of a compiled template, a state or
a digest made to describe an edited show. The rebuild must give the site a
clean build gives, without a traceback. The damage that makes a file
unreadable is in ``test_incremental.py`` (``CORRUPTIONS``).
"""

from __future__ import annotations

import os
import shutil
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import copy_site
from ssg import incremental as cache
from ssg.build import _theme_roots, build_site, default_cache_dir
from test_incremental import EDITS, clean_build, many_episodes, replace_in, tree


def build(content: Path, out: Path) -> None:
    result = build_site(content, out, search=False, jobs=1)
    assert result.ok, [p.format() for p in result.problems]


def replace_bytes(paths: list[Path], old: bytes, new: bytes) -> None:
    """Replace ``old`` by ``new`` (as long) in each file holding it; at least one does."""
    assert len(old) == len(new)
    found = 0
    for path in paths:
        data = path.read_bytes()
        if old in data:
            found += 1
            path.write_bytes(data.replace(old, new))
    assert found, f"{old!r} is in none of {[p.name for p in paths]}"


def turns_file(cache_dir: Path, text: bytes) -> Path:
    (path,) = [p for p in (cache_dir / cache.EPISODES).glob("*.turns") if text in p.read_bytes()]
    return path


def swap_transcripts(content: Path, cache_dir: Path) -> None:
    """Two episodes' turns files (the same number of turns) exchanged: each file is whole and loads."""
    EDITS["template override"](content)  # every page is rendered again, episodes taken from the cache
    first, second = turns_file(cache_dir, b"Extra episode 10,"), turns_file(cache_dir, b"Extra episode 11,")
    a, b = first.read_bytes(), second.read_bytes()
    first.write_bytes(b)
    second.write_bytes(a)


def fingerprint(content: Path) -> str:
    """The state's fingerprint of ``content`` built as ``build`` builds it."""
    return cache.inputs_fingerprint(content, _theme_roots(content), repr((None, False, False)), cache.Digests(None))


def state_of_the_edited_show(content: Path, cache_dir: Path) -> None:
    """The state's fingerprint replaced by that of the show after an edit: "nothing to do"."""
    before = fingerprint(content)
    EDITS["episode body"](content)
    replace_bytes([cache_dir / cache.STATE], before.encode(), fingerprint(content).encode())


def long8(value: int) -> bytes:
    """An int of 8 bytes as pickle writes it (``LONG1``)."""
    return b"\x8a\x08" + value.to_bytes(8, "little", signed=True)


def digest_redated(content: Path, cache_dir: Path) -> None:
    """An edited file's digest entry given the file's new size and times: its old hash is taken as current."""
    path = content / "episodes" / "01-spring-tides.md"
    old = path.stat()
    replace_in(path, "They do not.", "They do now.")  # as long: the size stays
    new = path.stat()
    digests = cache_dir / cache.DIGESTS
    data = bytearray(digests.read_bytes())
    at = data.index(os.fspath(path).encode())
    for was, now in ((old.st_mtime_ns, new.st_mtime_ns), (old.st_ctime_ns, new.st_ctime_ns)):
        at = data.index(long8(was), at)
        data[at:at + 10] = long8(now)
        at += 10
    at = data.index(b"\x8a\x08", at)  # hashed at: well after the new times
    data[at:at + 10] = long8(max(new.st_mtime_ns, new.st_ctime_ns) + 2 * cache.RACY_NS)
    digests.write_bytes(bytes(data))


DAMAGE: dict[str, Callable[[Path, Path], None]] = {
    "a letter of a title in the episode index": lambda content, cache_dir: (
        EDITS["episode body"](content),
        replace_bytes([cache_dir / cache.EPISODES / cache.INDEX], b"Bringing ships into harbour",
                      b"Bringing ships into harbxur")),
    "two transcripts of as many turns swapped": swap_transcripts,
    "a word of a transcript": lambda content, cache_dir: (
        EDITS["template override"](content),
        replace_bytes([turns_file(cache_dir, b"Indeed 12.")], b"Indeed 12.", b"Indeex 12.")),
    "a word of a compiled template": lambda content, cache_dir: (
        EDITS["episode body"](content),
        replace_bytes(sorted((cache_dir / "templates").iterdir()), b"Skip to content", b"Skip to cantent")),
    "the state's fingerprint made the edited show's": state_of_the_edited_show,
    "a digest re-dated to its edited file": digest_redated,
}


@pytest.mark.parametrize("damage", list(DAMAGE), ids=list(DAMAGE))
def test_a_cache_damaged_but_loadable_is_not_trusted(tmp_path: Path, damage: str) -> None:
    content = copy_site("basic", tmp_path / "show")
    many_episodes(content, 4)
    out = tmp_path / "site"
    build(content, out)
    if damage == "a digest re-dated to its edited file":
        time.sleep(cache.RACY_NS / 1e9 + 0.1)
        build(content, out)  # hashed again: now trusted by their stat
    DAMAGE[damage](content, default_cache_dir(content))
    build(content, out)
    assert tree(out) == clean_build(content, tmp_path / "clean")
    build(content, out)  # and the cache works again afterwards
    assert tree(out) == clean_build(content, tmp_path / "clean")


def test_transcripts_swapped_are_caught_in_worker_processes(tmp_path: Path) -> None:
    """Damage found while workers render (``CacheCorrupt`` from a worker) is a miss too."""
    content = copy_site("basic", tmp_path / "show")
    many_episodes(content, 40)
    out = tmp_path / "site"
    assert build_site(content, out, search=False, jobs=2).ok
    swap_transcripts(content, default_cache_dir(content))
    result = build_site(content, out, search=False, jobs=2)
    assert result.ok, [p.format() for p in result.problems]
    assert tree(out) == clean_build(content, tmp_path / "clean")


def page_not_found(content: Path, variant: str) -> None:
    """A 404 template of the show's own: another variant has every page rendered again (a new show key)."""
    (content / "templates").mkdir(exist_ok=True)
    (content / "templates" / "404.html").write_text(
        f"{{% extends 'base.html' %}}{{% block main %}}<h1>Lost at sea ({variant})</h1>{{% endblock %}}")


VARIANTS = ("one", "two")


@dataclass(frozen=True, repr=False)
class Built:
    """A show built with its cache, a copy of that cache and the clean site of each 404 variant."""

    content: Path
    out: Path
    pristine: Path
    clean: dict[str, dict[str, bytes]]


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Built:
    root = tmp_path_factory.mktemp("random-damage")
    content = copy_site("basic", root / "show")
    many_episodes(content, 4)
    clean = {}
    for variant in VARIANTS:
        page_not_found(content, variant)
        clean[variant] = clean_build(content, root / "clean")
    build(content, root / "site")
    shutil.copytree(default_cache_dir(content), root / "pristine")
    return Built(content, root / "site", root / "pristine", clean)


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_random_letters_changed_in_random_cache_files_are_not_trusted(
        built: Built, data: st.DataObject) -> None:
    """Letters changed in cache files (most of them inside strings, so the file still loads)."""
    content, out, pristine, clean = built.content, built.out, built.pristine, built.clean
    cache_dir = default_cache_dir(content)
    shutil.rmtree(cache_dir)
    shutil.copytree(pristine, cache_dir)
    files = sorted(p for p in cache_dir.rglob("*") if p.is_file() and p.name != "last-build.json")
    for _ in range(data.draw(st.integers(1, 3), label="changes")):
        path = data.draw(st.sampled_from(files), label="file")
        payload = bytearray(path.read_bytes())
        letters = [i for i, byte in enumerate(payload) if chr(byte).isascii() and chr(byte).isalpha()]
        at = data.draw(st.sampled_from(letters), label="at")
        payload[at] = ord(data.draw(st.sampled_from("aeiouxyzAEIOU".replace(chr(payload[at]), ""))))
        path.write_bytes(bytes(payload))
    variant = data.draw(st.sampled_from(VARIANTS), label="404 variant")  # the other: every page rendered
    page_not_found(content, variant)
    build(content, out)
    assert tree(out) == clean[variant]
