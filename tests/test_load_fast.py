"""Fast paths of loading give exactly what the reference paths give.

``parse_body`` (one regular expression over the body) is compared with
``parse_body_lines`` (the reference reader, line by line) on thousands of
generated transcripts, odd ones included: CRLF, a BOM, tabs, unusual
whitespace, unlabelled text, timestamps of every shape the parser knows,
``##`` headings, blank lines, Markdown and colons in the words.
"""

from __future__ import annotations

import random

import pytest

from ssg.transcript import parse_body, parse_body_lines

KNOWN = {"dr. okafor", "ada", "host one", "the moderator"}
SEED = 20260301


def known(label: str) -> bool:
    return " ".join(label.split()).casefold() in KNOWN


NAMES = ["Ada", "Ben Okafor", "DR. OKAFOR", "Host One", "SPEAKER_1", "Speaker 2", "spk3", "Kate van der Berg",
         "José Ñúñez", "Mary-Jane O'Neil", "the moderator", "Note", "Step 3", "The key question is this",
         "We met at 10", "https", "ada", "A" * 61, "Ada  Lovelace", "Ben\tOkafor", "Q", "", " ", "##", "# Ada",
         "Ada (host)", "R&D", "<b>", "10"]
STAMPS = ["00:00:05", "0:05", "12:34", "1:02:03", "01:02:03.5", "00:01:02,250", "99:99", "1:2", "123:45",
          "00:00:60", "1:60:00", "٠١:٢٣", "00:00:05.1234"]
WORDS = ["hello", "the", "world", "*emph*", "**strong**", "`code`", "[link](https://example.org)", "a:b",
         "10:30:", "note:", "R&D", "<", ">", "#", "##", "—", "“quoted”", "café", "x" * 30, "Why?", "Yes.", "no!",
         "https://example.org:", "Ada:", "**Ada:**"]
SPACES = ["", " ", "  ", "\t", " \t "]
ODD = ["\x0c", "\xa0", "\u2028", "\r", "\x0b", "\u3000", "\x1f", "\ufeff", "\x85"]


def space(rng: random.Random) -> str:
    """Mostly spaces and tabs, sometimes other whitespace (or a BOM, which is none)."""
    return rng.choice(SPACES) if rng.random() < 0.85 else rng.choice(SPACES) + rng.choice(ODD)


def words(rng: random.Random, low: int = 0, high: int = 12) -> str:
    joiners = [" "] * 8 + ["  ", "\t", " : ", ": "]
    out = ""
    for i in range(rng.randint(low, high)):
        out += (rng.choice(joiners) if i else "") + rng.choice(WORDS)
    return out


def stamp(rng: random.Random) -> str:
    value = rng.choice(STAMPS)
    return rng.choice([f"[{value}] ", f"({value}) ", f"{value} ", f"{value}\t", f"[{value}]", f"[{value} ",
                       f"{value}] "])


def label_line(rng: random.Random) -> str:
    name = rng.choice(NAMES)
    head = stamp(rng) if rng.random() < 0.5 else ""
    form = rng.choice([f"{name}:", f"**{name}:**", f"**{name}**:", f"{name} :", f"**{name}:** ", f"{name}::"])
    tail = space(rng) + words(rng) if rng.random() < 0.9 else rng.choice(["", "x"])
    return f"{head}{form}{tail}"


def other_line(rng: random.Random) -> str:
    kind = rng.random()
    if kind < 0.15:
        return rng.choice(["## ", "##\t", "##  ", "###", "##", "# "]) + words(rng, 0, 4) + rng.choice(["", " ##", " #", "#"])
    if kind < 0.35:
        return ""
    if kind < 0.45:
        return space(rng)
    return words(rng, 1)


def body(rng: random.Random) -> str:
    lines = []
    for _ in range(rng.randint(0, 30)):
        line = label_line(rng) if rng.random() < 0.5 else other_line(rng)
        lines.append(space(rng) + line + space(rng))
    if rng.random() < 0.1 and lines:
        lines.insert(0, words(rng, 60, 200))  # unlabelled text long enough to be re-flowed
    text = "\n".join(lines) + rng.choice(["", "\n", "\n\n", "\n \n"])
    if rng.random() < 0.1:
        text = text.replace("\n", "\r\n")
    if rng.random() < 0.05:
        text = "\ufeff" + text
    if rng.random() < 0.1 and text:
        at = rng.randrange(len(text))
        text = text[:at] + rng.choice(ODD) + text[at:]
    return text


def test_fast_reader_equals_reference_reader() -> None:
    rng = random.Random(SEED)
    for _ in range(4000):
        source = body(rng)
        first = rng.randint(1, 40)
        assert parse_body(source, first, known) == parse_body_lines(source, first, known), repr(source)


@pytest.mark.parametrize("source", [
    "", "\n", "Ada: hi", "Ada: hi\n", "\nAda: hi", "Ada:", "Ada:\nhello", "Ada: \n\n  hello  \n",
    "intro text\n\nAda: hi", "## Chapter\nAda: hi\n## Two ##\n", "Note: x\nAda: y\nNote: z",
    "[00:00:05] Ada: hi\n(0:07) **Ben:** there\n1:02:03 **Ada**: again", "  \tAda:\t tabbed  \n",
    "## \nAda: x", "##\tC# ##\nAda: x", "Ada: x\n\n\n", "Ada:x", "Ada: x\fy", "Ada: x\r\ny\r\n",
    "\x0c## Ada: x", "\xa0Ada: x", "Ada:\xa0x", "Ada: \xa0x", "Ada:\x0c\nx", "\u2028[00:01] Ada: x",
    "\ufeffAda: x", "[00:01]\xa0Ada: x", "Ada\xa0Lovelace: x",
])
def test_fast_reader_on_edge_cases(source: str) -> None:
    assert parse_body(source, 3, known) == parse_body_lines(source, 3, known)
