"""Transcript body parser: golden fixtures (``title / . / input / . / expected / .``).

The expected side is a readable dump: ``turn <line> <label> [@time]`` (or
``marker <line> <name> [@time]`` for a non-speech segment) with its
paragraphs as ``  | text``, headings as ``heading "t" before turn N``,
``unlabelled`` when no line carried a label, ``suspect <line> <label>`` for
a label-shaped line read as words, and a last line of golden counts:
``= turns N, speakers N, times N, markers N, words N``. Labels are checked
with a speaker list that knows "DR. OKAFOR" and "Ada".
"""

from __future__ import annotations

from pathlib import Path

import pytest

from ssg.transcript import is_person_label, parse_body, reflow

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "transcript"
KNOWN = {"dr. okafor", "ada"}


def read_cases() -> list[tuple[str, str, str]]:
    cases = []
    for path in sorted(FIXTURES.glob("*.txt")):
        blocks = path.read_text(encoding="utf-8").split("\n.\n")
        i = 0
        while i + 2 < len(blocks):
            title, source, expected = blocks[i].strip(), blocks[i + 1], blocks[i + 2]
            cases.append((f"{path.stem}: {title}", source + "\n", expected.strip("\n")))
            i += 3
    return cases


def dump(source: str) -> str:
    body = parse_body(source, 1, lambda label: label.casefold() in KNOWN)
    out = []
    for h in body.headings:
        out.append(f'heading "{h.title}" before turn {h.turn_index} (line {h.line})')
    if not body.labelled:
        out.append("unlabelled")
    for turn in body.turns:
        kind = "marker" if turn.marker else "turn"
        head = f"{kind} {turn.line}" + (f" {turn.label}" if turn.label else "") + (f" @{turn.time}" if turn.time else "")
        out.append(head)
        out.extend(f"  | {p}" for p in turn.paragraphs)
    out.extend(f"suspect {s.line} {s.label}" for s in body.suspects)
    speakers = {t.label.casefold() for t in body.turns if t.label and not t.marker}
    words = sum(len(p.split()) for t in body.turns for p in t.paragraphs)
    out.append(f"= turns {len(body.turns)}, speakers {len(speakers)}, times {sum(bool(t.time) for t in body.turns)}, "
               f"markers {sum(t.marker for t in body.turns)}, words {words}")
    return "\n".join(out)


CASES = read_cases()


@pytest.mark.parametrize(("title", "source", "expected"), CASES, ids=[c[0] for c in CASES])
def test_transcript_fixture(title: str, source: str, expected: str) -> None:
    assert dump(source) == expected


def test_fixtures_were_found() -> None:
    assert len(CASES) >= 8


@pytest.mark.parametrize("label", ["Ada", "Ben Okafor", "Kate van der Berg", "SPEAKER_1", "Speaker 2",
                                   "José Ñúñez", "Mary-Jane O'Neil"])
def test_person_labels(label: str) -> None:
    assert is_person_label(label, lambda _: False)


@pytest.mark.parametrize("label", ["Note", "https", "The key question is this", "10", "We met at 10",
                                   "Step 3", "see below", "Listen on Spotify and Apple Podcasts now please"])
def test_not_person_labels(label: str) -> None:
    assert not is_person_label(label, lambda _: False)


def test_reflow_keeps_every_word_and_makes_paragraphs() -> None:
    text = " ".join(f"Sentence number {i} is here." for i in range(40))
    paragraphs = reflow(text)
    assert len(paragraphs) == 8
    assert " ".join(paragraphs).split() == text.split()
