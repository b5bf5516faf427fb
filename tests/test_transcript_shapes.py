"""Real transcript shapes: no word lost or invented, labels/times/markers read as written.

Every fixture of ``fixtures/transcript/`` is built into one site; each
episode page and its VTT, SRT and JSON transcripts hold exactly the words of
the source less labels, timestamps and headings (``transcript_words``). A
hypothesis property writes random transcripts in every label shape and
reads them back: same turns, speakers, times, markers and words.
"""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ssg.build import build_site
from ssg.loading import load_site
from ssg.timecode import parse_time
from ssg.transcript import DEFAULT_MARKERS, parse_body
from test_transcript import CASES, KNOWN
from transcript_words import words_of, json_segments, json_words, page_words, source_words, srt_words, vtt_words

SITE_YAML = "title: Shapes\nbase_url: https://example.org/\n"
SPEAKERS_YAML = """\
- {id: ada, name: Ada, role: host}
- {id: okafor, name: Ben Okafor, aliases: [DR. OKAFOR]}
- {id: juno, name: Juno Park, role: host}
"""


def known(label: str) -> bool:
    return label.casefold() in KNOWN


def episode(title: str, slug: str, body: str, extra: str = "") -> str:
    return f"---\ntitle: \"{title}\"\ndate: 2026-01-01\nslug: {slug}\n{extra}---\n{body}"


@pytest.fixture(scope="module")
def fixture_site(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[tuple[str, str, int]]]:
    """One site with every fixture as an episode; (site folder, [(slug, source, first body line)])."""
    root = tmp_path_factory.mktemp("shapes")
    content = root / "content"
    (content / "episodes").mkdir(parents=True)
    (content / "site.yaml").write_text(SITE_YAML, encoding="utf-8")
    (content / "speakers.yaml").write_text(SPEAKERS_YAML, encoding="utf-8")
    made = []
    for i, (title, source, _) in enumerate(CASES):
        slug = f"case-{i}"
        (content / "episodes" / f"{slug}.md").write_text(episode(title.replace('"', "'"), slug, source), encoding="utf-8")
        made.append((slug, source, 6))
    result = build_site(content, root / "site", search=False, jobs=1, use_cache=False)
    assert result.ok, [p for p in result.problems if p.level == "error"]
    return root / "site", made


def read(site: Path, slug: str, name: str) -> str:
    return (site / "episodes" / slug / name).read_text(encoding="utf-8")


@pytest.mark.parametrize("case", range(len(CASES)), ids=[c[0] for c in CASES])
def test_fixture_words_survive_page_and_exports(case: int, fixture_site: tuple[Path, list[tuple[str, str, int]]]) -> None:
    site, made = fixture_site
    slug, source, first = made[case]
    body = parse_body(source, 1, lambda label: label.casefold() in {"ada", "ben okafor", "dr. okafor", "juno park"})
    expected = source_words(source, body)
    assert expected, "a fixture without words checks nothing"
    markers = {t.label for t in body.turns if t.marker}
    assert page_words(read(site, slug, "index.html")) == expected
    segments_text = read(site, slug, "transcript.json")
    assert json_words(segments_text, markers) == expected
    assert vtt_words(read(site, slug, "transcript.vtt"), markers) == expected
    got, should = srt_words(read(site, slug, "transcript.srt"), json_segments(segments_text), markers)
    assert got == should


# Random transcripts in every shape ------------------------------------------------------------

PEOPLE = ["Juno Park", "Mara T. Quill, PhD", "R. (Robin) Vantongeren", "Dr. Elif Şahin-Brooke", "Prof. D'Arcy Lund",
          "陈静", "Алексей Орлов", "Kate van der Berg", "Speaker 1", "SPEAKER_02", "Unknown Speaker", "Ada",
          "Okon Reyes"]
MARKERS = ["Music", "Ad", "Break", "Jingle", "Sponsor", "Intro", "Outro", "Laughter", "Cold open"]
WORDS = ["the", "tide", "is", "late", "tonight,", "and", "we", "wait.", "harbour", "boats", "*slowly*", "really?",
         "yes!", "10:30", "café", "naïve", "two-way", "it's", "—", "wind"]
FIRST = [w for w in WORDS if w != "10:30"]
"""A paragraph's first word: a line of nothing but a time is a timestamp line."""
SHAPES = ["plain", "bold", "bold-out", "bracket", "paren-time", "spaced", "alone-bold", "alone-plain"]


def clock(seconds: int, style: int) -> str:
    h, rest = divmod(seconds, 3600)
    m, s = divmod(rest, 60)
    if style == 0 and h == 0:
        return f"{m:02d}:{s:02d}"
    if style == 1:
        return f"{h}:{m:02d}:{s:02d}"
    return f"{h:02d}:{m:02d}:{s:02d}"


Expected = list[tuple[str, "float | None", bool, list[str]]]
"""What a generated body must read back as: [(label, seconds, marker, words)]."""


def random_transcript(rng: random.Random) -> tuple[str, Expected]:
    """A body in random shapes (labels, timestamps, markers, paragraphs) and what it must read back as."""
    lines: list[str] = []
    expected: Expected = []
    now = rng.randint(0, 400_000)
    for _ in range(rng.randint(1, 8)):
        now += rng.randint(1, 900)
        timed = rng.random() < 0.5
        stamp = clock(now, rng.randint(0, 2))
        paragraphs = [" ".join([rng.choice(FIRST), *rng.choices(WORDS, k=rng.randint(0, 7))])
                      for _ in range(rng.randint(1, 3))]
        words = " ".join(paragraphs).split()
        if rng.randint(0, 5) == 0:  # a marker
            name = rng.choice(MARKERS)
            before = f"[{stamp}] " if timed else ""
            if rng.random() < 0.5:
                lines += [f"{before}[{name}]", ""]
                expected.append((name, float(now) if timed else None, True, []))
            else:
                lines += [f"{before}{name}: {paragraphs[0]}", *paragraphs[1:], ""]
                expected.append((name, float(now) if timed else None, True, words))
            continue
        name = rng.choice(PEOPLE)
        shape = rng.choice(SHAPES)
        where = rng.choice(["before", "after", "escaped", "paren"])
        text, rest = paragraphs[0], paragraphs[1:]
        if shape in ("paren-time", "spaced"):
            timed = True
        ts_before = ts_after = ""
        if timed and shape not in ("paren-time", "spaced"):
            if where == "before":
                ts_before = f"[{stamp}] "
            elif where == "escaped":
                ts_after = f"\\[{stamp}\\] "
            elif where == "paren":
                ts_before = f"({stamp}) "
            else:
                ts_after = f"[{stamp}] "
        after = (" " + ts_after.strip()) if ts_after else ""
        head = {
            "plain": [f"{ts_before}{name}: {ts_after}{text}"],
            "bold": [f"{ts_before}**{name}:** {ts_after}{text}"],
            "bold-out": [f"{ts_before}**{name}**: {ts_after}{text}"],
            "bracket": [f"{ts_before}[{name}] {ts_after}{text}"],
            "paren-time": [f"{name} ({stamp}): {text}"],
            "spaced": [f"{name}  {stamp}", text],
            "alone-bold": [f"{ts_before}**{name}:**{after}", "", text],
            "alone-plain": [f"{ts_before}{name}:{after}", text],
        }[shape]
        for paragraph in rest:
            head += ["", paragraph]
        lines += head + [""]
        expected.append((name, float(now) if timed else None, False, words))
    return "\n".join(lines), expected


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.randoms(use_true_random=False))
def test_random_transcripts_come_back_exactly(rng: random.Random) -> None:
    source, expected = random_transcript(rng)
    body = parse_body(source, 1, lambda label: label.casefold() in {"ada", "juno park"},
                      ["Cold open", *DEFAULT_MARKERS])
    got = [(t.label, parse_time(t.time) if t.time else None, t.marker, " ".join(t.paragraphs).split())
           for t in body.turns]
    assert got == expected, source
    assert not body.suspects, source


def test_generated_corpus_keeps_every_word_on_pages_and_exports(tmp_path: Path) -> None:
    """60 generated episodes in every shape, built: each page and export holds the source's words."""
    content = tmp_path / "content"
    (content / "episodes").mkdir(parents=True)
    (content / "site.yaml").write_text(SITE_YAML + "markers: [Cold open]\n", encoding="utf-8")
    (content / "speakers.yaml").write_text(SPEAKERS_YAML, encoding="utf-8")
    rng = random.Random(17)
    sources = []
    for i in range(60):
        source, _ = random_transcript(rng)
        sources.append(source)
        (content / "episodes" / f"g{i}.md").write_text(episode(f"G {i}", f"g{i}", source), encoding="utf-8")
    result = build_site(content, tmp_path / "site", search=False, jobs=1, use_cache=False)
    assert result.ok, [p for p in result.problems if p.level == "error"]
    site = tmp_path / "site"
    for i, source in enumerate(sources):
        body = parse_body(source, 1, lambda label: label.casefold() in {"ada", "ben okafor", "juno park"},
                          ["Cold open", *DEFAULT_MARKERS])
        expected = source_words(source, body)
        markers = {t.label for t in body.turns if t.marker}
        slug = f"g{i}"
        assert page_words(read(site, slug, "index.html")) == expected, source
        segments = read(site, slug, "transcript.json")
        assert json_words(segments, markers) == expected, source
        assert vtt_words(read(site, slug, "transcript.vtt"), markers) == expected, source
        got, should = srt_words(read(site, slug, "transcript.srt"), json_segments(segments), markers)
        assert got == should, source


SHARED = Path(__file__).resolve().parents[2] / "shared"


def test_real_plain_text_transcripts_lose_no_words() -> None:
    """The shared real plain-text transcripts: every word but labels and timestamps is in a turn, in order."""
    seeds = sorted((SHARED / "seeds").glob("*.txt")) if (SHARED / "seeds").is_dir() else []
    if not seeds:
        pytest.skip(f"{SHARED / 'seeds'} is absent (the shared real transcripts are not on this machine)")
    for path in seeds:
        source = path.read_text(encoding="utf-8").replace("\r\n", "\n")
        body = parse_body(source, 1, lambda label: False)
        got = [w for t in body.turns for p in t.paragraphs for w in words_of(p)]
        headings = {h.line for h in body.headings}
        assert got == source_words(source, body), path.name
        assert not headings or all(h.title for h in body.headings)


def test_marker_list_extends_from_site_yaml(tmp_path: Path) -> None:
    content = tmp_path / "content"
    (content / "episodes").mkdir(parents=True)
    (content / "site.yaml").write_text(SITE_YAML + "markers: [Cold open, Stinger]\n", encoding="utf-8")
    (content / "speakers.yaml").write_text(SPEAKERS_YAML, encoding="utf-8")
    (content / "episodes" / "a.md").write_text(episode("A", "a", "Cold open: The harbour at night.\n\n"
                                                      "**Juno Park:** Welcome.\n\n[Stinger]\n"), encoding="utf-8")
    site, transcripts, problems = load_site(content)
    assert site is not None, problems.items
    turns = transcripts[site.episodes[0].source].turns
    assert [(t.marker, t.speaker_id) for t in turns] == [("Cold open", None), ("", "juno"), ("Stinger", None)]
    assert [s.id for s in site.speakers] == ["ada", "okafor", "juno"]  # no marker became a person


def test_generic_voices_belong_to_the_episode_and_map_with_voices(tmp_path: Path) -> None:
    content = tmp_path / "content"
    (content / "episodes").mkdir(parents=True)
    (content / "site.yaml").write_text(SITE_YAML, encoding="utf-8")
    (content / "speakers.yaml").write_text(SPEAKERS_YAML, encoding="utf-8")
    (content / "episodes" / "a.md").write_text(episode("A", "a", "Speaker 1: Hi.\nSPEAKER_02: Hello.\n",
                                                      "voices: {speaker 1: juno}\n"), encoding="utf-8")
    (content / "episodes" / "b.md").write_text(episode("B", "b", "Speaker 1: Someone else.\n"), encoding="utf-8")
    site, transcripts, problems = load_site(content)
    assert site is not None, problems.items
    by_slug = {e.slug: transcripts[e.source] for e in site.episodes}
    assert [(t.speaker_id, t.label) for t in by_slug["a"].turns] == [("juno", "Speaker 1"), (None, "SPEAKER_02")]
    assert [(t.speaker_id, t.label) for t in by_slug["b"].turns] == [(None, "Speaker 1")]
    assert [s.id for s in site.speakers] == ["ada", "okafor", "juno"]
    assert not any("Speaker 1" in p.message for p in problems.items)


def test_undeclared_labels_get_no_role_and_case_variants_are_one_person(tmp_path: Path) -> None:
    content = tmp_path / "content"
    (content / "episodes").mkdir(parents=True)
    (content / "site.yaml").write_text(SITE_YAML, encoding="utf-8")
    (content / "speakers.yaml").write_text(SPEAKERS_YAML, encoding="utf-8")
    (content / "episodes" / "a.md").write_text(episode("A", "a", "Okon Reyes: Hi.\nOKON REYES: Again.\nJUNO PARK: Host.\n"),
                                               encoding="utf-8")
    site, transcripts, problems = load_site(content)
    assert site is not None, problems.items
    ep = site.episodes[0]
    assert [t.speaker_id for t in transcripts[ep.source].turns] == ["okon-reyes", "okon-reyes", "juno"]
    roles = {a.speaker_id: a.role for a in ep.appearances}
    assert roles == {"okon-reyes": "", "juno": "host"}


def test_label_shaped_line_read_as_words_is_a_warning_with_its_line(tmp_path: Path) -> None:
    content = tmp_path / "content"
    (content / "episodes").mkdir(parents=True)
    (content / "site.yaml").write_text(SITE_YAML, encoding="utf-8")
    (content / "speakers.yaml").write_text(SPEAKERS_YAML, encoding="utf-8")
    (content / "episodes" / "a.md").write_text(episode("A", "a", "Juno Park: Hi.\n**Guest 2:** Hello.\n"),
                                               encoding="utf-8")
    site, _, problems = load_site(content, label="content")
    warnings = [p for p in problems.items if p.level == "warning" and p.path.endswith("a.md") and "audio_url" not in p.message]
    assert [(p.path, p.line) for p in warnings] == [("content/episodes/a.md", 7)]
    assert "'Guest 2' looks like a speaker label" in warnings[0].message
    assert "speakers.yaml" in warnings[0].hint


def test_time_going_backwards_is_a_warning_with_its_line(tmp_path: Path) -> None:
    content = tmp_path / "content"
    (content / "episodes").mkdir(parents=True)
    (content / "site.yaml").write_text(SITE_YAML, encoding="utf-8")
    (content / "speakers.yaml").write_text(SPEAKERS_YAML, encoding="utf-8")
    (content / "episodes" / "a.md").write_text(
        episode("A", "a", "**Juno Park:** \\[01:00\\] Hi.\n**Ada:** \\[00:30\\] Back.\n"), encoding="utf-8")
    site, transcripts, problems = load_site(content, label="content")
    assert site is not None
    turns = transcripts[site.episodes[0].source].turns
    assert [t.start for t in turns] == [60.0, 30.0]
    assert not any(t.estimated for t in turns)
    assert [(p.line, p.message) for p in problems.items if p.path.endswith("a.md") and "audio_url" not in p.message] == [
        (7, "timestamp 00:30 is earlier than the turn before it")]
