"""The files pages use besides the content's text, read once: assets, files copied as they are, and images.

Read here, in the load stage, so that rendering reads no file at all:

- ``load_assets``: the theme's static files with the site's ``content/static/``
  over them (a file of the same name wins), stylesheets and scripts read,
  minified (``ssg.minify``) and named by a hash of their bytes (fingerprinted
  URLs); the other static files and the content folder's own files (audio,
  PDFs, images) listed, to be copied as they are by the write stage; and the
  template folders (``ssg.theme``) the render stage's Jinja loader reads.
- ``load_images``: the local images the pages show resized (cover art,
  portraits, chapter images), each read once: its digest and size name its
  variants (``ssg.images``), and its bytes are kept for the build to copy and
  resize without reading it again.

Both return frozen values; a file that cannot be read is a problem with its
path and a hint, like any other load problem.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from ssg import images, minify, theme
from ssg.errors import Problems
from ssg.files import Read, read_bytes
from ssg.model import Site
from ssg.urls import Urls

CONTENT_SKIP = frozenset({"site.yaml", "speakers.yaml"})
"""Files at the top of the content folder that are not copied into the site."""
CONTENT_SKIP_DIRS = frozenset({"episodes", "templates", "static", "speakers"})
"""Folders of the content folder that are not copied into the site."""
MINIFIED = (".css", ".js")
"""Static files read, minified and fingerprinted (the others are copied as they are)."""


@dataclass(frozen=True, slots=True)
class Asset:
    """A file of the site that is not made from content: copied as it is, or minified."""

    route: str
    """Where it goes in the site."""
    source: Path
    """Where it comes from (theme static, site static, or a content file)."""
    data: bytes | None = None
    """The bytes to write, for a stylesheet or script (minified); None: copy ``source`` as it is."""


@dataclass(frozen=True, slots=True)
class Assets:
    """The theme's and the site's files besides templates, and where the templates are."""

    files: tuple[Asset, ...]
    """Every asset, in the order of their routes' sources: static files (by name), then content files."""
    routes: Mapping[str, str]
    """A static file's name (``style.css``) -> its route (``assets/style.0123abcdef.css``)."""
    templates: tuple[Path, ...]
    """The template search path: the site's ``content/templates/``, then the theme's (existing folders only)."""
    template_names: tuple[str, ...] = ()
    """Every template found on that path (``partials/player.html``), sorted: what a page can extend or include."""


@dataclass(frozen=True, slots=True)
class SourceImage:
    """A local image the theme shows resized (``ssg.images``)."""

    source: Path
    """The file in the content folder."""
    digest: str
    """``images.digest`` of its bytes: the first part of its variants' names."""
    side: int
    """Its smallest side in pixels (no variant is made wider)."""
    roles: frozenset[str]
    """Where it is shown (keys of ``images.SIZES``)."""


@dataclass(frozen=True, slots=True)
class Images:
    """The local images pages show, as read."""

    shown: Mapping[str, SourceImage]
    """Reference as the content writes it (``cover.png``) -> the image: all rendering needs."""
    data: Mapping[Path, bytes]
    """The bytes of each file read (by ``SourceImage.source``): the build copies and resizes from them."""


def load_assets(content: Path, theme_name: str, label: str, problems: Problems,
                reads: dict[str, Read] | None = None) -> Assets:
    """Theme and site static files (stylesheets and scripts read and fingerprinted) plus content files.

    With ``reads``, each file read is recorded there (``ssg.files.read_bytes``).
    """
    by_name: dict[str, Path] = {}
    for folder in theme.static_dirs(content, theme_name):
        for path in sorted(folder.rglob("*")):
            if path.is_file() and not path.name.startswith("."):
                by_name[path.relative_to(folder).as_posix()] = path
    files: list[Asset] = []
    routes: dict[str, str] = {}
    for name, path in sorted(by_name.items()):
        route = Urls.asset(name)
        data = None
        if path.suffix in MINIFIED:
            try:
                data = minify.minified(path.suffix, read_bytes(path, reads))
            except OSError as exc:
                problems.error(_shown(path, content, label), None, f"cannot read file: {exc.strerror}",
                               "check its permissions")
                continue
            digest = hashlib.sha256(data).hexdigest()[:10]
            stem, _, ext = name.rpartition(".")
            route = Urls.asset(f"{stem}.{digest}.{ext}")
        routes[name] = route
        files.append(Asset(route, path, data))
    found: list[Path] = []
    for child in content.iterdir():  # as content.rglob("*"), without entering the folders skipped below
        if child.name not in CONTENT_SKIP_DIRS:
            found.append(child)
            if child.is_dir() and not child.is_symlink():
                found.extend(child.rglob("*"))
    for path in sorted(found):
        if not path.is_file() or path.name.startswith("."):
            continue
        rel = path.relative_to(content)
        if rel.parts[0] in CONTENT_SKIP_DIRS or rel.as_posix() in CONTENT_SKIP:
            continue
        if path.suffix in (".md", ".yaml", ".yml"):
            continue
        files.append(Asset(rel.as_posix(), path))
    templates = tuple(theme.template_dirs(content, theme_name))
    names = sorted({path.relative_to(folder).as_posix() for folder in templates
                    for path in folder.rglob("*") if path.is_file()})
    return Assets(tuple(files), routes, templates, tuple(names))


def load_images(site: Site, content: Path, problems: Problems, reads: dict[str, Read] | None = None) -> Images:
    """The local images pages show (cover art, portraits, chapter images) that can be resized, by reference.

    Each file is read once (recorded in ``reads``). An image Pillow cannot
    read is shown as it is, with a warning; one that cannot be read at all
    is an error (it could not be copied into the site either).
    """
    roles: dict[str, set[str]] = {}
    if site.show.image:
        roles.setdefault(site.show.image, set()).update(("logo", "thumb", "cover"))
    for episode in site.episodes:
        if episode.image:
            roles.setdefault(episode.image, set()).update(("thumb", "cover"))
        for chapter in episode.chapters:
            if chapter.image:
                roles.setdefault(chapter.image, set()).add("chapter")
    for speaker in site.speakers:
        if speaker.image:
            roles.setdefault(speaker.image, set()).update(("avatar", "card", "portrait"))
    shown: dict[str, SourceImage] = {}
    data: dict[Path, bytes] = {}
    by_file: dict[Path, tuple[bytes, tuple[int, int] | None] | None] = {}  # two references to a file read it once
    root = content.resolve()
    for ref, used in roles.items():
        if "://" in ref or ref.startswith(("//", "data:")):
            continue
        path = content / ref.lstrip("/")
        try:
            resolved = path.resolve()
        except (OSError, RuntimeError):  # RuntimeError: a symlink loop (reported by ``checks``)
            continue
        if resolved.suffix.lower() not in images.RESIZABLE or not resolved.is_relative_to(root) \
                or not resolved.is_file():
            continue
        if resolved not in by_file:
            by_file[resolved] = _read_image(path, content, site.content_dir, problems, reads)
        got = by_file[resolved]
        if got is None:
            continue
        data[path], size = got
        if size is not None:
            shown[ref] = SourceImage(path, images.digest(got[0]), min(size), frozenset(used))
    return Images(shown, data)


def _read_image(path: Path, content: Path, label: str, problems: Problems, reads: dict[str, Read] | None,
                ) -> tuple[bytes, tuple[int, int] | None] | None:
    """An image's bytes and size (None when Pillow cannot read it: a warning); None when it cannot be read."""
    shown = _shown(path, content, label)
    try:
        data = read_bytes(path, reads)
    except OSError as exc:
        problems.error(shown, None, f"cannot read file: {exc.strerror}", "check its permissions")
        return None
    size = images.probe(data)
    if size is None:
        problems.warning(shown, None, "not an image ssg can resize: pages show the file as it is",
                         "save it again as PNG, JPEG or WebP")
    return data, size


def _shown(path: Path, content: Path, label: str) -> str:
    """A file as problems name it: under the content folder's label when it is in it, else its path."""
    try:
        return f"{label}/{path.relative_to(content).as_posix()}"
    except ValueError:
        return path.as_posix()
