"""Stylesheets and scripts reach the site minified: no comments or spare whitespace, licence comments kept,
names fingerprinted from the bytes served."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

import ssg
from conftest import copy_site
from ssg.build import build_site
from ssg.minify import minified


def test_site_css_and_js_are_minified_and_named_after_what_is_served(tmp_path: Path) -> None:
    content = copy_site("basic", tmp_path / "show")
    static = content / "static"
    static.mkdir(exist_ok=True)
    (static / "extra.css").write_text("/* a note for the editor */\n.a  {\n  color : red ;\n}\n/*! licence: MIT */\n")
    (static / "extra.js").write_text("// a note\nconst s = '/* not a comment */';  /* gone */\nconsole.log( s );\n")
    out = tmp_path / "site"
    result = build_site(content, out)
    assert not result.errors
    css = next((out / "assets").glob("extra.*.css"))
    js = next((out / "assets").glob("extra.*.js"))
    assert css.read_text() == ".a{color:red}/*! licence: MIT */"
    assert js.read_text() == "const s='/* not a comment */';console.log(s);"
    for path in (css, js):
        assert path.name.split(".")[1] == hashlib.sha256(path.read_bytes()).hexdigest()[:10]
    theme_css = next((out / "assets").glob("style.*.css")).read_text()
    assert "/*" not in theme_css and not re.search(r"\n\s", theme_css)


def test_a_script_whose_template_literals_would_change_is_kept_as_written() -> None:
    # rjsmin takes the spaces out of a template literal nested in another's ${...}.
    nested = 'const s = `${who ? `${who}, ` : ""}${title}`;  // a note\n'.encode()
    assert minified(".js", nested) == nested
    plain = 'const s = `${who},  ${title}`;  // a note\nconst r = /[`"]/g;\n'.encode()
    assert minified(".js", plain) == b'const s=`${who},  ${title}`;const r=/[`"]/g;'


def test_every_theme_script_and_stylesheet_is_minified() -> None:
    static = Path(ssg.__file__).parent / "themes" / "default" / "static"
    for path in sorted(static.glob("*.*")):
        if path.suffix in (".js", ".css"):
            data = path.read_bytes()
            assert len(minified(path.suffix, data)) < 0.85 * len(data), f"{path.name} was not minified"
