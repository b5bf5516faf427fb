"""``ssg import`` never shows a traceback: hostile inputs of every shape, and fuzzed ones.

Each failure is one ``path[:line]: message (hint)`` line and a non-zero exit;
each success is a file the build reads with every word of the source.
The command runs in-process (``ssg.cli.main``), as a user's ``ssg import`` does.
"""

from __future__ import annotations

import io
import json
import re
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ssg.build import build_site
from ssg.cli import main as cli_main
from ssg.loading import load_site

SITE = "title: Imports\nbase_url: https://imports.example.org/\n"
ONE_LINE = re.compile(r"^\S.*?(?::\d+)?: .+$")


def show(root: Path) -> Path:
    content = root / "content"
    content.mkdir(parents=True, exist_ok=True)
    (content / "site.yaml").write_text(SITE)
    return content


def run(root: Path, name: str, data: str | bytes, *args: str) -> tuple[int, str, str]:
    """Write ``data`` to ``root/raw/name`` and import it into ``root/content`` in-process."""
    content = root / "content" if (root / "content").is_dir() else show(root)
    path = root / "raw" / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data if isinstance(data, bytes) else data.encode("utf-8", "surrogatepass"))
    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        code = cli_main(["import", str(path), "--content", str(content), "--force", "--date", "2026-01-01", *args])
    return code, out.getvalue(), err.getvalue()


def assert_clean_failure(code: int, err: str, path_part: str) -> str:
    """Exit 1 and exactly one ``path:line: message (hint)`` line, no traceback; returns the line."""
    assert code == 1, err
    assert "Traceback" not in err and "bug in ssg" not in err, err
    [line] = err.strip().splitlines()
    assert ONE_LINE.match(line) and path_part in line and line.endswith(")"), line
    return line


def episode_text(root: Path) -> str:
    [path] = (root / "content" / "episodes").glob("*.md")
    return path.read_text(encoding="utf-8")


# The cases testers found (#16.6) ------------------------------------------------------------------
def _segments(start: str) -> str:
    return '{"version": "1.0.0", "segments": [{"speaker": "Ann", "startTime": %s, "endTime": 2, "body": "Hi."}]}' % start


@pytest.mark.parametrize(("name", "data", "message"), [
    ("big.json", _segments("1e400"), "invalid JSON: the number 1e400 is too large"),
    ("nan.json", _segments("NaN"), "invalid JSON: NaN is not a number"),
    ("inf.json", _segments("Infinity"), "invalid JSON: Infinity is not a number"),
    ("neginf.json", _segments("-Infinity"), "invalid JSON: -Infinity is not a number"),
    ("digits.json", _segments("9" * 400), "segment 1: startTime is not a number of seconds"),
    ("negative.json", _segments("-1"), "segment 1: startTime is not a number of seconds"),
    ("huge.json", _segments("9" * 5000), "invalid JSON"),
    ("whisper.json", '{"segments": [{"start": 1e999, "end": 2, "text": "Hi."}]}', "too large"),
    ("whisper2.json", '{"segments": [{"start": 3, "end": 2, "text": "Hi."}]}', "segment 1: end is not a number of seconds after"),
    ("digits.vtt", "WEBVTT\n\n%s:00.000 --> 00:02.000\nHi.\n" % ("9" * 400), "cue 1: unreadable time"),
    ("negative.vtt", "WEBVTT\n\n-00:00:01.000 --> 00:00:02.000\nHi.\n", "cue 1: unreadable time"),
    ("backwards.vtt", "WEBVTT\n\n00:00:05.000 --> 00:00:02.000\n<v Ann>Hi.\n", "cue 1 ends before it starts"),
    ("backwards.srt", "1\n00:00:05,000 --> 00:00:02,000\nAnn: Hi.\n", "cue 1 ends before it starts"),
    ("segment.json", '{"segments": [{"speaker": "A", "startTime": 5, "endTime": 1, "body": "Hi."}]}',
     "segment 1 ends before it starts"),
])
def test_hostile_numbers_are_one_clear_line(tmp_path: Path, name: str, data: str, message: str) -> None:
    code, _, err = run(tmp_path, name, data)
    line = assert_clean_failure(code, err, name)
    assert message in line
    assert not (tmp_path / "content" / "episodes").exists()


def test_vtt_line_of_a_backwards_cue(tmp_path: Path) -> None:
    code, _, err = run(tmp_path, "b.vtt", "WEBVTT\n\n00:00:01.000 --> 00:00:02.000\nA.\n\n00:00:09.000 --> 00:00:03.000\nB.\n")
    assert assert_clean_failure(code, err, "b.vtt").startswith(f"{tmp_path / 'raw' / 'b.vtt'}:6: cue 2 ends before it starts")


def test_lone_surrogates_and_nul_are_removed_with_a_note(tmp_path: Path) -> None:
    data = '{"segments": [{"speaker": "Ann", "startTime": 0, "body": "Hi \\ud800 there\\u0000."}]}'
    code, out, err = run(tmp_path, "odd.json", data)
    assert code == 0, err
    assert "lone UTF-16 surrogates" in out and "NUL characters" in out
    text = episode_text(tmp_path)
    assert "Ann: Hi \ufffd there." in text and "\x00" not in text


def test_nul_in_a_text_file(tmp_path: Path) -> None:
    """A NUL near the start marks a binary file (refused); a stray one later is removed with a note."""
    code, _, err = run(tmp_path, "bin.txt", b"Ann: hi\x00\x00\x00\nBen: yo\n")
    assert "this is a binary file" in assert_clean_failure(code, err, "bin.txt")
    body = "".join(f"Ann: line {n} of the long talk.\nBen: and the answer {n}.\n" for n in range(300))
    code, out, err = run(tmp_path, "late.txt", (body + "Ann: a stray\x00 character.\n").encode())
    assert code == 0, err
    assert "1 NUL characters removed (the first on line 601)" in out
    assert "\x00" not in episode_text(tmp_path)


def test_chapters_under_a_second_apart(tmp_path: Path) -> None:
    (tmp_path / "ch.json").write_text(json.dumps({"version": "1.2.0", "chapters": [
        {"startTime": 10.2, "title": "One"}, {"startTime": 10.7, "title": "Two"}]}))
    code, _, err = run(tmp_path, "ep.vtt", "WEBVTT\n\n00:00.000 --> 00:20.000\n<v Ann>Hello.\n",
                       "--chapters", str(tmp_path / "ch.json"))
    line = assert_clean_failure(code, err, "ch.json")
    assert "chapters 'One' and 'Two' start in the same second (00:00:10)" in line


def test_entity_escaped_link_in_captions_stays_text(tmp_path: Path) -> None:
    code, _, err = run(tmp_path, "link.vtt", "WEBVTT\n\n00:00.000 --> 00:02.000\n<v Ann>See &lt;https://example.org/x&gt; now.\n")
    assert code == 0, err
    site, _, problems = load_site(tmp_path / "content")
    assert site is not None and not problems.errors
    assert build_site(tmp_path / "content", tmp_path / "site", search=False).ok
    page = next((tmp_path / "site").glob("episodes/*/index.html")).read_text()
    assert "&lt;https://example.org/x&gt;" in page and 'href="https://example.org/x"' not in page


def test_hours_past_99_are_never_glued_into_a_turn(tmp_path: Path) -> None:
    """A cue at 100 hours is a proper time, or (until the build reads such times) one clear error: never text."""
    data = "WEBVTT\n\n00:00.000 --> 00:02.000\n<v Ann>Start.\n\n100:00:01.000 --> 100:00:03.000\n<v Ben>Late.\n"
    code, _, err = run(tmp_path, "long.vtt", data)
    if code:
        assert "words in" in assert_clean_failure(code, err, "long.vtt")
        return
    site, transcripts, _ = load_site(tmp_path / "content")
    assert site is not None
    assert [t.paragraphs for t in transcripts[site.episodes[0].source].turns] == [("Start.",), ("Late.",)]


def test_hours_past_99_are_proper_times(tmp_path: Path) -> None:
    data = "WEBVTT\n\n00:00.000 --> 00:02.000\n<v Ann>Start.\n\n100:00:01.000 --> 100:00:03.000\n<v Ben>Late.\n"
    code, _, err = run(tmp_path, "long.vtt", data)
    assert code == 0, err
    assert "[100:00:01] Ben: Late." in episode_text(tmp_path)
    site, transcripts, _ = load_site(tmp_path / "content")
    assert site is not None and [t.start for t in transcripts[site.episodes[0].source].turns] == [0, 360001]


# Fuzz: every shape ------------------------------------------------------------------------------------
WORDS = st.sampled_from(["the", "river", "said", "Ann:", "**Ben:**", "[00:01]", "&lt;https://x.org&gt;", "&amp;",
                         "<v X>", "-->", "1e400", "NaN", "#", "##", "\\", "*", "_", "`", "[Music]", "Speaker 1:",
                         "SPEAKER_00:", "Clip:", "é", "—", ":", "{", "]", "12:61", "99999999999:00:00", "-1",
                         "http://x.y", "\t", "\r", "\n", "\n\n", "---", "Episode 3: A title", "May 1st, 2025"])
RARE = st.sampled_from(["\ud800", "\x00", "\udfff"])
"""Lone surrogates and NUL: refused or removed, so drawn rarely to leave room for imports that succeed."""
_COMMON = st.lists(st.one_of(WORDS, WORDS, WORDS, st.text(st.characters(blacklist_characters="\x00"), max_size=6)),
                  max_size=12).map(" ".join)
_RARE_TEXT = st.lists(st.one_of(WORDS, RARE), max_size=4).map(" ".join)
TEXT = st.integers(0, 7).flatmap(lambda k: _RARE_TEXT if k == 0 else _COMMON)
SANE = st.floats(min_value=0, max_value=400_000, allow_nan=False)
TIME = st.one_of(SANE, SANE, SANE, SANE, st.floats(allow_nan=True, allow_infinity=True),
                 st.integers(min_value=-10, max_value=10**30),
                 st.sampled_from(["1e400", "NaN", "Infinity", "9" * 400, "-1", "3.5", "null", '"x"', "true"]))


def _clock(value: object) -> str:
    if isinstance(value, float) and value == value and abs(value) < 1e7:
        whole = int(abs(value))
        return ("-" if value < 0 else "") + f"{whole // 3600:02d}:{whole // 60 % 60:02d}:{whole % 60:02d}.000"
    return str(value)


def _json_number(value: object) -> str:
    if isinstance(value, float):
        return "NaN" if value != value else "Infinity" if value == float("inf") else "-Infinity" if value == float("-inf") else repr(value)
    return str(value)


@st.composite
def inputs(draw: st.DrawFn) -> tuple[str, str]:
    """(file name, text) of one shape, built from hostile pieces."""
    shape = draw(st.sampled_from(["txt", "md", "vtt", "srt", "json", "whisper", "chapters"]))
    lines = draw(st.lists(st.tuples(TEXT, TIME, TIME, TEXT), min_size=1, max_size=6))
    if shape == "txt":
        return "f.txt", "\n".join(draw(st.sampled_from(["", "\n"])).join([f"{who}: {said}", ""]) for who, _, _, said in lines)
    if shape == "md":
        head = draw(st.sampled_from(["title: T\ndate: May 1st, 2025\n", "pub_date: 2025-13-40\n", "title: [x\n", ": :\n",
                                     "episode: 1e400\naudio: https://x.org/a.mp3\n", ""]))
        return "f.md", f"---\n{head}---\n" + "\n\n".join(f"{who}: {said}" for who, _, _, said in lines)
    if shape == "vtt":
        return "f.vtt", "WEBVTT\n\n" + "\n\n".join(f"{_clock(a)} --> {_clock(b)}\n<v {who}>{said}" for who, a, b, said in lines)
    if shape == "srt":
        return "f.srt", "\n\n".join(f"{n}\n{_clock(a).replace('.', ',')} --> {_clock(b).replace('.', ',')}\n{who}: {said}"
                                    for n, (who, a, b, said) in enumerate(lines, 1))
    if shape == "json":
        return "f.json", '{"version": "1.0.0", "segments": [' + ", ".join(
            f'{{"speaker": {json.dumps(who)}, "startTime": {_json_number(a)}, "endTime": {_json_number(b)}, '
            f'"body": {json.dumps(said)}}}' for who, a, b, said in lines) + "]}"
    if shape == "whisper":
        return "f.json", '{"segments": [' + ", ".join(
            f'{{"start": {_json_number(a)}, "end": {_json_number(b)}, "text": {json.dumps(said)}}}'
            for _, a, b, said in lines) + "]}"
    return "f.json", '{"version": "1.2.0", "chapters": [' + ", ".join(
        f'{{"startTime": {_json_number(a)}, "title": {json.dumps(said)}}}' for _, a, _, said in lines) + "]}"


FUZZ_EXAMPLES = 120


@settings(max_examples=FUZZ_EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                            HealthCheck.too_slow])
@given(case=inputs())
def test_no_input_shows_a_traceback(tmp_path_factory: pytest.TempPathFactory, case: tuple[str, str]) -> None:
    """Whatever the shape and content: exit 0 with a file the build reads, or one clear line and exit 1."""
    root = tmp_path_factory.mktemp("fuzz")
    name, data = case
    if name == "f.json" and '"chapters"' in data:  # a chapters file goes with a transcript
        (root / "ch.json").write_text(data, encoding="utf-8", errors="surrogatepass")
        code, out, err = run(root, "ep.vtt", "WEBVTT\n\n00:00.000 --> 00:02.000\n<v Ann>Hello.\n", "--chapters", str(root / "ch.json"))
    else:
        code, out, err = run(root, name, data)
    assert "Traceback" not in err and "bug in ssg" not in err, (case, err)
    if code:
        assert_clean_failure(code, err, str(root))
        return
    site, _, problems = load_site(root / "content")
    assert site is not None and not problems.errors, (case, [p.format() for p in problems.errors])
    assert "counts in -> out" in out
