"""``ssg import``: raw transcripts of every common shape become content files that build."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from conftest import FIXTURES, shared_path
from ssg.build import build_site
from ssg.load import load_site
from ssg.model import Episode, Site

INPUTS = FIXTURES / "import"
SITE = "title: Imports\nbase_url: https://imports.example.org/\n"


def run_import(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    content = root / "content"
    if not (content / "site.yaml").exists():
        content.mkdir(parents=True, exist_ok=True)
        (content / "site.yaml").write_text(SITE)
    return subprocess.run([sys.executable, "-m", "ssg", "import", *args, "--content", str(content)],
                          cwd=root, capture_output=True, text=True, timeout=120, env={**os.environ, "NO_COLOR": "1"})


def imported(root: Path, *args: str) -> tuple[Site, Episode, subprocess.CompletedProcess[str]]:
    done = run_import(root, *args)
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr
    site, problems = load_site(root / "content")
    assert site is not None, [p.format() for p in problems]
    assert not problems.errors
    episodes = [e for e in site.episodes]
    assert len(episodes) == 1
    return site, episodes[0], done


def speakers_yaml(root: Path) -> dict[str, dict[str, object]]:
    data = yaml.safe_load((root / "content" / "speakers.yaml").read_text())
    return {entry["name"]: entry for entry in data}


def names(site: Site, episode: Episode) -> list[str]:
    return [site.speaker(a.speaker_id).name for a in episode.appearances]  # type: ignore[union-attr]


def test_labelled_text_with_introductions(tmp_path: Path) -> None:
    site, episode, done = imported(tmp_path, str(INPUTS / "labelled.txt"), "--date", "2026-04-01")
    assert episode.title == "Can a city learn to love its rivers again?"
    assert episode.number == 12
    assert names(site, episode) == ["Mina Park", "Lars Holm", "Ruth Adeyemi"]
    people = speakers_yaml(tmp_path)
    assert people["Lars Holm"]["title"] == "Chief Engineer at the Example City Water Board"
    assert people["Ruth Adeyemi"]["title"] == "Senior Lecturer in Urban Ecology"
    assert people["Mina Park"]["role"] == "host"
    assert len(episode.turns) == 6
    assert episode.turns[-1].paragraphs == ("Mostly because they smelled. Note: that is the polite version.",)
    assert "needs a human: no audio_url" in done.stdout


def test_web_page_scrape(tmp_path: Path) -> None:
    site, episode, _ = imported(tmp_path, str(INPUTS / "webpage.txt"))
    assert episode.title == "Daylighting rivers, and the bet about beavers"
    assert episode.number == 14
    assert [(c.title, c.start) for c in episode.chapters] == [
        ("Intro", 2), ("Seoul's stream", 75), ("Beavers as engineers", 760), ("The bet", 1505)]
    assert names(site, episode) == ["Mina Park", "Omar Said", "Lars Holm", "Ruth Adeyemi"]
    assert episode.description.startswith("Is it time to dig the rivers back up?")
    text = " ".join(p for t in episode.turns for p in t.paragraphs)
    for boilerplate in ("Listen on", "Episode transcript", "Subscribe", "Stay on top", "artwork"):
        assert boilerplate not in text
    lars = [t for t in episode.turns if t.speaker_id == "lars-holm"][0]
    assert lars.paragraphs == ("I disagree a little.", "Actually, I disagree a lot.")
    assert speakers_yaml(tmp_path)["Omar Said"]["title"] == "Policy Researcher at the Example Institute"


def test_unlabelled_captions_become_paragraphs(tmp_path: Path) -> None:
    site, episode, done = imported(tmp_path, str(INPUTS / "captions.txt"))
    assert not episode.labelled
    assert all(t.speaker_id is None for t in episode.turns)
    text = " ".join(p for t in episode.turns for p in t.paragraphs)
    assert "dig the rivers back up in our cities" in text  # lines joined mid-sentence
    people = speakers_yaml(tmp_path)
    assert people["Omar Said"]["title"] == "Policy Researcher at the Example Institute"
    assert people["Ruth Adeyemi"]["title"] == "Senior Lecturer in Urban Ecology"
    assert {"Mina Park", "Omar Said", "Ruth Adeyemi"} <= set(people)
    assert people["Mina Park"]["role"] == "host"
    assert "paragraphs have no speaker label" in done.stdout


def test_webvtt_voices_entities_and_merging(tmp_path: Path) -> None:
    site, episode, _ = imported(tmp_path, str(INPUTS / "voices.vtt"), "--title", "Voices", "--episode", "3")
    assert (episode.title, episode.number) == ("Voices", 3)
    turns = [(site.speaker(t.speaker_id).name, t.start, t.paragraphs) for t in episode.turns]  # type: ignore[union-attr]
    assert turns == [
        ("Mina Park", 0, ("Welcome back to Waterways & friends. Today: rivers.",)),
        ("Lars Holm", 4, ("Thanks <Mina>. Rivers are &amp; great.",)),
        ("Mina Park", 67, ("Back to me.",)),
    ]


def test_srt_labels_carry_over(tmp_path: Path) -> None:
    site, episode, _ = imported(tmp_path, str(INPUTS / "labels.srt"))
    turns = [(site.speaker(t.speaker_id).name, t.start, " ".join(t.paragraphs)) for t in episode.turns]  # type: ignore[union-attr]
    assert turns == [("Mina Park", 0, "Welcome to Waterways. Today we talk about rivers."),
                     ("Lars Holm", 4, "Thanks for having me. It is good to be back."),
                     ("Mina Park", 9, "Let's begin.")]


def test_podcasting20_json_words_merge_into_turns(tmp_path: Path) -> None:
    site, episode, _ = imported(tmp_path, str(INPUTS / "transcript.json"), "--chapters", str(INPUTS / "chapters.json"))
    turns = [(t.label, t.start, " ".join(t.paragraphs)) for t in episode.turns]
    assert turns == [("Mina Park", 0, "Welcome back, listeners."), ("Lars Holm", 2, "Hello there!"),
                     ("Mina Park", 4, "Rivers first.")]
    chapters = [(c.title, c.start, c.toc, c.url) for c in episode.chapters]
    assert chapters == [("Intro", 0, True, ""), ("Chapter at 0:30", 30, False, ""),
                        ("Rivers & streams", 65, True, "https://example.org/r"), ("Hidden", 90, False, "")]
    out = tmp_path / "site"
    assert build_site(tmp_path / "content", out, search=False).ok
    page = next(out.glob("episodes/*/index.html")).read_text()
    assert "<b>Rivers</b>" not in page and "Rivers &amp; streams" in page


def test_whisper_json(tmp_path: Path) -> None:
    _, episode, _ = imported(tmp_path, str(INPUTS / "whisper.json"))
    assert " ".join(p for t in episode.turns for p in t.paragraphs) == "Houston, we read you. Copy that. Standing by."
    assert episode.duration == 4


def test_speaker_flag_names_generic_labels(tmp_path: Path) -> None:
    vtt = tmp_path / "generic.vtt"
    vtt.write_text("WEBVTT\n\n0.000 --> 2.000\n<v SPEAKER_1>Hello.\n\n2.5 --> 4\n<v SPEAKER_2>Hi.\n")
    site, episode, _ = imported(tmp_path, str(vtt), "--speaker", 'SPEAKER_1="Jane Doe"')
    assert names(site, episode) == ["Jane Doe", "SPEAKER_2"]
    assert speakers_yaml(tmp_path)["Jane Doe"]["aliases"] == ["SPEAKER_1"]
    assert [t.start for t in episode.turns] == [0, 2]  # content files keep times to the second


def test_folder_import_and_no_overwrite(tmp_path: Path) -> None:
    folder = tmp_path / "raw"
    folder.mkdir()
    for name in ("labels.srt", "whisper.json"):
        shutil.copy(INPUTS / name, folder / name)
    done = run_import(tmp_path, str(folder))
    assert done.returncode == 0, done.stderr
    assert len(list((tmp_path / "content" / "episodes").glob("*.md"))) == 2
    target = tmp_path / "content" / "episodes" / "labels.md"
    before = target.read_text()
    again = run_import(tmp_path, str(folder / "labels.srt"), "--title", "Changed")
    assert again.returncode == 0 or again.returncode == 1
    assert target.read_text() == before or "Changed" not in before
    clash = run_import(tmp_path, str(folder / "labels.srt"))
    assert clash.returncode == 1 and "already exists (pass --force to overwrite it)" in clash.stderr
    assert target.read_text() == before
    assert run_import(tmp_path, str(folder / "labels.srt"), "--force", "--title", "Labels").returncode == 0


@pytest.mark.parametrize(("name", "message"), [
    ("empty.txt", "empty.txt: the file is empty (check you exported the whole transcript)"),
    ("binary.txt", "binary.txt: this is a binary file, not a transcript"),
    ("truncated.json", "truncated.json:1: invalid JSON:"),
    ("badtime.vtt", "badtime.vtt:8: cue 2: unreadable time in '00:00:xx.000 --> 00:00:03.000'"),
    ("notes.xyz", "notes.xyz: unknown format '.xyz' (pass --format text|vtt|srt|json|whisper)"),
    ("chapters.json", "chapters.json: this is a chapters file, not a transcript (pass it with --chapters"),
])
def test_bad_input_is_one_clear_line(tmp_path: Path, name: str, message: str) -> None:
    done = run_import(tmp_path, str(INPUTS / name))
    assert done.returncode == 1
    assert "Traceback" not in done.stderr
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and message in lines[0]
    assert lines[0].startswith(str(INPUTS / name))
    assert not (tmp_path / "content" / "episodes").exists() or not list((tmp_path / "content" / "episodes").iterdir())


def test_round_trip_through_our_webvtt_and_json(tmp_path: Path) -> None:
    """An episode exported as WebVTT or JSON and imported again keeps speakers, turns and times."""
    from conftest import copy_site
    content = copy_site("basic", tmp_path / "show")
    out = tmp_path / "site"
    assert build_site(content, out, search=False).ok
    original, _ = load_site(content)
    assert original is not None
    source = [e for e in original.episodes if e.slug == "spring-tides-neap-tides"][0]
    expected = [(original.speaker(t.speaker_id).name, t.start) for t in source.turns]  # type: ignore[union-attr]
    for name in ("transcript.vtt", "transcript.json"):
        root = tmp_path / name
        site, episode, _ = imported(root, str(out / "episodes" / source.slug / name))
        assert [(site.speaker(t.speaker_id).name, t.start) for t in episode.turns] == expected  # type: ignore[union-attr]
        assert [p for t in episode.turns for p in t.paragraphs] == [
            p.replace("*", "") for t in source.turns for p in t.paragraphs]


# The shared real inputs (skipped when ../shared is absent) ------------------------------------
def test_seed_web_page(tmp_path: Path) -> None:
    path = shared_path("seeds", "002_f9961ba5846eb6e0.txt")
    site, episode, _ = imported(tmp_path, str(path))
    assert episode.number == 36
    assert [(c.title, c.start) for c in episode.chapters] == [
        ("Intro", 1), ("OpenAI o3", 49), ("DeepSeek-V3", 880), ("The Brundage/Marcus bet", 1680)]
    assert sorted(names(site, episode)) == ["Chris Hay", "Kate Soule", "Kush Varshney", "Tim Hwang"]


def test_seed_labelled(tmp_path: Path) -> None:
    path = shared_path("seeds", "000_8ce30f41f98294cd.txt")
    site, episode, _ = imported(tmp_path, str(path))
    assert sorted(names(site, episode)) == ["Kate Soule", "Kush Varshney", "Skyler Speakman", "Tim Hwang"]
    people = speakers_yaml(tmp_path)
    assert people["Kate Soule"]["title"] == "Director of Technical Product Management for Granite"
    assert people["Kush Varshney"]["title"] == "IBM Fellow, AI Governance"
    assert people["Skyler Speakman"]["title"] == "Senior Research Scientist"
    assert people["Tim Hwang"]["role"] == "host"


def test_seed_captions(tmp_path: Path) -> None:
    path = shared_path("seeds", "004_d802c8c43e237323.txt")
    _, episode, _ = imported(tmp_path, str(path))
    paragraphs = [p for t in episode.turns for p in t.paragraphs]
    assert len(paragraphs) >= 20
    assert all(len(p) < 1500 for p in paragraphs)
    assert "is a Senior Technical Product Manager with Granite" in " ".join(paragraphs)  # wrapped lines joined
    assert {"Abraham Daniels", "Kaoutar El Maghraoui", "Skyler Speakman"} <= set(speakers_yaml(tmp_path))


@pytest.mark.parametrize("name", ["podcastns_transcripts_example.vtt", "transcriptator_podnews_weekly_review_2024-01-19.vtt",
                                  "transcriptator_kde_express-16_kde_en_telegram.vtt", "podcastns_transcripts_example.srt",
                                  "podcastns_transcripts_example.json", "transcriptator_podnews_weekly_review_2023-06-02.json",
                                  "whisper-timestamped_large_apollo11.mp3.words.json"])
def test_real_files_import_and_build(tmp_path: Path, name: str) -> None:
    path = shared_path("real", name)
    site, episode, _ = imported(tmp_path, str(path))
    assert episode.turns
    starts = [t.start for t in episode.turns if t.start is not None and not t.estimated]
    assert starts == sorted(starts)
    if name.endswith(".srt") or "podcastns_transcripts_example.vtt" in name:
        assert len({a.speaker_id for a in episode.appearances}) >= 2
        assert episode.timed
    assert build_site(tmp_path / "content", tmp_path / "site", search=False).ok


def test_real_chapters_file(tmp_path: Path) -> None:
    chapters = shared_path("real", "podcastns_chapters_exampleComplex.json")
    _, episode, _ = imported(tmp_path, str(INPUTS / "labels.srt"), "--chapters", str(chapters))
    assert episode.chapters
    starts = [c.start for c in episode.chapters]
    assert starts == sorted(starts)
    assert all(c.title for c in episode.chapters)
