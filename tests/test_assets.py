"""Assets and images are read by the load stage; rendering reads no file (issue #18).

``ssg.loading.assets`` reads the theme's and the site's stylesheets and
scripts (minified, fingerprinted), lists the files copied as they are, and
reads the images pages show; ``Renderer`` takes those values. Here a built
site's outputs are made again with every way of reading a file made to
fail (Jinja's template loader aside), and a file that cannot be read, or an
image Pillow cannot decode, is reported as ``path: message (hint)``.
"""

from __future__ import annotations

import builtins
import errno
import io
import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import babel
import pytest
from PIL import Image

from conftest import copy_site
from ssg.build import build_site
from ssg.errors import Problems
from ssg.loading import load_site
from ssg.loading.assets import load_assets, load_images
from ssg.render import Renderer


class FileRead(AssertionError):
    """A file was read where none may be."""


@contextmanager
def no_file_reads(allowed: list[Path]) -> Iterator[None]:
    """Every ``open`` (``Path.read_bytes`` and ``Image.open`` on a name use it), ``os.scandir`` and
    ``os.listdir`` raises ``FileRead``, except for files under ``allowed``."""
    prefixes = tuple(os.path.realpath(p) + os.sep for p in allowed)
    real_open = builtins.open

    def guarded_open(file: Any, *args: Any, **kwargs: Any) -> Any:
        if isinstance(file, (str, os.PathLike)) and os.path.realpath(file).startswith(prefixes):
            return real_open(file, *args, **kwargs)
        raise FileRead(f"open({file!r})")

    def refuse(name: str) -> Callable[..., Any]:
        def refused(*args: Any, **kwargs: Any) -> Any:
            raise FileRead(f"{name}{args!r}")
        return refused

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(builtins, "open", guarded_open)
        patch.setattr(io, "open", guarded_open)
        patch.setattr(os, "scandir", refuse("os.scandir"))
        patch.setattr(os, "listdir", refuse("os.listdir"))
        yield


def loaded(content: Path) -> tuple[Any, Any, Any, Any]:
    problems = Problems()
    site, transcripts, found = load_site(content)
    assert site is not None, found.items
    assets = load_assets(content, site.show.theme, site.content_dir, problems)
    media = load_images(site, content, problems)
    assert not problems.items, problems.items
    return site, transcripts, assets, media


def test_rendering_reads_no_file_and_makes_the_bytes_the_build_wrote(tmp_path: Path) -> None:
    content = copy_site("look", tmp_path / "show")
    (content / "static").mkdir()
    (content / "static" / "extra.css").write_text("/* the site's own */\n.extra { color: #123456; }\n")
    (content / "notes.txt").write_text("copied as it is\n")
    out = tmp_path / "site"
    assert build_site(content, out, search=False, jobs=1, use_cache=False).ok
    site, transcripts, assets, media = loaded(content)
    # Jinja's loader reads the templates; Babel reads its locale data (both libraries' own inputs).
    allowed = [*assets.templates, Path(babel.__file__).parent]
    with no_file_reads(allowed):
        with pytest.raises(FileRead):
            (content / "site.yaml").read_bytes()  # the guard works
        with pytest.raises(FileRead):
            Image.open(content / "cover.png")
        renderer = Renderer(site, assets, media.shown)
        pages = list(renderer.all(transcripts))
        copies = list(renderer.asset_outputs())
        variants = [path for _, made in renderer.image_variants() for path, _ in made]
    assert len(pages) > 10 and len(variants) > 4
    for path, data in pages:
        assert (out / path).read_bytes() == data, path
    minified = [(path, data) for path, _, data in copies if data is not None]
    assert any(path.startswith("assets/extra.") for path, _ in minified)
    for path, data in minified:
        assert (out / path).read_bytes() == data, path
    for path, source, data in copies:
        if data is None:
            assert (out / path).read_bytes() == source.read_bytes(), path
    assert all((out / path).is_file() for path in variants)


def refuse_reading(monkeypatch: pytest.MonkeyPatch, *files: Path) -> None:
    """Opening any of ``files`` fails as a file without read permission does (the tests run as root)."""
    refused = {os.path.realpath(f) for f in files}
    real_open = builtins.open

    def opening(file: Any, *args: Any, **kwargs: Any) -> Any:
        if isinstance(file, (str, os.PathLike)) and os.path.realpath(file) in refused:
            raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), os.fspath(file))
        return real_open(file, *args, **kwargs)

    monkeypatch.setattr(builtins, "open", opening)
    monkeypatch.setattr(io, "open", opening)


@pytest.mark.parametrize("name", ["static/extra.css", "cover.png", "notes.txt"],
                         ids=["site stylesheet", "image pages show", "file copied as it is"])
def test_a_file_that_cannot_be_read_is_a_problem_and_the_site_is_kept(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name: str) -> None:
    content = copy_site("look", tmp_path / "show")
    (content / "static").mkdir()
    (content / "static" / "extra.css").write_text(".extra { color: #123456; }\n")
    (content / "notes.txt").write_text("copied as it is\n")
    out = tmp_path / "site"
    assert build_site(content, out, search=False, jobs=1).ok
    before = {p: p.read_bytes() for p in out.rglob("*") if p.is_file()}
    (content / name).write_bytes((content / name).read_bytes() + b"\n")  # changed: read by the next build
    refuse_reading(monkeypatch, content / name)
    result = build_site(content, out, search=False, jobs=1)
    assert not result.ok
    assert [p.format() for p in result.errors] == [
        f"{content.as_posix()}/{name}: cannot read file: Permission denied (check its permissions)"]
    assert {p: p.read_bytes() for p in out.rglob("*") if p.is_file()} == before


def test_an_image_pillow_cannot_read_is_a_warning(tmp_path: Path) -> None:
    content = copy_site("look", tmp_path / "show")
    (content / "people" / "ada.jpg").write_bytes(b"not a jpeg at all")
    result = build_site(content, tmp_path / "site", search=False, jobs=1)
    assert result.ok
    assert [p.format() for p in result.warnings if "ada.jpg" in p.path] == [
        f"{content.as_posix()}/people/ada.jpg: warning: not an image ssg can resize: pages show the file as it is "
        "(save it again as PNG, JPEG or WebP)"]
    assert (tmp_path / "site" / "people" / "ada.jpg").read_bytes() == b"not a jpeg at all"


def test_a_symlink_loop_is_a_problem_not_a_traceback(tmp_path: Path) -> None:
    content = copy_site("basic", tmp_path / "show")
    (content / "loop.png").symlink_to("loop.png")
    result = build_site(content, tmp_path / "site", search=False, jobs=1)
    assert [p.format() for p in result.errors] == [
        f"{content.as_posix()}/loop.png: symlink loop (the link leads back to itself) "
        "(point the link at a file, or delete it)"]

