"""Any content folder gives problems, never a traceback (property-based, bounded).

Hypothesis writes content folders: ``site.yaml``, ``speakers.yaml`` and
``speakers/*.yaml``, episodes whose front matter holds random YAML values of
every type (huge and non-finite numbers, None, booleans, dates, lists, nested
mappings, non-text keys, long, Unicode and NUL-holding text, anchors and
aliases) and random bodies. ``check_site`` and ``build_site`` must return
problems that each name a file and say what is wrong, and ``build`` must
find no error that ``check`` did not report (they share the loader).
"""

from __future__ import annotations

import datetime as dt
import tempfile
from pathlib import Path
from typing import Any

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ssg.build import BuildResult, build_site, check_site
from ssg.loading import EPISODE_FIELDS, SHOW_FIELDS, SPEAKER_FIELDS

EXAMPLES = 50
"""Examples per property (each builds a site twice); the run stays well under 30 s."""

TEXT = st.text(
    alphabet=st.one_of(
        st.sampled_from("abc XYZ-_:#*[]{}!&|>'\"\\/.%@`\t\n"),
        st.sampled_from("\x00\x07\x1b\x7f\u00e9\u0301\u200b\u2028\ufeff\u65e5\u672c\u8a9e\U0001f600"),
        st.characters(exclude_categories=("Cs",)),
    ),
    max_size=40,
)
LONG_TEXT = st.builds(lambda ch, n: ch * n, st.sampled_from(["\u65e5", "a", "\u00e9", "\U0001f600", "ab "]),
                      st.integers(min_value=60, max_value=400))
NUMBER = st.one_of(
    st.integers(min_value=-10, max_value=10_000),
    st.integers(min_value=-(10 ** 30), max_value=10 ** 30),
    st.floats(allow_nan=True, allow_infinity=True),
    st.sampled_from([float("inf"), float("-inf"), float("nan"), 1e308, -0.0, 10 ** 400]),
)
SCALAR = st.one_of(
    st.none(), st.booleans(), NUMBER, TEXT, LONG_TEXT,
    st.dates(min_value=dt.date(1, 1, 1), max_value=dt.date(9999, 12, 31)),
    st.sampled_from(["2026-03-01", "2026-02-30", "42:10", "1:02:03", "https://example.org/a.mp3",
                     "//host/path", "javascript:alert(1)", "../../etc", "0:00", "99:99"]),
)
KEY = st.one_of(st.sampled_from(sorted(EPISODE_FIELDS | SHOW_FIELDS | SPEAKER_FIELDS)),
                st.none(), st.booleans(), st.integers(-5, 5), st.floats(allow_nan=True), TEXT,
                st.dates(min_value=dt.date(1, 1, 1), max_value=dt.date(9999, 12, 31)))
VALUE = st.recursive(SCALAR, lambda inner: st.one_of(
    st.lists(inner, max_size=4), st.dictionaries(KEY, inner, max_size=4)), max_leaves=12)


def chapter() -> st.SearchStrategy[Any]:
    return st.one_of(VALUE, st.fixed_dictionaries(
        {"start": st.one_of(SCALAR, st.sampled_from(["0:00", "12:30", ".inf"])), "title": SCALAR},
        optional={"url": SCALAR, "img": SCALAR, "toc": SCALAR, "extra": VALUE}))


FIELD_VALUES: dict[str, st.SearchStrategy[Any]] = {
    "chapters": st.one_of(VALUE, st.lists(chapter(), max_size=4)),
    "speakers": st.one_of(VALUE, st.lists(st.one_of(SCALAR, st.sampled_from(["ada", "Ada", "Sam Guest"]),
                                                    st.dictionaries(KEY, SCALAR, max_size=3)), max_size=4)),
    "links": st.one_of(VALUE, st.lists(st.one_of(SCALAR, st.fixed_dictionaries(
        {"url": SCALAR}, optional={"label": SCALAR})), max_size=3)),
    "owner": st.one_of(VALUE, st.fixed_dictionaries({"name": SCALAR, "email": SCALAR})),
}


def mapping(known: frozenset[str], required: dict[str, Any]) -> st.SearchStrategy[dict[Any, Any]]:
    """A mapping with some known fields (any value), some random keys, and likely-valid required ones."""
    fields = st.dictionaries(st.sampled_from(sorted(known)), st.none(), max_size=len(known)).flatmap(
        lambda chosen: st.fixed_dictionaries({k: FIELD_VALUES.get(k, VALUE) for k in chosen}))
    extra = st.dictionaries(KEY, VALUE, max_size=3)
    keep = st.fixed_dictionaries({k: st.one_of(st.just(v), VALUE) for k, v in required.items()})
    return st.tuples(keep, fields, extra).map(lambda t: {**t[2], **t[1], **t[0]})


def dump(data: Any) -> str:
    try:
        return yaml.safe_dump(data, allow_unicode=True, sort_keys=False)
    except yaml.YAMLError:
        return "title: unrepresentable\n"


RAW_YAML = st.sampled_from([
    "", "1: x\n", "null: x\n", "true: x\n", "~: y\n", "? [a, b]\n: v\n", "? {a: 1}\n: v\n",
    "a: &x [1, 2]\nb: *x\n", "chapters: &c [{start: 0, title: A}]\nextra: *c\n",
    "duration: .inf\n", "duration: .nan\n", "duration: -.inf\n", "chapters: [{start: .inf, title: End}]\n",
    "episode: .inf\n", "audio_bytes: 1e400\n", "date: 2026-01-01T10:00:00Z\n", "title: \"\\0nul\"\n",
    "audio_url: //cdn.example.org/a.mp3\n", "tags: [&t x, *t]\n", "2026-01-01: date key\n",
    "3.5: float key\n", ".inf: inf key\n", "title: !!binary aGVsbG8=\n", "title: !!set {a, b}\n",
    "title: !!omap [a: 1]\n", "duration: 0x1F\n", "duration: 1_000\n", "duration: 190:20:30\n",
    "duration: 1.0e+400\n", f"duration: {10 ** 400}\n", f"duration: \"{'1' * 5000}:00:00\"\n",
    "episode: \"\u00b2\"\n", f"audio_bytes: \"{'9' * 5000}\"\n", "page_size: 0\n", "title: .inf\n",
    "tags: [" + "\u65e5" * 90 + "]\n", f"slug: {'a' * 300}\n", "speakers: [{id: .nan}, [x], {name: null}]\n", "tags: [Science, science]\n", "tags: [science]\n",
])


def front_matter(required: dict[str, Any], known: frozenset[str]) -> st.SearchStrategy[str]:
    return st.tuples(mapping(known, required), RAW_YAML).map(lambda t: dump(t[0]) + t[1])


BODY_LINE = st.one_of(
    st.builds(lambda t, n, s: f"[{t}] {n}: {s}", st.sampled_from(["00:00:05", "0:10", "99:99:99", "1:00:00"]),
              st.sampled_from(["Ada", "Sam Guest", "SPEAKER_1", "\u65e5\u672c", "\u65e5" * 90]), TEXT),
    st.just(f"[{'1' * 5000}:00:00] Ada: long ago"),
    st.builds(lambda n, s: f"{n}: {s}", st.sampled_from(["Ada", "**Ada:**", "Zed"]), TEXT),
    st.builds(lambda s: f"## {s}", TEXT), TEXT, st.just(""),
)
BODY = st.lists(BODY_LINE, max_size=8).map("\n".join)

SITE = front_matter({"title": "Fuzz Show", "base_url": "https://example.org/show/"}, SHOW_FIELDS)
SPEAKERS = st.one_of(
    st.just(""), VALUE.map(dump),
    st.lists(mapping(SPEAKER_FIELDS, {"id": "ada", "name": "Ada"}), max_size=3).map(dump),
)
EPISODE = st.tuples(front_matter({"title": "An episode", "date": "2026-01-01"}, EPISODE_FIELDS), BODY).map(
    lambda t: f"---\n{t[0]}---\n{t[1]}\n")
CONTENT = st.fixed_dictionaries(
    {"site.yaml": SITE, "episodes/a.md": EPISODE},
    optional={"speakers.yaml": SPEAKERS, "speakers/b.yaml": SPEAKERS, "episodes/b.md": EPISODE,
              "episodes/c/d.md": EPISODE},
)


def write_content(root: Path, files: dict[str, str]) -> Path:
    content = root / "content"
    for name, text in files.items():
        target = content / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
    return content


def assert_reported(result: BuildResult) -> None:
    for problem in result.problems:
        assert problem.path and problem.message, problem
        assert "\n" not in problem.format(), problem


def check_and_build(files: dict[str, str]) -> None:
    """Check and build one content folder; any exception escaping is the failure looked for."""
    with tempfile.TemporaryDirectory() as tmp:
        content = write_content(Path(tmp), files)
        checked = check_site(content)
        assert_reported(checked)
        built = build_site(content, Path(tmp) / "site", search=False, jobs=1, use_cache=False)
        assert_reported(built)
        seen = {p.format() for p in checked.problems}
        assert {p.format() for p in built.errors} <= seen, "build found errors that check did not report"
        if checked.ok:
            assert built.ok, [p.format() for p in built.problems]


@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck))
@given(CONTENT)
def test_any_content_gives_problems_not_tracebacks(files: dict[str, str]) -> None:
    check_and_build(files)


@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck))
@given(st.lists(st.one_of(TEXT, LONG_TEXT), min_size=1, max_size=3), st.booleans())
def test_any_titles_build(titles: list[str], give_slug: bool) -> None:
    """Titles of any length and script give a slug every file system accepts, or a problem."""
    files = {"site.yaml": "title: T\nbase_url: https://example.org/\n"}
    for i, title in enumerate(titles):
        head = {"title": title, "date": "2026-01-01"}
        if give_slug:
            head["slug"] = title
        files[f"episodes/e{i}.md"] = f"---\n{dump(head)}---\nAda: Hello {i}.\n"
    check_and_build(files)
