"""``ssg import``: raw transcripts of every common shape become content files that build.

Each test imports through the real command line into a fresh show, then
reads the result back with ``ssg.loading.load_site`` (the loader the build
uses) and asserts what a reader of the site would check: who spoke, when,
what they said, chapters, and the people added to the speakers file.
"""

from __future__ import annotations

import io
import math
import os
import shutil
import subprocess
import sys
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path

import pytest
import yaml
from conftest import FIXTURES, SHARED, copy_site

from ssg.build import build_site
from ssg.cli import main as cli_main
from ssg.importing import parse
from ssg.importing.write import escape_markdown, safe_paragraph
from ssg.loading import load_site
from ssg.markup import inline, plain
from ssg.model import Episode, Site, Transcript
from ssg.transcript import parse_body

INPUTS = FIXTURES / "import"
SHARED_INPUTS = Path(os.environ.get("SSG_SHARED") or SHARED)
"""The shared real inputs: ``../shared`` beside the checkout, or ``$SSG_SHARED`` (a worktree elsewhere)."""


def shared_path(*parts: str) -> Path:
    """A file of the shared real inputs, skipping the test when they are absent."""
    path = SHARED_INPUTS.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"{path} is absent (the shared real inputs are not beside this checkout; set SSG_SHARED)")
    return path
SITE = "title: Imports\nbase_url: https://imports.example.org/\n"


# Helpers ----------------------------------------------------------------------
def show(root: Path) -> Path:
    """A content folder with a site.yaml under ``root``."""
    content = root / "content"
    if not (content / "site.yaml").exists():
        content.mkdir(parents=True, exist_ok=True)
        (content / "site.yaml").write_text(SITE)
    return content


def run_import(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """``ssg import ARGS --content root/content`` in a subprocess, as a user runs it."""
    content = show(root)
    return subprocess.run([sys.executable, "-m", "ssg", "import", *args, "--content", str(content)],
                          cwd=root, capture_output=True, text=True, timeout=120, check=False,
                          env={**os.environ, "NO_COLOR": "1"})


def imported(root: Path, *args: str) -> tuple[Site, Episode, Transcript, subprocess.CompletedProcess[str]]:
    """Import successfully, then load the show: it holds exactly one episode (its header and its
    transcript) and no errors."""
    done = run_import(root, *args)
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr
    if "date: none found" in done.stdout:  # no date is made up; the build names the missing field
        add_date(root)
    site, transcripts, problems = load_site(root / "content")
    assert site is not None, [p.format() for p in problems]
    assert not problems.errors, [p.format() for p in problems.errors]
    assert len(site.episodes) == 1
    return site, site.episodes[0], transcripts[site.episodes[0].source], done


def add_date(root: Path, date: str = "2026-02-03") -> None:
    """After an import that found no date: the build says so, and then takes the file with one added."""
    [path] = (root / "content" / "episodes").glob("*.md")
    _, _, problems = load_site(root / "content")
    assert [p.message for p in problems.errors] == ["missing required field 'date'"]
    path.write_text(path.read_text().replace("---\n", f"---\ndate: {date}\n", 1))


def speakers_yaml(root: Path) -> dict[str, dict[str, object]]:
    data = yaml.safe_load((root / "content" / "speakers.yaml").read_text())
    return {entry["name"]: entry for entry in data}


def names(site: Site, episode: Episode) -> list[str]:
    return [site.speaker(a.speaker_id).name for a in episode.appearances]  # type: ignore[union-attr]


def turns_of(site: Site, transcript: Transcript) -> list[tuple[str, float | None, str]]:
    """(speaker name, given start, plain text) per turn; estimated starts read as None."""
    return [(site.speaker(t.speaker_id).name if t.speaker_id else t.label,  # type: ignore[union-attr]
             None if t.estimated else t.start, " ".join(plain(p) for p in t.paragraphs)) for t in transcript.turns]


def episode_file(root: Path) -> str:
    [path] = (root / "content" / "episodes").glob("*.md")
    return path.read_text()


def assert_parses_back(root: Path, source: Path, *args: str) -> None:
    """The content file reads back as the turns the importer found: speakers, times, words."""
    raw = parse(source, None)
    site, episode, transcript, _ = imported(root, str(source), *args)
    labelled = any(t.speaker for t in raw.turns)
    got = turns_of(site, transcript)
    assert [(s, t) for s, t, _ in got] == [
        (turn.speaker, math.floor(turn.start) if turn.speaker and turn.start is not None else None)
        for turn in raw.turns] if labelled else all(s == "" for s, _, _ in got)
    words = " ".join(p for t in raw.turns for p in t.paragraphs)
    assert " ".join(text for _, _, text in got) == (plain(words) if raw.markdown else words)


# Plain text -------------------------------------------------------------------------
def test_labelled_text_with_introductions(tmp_path: Path) -> None:
    site, episode, transcript, done = imported(tmp_path, str(INPUTS / "labelled.txt"), "--date", "2026-04-01")
    assert episode.title == "Can a city learn to love its rivers again?"
    assert episode.number == 12
    assert str(episode.date) == "2026-04-01"
    assert names(site, episode) == ["Mina Park", "Lars Holm", "Ruth Adeyemi"]
    people = speakers_yaml(tmp_path)
    assert people["Lars Holm"]["title"] == "Chief Engineer at the Example City Water Board"
    assert people["Ruth Adeyemi"]["title"] == "Senior Lecturer in Urban Ecology"
    assert people["Mina Park"]["role"] == "host"
    assert len(transcript.turns) == 6
    assert transcript.turns[-1].paragraphs == ("Mostly because they smelled. Note: that is the polite version.",)
    assert "date: 2026-04-01 (from --date)" in done.stdout
    assert "needs a human: no audio_url" in done.stdout


def test_web_page_scrape(tmp_path: Path) -> None:
    site, episode, transcript, _ = imported(tmp_path, str(INPUTS / "webpage.txt"))
    assert episode.title == "Daylighting rivers, and the bet about beavers"
    assert episode.number == 14
    assert [(c.title, c.start) for c in episode.chapters] == [
        ("Intro", 2), ("Seoul's stream", 75), ("Beavers as engineers", 760), ("The bet", 1505)]
    assert names(site, episode) == ["Mina Park", "Omar Said", "Lars Holm", "Ruth Adeyemi"]
    assert episode.description.startswith("Is it time to dig the rivers back up?")
    text = " ".join(p for t in transcript.turns for p in t.paragraphs)
    for boilerplate in ("Listen on", "Episode transcript", "Subscribe", "Stay on top", "artwork", "Key takeaways"):
        assert boilerplate not in text
    lars = next(t for t in transcript.turns if t.speaker_id == "lars-holm")
    assert lars.paragraphs == ("I disagree a little.", "Actually, I disagree a lot.")
    assert speakers_yaml(tmp_path)["Omar Said"]["title"] == "Policy Researcher at the Example Institute"


def test_newsletter_page_with_a_title_that_looks_like_a_label(tmp_path: Path) -> None:
    """'Waterways: the podcast ...' is a title line, not a turn; other chapter list and heading shapes."""
    site, episode, transcript, done = imported(tmp_path, str(INPUTS / "newsletter.txt"))
    assert (episode.title, episode.number, str(episode.date)) == ("Culverts, and what lives inside them", 15, "2026-01-08")
    assert "date: 2026-01-08 (from the text)" in done.stdout
    assert [(c.title, c.start) for c in episode.chapters] == [("Cold open", 0), ("The camera", 45), ("Eels", 723)]
    assert names(site, episode) == ["Mina Park", "Ruth Adeyemi", "Lars Holm"]
    assert transcript.turns[0].paragraphs[0].startswith("Ruth Adeyemi is a Senior Lecturer")
    assert "Share this" not in " ".join(p for t in transcript.turns for p in t.paragraphs)


@pytest.mark.parametrize(("name", "expected"), [
    ("otter.txt", [("Mina Park", 0), ("Omar Said", 12), ("Mina Park", 65), ("Omar Said", 69)]),
    ("rev.txt", [("Mina Park", 3), ("Lars Holm", 7), ("Mina Park", 90)]),
])
def test_name_and_time_on_their_own_line(tmp_path: Path, name: str, expected: list[tuple[str, int]]) -> None:
    """Otter's ``Name  0:12`` and Rev's ``Name (00:00:07):`` lines, with the words below them."""
    site, episode, transcript, _ = imported(tmp_path, str(INPUTS / name))
    assert [(s, t) for s, t, _ in turns_of(site, transcript)] == expected
    if name == "otter.txt":  # hard-wrapped lines of a turn are joined
        assert transcript.turns[0].paragraphs == ("Welcome to Waterways. Today it is just the two of us, and a very old map.",)


def test_unlabelled_captions_become_paragraphs(tmp_path: Path) -> None:
    _, episode, transcript, done = imported(tmp_path, str(INPUTS / "captions.txt"))
    assert not episode.labelled
    assert all(t.speaker_id is None for t in transcript.turns)
    text = " ".join(p for t in transcript.turns for p in t.paragraphs)
    assert "dig the rivers back up in our cities" in text  # lines joined mid-sentence
    people = speakers_yaml(tmp_path)
    assert people["Omar Said"]["title"] == "Policy Researcher at the Example Institute"
    assert people["Ruth Adeyemi"]["title"] == "Senior Lecturer in Urban Ecology"
    assert people["Mina Park"]["role"] == "host"
    assert "paragraphs have no speaker label" in done.stdout
    assert "title: Captions (from the file name)" in done.stdout


# WebVTT and SRT -----------------------------------------------------------------------
def test_webvtt_voices_entities_and_merging(tmp_path: Path) -> None:
    site, episode, transcript, _ = imported(tmp_path, str(INPUTS / "voices.vtt"), "--title", "Voices", "--episode", "3")
    assert (episode.title, episode.number) == ("Voices", 3)
    assert turns_of(site, transcript) == [
        ("Mina Park", 0, "Welcome back to Waterways & friends. Today: rivers."),
        ("Lars Holm", 4, "Thanks <Mina>. Rivers are &amp; great."),  # &amp;amp; decoded once, no more
        ("Mina Park", 67, "Back to me."),
    ]
    assert inline(transcript.turns[1].paragraphs[0]) == "Thanks &lt;Mina&gt;. Rivers are &amp;amp; great."
    assert episode.duration == 69


def test_webvtt_header_lines_several_voices_and_unvoiced_cues(tmp_path: Path) -> None:
    """Two voices in one cue are two turns; a cue naming nobody continues the last voice."""
    site, episode, transcript, _ = imported(tmp_path, str(INPUTS / "two_voices.vtt"))
    assert turns_of(site, transcript) == [("Mina Park", 0, "Is it deep?"), ("Lars Holm", 0, "Knee deep. Mostly."),
                                       ("Mina Park", 5, "Good to know.")]
    assert episode.duration == 10  # 9.5 s, rounded up so every turn fits


def test_literal_caption_text_stays_literal(tmp_path: Path) -> None:
    """Text that looks like a label, a heading or Markdown in a caption file is shown as it was said."""
    _, episode, transcript, _ = imported(tmp_path, str(INPUTS / "odd_text.vtt"))  # also has Kind:/Language: header lines
    assert not episode.labelled and not episode.chapters
    text = " ".join(plain(p) for t in transcript.turns for p in t.paragraphs)
    assert text == ("Mina Park: that is the name on the old sign. ## not a heading, just a hash. "
                    "Also *stars*, [laughs], snake_case and R&D. a <b> tag that must stay text.")
    html = " ".join(inline(p) for t in transcript.turns for p in t.paragraphs)
    assert "<em>" not in html and "&lt;b&gt;" in html


@pytest.mark.parametrize("paragraph", [
    "Lars Holm: that is what the sign said.", "## Chapter two", "[00:01:02] Mina Park: hello",
    "Ruth: yes", "**Ruth:** yes", "Time: 10:30", "Nothing to see here: really",
])
def test_paragraphs_never_become_labels_or_headings(paragraph: str) -> None:
    """Whatever a paragraph holds, the body parser reads it back as one unlabelled paragraph."""
    known = {"lars holm", "mina park", "ruth"}
    written = safe_paragraph(paragraph, True, lambda label: label.casefold() in known)
    body = parse_body(written, 1, lambda label: label.casefold() in known)
    assert not body.labelled and not body.headings
    assert plain(written).replace("**", "") == paragraph.replace("**", "")


def test_escape_markdown_shows_text_exactly() -> None:
    text = r"a*b* _c_ snake_case `x` [y](z) \ &amp; &"
    assert plain(escape_markdown(text)) == text


def test_srt_labels_carry_over(tmp_path: Path) -> None:
    site, episode, transcript, _ = imported(tmp_path, str(INPUTS / "labels.srt"))
    assert turns_of(site, transcript) == [("Mina Park", 0, "Welcome to Waterways. Today we talk about rivers."),
                                       ("Lars Holm", 4, "Thanks for having me. It is good to be back."),
                                       ("Mina Park", 9, "Let's begin.")]


def test_srt_speaker_change_inside_a_cue(tmp_path: Path) -> None:
    site, episode, transcript, _ = imported(tmp_path, str(INPUTS / "midcue.srt"))
    assert turns_of(site, transcript) == [("Mina Park", 1, "Ready?"), ("Lars Holm", 1, "Ready. Then let's go.")]


# JSON ----------------------------------------------------------------------------------
def test_podcasting20_json_words_merge_into_turns(tmp_path: Path) -> None:
    site, episode, transcript, _ = imported(tmp_path, str(INPUTS / "transcript.json"), "--chapters", str(INPUTS / "chapters.json"))
    assert turns_of(site, transcript) == [("Mina Park", 0, "Welcome back, listeners."), ("Lars Holm", 2, "Hello there!"),
                                       ("Mina Park", 4, "Rivers first.")]
    chapters = [(c.title, c.start, c.toc, c.url) for c in episode.chapters]
    assert chapters == [("Intro", 0, True, ""), ("Chapter at 0:30", 30, False, ""),
                        ("Rivers & streams", 65, True, "https://example.org/r"), ("Hidden", 90, False, "")]
    out = tmp_path / "site"
    assert build_site(tmp_path / "content", out, search=False).ok
    page = next(out.glob("episodes/*/index.html")).read_text()
    assert "<b>Rivers</b>" not in page and "Rivers &amp; streams" in page


def test_whisper_json(tmp_path: Path) -> None:
    _, episode, transcript, _ = imported(tmp_path, str(INPUTS / "whisper.json"))
    assert " ".join(p for t in transcript.turns for p in t.paragraphs) == "Houston, we read you. Copy that. Standing by."
    assert episode.duration == 5


def test_whisper_with_diarised_speakers(tmp_path: Path) -> None:
    """SPEAKER_00 labels are kept as labels, not added to speakers.yaml as people, and flagged."""
    site, episode, transcript, done = imported(tmp_path, str(INPUTS / "whisperx.json"))
    assert turns_of(site, transcript) == [("SPEAKER_00", 0, "Is the river back?"),
                                       ("SPEAKER_01", 2, "It is, and it has fish in it."),
                                       ("SPEAKER_00", 5, "Wonderful.")]
    assert not (tmp_path / "content" / "speakers.yaml").exists()
    assert 'label SPEAKER_01 names no one: import again with --speaker SPEAKER_01="Their Name" --force' in done.stdout


def test_speaker_flag_names_labels(tmp_path: Path) -> None:
    vtt = tmp_path / "generic.vtt"
    vtt.write_text("WEBVTT\n\n0.000 --> 2.000\n<v SPEAKER_1>Hello.\n\n2.5 --> 4\n<v Jo>Hi.\n")
    site, episode, transcript, done = imported(tmp_path, str(vtt), "--speaker", 'SPEAKER_1="Jane Doe"', "--speaker", "Jo=Jo Bloggs")
    assert names(site, episode) == ["Jane Doe", "Jo Bloggs"]
    people = speakers_yaml(tmp_path)
    assert "aliases" not in people["Jane Doe"]  # SPEAKER_1 means someone else in the next episode
    assert people["Jo Bloggs"]["aliases"] == ["Jo"]
    assert [t.start for t in transcript.turns] == [0, 2]  # content files keep times to the second
    assert "cue times are bare seconds" in done.stdout


def test_self_introductions_suggest_names_for_generic_labels(tmp_path: Path) -> None:
    vtt = tmp_path / "intro.vtt"
    vtt.write_text("WEBVTT\n\n00:00.000 --> 00:02.000\n<v SPEAKER_1>Hello, I'm Mina Park, and this is Waterways.\n\n"
                   "00:02.000 --> 00:04.000\n<v SPEAKER_2>Hi.\n")
    _, _, _, done = imported(tmp_path, str(vtt))
    assert 'its speaker says "I\'m Mina Park": if so, import again with --speaker SPEAKER_1="Mina Park"' in done.stdout
    assert not (tmp_path / "content" / "speakers.yaml").exists()


# The show's speakers -----------------------------------------------------------------------------
def test_existing_speakers_are_reused_and_kept(tmp_path: Path) -> None:
    content = show(tmp_path)
    before = ("# the people of Waterways\n- id: mina\n  name: Mina Park\n  role: host\n  bio: Hosts the show.\n"
              "- id: lars\n  name: Lars H.\n  aliases: [Lars Holm]\n")
    (content / "speakers.yaml").write_text(before)
    site, episode, transcript, done = imported(tmp_path, str(INPUTS / "labelled.txt"))
    after = (content / "speakers.yaml").read_text()
    assert after.startswith(before)  # nothing existing is rewritten
    assert [a.speaker_id for a in episode.appearances] == ["mina", "lars", "ruth-adeyemi"]
    assert site.speaker("mina").bio == "Hosts the show."  # type: ignore[union-attr]
    assert "Lars H.: Thanks, Mina." in episode_file(tmp_path)
    assert [e["name"] for e in yaml.safe_load(after)] == ["Mina Park", "Lars H.", "Ruth Adeyemi"]
    assert 'Lars H. has no title in' in done.stdout and '"Chief Engineer at the Example City Water Board"' in done.stdout


def test_new_ids_never_clash_with_existing_ids_or_aliases(tmp_path: Path) -> None:
    content = show(tmp_path)
    (content / "speakers.yaml").write_text("- id: lars-holm\n  name: Lars Senior\n- name: Mina\n  aliases: [mina-park]\n")
    site, episode, transcript, _ = imported(tmp_path, str(INPUTS / "labels.srt"))
    assert [a.speaker_id for a in episode.appearances] == ["mina-park-2", "lars-holm-2"]
    assert site.speaker("lars-holm").name == "Lars Senior"  # type: ignore[union-attr]


def test_speakers_folder_gets_one_file_per_new_person(tmp_path: Path) -> None:
    content = show(tmp_path)
    (content / "speakers").mkdir()
    (content / "speakers" / "mina.yaml").write_text("id: mina\nname: Mina Park\nrole: host\n")
    site, _, _, _ = imported(tmp_path, str(INPUTS / "labels.srt"))
    assert not (content / "speakers.yaml").exists()
    assert sorted(p.name for p in (content / "speakers").iterdir()) == ["lars-holm.yaml", "mina.yaml"]
    assert site.speaker("lars-holm").declared  # type: ignore[union-attr]


def test_broken_speakers_file_stops_the_import(tmp_path: Path) -> None:
    content = show(tmp_path)
    (content / "speakers.yaml").write_text("- id: mina\n  name: [Mina\n")
    done = run_import(tmp_path, str(INPUTS / "labels.srt"))
    assert done.returncode == 1
    [line] = done.stderr.strip().splitlines()
    assert line.startswith(f"{content}/speakers.yaml:") and "(fix the speakers file first, then import again)" in line
    assert not (content / "episodes").exists()


# The file written ------------------------------------------------------------------------------
def test_front_matter_quotes_times(tmp_path: Path) -> None:
    imported(tmp_path, str(INPUTS / "transcript.json"), "--chapters", str(INPUTS / "chapters.json"),
             "--audio-url", "https://cdn.example.org/1.mp3")
    text = episode_file(tmp_path)
    assert '- start: "00:01:05"\n  title: Rivers & streams\n  url: https://example.org/r\n' in text
    assert 'duration: "00:01:30"' not in text  # chapters run past the transcript's end: no duration
    assert "audio_url: https://cdn.example.org/1.mp3\n" in text
    assert "\n[00:00:00] Mina Park: Welcome back, listeners.\n\n[00:00:02] Lars Holm: Hello there!\n" in text


def test_date_from_the_file_name(tmp_path: Path) -> None:
    raw = tmp_path / "raw" / "waterways_2025-03-04.srt"
    raw.parent.mkdir()
    shutil.copy(INPUTS / "labels.srt", raw)
    _, episode, transcript, done = imported(tmp_path, str(raw))
    assert str(episode.date) == "2025-03-04"
    assert "date: 2025-03-04 (from the file name)" in done.stdout


def test_utf16_file(tmp_path: Path) -> None:
    site, episode, transcript, _ = imported(tmp_path, str(INPUTS / "utf16.vtt"))
    assert turns_of(site, transcript) == [("Mina Park", 0, "Café by the river.")]


@pytest.mark.parametrize("name", ["labelled.txt", "webpage.txt", "newsletter.txt", "otter.txt", "rev.txt", "captions.txt",
                                  "voices.vtt", "two_voices.vtt", "odd_text.vtt", "labels.srt", "midcue.srt",
                                  "transcript.json", "whisper.json", "whisperx.json"])
def test_every_fixture_parses_back_to_the_same_turns(tmp_path: Path, name: str) -> None:
    assert_parses_back(tmp_path, INPUTS / name)


# Folders, overwriting --------------------------------------------------------------------------
def test_folder_import_pairs_chapters_and_never_overwrites(tmp_path: Path) -> None:
    folder = tmp_path / "raw"
    (folder / "more").mkdir(parents=True)
    shutil.copy(INPUTS / "labels.srt", folder / "ep1.srt")
    shutil.copy(INPUTS / "chapters.json", folder / "ep1.chapters.json")
    shutil.copy(INPUTS / "whisper.json", folder / "more" / "ep2.json")
    shutil.copy(INPUTS / "chapters.json", folder / "stray.json")
    (folder / ".hidden.txt").write_text("Ada: hi\nBen: hi\n")
    done = run_import(tmp_path, str(folder))
    assert done.returncode == 0, done.stderr
    assert "stray.json: skipped: a chapters file" in done.stderr
    assert "imported 2 of 2 files" in done.stdout
    episodes = tmp_path / "content" / "episodes"
    assert sorted(p.name for p in episodes.glob("*.md")) == ["ep1.md", "ep2.md"]
    assert "title: Intro" in (episodes / "ep1.md").read_text()
    before = (episodes / "ep1.md").read_text()
    clash = run_import(tmp_path, str(folder / "ep1.srt"))
    assert clash.returncode == 1
    assert clash.stderr.strip() == f"{folder / 'ep1.srt'}: {episodes / 'ep1.md'} already exists (pass --force to overwrite it)"
    assert (episodes / "ep1.md").read_text() == before
    forced = run_import(tmp_path, str(folder / "ep1.srt"), "--force", "--date", "2026-02-02")
    assert forced.returncode == 0, forced.stderr
    assert "date: '2026-02-02'" in (episodes / "ep1.md").read_text()
    assert sorted(p.name for p in episodes.iterdir()) == ["ep1.md", "ep2.md"]  # no temporary files left


def test_two_files_with_one_slug_in_one_run(tmp_path: Path) -> None:
    """Even with --force, the second file never silently replaces the first."""
    done = run_import(tmp_path, str(INPUTS / "labels.srt"), str(INPUTS / "voices.vtt"), "--title", "Same", "--force")
    assert done.returncode == 1
    assert "same.md was just imported from" in done.stderr
    assert "imported 1 of 2 files; 1 failed" in done.stdout


# Bad input ------------------------------------------------------------------------------------------
@pytest.mark.parametrize(("name", "message"), [
    ("empty.txt", "empty.txt: the file is empty (check you exported the whole transcript)"),
    ("binary.txt", "binary.txt: this is a binary file, not a transcript"),
    ("latin1.txt", "latin1.txt:2: the file is not UTF-8 text (byte 0xe9) (save it as UTF-8 and import again)"),
    ("truncated.json", "truncated.json:1: invalid JSON: Expecting ',' delimiter at column 66 (the file is cut short)"),
    ("notes.json", "notes.json:1: invalid JSON: Expecting value at column 1"),
    ("badtime.vtt", "badtime.vtt:8: cue 2: unreadable time in '00:00:xx.000 --> 00:00:03.000'"),
    ("cut.srt", "cut.srt:5: cue 2 has no timing line (each cue needs 'start --> end'; the file may be cut short)"),
    ("noarrow.srt", "noarrow.srt:6: cue 2: unreadable timing line '00:00:03,000 -> 00:00:04,000'"),
    ("notes.xyz", "notes.xyz: unknown format '.xyz' (pass --format text|vtt|srt|json|whisper)"),
    ("chapters.json", "chapters.json: this is a chapters file, not a transcript (pass it with --chapters"),
])
def test_bad_input_is_one_clear_line(tmp_path: Path, name: str, message: str) -> None:
    done = run_import(tmp_path, str(INPUTS / name))
    assert done.returncode == 1
    assert "Traceback" not in done.stderr
    [line] = done.stderr.strip().splitlines()
    assert line.startswith(str(INPUTS / name)) and message in line
    assert not (tmp_path / "content" / "episodes").exists()


def test_bad_chapters_file_names_itself(tmp_path: Path) -> None:
    done = run_import(tmp_path, str(INPUTS / "labels.srt"), "--chapters", str(INPUTS / "badchapters.json"))
    assert done.returncode == 1
    assert done.stderr.strip() == (f"{INPUTS / 'badchapters.json'}: chapter 2 has no startTime in seconds "
                                   "(startTime is required, e.g. 65.5)")
    assert not (tmp_path / "content" / "episodes").exists()


@pytest.mark.parametrize(("args", "message"), [
    (["--date", "2026-13-01"], "import: --date: date '2026-13-01' is not a real date"),
    (["--date", "yesterday"], "import: --date: date 'yesterday' is not in YYYY-MM-DD form (write --date 2026-01-08)"),
    (["--speaker", "SPEAKER_1"], "import: --speaker 'SPEAKER_1' is not LABEL=\"Name\""),
    ([str(INPUTS / "voices.vtt"), "--chapters", str(INPUTS / "chapters.json")],
     "import: --chapters names one chapters file but 2 transcripts were given"),
])
def test_bad_flags_are_refused_before_anything_is_read(tmp_path: Path, args: list[str], message: str) -> None:
    done = run_import(tmp_path, str(INPUTS / "labels.srt"), *args)
    assert done.returncode == 2
    [line] = done.stderr.strip().splitlines()
    assert line.startswith(message)
    assert not (tmp_path / "content" / "episodes").exists()


def test_missing_paths(tmp_path: Path) -> None:
    done = run_import(tmp_path, str(tmp_path / "nope.vtt"))
    assert done.returncode == 1
    assert done.stderr.strip() == f"{tmp_path / 'nope.vtt'}: cannot read or write: No such file or directory (check the path and its permissions)"
    done = subprocess.run([sys.executable, "-m", "ssg", "import", str(INPUTS / "labels.srt"), "--content", str(tmp_path / "none")],
                          capture_output=True, text=True, timeout=60, check=False)
    assert done.returncode == 2
    assert done.stderr.startswith(f"import: content folder '{tmp_path / 'none'}' does not exist")


def _cli(*args: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        code = cli_main(["import", *args])
    return code, out.getvalue(), err.getvalue()


def test_cut_and_damaged_files_never_crash(tmp_path: Path) -> None:
    """Every good fixture cut short at several points, or with a byte flipped: an import or one clear line."""
    content = show(tmp_path)
    cases = tmp_path / "cases"
    cases.mkdir()
    for source in sorted(INPUTS.iterdir()):
        data = source.read_bytes()
        for k, cut in enumerate((len(data) // 3, len(data) // 2, len(data) - 7)):
            (cases / f"{source.stem}-cut{k}{source.suffix}").write_bytes(data[:max(cut, 1)])
        flipped = bytearray(data)
        flipped[len(data) // 2] = ord(b"}") if data[len(data) // 2:len(data) // 2 + 1] != b"}" else ord(b"{")
        (cases / f"{source.stem}-flip{source.suffix}").write_bytes(bytes(flipped))
    for case in sorted(cases.iterdir()):
        code, _, err = _cli(str(case), "--content", str(content), "--force", "--date", "2026-01-01")
        assert code in (0, 1), (case.name, err)
        assert "bug in ssg" not in err and "Traceback" not in err, (case.name, err)
        if code:
            [line] = err.strip().splitlines()
            assert line.startswith((str(case), str(content))), line
    site, _, problems = load_site(content)
    assert site is not None and not problems.errors, [p.format() for p in problems.errors]


# Round trip through our own exports -------------------------------------------------------------------
def test_round_trip_through_our_webvtt_and_json(tmp_path: Path) -> None:
    """An episode exported as WebVTT or JSON and imported again keeps speakers, turns and times."""
    content = copy_site("basic", tmp_path / "show")
    out = tmp_path / "site"
    assert build_site(content, out, search=False).ok
    original, transcripts, _ = load_site(content)
    assert original is not None
    source = next(e for e in original.episodes if e.slug == "spring-tides-neap-tides")
    turns = transcripts[source.source].turns
    expected = [(original.speaker(t.speaker_id).name, t.start) for t in turns]  # type: ignore[union-attr]
    for name in ("transcript.vtt", "transcript.json"):
        root = tmp_path / name
        site, episode, transcript, _ = imported(root, str(out / "episodes" / source.slug / name))
        assert [(site.speaker(t.speaker_id).name, t.start) for t in transcript.turns] == expected  # type: ignore[union-attr]
        assert [plain(p) for t in transcript.turns for p in t.paragraphs] == [
            plain(p) for t in turns for p in t.paragraphs]


# The shared real inputs (skipped when ../shared is absent) ------------------------------------------
def test_seed_web_page(tmp_path: Path) -> None:
    path = shared_path("seeds", "002_f9961ba5846eb6e0.txt")
    site, episode, transcript, _ = imported(tmp_path, str(path))
    assert episode.number == 36
    assert episode.title == "OpenAI o3, DeepSeek-V3 and the Brundage/Marcus AI bet"
    assert [(c.title, c.start) for c in episode.chapters] == [
        ("Intro", 1), ("OpenAI o3", 49), ("DeepSeek-V3", 880), ("The Brundage/Marcus bet", 1680)]
    assert sorted(names(site, episode)) == ["Chris Hay", "Kate Soule", "Kush Varshney", "Tim Hwang"]
    text = " ".join(p for t in transcript.turns for p in t.paragraphs)
    assert "Listen on" not in text and "Stay on top" not in text and "Subscribe" not in text
    assert build_site(tmp_path / "content", tmp_path / "site", search=False).ok


def test_seed_labelled(tmp_path: Path) -> None:
    path = shared_path("seeds", "000_8ce30f41f98294cd.txt")
    site, episode, transcript, _ = imported(tmp_path, str(path))
    assert episode.number == 48
    assert sorted(names(site, episode)) == ["Kate Soule", "Kush Varshney", "Skyler Speakman", "Tim Hwang"]
    people = speakers_yaml(tmp_path)
    assert people["Kate Soule"]["title"] == "Director of Technical Product Management for Granite"
    assert people["Kush Varshney"]["title"] == "IBM Fellow, AI Governance"
    assert people["Skyler Speakman"]["title"] == "Senior Research Scientist"
    assert people["Tim Hwang"]["role"] == "host"
    assert "Key takeaways" not in " ".join(p for t in transcript.turns for p in t.paragraphs)


def test_seed_captions(tmp_path: Path) -> None:
    path = shared_path("seeds", "004_d802c8c43e237323.txt")
    _, episode, transcript, _ = imported(tmp_path, str(path))
    paragraphs = [p for t in transcript.turns for p in t.paragraphs]
    assert len(paragraphs) >= 20
    assert all(len(p) < 1500 for p in paragraphs)
    assert all(p[0].isupper() or not p[0].isalpha() for p in paragraphs[:10])  # paragraphs start at sentences
    assert "is a Senior Technical Product Manager with Granite" in " ".join(paragraphs)  # wrapped lines joined
    people = speakers_yaml(tmp_path)
    assert people["Abraham Daniels"]["title"] == "Senior Technical Product Manager with Granite"
    assert people["Kaoutar El Maghraoui"]["title"] == "Principal Research Scientist and Manager at the AI Hardware Center"
    assert people["Skyler Speakman"]["title"] == "Senior Research Scientist"


@pytest.mark.parametrize(("name", "expected"), [
    ("podcastns_transcripts_example.vtt", [("Sarah", 0), ("Gillian", 19)]),
    ("podcastns_transcripts_example.srt", [("Travis", 0), ("Sarah", 53), ("Travis", 102), ("Gilon", 219),
                                           ("Travis", 263), ("Gilon", 322), ("Travis", 376), ("Sarah", 562),
                                           ("Gilon", 617), ("Travis", 691)]),
    ("podcastns_transcripts_example.json", [("Darth Vader", 0), ("Luke", 2)]),
    ("transcriptator_podnews_weekly_review_2023-06-02.json", [("Speaker 1", 0), ("Speaker 2", 4)]),
])
def test_real_files_speakers_and_turn_times(tmp_path: Path, name: str, expected: list[tuple[str, int]]) -> None:
    site, episode, transcript, _ = imported(tmp_path, str(shared_path("real", name)))
    assert [(s, t) for s, t, _ in turns_of(site, transcript)] == expected
    if name.endswith(".vtt"):
        text = " ".join(p for t in transcript.turns for p in t.paragraphs)
        assert "Podcasting Q&A" in plain(text) and "&amp;" not in plain(text)
        out = tmp_path / "site"
        assert build_site(tmp_path / "content", out, search=False).ok
        page = next(out.glob("episodes/*/index.html")).read_text()
        assert "Podcasting Q&amp;A" in page and "Q&amp;amp;A" not in page


def test_real_webvtt_with_bare_seconds_and_generic_voices(tmp_path: Path) -> None:
    path = shared_path("real", "transcriptator_podnews_weekly_review_2024-01-19.vtt")
    site, episode, transcript, done = imported(tmp_path, str(path))
    got = turns_of(site, transcript)
    assert [(s, t) for s, t, _ in got[:6]] == [("SPEAKER_1", 0), ("SPEAKER_2", 4), ("SPEAKER_3", 7),
                                               ("SPEAKER_1", 14), ("SPEAKER_2", 16), ("SPEAKER_1", 18)]
    assert {s for s, _, _ in got} == {"SPEAKER_1", "SPEAKER_2", "SPEAKER_3", "SPEAKER_4"}
    assert str(episode.date) == "2024-01-19"  # from the file name
    assert "cue times are bare seconds" in done.stdout
    assert '--speaker SPEAKER_1="James Cridland"' in done.stdout


@pytest.mark.parametrize("name", ["transcriptator_kde_express-16_kde_en_telegram.vtt",
                                  "whisper-timestamped_large_apollo11.mp3.words.json"])
def test_real_files_without_speakers(tmp_path: Path, name: str) -> None:
    _, episode, transcript, done = imported(tmp_path, str(shared_path("real", name)))
    assert not episode.labelled and len(transcript.turns) >= 2
    assert episode.duration
    assert "paragraphs have no speaker label" in done.stdout
    if "kde" in name:
        assert "versión movilidad" in " ".join(p for t in transcript.turns for p in t.paragraphs)
    assert build_site(tmp_path / "content", tmp_path / "site", search=False).ok


@pytest.mark.parametrize("name", ["podcastns_transcripts_example.vtt", "podcastns_transcripts_example.srt",
                                  "podcastns_transcripts_example.json", "transcriptator_podnews_weekly_review_2023-06-02.json",
                                  "transcriptator_podnews_weekly_review_2024-01-19.vtt",
                                  "transcriptator_kde_express-16_kde_en_telegram.vtt",
                                  "whisper-timestamped_large_apollo11.mp3.words.json"])
def test_real_files_parse_back_to_the_same_turns(tmp_path: Path, name: str) -> None:
    assert_parses_back(tmp_path, shared_path("real", name))


def test_real_word_level_json_spacing(tmp_path: Path) -> None:
    _, episode, transcript, _ = imported(tmp_path, str(shared_path("real", "transcriptator_podnews_weekly_review_2023-06-02.json")))
    text = " ".join(p for t in transcript.turns for p in t.paragraphs)
    assert text.startswith("It's Friday, the 2nd of June 2023.")
    assert " ," not in text and " ." not in text


def test_real_chapters_file(tmp_path: Path) -> None:
    chapters = shared_path("real", "podcastns_chapters_exampleComplex.json")
    _, episode, transcript, done = imported(tmp_path, str(INPUTS / "labels.srt"), "--chapters", str(chapters))
    assert len(episode.chapters) == 11
    starts = [c.start for c in episode.chapters]
    assert starts == sorted(starts) and starts[-1] == 6089
    assert all(c.title for c in episode.chapters)
    untitled = [c for c in episode.chapters if c.title.startswith("Chapter at")]
    assert len(untitled) == 1 and not untitled[0].toc
    assert "chapters run past the end of the transcript" in done.stdout
    text = episode_file(tmp_path)
    assert "<podcast:" not in text and "location" not in text


# Issue #17: real transcripts, faithfully -------------------------------------------------------------
def counts(done: subprocess.CompletedProcess[str]) -> list[dict[str, tuple[int, int]]]:
    """The ``counts in -> out`` lines of an import, one per file: {what: (in, out)}."""
    out = []
    for line in done.stdout.splitlines():
        if line.startswith("  counts in -> out: "):
            out.append({what: (int(a), int(b)) for what, a, b in
                        (part.split(" ") [0:1] + part.split(" ")[1::2] for part in line.split(": ", 1)[1].split(", "))})
    return out


GOLDEN = {  # file: (turns, speakers, timestamps, words), the same in and out; words counted by hand, less labels
    "labelled.txt": (6, 3, 0, 65), "webpage.txt": (4, 4, 0, 47), "newsletter.txt": (4, 3, 0, 25),
    "otter.txt": (4, 2, 4, 40), "rev.txt": (3, 2, 3, 12), "captions.txt": (1, 0, 0, 67),
    "voices.vtt": (3, 2, 3, 17), "two_voices.vtt": (3, 2, 3, 9), "odd_text.vtt": (1, 0, 1, 30),
    "labels.srt": (3, 2, 3, 20), "midcue.srt": (2, 2, 2, 5), "transcript.json": (3, 2, 3, 7),
    "whisper.json": (1, 0, 1, 8), "whisperx.json": (3, 2, 3, 13),
    "heading.md": (5, 3, 0, 48), "episode_line.txt": (5, 3, 0, 41), "generic.txt": (5, 3, 0, 28),
    "generic.srt": (2, 2, 2, 13), "generic.vtt": (2, 2, 2, 13), "generic.json": (2, 2, 2, 13),
    "generic_whisper.json": (2, 2, 2, 13), "generic.md": (2, 2, 0, 13),
}


@pytest.mark.parametrize("name", sorted(GOLDEN))
def test_every_word_in_comes_out(tmp_path: Path, name: str) -> None:
    """The report gives turns, speakers, timestamps and words in -> out, read back by the build's reader."""
    done = run_import(tmp_path, str(INPUTS / name), "--date", "2026-01-01")
    assert done.returncode == 0, done.stderr
    [got] = counts(done)
    turns, speakers, times, words = GOLDEN[name]
    assert got == {"turns": (turns, turns), "speakers": (speakers, speakers), "timestamps": (times, times),
                   "words": (words, words)}


def test_a_lost_word_is_an_error_naming_its_line() -> None:
    """The check itself: a written file missing a word, or holding one more, names the first line they part."""
    from ssg.importing import account, text
    source = "Jane Host: one two\nthree four\n\nSam Guest: five six\n"
    episode = text.parse(source)
    known = lambda label: False  # noqa: E731
    good = "---\ntitle: t\n---\nJane Host: one two three four\n\nSam Guest: five six\n"
    assert account.check(episode, source, good, known, text.BOILERPLATE).words == (6, 6)
    for written, line in [("Jane Host: one two three\n\nSam Guest: five six\n", 2),
                          ("Jane Host: one two three four\n\nSam Guest: five six seven\n", 4)]:
        with pytest.raises(account.BadInput) as caught:
            account.check(episode, source, "---\ntitle: t\n---\n" + written, known, text.BOILERPLATE)
        assert caught.value.line == line and "words in 6 -> words out" in caught.value.message


@pytest.mark.parametrize("name", ["speaker_brackets.txt", "name_brackets.txt", "whisper_lines.txt"])
def test_plain_text_opening_with_a_bracket_is_not_json(tmp_path: Path, name: str) -> None:
    site, episode, transcript, done = imported(tmp_path, str(INPUTS / name))
    assert "JSON" not in done.stdout + done.stderr
    [got] = counts(done)
    assert got["words"][0] == got["words"][1] > 0


@pytest.mark.parametrize(("name", "expected"), [
    ("speaker_brackets.txt", [("Speaker 1", 3), ("Speaker 2", 9), ("Speaker 1", 15), ("Speaker 2", 62)]),
    ("name_brackets.txt", [("Jane Host", 724), ("Sam Guest", 730), ("Jane Host", 751), ("Sam Guest", 753)]),
    ("whisper_lines.txt", [("", 0), ("", 4), ("", 9)]),
])
def test_bracketed_labels_and_time_ranges_are_turns(tmp_path: Path, name: str, expected: list[tuple[str, int]]) -> None:
    site, episode, transcript, _ = imported(tmp_path, str(INPUTS / name))
    assert [(s, t) for s, t, _ in turns_of(site, transcript)] == expected


def test_markdown_front_matter_is_read_and_never_pasted(tmp_path: Path) -> None:
    site, episode, transcript, done = imported(tmp_path, str(INPUTS / "label_alone.md"))
    assert (episode.title, str(episode.date), episode.number) == ("The lighthouse keepers", "2025-05-01", 21)
    assert episode.description == "Two keepers on the long nights, the lamps and the log books."
    assert episode.audio_url == "https://cdn.example.org/lighthouse-21.mp3"
    assert "date: 2025-05-01 (from the file's pub_date:)" in done.stdout
    text = " ".join(p for t in transcript.turns for p in t.paragraphs)
    assert "pub_date" not in text and "lighthouse-21.mp3" not in text and "---" not in episode_file(tmp_path).split("---", 2)[2]
    assert "Tonight we climb" in text and "That settles it then." in text


def test_label_alone_on_its_line_owns_the_paragraphs_below(tmp_path: Path) -> None:
    site, episode, transcript, _ = imported(tmp_path, str(INPUTS / "label_alone.md"))
    assert [(s, len(text.split())) for s, _, text in turns_of(site, transcript)] == [
        ("Jane Host", 24), ("Sam Guest", 12), ("Jane Host", 4)]


def test_title_from_a_heading_and_the_first_turn_stays(tmp_path: Path) -> None:
    """A ``# Heading`` is the title; a voice heard once, first, is a turn, not the description; a clip is no person."""
    site, episode, transcript, done = imported(tmp_path, str(INPUTS / "heading.md"))
    assert episode.title == "Fog signals and the people who ran them"
    assert "(from the # heading)" in done.stdout
    assert not episode.description
    assert turns_of(site, transcript)[0][2].startswith("Sound the horn at the first sign of fog")
    people = speakers_yaml(tmp_path)
    assert sorted(people) == ["Jane Host", "Sam Guest"]  # "Clip" is a marker, not a person
    assert "Clip: Sound the horn" in episode_file(tmp_path)


def test_title_from_an_episode_line_and_a_one_off_voice_is_no_host(tmp_path: Path) -> None:
    site, episode, transcript, done = imported(tmp_path, str(INPUTS / "episode_line.txt"))
    assert (episode.title, episode.number) == ("The one about weirs", 7)
    assert turns_of(site, transcript)[0][:1] == ("Guest Reader",)
    assert all(entry["role"] != "host" for entry in speakers_yaml(tmp_path).values())


def test_no_date_is_made_up(tmp_path: Path) -> None:
    """No date in the file, its name or --date: none is written, the import says so, the build names the field."""
    done = run_import(tmp_path, str(INPUTS / "heading.md"))
    assert done.returncode == 0, done.stderr
    assert "  date: none found: no date written" in done.stdout
    assert "needs a human: no publication date" in done.stdout
    assert "\ndate:" not in episode_file(tmp_path)
    _, _, problems = load_site(tmp_path / "content")
    [error] = problems.errors
    assert error.message == "missing required field 'date'"


def test_title_from_the_file_name_only_last(tmp_path: Path) -> None:
    raw = tmp_path / "raw" / "harbour-report.srt"
    raw.parent.mkdir()
    shutil.copy(INPUTS / "generic.srt", raw)
    _, episode, transcript, done = imported(tmp_path, str(raw))
    assert episode.title == "Harbour report"
    assert "title: Harbour report (from the file name)" in done.stdout
    assert "needs a human: no title in the file: the file name was used; set title:" in done.stdout


@pytest.mark.parametrize(("written", "iso"), [
    ("2025-05-01", "2025-05-01"), ("2025/5/1", "2025-05-01"), ("2025-05-01T09:30:00Z", "2025-05-01"),
    ("May 1st, 2025", "2025-05-01"), ("1 May 2025", "2025-05-01"), ("1st of May, 2025", "2025-05-01"),
    ("Thu, 01 May 2025 09:30:00 +0000", "2025-05-01"), ("Sept 3, 2024", "2024-09-03"), ("sometime in May", ""),
    ("2025-02-30", ""),
])
def test_dates_in_common_spellings(written: str, iso: str) -> None:
    from ssg.importing.meta import find_date
    assert find_date(written) == iso


@pytest.mark.parametrize("name", ["generic.txt", "generic.md", "generic.vtt", "generic.srt", "generic.json",
                                  "generic_whisper.json"])
def test_generic_voices_are_the_episodes_and_can_be_named(tmp_path: Path, name: str) -> None:
    """``Speaker 1`` is nobody in speakers.yaml; ``--speaker`` names it, in every shape, whatever its case."""
    site, episode, transcript, _ = imported(tmp_path / "plain", str(INPUTS / name))
    assert not (tmp_path / "plain" / "content" / "speakers.yaml").exists()
    site, episode, transcript, _ = imported(tmp_path / "named", str(INPUTS / name), "--speaker", 'speaker 1="Jane Host"')
    assert turns_of(site, transcript)[0][0] == "Jane Host"
    assert list(speakers_yaml(tmp_path / "named")) == ["Jane Host"]


def test_two_voices_differing_only_in_case_are_one_person(tmp_path: Path) -> None:
    vtt = tmp_path / "case.vtt"
    vtt.write_text("WEBVTT\n\n00:00.000 --> 00:02.000\n<v jane host>Hello.\n\n00:02.000 --> 00:04.000\n"
                   "<v Sam>Hi.\n\n00:04.000 --> 00:06.000\n<v Jane Host>Bye.\n")
    site, episode, transcript, _ = imported(tmp_path, str(vtt))
    assert [s for s, _, _ in turns_of(site, transcript)] == ["jane host", "Sam", "jane host"]
    assert sorted(speakers_yaml(tmp_path)) == ["Sam", "jane host"]
    assert build_site(tmp_path / "content", tmp_path / "site", search=False).ok


def test_folder_takes_markdown_and_finds_hosts_by_episodes(tmp_path: Path) -> None:
    """``ssg import FOLDER`` reads .md too; who is heard in most episodes hosts; a voice heard once does not."""
    folder = tmp_path / "raw"
    folder.mkdir()
    for n, guest in enumerate(["Ola Berg", "Pia Lund", "Rui Costa"], start=1):
        (folder / f"ep{n}.md").write_text(
            f"---\ntitle: Episode {n}\ndate: 2026-01-0{n}\n---\nJane Host: Welcome to episode {n}.\n\n"
            f"{guest}: Thanks for having me.\n\nJane Host: Bye.\n")
    (folder / "ep4.txt").write_text("Jane Host: A short one.\n\nSam Guest: Indeed.\n\nJane Host: Bye.\n")
    done = run_import(tmp_path, str(folder), "--date", "2026-02-01")
    assert done.returncode == 0, done.stderr
    assert "imported 4 of 4 files" in done.stdout
    roles = {name: entry["role"] for name, entry in speakers_yaml(tmp_path).items()}
    assert roles == {"Jane Host": "host", "Ola Berg": "guest", "Pia Lund": "guest", "Rui Costa": "guest",
                     "Sam Guest": "guest"}
    site, _, problems = load_site(tmp_path / "content")
    assert site is not None and not problems.errors
    assert sorted(e.title for e in site.episodes) == ["Ep4", "Episode 1", "Episode 2", "Episode 3"]


def test_real_files_lose_no_word(tmp_path: Path) -> None:
    """Every shared real transcript imports with words in == words out (and a table for the report)."""
    folder = SHARED_INPUTS
    files = sorted(p for sub in ("seeds", "real") for p in (folder / sub).glob("*")
                   if p.suffix in (".txt", ".vtt", ".srt", ".json") and "chapters" not in p.name)
    if not files:
        pytest.skip(f"{folder} holds no shared inputs (set SSG_SHARED)")
    for k, path in enumerate(files):
        done = run_import(tmp_path / str(k), str(path), "--date", "2026-01-01")
        assert done.returncode == 0, done.stderr
        [got] = counts(done)
        assert got["words"][0] == got["words"][1] > 0, path.name
        assert got["turns"][0] == got["turns"][1], path.name
