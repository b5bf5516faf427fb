"""Fast paths of loading give exactly what the reference paths give.

``parse_body`` (one regular expression over the body) is compared with
``parse_body_lines`` (the reference reader, line by line) on thousands of
generated transcripts, odd ones included: CRLF, a BOM, tabs, unusual
whitespace, unlabelled text, timestamps of every shape the parser knows,
``##`` headings, blank lines, Markdown and colons in the words.

``load_episode`` building turns the fast way (``load._transcript``) is
compared with the plain way (``load._transcript_reference``) on generated
episode files, valid and not: model, inferred speakers and problems alike;
and so are the pieces the fast way uses.
"""

from __future__ import annotations

import pickle
import random
from pathlib import Path

import pytest

from ssg import load, urls
from ssg.errors import Problems
from ssg.model import TURN_FIELDS, Turn, turns_from_columns
from ssg.transcript import RawTurn, parse_body, parse_body_lines

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


# Building the model: ``load._transcript`` (and what it uses) against ``load._transcript_reference``.

SPEAKERS_YAML = """\
- {id: ada, name: Ada, role: host, aliases: [Ada Lovelace, SPEAKER_1]}
- {id: host-one, name: Host One, role: co-host}
- {id: okafor, name: Dr. Okafor, aliases: [Ben Okafor]}
- {id: ben, name: Benjamin}
"""
LABELS = ["Ada", "Ada Lovelace", "ADA", "Host One", "Dr. Okafor", "Ben Okafor", "SPEAKER_1", "Speaker 2", "Ben",
          "ben", "Kate van der Berg", "José Ñúñez", "Mary-Jane O'Neil", "Ada  Lovelace", "R&D", "Benjamin"]
FM_SPEAKERS = ["[Ada, Host One]", "[ada, Sam Guest]", "[{id: ada, role: guest}, {name: Kate van der Berg}]",
               "Ada", "[true, '', Ben]", "[Ben, ben, Speaker 2]", "[{role: host}]", "[]"]
DURATIONS = ["", "duration: 600", "duration: \"0:45\"", "duration: \"1:02:03\"", "duration: abc", "duration: 30",
             "duration: 0"]
CHAPTERS = ["", "chapters: [{start: 0, title: Opening}, {start: 120, title: Middle}]",
            "chapters: [{start: \"0:30\", title: Chapter}, {title: Two}]",
            "chapters:\n  - {start: 300, title: Late}\n  - {start: 10, title: Early}",
            "chapters: nope", "chapters: [{start: 5, title: Opening, toc: false, url: \"https://example.org\"}]"]


def timed_body(rng: random.Random) -> str:
    """A transcript where (nearly) every turn has a time: in order, or not, or past the duration."""
    lines = []
    seconds = rng.randint(0, 30)
    for _ in range(rng.randint(1, 40)):
        seconds += rng.randint(0, 40)
        shown = seconds if rng.random() > 0.05 else rng.randint(0, seconds + 1)
        clock = f"{shown // 3600:02d}:{shown // 60 % 60:02d}:{shown % 60:02d}"
        if rng.random() < 0.03:
            clock = rng.choice(["1:60:00", "00:00:60", "99:99"])
        stamp_text = f"[{clock}] " if rng.random() > 0.04 else ""
        said = words(rng, 0, 20)
        if rng.random() < 0.1:
            said += "\n" + words(rng, 1, 8) + ("\n\n" + words(rng, 1, 5) if rng.random() < 0.5 else "")
        lines.append(f"{stamp_text}{rng.choice(LABELS)}:{space(rng)}{said}")
        if rng.random() < 0.05:
            lines.append(rng.choice(["## Opening", "## Middle", "## Something else", "##  Chapter"]))
    return "\n".join(lines) + "\n"


def episode_file(rng: random.Random) -> str:
    """An episode file, often with something wrong in it."""
    good = rng.random() < 0.7
    meta = [f"title: {rng.choice(['Episode', 'Two words', 'Ünïcode title'] + ([] if good else ['', 'x: y']))}",
            rng.choice(["date: 2026-03-01"] if good else ["date: 2026-03-01", "date: 2026-02-30", "", "date: 2026-3-1"]),
            rng.choice(DURATIONS[:4] if good else DURATIONS), rng.choice(CHAPTERS[:2] if good else CHAPTERS),
            "speakers: " + rng.choice(FM_SPEAKERS[:2] if good else FM_SPEAKERS) if rng.random() < 0.7 else ""]
    text = rng.choice(["", "description: Some *notes* here.\n"]) + "\n".join(m for m in meta if m)
    return f"---\n{text}\n---\n" + (timed_body(rng) if rng.random() < 0.6 else body(rng))


@pytest.fixture(scope="module")
def speaker_index(tmp_path_factory: pytest.TempPathFactory) -> load.SpeakerIndex:
    content = tmp_path_factory.mktemp("speakers")
    (content / "speakers.yaml").write_text(SPEAKERS_YAML, encoding="utf-8")
    problems = Problems()
    index = load.load_speakers(content, "content", problems)
    assert not problems.items
    return index


def load_both(path: Path, index: load.SpeakerIndex) -> list[tuple[object, ...]]:
    """What the fast and the reference transcript builders make of one file: model, inferred, problems."""
    out = []
    for reference in (False, True):
        problems = Problems()
        loaded = load.load_episode(path, "content/episodes/x.md", path.parent.resolve(), index, problems,
                                   reference=reference)
        episode = loaded.episode if loaded else None
        out.append((episode, episode and episode.line_of, episode and repr(episode),
                    loaded and list(loaded.inferred.items()), problems.items))
    return out


def test_fast_episode_equals_reference_episode(tmp_path: Path, speaker_index: load.SpeakerIndex) -> None:
    rng = random.Random(SEED + 1)
    path = tmp_path / "x.md"
    loaded = 0
    for _ in range(1500):
        path.write_text(episode_file(rng), encoding="utf-8", newline="")
        fast, reference = load_both(path, speaker_index)
        assert fast == reference, path.read_text(encoding="utf-8")
        loaded += fast[0] is not None
    assert 300 < loaded < 1400  # both valid and invalid episodes were compared


def test_fast_site_equals_reference_site(monkeypatch: pytest.MonkeyPatch) -> None:
    """The fixture sites (and a few bench episodes when present) load to the same model and problems."""
    from conftest import FIXTURES

    contents = [p / "content" for p in sorted((FIXTURES / "sites").iterdir()) if (p / "content").is_dir()]
    for content in contents:
        fast = load.load_site(content, label="content")
        monkeypatch.setattr(load, "_transcript", load._transcript_reference)
        reference = load.load_site(content, label="content")
        monkeypatch.undo()
        assert fast[0] == reference[0] and repr(fast[0]) == repr(reference[0])
        assert fast[1].items == reference[1].items


def test_split_whitespace_lists_are_complete() -> None:
    """``load._normalised`` knows every character ``str.split()`` splits at."""
    splitting = {chr(c) for c in range(0x110000) if len(f"a{chr(c)}a".split()) == 2}
    listed = set(" \n" + load._ASCII_SPACES + load._OTHER_SPACES)
    assert splitting == listed
    assert all(c.isascii() for c in load._ASCII_SPACES) and not any(c.isascii() for c in load._OTHER_SPACES)


ODD_TEXT = ["a", "b c", "  lead", "trail ", "two  spaces", "tab\there", "nl\nin", "", "é", "\xa0nbsp", "x\u3000y",
            "\x1fsep", "ß", "İ", "ﬁ", "Σ", "ŉ", "\x85", "word"]


def random_raws(rng: random.Random) -> list[RawTurn]:
    raws = []
    for i in range(rng.randint(0, 12)):
        paragraphs = tuple(rng.choice(ODD_TEXT) + rng.choice(["", " ", " word"]) for _ in range(rng.randint(0, 3)))
        raws.append(RawTurn(rng.choice(["", "Ada"]), "", paragraphs, i + 1))
    return raws


def test_turn_texts_and_anchors_equal_reference() -> None:
    rng = random.Random(SEED + 2)
    for _ in range(5000):
        raws = random_raws(rng)
        texts, counts = load._turn_texts(raws)
        assert counts == [sum(len(p.split()) for p in raw.paragraphs) for raw in raws]
        assert texts == [" ".join(" ".join(raw.paragraphs).split()) for raw in raws]
        speakers = [rng.choice(["", "ada", "Kate van der Berg", "!!", "ß"]) for _ in raws]
        joined = [" ".join(raw.paragraphs) for raw in raws]
        assert urls.turn_anchors_normal(speakers, texts) == urls.turn_anchors(list(zip(speakers, joined)))


def test_repeated_turns_are_numbered_as_the_reference_numbers_them() -> None:
    speakers = ["ada", "ada", "", "ada", "", "ben"]
    texts = ["Yeah.", "Yeah.", "Yeah.", "yeah.", "Yeah.", "Yeah."]
    assert urls.turn_anchors_normal(speakers, texts) == urls.turn_anchors(list(zip(speakers, texts)))


def test_estimate_starts_equals_reference() -> None:
    rng = random.Random(SEED + 3)
    for _ in range(3000):
        n = rng.randint(0, 8)
        given = [rng.choice([None, float(rng.randint(0, 100))]) if rng.random() < 0.3 else float(i * 10)
                 for i in range(n)]
        words_ = [rng.randint(0, 30) for _ in range(n)]
        duration = rng.choice([None, 0.0, 50.0, 500.0])
        assert load._estimate_starts(given, words_, duration) == load._estimate_starts_reference(given, words_, duration)


def test_turns_from_columns_equal_constructed_turns() -> None:
    rng = random.Random(SEED + 4)
    rows = [(i, f"a-{i}", rng.choice([None, "ada"]), rng.choice(["", "Ada"]), tuple(rng.sample(ODD_TEXT, 2)),
             rng.choice([None, 1.5, 0.0]), rng.random() < 0.5, rng.randint(1, 9), rng.randint(0, 9)) for i in range(50)]
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
    found = load._episode_files(episodes, root)
    assert [name for name, _ in found] == [p.relative_to(episodes).as_posix() for p in sorted(episodes.rglob("*.md"))]
    inside = {name for name, within in found if within}
    assert inside == {name for name, _ in found} - {"linked.md", "far.md"}
    assert load._episode_files(content / "missing", root) == []
