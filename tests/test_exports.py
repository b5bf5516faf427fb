"""Exports: transcripts as WebVTT, SRT, Podcasting 2.0 JSON and HTML, and JSON chapters, from the model.

The small episode below is turned into each format and compared with the
reviewed copies in ``tests/fixtures/exports/`` (``SSG_UPDATE_GOLDEN=1``
rewrites them); the outputs are also read back with real parsers, and random
episodes and cues are written equal to the plain writers of ``export_oracle``.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import random
from dataclasses import astuple
from html.parser import HTMLParser
from pathlib import Path

import pytest
import webvtt

import export_oracle as oracle
from ssg import exports
from ssg.model import Chapter, Episode, Transcript, Turn
from ssg.timecode import format_cue_time, format_vtt

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "exports"
NAMES = {"ada": "Ada Marsh", "rtl": "דוד & <Co>"}
LONG = ("The tide tables say one thing and the harbour master says another, so we wait "
        "for the pilot boat and then we wait a little longer, because the fog has its own schedule.")


def name_of(sid: str) -> str:
    return NAMES.get(sid, sid)


def turn(index: int, speaker: str | None, text: str, start: float | None, estimated: bool = False) -> Turn:
    return Turn(index=index, anchor=f"t{index}", speaker_id=speaker, label=speaker or "", paragraphs=(text,),
                start=start, estimated=estimated, words=len(text.split()))


Source = tuple[Episode, Transcript]
"""An episode's header and its transcript, as loading gives them."""


def episode(turns: tuple[Turn, ...], duration: float | None = 600.0, **kwargs: object) -> Source:
    header = Episode(source="content/episodes/x.md", slug="x", title="Fish & <Chips>", date=dt.date(2026, 1, 1),
                     duration=duration, turn_count=len(turns), **kwargs)  # type: ignore[arg-type]
    return header, Transcript(turns)


SAMPLE = episode((
    turn(0, "ada", "Welcome, *everyone*. Today: A --> B & <c>.", 1.0),
    turn(1, "rtl", "שלום! 🎙️ Thanks.", 5.5),
    turn(2, None, "[music]", 9.0),
    turn(3, "ada", LONG, 12.0),
))
"""Timed turns: markup, a cue-ending arrow, entities, RTL and emoji, an unlabelled paragraph, a long turn."""


def golden(name: str, text: str) -> None:
    path = FIXTURES / name
    if os.environ.get("SSG_UPDATE_GOLDEN"):
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    assert text == path.read_text(encoding="utf-8"), name


@pytest.mark.parametrize("name", ["sample.vtt", "sample.srt", "sample.json", "sample.html"])
def test_formats_match_reviewed_copies(name: str) -> None:
    files = exports.transcripts(*SAMPLE, "Show", "en", name_of)
    text = {"sample.vtt": files.vtt, "sample.srt": files.srt, "sample.json": files.json, "sample.html": files.html}
    golden(name, text[name])


def rows(source: Source) -> list[exports.CueRow]:
    return exports.cue_rows(*source, name_of)


def html_of(source: Source, title: str = "Show") -> str:
    return exports.transcript_html(*source, title, "en", name_of, exports.plain_paragraphs(source[1]))


def test_cue_times_run_to_the_next_turn_and_the_duration() -> None:
    cues = rows(SAMPLE)
    assert [(c[0], c[1]) for c in cues] == [(1.0, 5.5), (5.5, 9.0), (9.0, 12.0), (12.0, 600.0)]
    assert [c[2] for c in cues] == ["Ada Marsh", "דוד & <Co>", "", "Ada Marsh"]
    assert cues[0][3] == "Welcome, everyone. Today: A --> B & <c>."
    # Without a duration the last cue lasts as long as its words take to say.
    words = len(LONG.split())
    last = rows(episode(SAMPLE[1].turns, duration=None))[-1]
    assert last[1] == pytest.approx(12.0 + words / exports.WORDS_PER_SECOND)


def test_webvtt_parses_with_voices_and_escapes() -> None:
    text = exports.vtt(rows(SAMPLE))
    captions = webvtt.from_string(text)
    assert captions[0].voice == "Ada Marsh"
    assert captions[0].start == "00:00:01.000" and captions[0].end == "00:00:05.500"
    assert captions[1].voice == "דוד &amp; &lt;Co&gt;"  # entities: a voice may not hold & or <
    assert captions[2].voice is None and captions[2].text == "[music]"
    assert "-->" not in "".join(c.raw_text for c in captions)
    # The long turn is split into cues of at most two 65-character lines, back to back.
    long = [c for c in captions if c.start_in_seconds >= 12]
    assert len(long) > 1 and all(c.voice == "Ada Marsh" for c in long)
    assert all(len(line) <= exports.VTT_LINE for c in long for line in c.text.splitlines())
    assert long[0].start == "00:00:12.000" and long[-1].end == "00:10:00.000"
    assert all(a.end == b.start for a, b in zip(long, long[1:]))
    assert "NOTE" not in text  # every time is a real timestamp


def test_estimated_times_are_said_to_be_estimates() -> None:
    untimed = episode(tuple(turn(i, "ada", f"Turn {i}.", 10.0 * i, estimated=True) for i in range(3)))
    text = exports.vtt(rows(untimed))
    assert text.startswith("WEBVTT\n\nNOTE\nAll cue start times are estimated")
    assert len(webvtt.from_string(text)) == 3  # the note is not a cue
    html = html_of(untimed)
    assert "<time" not in html and "<cite>Ada Marsh:</cite>" in html

    mixed = episode((turn(0, "ada", "Given.", 2.0), turn(1, "ada", "Guessed.", 4.0, estimated=True)))
    assert "NOTE\n1 of 2 cue start times are estimated" in exports.vtt(rows(mixed))
    html = html_of(mixed)
    assert html.count("<time") == 1 and '<time datetime="PT2S">0:02</time>' in html


def test_srt_lines_and_speaker_changes() -> None:
    blocks = exports.srt(rows(SAMPLE)).strip().split("\n\n")
    for n, block in enumerate(blocks, 1):
        lines = block.splitlines()
        assert lines[0] == str(n)
        assert " --> " in lines[1] and "," in lines[1]
        assert 1 <= len(lines[2:]) <= 2 and all(len(line) <= exports.SRT_LINE for line in lines[2:])
    starts = [b.splitlines()[2] for b in blocks]
    assert starts[0].startswith("Ada Marsh: Welcome")
    assert starts[1].startswith("דוד & <Co>: ")
    # The long turn's later cues do not repeat the name.
    assert sum(s.startswith("Ada Marsh:") for s in starts) == 2


def test_json_transcript_segments() -> None:
    data = json.loads(exports.transcript_json(rows(SAMPLE)))
    assert data["version"] == "1.0.0"
    assert data["segments"][1] == {"speaker": "דוד & <Co>", "startTime": 5.5, "endTime": 9, "body": "שלום! 🎙️ Thanks."}
    assert "speaker" not in data["segments"][2]
    assert all(s["startTime"] < s["endTime"] for s in data["segments"])


def test_html_transcript_is_well_formed_and_escaped() -> None:
    html = html_of(SAMPLE, "Show & Tell")
    assert "<title>Fish &amp; &lt;Chips&gt; · Show &amp; Tell · transcript</title>" in html
    assert "<cite>דוד &amp; &lt;Co&gt;:</cite>" in html
    assert "A --&gt; B &amp; &lt;c&gt;." in html

    class Tags(HTMLParser):
        def __init__(self) -> None:
            super().__init__()
            self.open: list[str] = []

        def handle_starttag(self, tag: str, attrs: object) -> None:
            if tag not in ("meta",):
                self.open.append(tag)

        def handle_endtag(self, tag: str) -> None:
            assert self.open.pop() == tag

    parser = Tags()
    parser.feed(html)
    assert parser.open == []


def test_wrap() -> None:
    assert exports.wrap("", 10) == []
    assert exports.wrap("short", 10) == ["short"]
    assert exports.wrap("one two three four", 9) == ["one two", "three", "four"]
    assert exports.wrap("  spaced   out  ", 20) == ["spaced out"]
    assert exports.wrap("abcdefghijkl mn", 5) == ["abcde", "fghij", "kl mn"]


def test_chapters_json_spec_fields() -> None:
    chapters = (
        Chapter(title="Later", anchor="later", start=300.0, turn_index=2, url="https://e.org/x?a=1&b=2"),
        Chapter(title="Start", anchor="start", start=0.0, turn_index=0, image="art/s.jpg"),
        Chapter(title="Nowhere", anchor="nowhere", start=None, turn_index=3),
        Chapter(title="Hidden", anchor="hidden", start=120.5, turn_index=1, toc=False),
    )
    text = exports.chapters_json(episode((), chapters=chapters)[0], lambda u: "https://cdn.e.org/" + u)
    data = json.loads(text)
    assert data == {"version": "1.2.0", "chapters": [
        {"startTime": 0, "title": "Start", "img": "https://cdn.e.org/art/s.jpg"},
        {"startTime": 120.5, "title": "Hidden", "toc": False},
        {"startTime": 300, "title": "Later", "url": "https://e.org/x?a=1&b=2"},
    ]}


PIECES = ["word", "a", "Welcome,", "the", "and", "end.", "*em*", "*two words*", "**strong**", "`code < x`",
          "[link](https://example.org/a)", "[odd](not a url)", "&amp;", "&copy;", "&#35;", "R&D", "Q&A;", "<b>",
          "a<b", "c>d", "-->", '"quoted"', "it's", "x" * 70, "y" * 33, "z" * 64, "שלום", "🎙️", "é", "  ", "\xa0",
          "\n", "\t", "\\*", "_u_", "\u2028", "\x1f", "\u3000", "\xa0\xa0", "\r\n", "--", "a-->b", "-", ">", "&",
          "&lt;", "w" * 65, "v" * 66, "u" * 32, "s" * 31, "r" * 131, "e\u0301", "\u200b"]
"""Words for random transcripts: Markdown, entities, cue arrows, long words (at and over both line
widths), odd whitespace (Unicode spaces and separators, which ``str.split`` splits at)."""


def random_episode(rng: random.Random) -> Source:
    """A random episode: timed, untimed and estimated turns, unlabelled and empty ones, odd durations."""
    t = rng.choice([0.0, 5.5, 3599.9996, 359_999.0])
    turns = []
    for i in range(rng.randint(0, 12)):
        timed = rng.random() < 0.8
        if timed:
            t += rng.choice([0.0, 0.0004, 0.0005, 0.0015, 1e-9, 0.25, 1 / 3, 3.0, 61.7, 900.0, 360_000.0])
        paragraphs = tuple(" ".join(rng.choice(PIECES) for _ in range(rng.choice([0, 1, 3, 12, 60])))
                           for _ in range(rng.choice([0, 1, 1, 2, 3])))
        words = sum(len(p.split()) for p in paragraphs)
        turns.append(Turn(index=i, anchor=f"t{i}", speaker_id=rng.choice([None, "ada", "rtl", "unknown id"]),
                          label="", paragraphs=paragraphs, start=t if timed else None,
                          estimated=rng.random() < 0.3, words=words))
    duration = rng.choice([None, 0.0, t + 30.0, t / 2, 36_000.5])
    return episode(tuple(turns), duration=duration)


@pytest.mark.parametrize("seed", range(3))
def test_transcripts_equal_the_reference_writers(seed: int) -> None:
    rng = random.Random(seed)
    for _ in range(200):
        source = random_episode(rng)
        cues = oracle.cues(*source, name_of)
        assert exports.cue_rows(*source, name_of) == [astuple(cue) for cue in cues]
        files = exports.transcripts(*source, "Show & <Tell>", "en", name_of)
        assert files.vtt == oracle.vtt(cues), source
        assert files.srt == oracle.srt(cues), source
        assert files.json == oracle.transcript_json(cues), source
        assert files.html == oracle.transcript_html(*source, "Show & <Tell>", "en", name_of), source


TIMES = [0.0, 0.0004, 0.0005, 0.0015, 0.9995, 59.9995, 3599.9995, 3599.9996, 1 / 3, 2.675, 359_999.9995,
         360_000.0, 1e7 + 0.0005, 86_400.25]
"""Cue times: on and near millisecond rounding boundaries, and past 99 hours."""


def random_rows(rng: random.Random) -> list[exports.CueRow]:
    """Cues as any caller might give them: zero-length and backwards ones, repeated and fresh times."""
    rows: list[exports.CueRow] = []
    for _ in range(rng.randint(0, 10)):
        start = rng.choice([rows[-1][1] if rows else 0.0, rng.choice(TIMES), rng.uniform(0, 400_000)])
        end = rng.choice([start, start + rng.choice([0.0005, 0.001, 1 / 7, 3.0, 7200.0]), rng.choice(TIMES),
                          rng.uniform(0, 400_000)])
        speaker = rng.choice(["", "", "Ada", "Ada", "A & <B> -->", " odd\tname "])
        text = " ".join(rng.choice(PIECES) for _ in range(rng.choice([0, 1, 2, 5, 15, 40])))
        rows.append((start, end, speaker, text, rng.random() < 0.2))
    return rows


@pytest.mark.parametrize("seed", range(3))
def test_writers_equal_the_reference_on_any_cues(seed: int) -> None:
    rng = random.Random(seed)
    for _ in range(300):
        given = random_rows(rng)
        cues = [oracle.Cue(*row) for row in given]
        assert exports.vtt(given) == oracle.vtt(cues), given
        assert exports.srt(given) == oracle.srt(cues), given
        assert exports.transcript_json(given) == oracle.transcript_json(cues), given


def test_pieces_equal_the_wrapped_chunks() -> None:
    rng = random.Random(7)
    spaces = [" ", " ", " ", "  ", "\xa0", "\t", "\n", "\u2028", "\u3000", "\x1f"]
    for _ in range(20_000):
        width = rng.choice([1, 2, 3, 5, 8, exports.SRT_LINE, exports.VTT_LINE, 70])
        words = ["x" * rng.choice([0, 1, 1, 2, 3, 4, 5, 7, 9, 31, 32, 33, 64, 65, 66, 140])
                 for _ in range(rng.choice([0, 1, 2, 3, 6, 20]))]
        text = "".join(word + rng.choice(spaces) for word in words)
        text = rng.choice([text, text.strip(), " " + text, text.replace(" ", "")])
        expected = oracle.pieces(text, width)
        assert exports.pieces(text, width) == expected, (text, width)


def test_cue_time_equals_the_reference() -> None:
    rng = random.Random(3)
    values = TIMES + [rng.uniform(0, 400_000) for _ in range(20_000)]
    values += [rng.randrange(400_000_000) / 1000 + rng.choice([0.0, 0.0005, -0.0005, 1e-7]) for _ in range(20_000)]
    values += [-0.0, -0.0004, -0.0005, -1.5, -3600.25]  # never a cue time, but formatted alike all the same
    for value in values:
        assert format_cue_time(value) == format_vtt(value) == oracle.format_vtt(value), value
        assert format_cue_time(value, ",") == oracle.format_srt(value), value
