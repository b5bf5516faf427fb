"""Stylesheets and scripts reach the site minified: no comments or spare whitespace, licence comments kept,
names fingerprinted from the bytes served."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

import ssg
import minify_oracle
from conftest import copy_site
from hypothesis import given, settings
from hypothesis import strategies as st
from ssg.build import build_site
from ssg.minify import _template_texts, minified


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


@settings(max_examples=3000, deadline=None)
@given(st.lists(st.sampled_from(["`", "${", "}", "{", "/", "//", "/*", "*/", "'", '"', "\\", "\n", " ", "a",
                                 "return", "(", "=", "[", "]", "x", "$", "1", ";"]), max_size=30).map("".join))
def test_the_template_scanner_agrees_with_the_character_by_character_one(js: str) -> None:
    assert _template_texts(js) == minify_oracle.template_texts(js)


def test_the_template_scanner_agrees_on_the_theme_scripts() -> None:
    static = Path(ssg.__file__).parent / "themes" / "default" / "static"
    for path in sorted(static.glob("*.js")):
        js = path.read_text(encoding="utf-8")
        assert _template_texts(js) == minify_oracle.template_texts(js), path.name
