"""Themes: where templates and static assets come from, with site overrides.

A site overrides any template by putting one of the same name in
``content/templates/``, and any asset in ``content/static/``. The theme is
looked up in ``themes/<name>`` beside the content folder, then in the
themes shipped inside the ssg package (``ssg/themes/``, found through
``importlib.resources`` so an installed wheel has them too).
"""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path

BUILTIN_THEMES = Path(str(files("ssg") / "themes"))
"""Themes shipped with ssg (package data: ``ssg/themes/``)."""


def theme_root(content: Path, name: str) -> Path | None:
    """The folder of theme ``name``: the site's own ``themes/`` first, then the built-in ones."""
    for base in (content.parent / "themes", BUILTIN_THEMES):
        candidate = base / name
        if (candidate / "templates").is_dir():
            return candidate
    return None


def template_dirs(content: Path, name: str) -> list[Path]:
    """Template search path: the site's overrides, then the theme."""
    dirs = [content / "templates"]
    root = theme_root(content, name)
    if root is not None:
        dirs.append(root / "templates")
    return [d for d in dirs if d.is_dir()]


def static_dirs(content: Path, name: str) -> list[Path]:
    """Asset folders, later ones overriding earlier ones: theme, then site."""
    dirs = []
    root = theme_root(content, name)
    if root is not None:
        dirs.append(root / "static")
    dirs.append(content / "static")
    return [d for d in dirs if d.is_dir()]
