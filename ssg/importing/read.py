"""One input file read with the reader for its shape (``detect`` decides which).

Its own module so that ``ssg.importing`` (the command) and ``feed`` (a feed
import pairing transcripts with items) both use it without importing each other.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from ssg.importing import detect, podcast_json, srt, text, vtt, whisper
from ssg.importing.model import ImportedEpisode

FOLDER_SUFFIXES = frozenset({".txt", ".text", ".md", ".markdown", ".vtt", ".webvtt", ".srt", ".json"})
"""Files a folder import picks up."""


def parse(path: Path, forced: str | None) -> ImportedEpisode:
    """Read one input file with the reader for its format."""
    return _parse(path, forced)[0]


def _parse(path: Path, forced: str | None) -> tuple[ImportedEpisode, str]:
    """The episode read from ``path``, and the file's text (NUL characters and lone surrogates removed)."""
    content, notes = detect.scrub(detect.read_input(path))
    kind = detect.detect(path, content, forced)
    if kind == "vtt":
        episode = vtt.parse(content)
    elif kind == "srt":
        episode = srt.parse(content)
    elif kind in ("json", "whisper"):
        data, more = detect.scrub_data(detect.load_json(content))
        notes += more
        episode = whisper.parse(data) if detect.json_kind(data, forced) == "whisper" else podcast_json.parse(data)
    else:
        episode = text.parse(content)
    return replace(episode, notes=tuple(notes) + episode.notes), content
