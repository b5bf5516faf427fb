"""Every problem in YAML points at the line the key or item is written on.

The lines come from the YAML parser's own marks (``frontmatter.Document.lines``),
so they hold for every way YAML lets a key be written: flow mappings over
several lines, quoted keys, keys after multi-line strings, a key given twice
(the last one counts), anchors, aliases and ``<<`` merges, lists inside lists.

Each file in ``fixtures/yaml_lines/`` is a case in the format of
``fixtures/invalid/`` (``=== path`` then its text, then ``=== expected``); the
expected lines are every problem that names a line, errors and warnings, in
the order loading reports them. Set ``SSG_UPDATE_EXPECTED=1`` to rewrite them
from the current output (then read the diff).

The property test writes generated front matter and speakers files in mixed
styles and checks that the warning about each unknown key names its line.
"""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ssg.errors import Problems
from ssg.frontmatter import parse_yaml
from ssg.loading import SpeakerIndex, load_episode, load_site, load_speakers
from test_invalid_input import assert_expected, make_content, parse_case

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "yaml_lines"
CASES = sorted(FIXTURES.glob("*.txt"))


def lined_problems(root: Path) -> list[str]:
    """Every problem loading ``root/content`` reports with a line, as the CLI prints it."""
    _, _, problems = load_site(root / "content", label="content")
    return [p.format() for p in problems if p.line is not None]


@pytest.mark.parametrize("case", CASES, ids=[c.stem for c in CASES])
def test_problem_lines_in_tricky_yaml(case: Path, tmp_path: Path) -> None:
    files, expected = parse_case(case)
    make_content(tmp_path, files)
    got = lined_problems(tmp_path)
    assert_expected(case, got, expected)


MERGED = """\
a: &a {x: 1, y: 2}
b: &b {y: 3, z: 4}
m:
  <<: [*a, *b]
  z: 5
l:
  - *a
  - {k: 1}
d: {p: 1}
d: {q: 2}
"""


def test_lines_of_merges_aliases_and_repeated_keys() -> None:
    """A merged key is on the line of the ``<<`` that brings it (the first mapping listed wins); an
    aliased item and all below it on the alias's line; a repeated key where its last value is."""
    document = parse_yaml(MERGED)
    assert document.value["m"] == {"x": 1, "y": 2, "z": 5} and document.value["d"] == {"q": 2}
    lines = document.lines
    assert [lines[("m", k)] for k in "xyz"] == [4, 4, 5]
    assert (lines[("l", 0)], lines[("l", 0, "x")], lines[("l", 1, "k")]) == (7, 7, 8)
    assert (lines[("d",)], lines[("d", "q")], ("d", "p") in lines) == (10, 10, False)
    plain = parse_yaml("d: {p: 1}\nd:\n  q: 2\n")  # no alias: read from the composed nodes
    assert (plain.lines[("d",)], plain.lines[("d", "q")], ("d", "p") in plain.lines) == (2, 3, False)


# Generated mappings ------------------------------------------------------------------

KEYS = st.lists(st.from_regex(r"x_[a-z0-9_]{0,6}( [a-z]{1,3})?", fullmatch=True), min_size=1, max_size=6,
                unique=True)
"""Unknown field names (``x_`` keeps them clear of known fields and of YAML's booleans)."""
STYLES = st.sampled_from(["plain", "double", "single", "explicit"])
VALUES = st.sampled_from(["scalar", "block", "flow_list", "nested", "runs_on", "empty", "anchor", "alias"])


def key_text(key: str, style: str) -> str:
    if style == "double":
        return json.dumps(key)
    if style == "single":
        return f"'{key}'"
    return key


def write_entry(key: str, style: str, value: str, others: list[str], anchor: str) -> list[str]:
    """The lines of ``key: value`` in the given styles (the key on the first)."""
    k = key_text(key, style)
    if value == "anchor":
        body = [f"{k}: &{anchor} [one,", "  two]"]
    elif value == "alias":
        body = [f"{k}: *{anchor}"]
    elif value == "scalar":
        body = [f"{k}: some value"]
    elif value == "block":
        body = [f"{k}: |", "  - not an item", f"  {others[0]}: not a key", ""]
    elif value == "flow_list":
        body = [f"{k}: [one,", "  two]"]
    elif value == "nested":
        body = [f"{k}:", "  inner: 1", "  list:", "    - a"]
    elif value == "runs_on":  # a quoted string whose next line starts with another key's name
        body = [f"{k}: \"runs on", f"{others[0]}: inside the string\""]
    else:
        body = [f"{k}:"]
    if style == "explicit":  # ``? key`` on its own line, ``: value`` on the next
        first, *rest = body
        body = [f"? {k}", ":" + first[len(k) + 1:], *rest]
    return body


@st.composite
def mappings(draw: st.DrawFn) -> tuple[list[str], dict[str, int]]:
    """Lines of a YAML mapping of unknown keys, and each key's 0-based line among them."""
    keys = draw(KEYS)
    if draw(st.booleans()):  # one flow mapping, a key per line
        lines = ["{" + f"{key_text(keys[0], 'plain')}: 1,"]
        where = {keys[0]: 0}
        for key in keys[1:]:
            where[key] = len(lines)
            lines.append(f" {key_text(key, draw(st.sampled_from(['plain', 'double', 'single'])))}: [a,")
            lines.append("   b],")
        lines[-1] = lines[-1].rstrip(",") + "}"
        return lines, where
    lines: list[str] = []
    where: dict[str, int] = {}
    anchors = 0
    for key in keys:
        others = [k for k in keys if k != key] or ["x_other"]
        value = draw(VALUES)
        if value == "alias" and not anchors:
            value = "anchor"
        if value == "anchor":
            anchors += 1
        anchor = f"a{draw(st.integers(1, anchors)) if value == 'alias' else anchors}"
        where[key] = len(lines)
        lines += write_entry(key, draw(STYLES), value, others, anchor)
    return lines, where


@settings(max_examples=60, deadline=None)
@given(mappings())
def test_front_matter_key_lines(mapping: tuple[list[str], dict[str, int]]) -> None:
    """The warning about each unknown front matter key names the line the key is written on."""
    lines, where = mapping
    if lines[0].startswith("{"):  # a flow mapping holds the required fields too
        lines = [lines[0].replace("{", "{title: T, date: 2026-01-01, ", 1), *lines[1:]]
        first = 2
    else:
        lines = ["title: T", "date: 2026-01-01", *lines]
        first = 4
    text = "---\n" + "\n".join(lines) + "\n---\nAda: Hello.\n"
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "e.md"
        path.write_text(text, encoding="utf-8")
        problems = Problems()
        load_episode(path, "e.md", Path(tmp).resolve(), SpeakerIndex(), problems)
    got = {p.message.split("'")[1]: p.line for p in problems
           if p.message.startswith("unknown front matter field")}
    assert got == {key: first + at for key, at in where.items()}, text


@settings(max_examples=40, deadline=None)
@given(st.lists(mappings(), min_size=1, max_size=4), st.sampled_from(["", "  "]))
def test_speaker_key_lines(entries: list[tuple[list[str], dict[str, int]]], indent: str) -> None:
    """In a speakers file (a list of entries, indented or not), each unknown key's warning names its line."""
    lines: list[str] = []
    expected: list[tuple[str, int]] = []
    for n, (body, where) in enumerate(entries):
        body = [line.replace("&a", f"&e{n}a").replace("*a", f"*e{n}a") for line in body]  # one anchor, one name
        if body[0].startswith("{"):
            body = [body[0].replace("{", f"{{name: P{n}, ", 1), *body[1:]]
        else:
            body = [f"name: P{n}", *body]
            where = {key: at + 1 for key, at in where.items()}
        start = len(lines)
        lines.append(f"{indent}- {body[0]}")
        lines += [f"{indent}  {line}" if line else line for line in body[1:]]
        expected += [(key, start + at + 1) for key, at in where.items()]
    text = "\n".join(lines) + "\n"
    with tempfile.TemporaryDirectory() as tmp:
        content = Path(tmp)
        (content / "speakers.yaml").write_text(text, encoding="utf-8")
        problems = Problems()
        load_speakers(content, "c", problems)
    got = sorted((p.message.split("'")[1], p.line or 0) for p in problems
                 if p.message.startswith("unknown speaker field"))
    assert got == sorted(expected), text
