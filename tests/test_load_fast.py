"""Fast pieces of loading give exactly what the plain way gives.

The transcript reader itself is one implementation (``ssg.transcript``),
tested from fixtures and by property in ``test_transcript_shapes.py``;
here the helpers ``timeline._transcript`` builds turns with are compared with
plain oracles.
"""

from __future__ import annotations

import pickle
import random
import zlib
from collections.abc import Sequence
from pathlib import Path

import pytest

from ssg import urls
from ssg.loading import site, timeline
from ssg.errors import Problems
from ssg.model import TURN_FIELDS, Turn, turns_from_columns
from ssg.transcript import RawTurn

SEED = 20260301


def test_split_whitespace_lists_are_complete() -> None:
    """``timeline._normalised`` knows every character ``str.split()`` splits at."""
    splitting = {chr(c) for c in range(0x110000) if len(f"a{chr(c)}a".split()) == 2}
    listed = set(" \n" + timeline._ASCII_SPACES + timeline._OTHER_SPACES)
    assert splitting == listed
    assert all(c.isascii() for c in timeline._ASCII_SPACES) and not any(c.isascii() for c in timeline._OTHER_SPACES)


ODD_TEXT = ["a", "b c", "  lead", "trail ", "two  spaces", "tab\there", "nl\nin", "", "é", "\xa0nbsp", "x\u3000y",
            "\x1fsep", "ß", "İ", "ﬁ", "Σ", "ŉ", "\x85", "word"]


def random_raws(rng: random.Random) -> list[RawTurn]:
    raws = []
    for i in range(rng.randint(0, 12)):
        paragraphs = tuple(rng.choice(ODD_TEXT) + rng.choice(["", " ", " word"]) for _ in range(rng.randint(0, 3)))
        raws.append(RawTurn(rng.choice(["", "Ada"]), "", paragraphs, i + 1))
    return raws


def reference_turn_anchors(turns: Sequence[tuple[str, str]]) -> list[str]:
    """The plain way: each ``(speaker key, text)`` normalised and hashed, repeats counted as they come."""
    seen: dict[str, int] = {}
    out: list[str] = []
    for speaker, text in turns:
        words = " ".join(text.split()).casefold()
        stem = (urls.slugify(speaker) if speaker else "") or "p"
        anchor = f"{stem}-{zlib.crc32(words.encode('utf-8')) & 0xFFFFFF:06x}"
        count = seen.get(anchor, 0) + 1
        seen[anchor] = count
        out.append(anchor if count == 1 else f"{anchor}-{count}")
    return out


def test_turn_texts_and_anchors_equal_reference() -> None:
    rng = random.Random(SEED + 2)
    for _ in range(5000):
        raws = random_raws(rng)
        texts, counts = timeline._turn_texts(raws)
        assert counts == [sum(len(p.split()) for p in raw.paragraphs) for raw in raws]
        assert texts == [" ".join(" ".join(raw.paragraphs).split()) for raw in raws]
        speakers = [rng.choice(["", "ada", "Kate van der Berg", "!!", "ß"]) for _ in raws]
        joined = [" ".join(raw.paragraphs) for raw in raws]
        assert urls.turn_anchors(speakers, texts) == reference_turn_anchors(list(zip(speakers, joined)))


def test_repeated_turns_are_numbered_as_the_reference_numbers_them() -> None:
    speakers = ["ada", "ada", "", "ada", "", "ben"]
    texts = ["Yeah.", "Yeah.", "Yeah.", "yeah.", "Yeah.", "Yeah."]
    assert urls.turn_anchors(speakers, texts) == reference_turn_anchors(list(zip(speakers, texts)))


def test_turns_from_columns_equal_constructed_turns() -> None:
    rng = random.Random(SEED + 4)
    rows = [(i, f"a-{i}", rng.choice([None, "ada"]), rng.choice(["", "Ada"]), tuple(rng.sample(ODD_TEXT, 2)),
             rng.choice([None, 1.5, 0.0]), rng.random() < 0.5, rng.randint(1, 9), rng.randint(0, 9),
             rng.choice(["", "Music"])) for i in range(50)]
    built = turns_from_columns(*zip(*rows))
    made = tuple(Turn(*row) for row in rows)
    assert built == made and repr(built) == repr(made)
    assert [hash(t) for t in built] == [hash(t) for t in made]
    assert pickle.loads(pickle.dumps(built)) == made
    assert all(type(t) is Turn for t in built) and turns_from_columns(*([()] * len(TURN_FIELDS))) == ()
    with pytest.raises(ValueError):
        turns_from_columns(*([[1]] * (len(TURN_FIELDS) - 1)), [])


def item_line_reference(meta_text: str, meta_line: int, key: str, index: int) -> int:
    """``frontmatter.item_line`` as it was: one scan per item asked for."""
    from ssg.frontmatter import field_line

    start = field_line(meta_text, meta_line, key)
    lines = meta_text.split("\n")
    seen = -1
    for offset in range(start - meta_line, len(lines)):
        line = lines[offset]
        if offset > start - meta_line and line and not line[0].isspace() and not line.startswith("-"):
            break
        stripped = line.lstrip()
        if stripped.startswith("- ") or stripped == "-":
            seen += 1
            if seen == index:
                return meta_line + offset
        elif offset == start - meta_line and "[" in line:
            return start
    return start


def test_item_lines_equal_reference() -> None:
    from ssg.frontmatter import item_line

    rng = random.Random(SEED + 5)
    parts = ["speakers:", "speakers: [a, b]", "  - a", "- b", "-", "  -", "chapters:", "  - {start: 1}", "",
             "title: x", "  [x]", "- [y]", "speakers: - a", " - c", "\t- d", "x: [", "-x"]
    for _ in range(3000):
        text = "\n".join(rng.choice(parts) for _ in range(rng.randint(0, 10)))
        first = rng.randint(1, 3)
        for key in ("speakers", "chapters", "missing"):
            for i in range(5):
                assert item_line(text, first, key, i) == item_line_reference(text, first, key, i), (text, key, i)


def test_episode_files_are_what_rglob_finds(tmp_path: Path) -> None:
    """``_episode_files`` lists what ``sorted(rglob("*.md"))`` lists, and says which are surely inside."""
    content = tmp_path / "content"
    episodes = content / "episodes"
    outside = tmp_path / "outside"
    for folder in (episodes / "2024" / "b", episodes / "2024" / "a.md", episodes / "Z", outside / "deep"):
        folder.mkdir(parents=True)
    for name in ("b.md", "a.md", "B.md", ".hidden.md", "notes.txt", "2024/x.md", "2024/b/y.md", "Z/z.md",
                 "2024/a.md/inner.md", "ä.md", "a-b.md", "a_b.md", "a.md.md"):
        (episodes / name).write_text("x")
    (outside / "deep" / "far.md").write_text("x")
    (episodes / "linked.md").symlink_to(episodes / "b.md")
    (episodes / "far.md").symlink_to(outside / "deep" / "far.md")
    (episodes / "folder-link").symlink_to(outside / "deep")  # not entered, as rglob does not
    root = content.resolve()
    found = site._episode_files(episodes, root)
    assert [name for name, _ in found] == [p.relative_to(episodes).as_posix() for p in sorted(episodes.rglob("*.md"))]
    inside = {name for name, within in found if within}
    assert inside == {name for name, _ in found} - {"linked.md", "far.md"}
    assert site._episode_files(content / "missing", root) == []
