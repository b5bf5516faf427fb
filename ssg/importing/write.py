"""Turn an ``ImportedEpisode`` into content files: one episode file, and the new people.

The episode file is YAML front matter (times quoted, so no YAML reader takes
``1:30`` for a number) and a body of ``[HH:MM:SS] Name: text`` turns with a
blank line between turns and paragraphs. Every paragraph is checked against
``ssg.transcript``, the parser the build uses, so that text which would read
as a label or a chapter heading is escaped and the file parses back to the
same turns. New people are appended to ``speakers.yaml`` (or written as
``speakers/<id>.yaml`` when the show keeps one file per person); existing
entries are never changed. Files are written all at once or not at all.
"""

from __future__ import annotations

import math
import os
import re
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from ssg.errors import Problems
from ssg.importing.intros import is_generic, is_marker
from ssg.importing.model import BadInput, ImportedChapter, ImportedEpisode
from ssg.loading import SpeakerIndex, label_key, load_speakers
from ssg.timecode import format_hms
from ssg.transcript import DEFAULT_MARKERS, marker_of, starts_turn
from ssg.urls import is_safe_slug, slugify

_NOT_IN_LABELS = re.compile(r"[:*\[\]()<>\n\\]")
_ENTITY = re.compile(r"&(?=#?\w+;)")
_EMPHASIS_UNDERSCORE = re.compile(r"(?<!\w)_|_(?!\w)")


class _Clock(str):
    """A time string that YAML must quote."""


class _Dumper(yaml.SafeDumper):  # type: ignore[misc]
    """The safe dumper, with times always quoted."""


_Dumper.add_representer(
    _Clock, lambda dumper, value: dumper.represent_scalar("tag:yaml.org,2002:str", str(value), style='"'))


def dump_yaml(data: object) -> str:
    """YAML the way content files are written: keys in order, Unicode kept, times quoted."""
    return str(yaml.dump(data, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=100))


# Who is who -------------------------------------------------------------------
@dataclass(slots=True)
class Cast:
    """The people of one import: who each label is, and who must be added to the speakers file."""

    index: SpeakerIndex
    """The speakers the show already declares."""
    ids: dict[str, str] = field(default_factory=dict)
    """Name or label as used in the episode -> speaker id (generic labels have none)."""
    labels: dict[str, str] = field(default_factory=dict)
    """Name or label as used in the episode -> what the body writes before the colon."""
    added: list[dict[str, object]] = field(default_factory=list)
    """New entries for the speakers file."""
    notes: list[str] = field(default_factory=list)
    """Things a human should check (a title the speakers file lacks)."""

    def known(self) -> Callable[[str], bool]:
        """Whether the build will take a label for a declared speaker, once this import is written."""
        names = frozenset(label_key(n) for n in self.labels.values())
        return lambda label: self.index.known(label) or label_key(label) in names


def load_cast(content: Path) -> SpeakerIndex:
    """The show's declared speakers; a broken speakers file stops the import before anything is written."""
    problems = Problems()
    index = load_speakers(content, str(content), problems)
    if problems.errors:
        first = problems.errors[0]
        raise BadInput(first.message, first.line, "fix the speakers file first, then import again", path=first.path)
    return index


def cast_episode(episode: ImportedEpisode, index: SpeakerIndex, aliases: dict[str, str],
                 hosts: frozenset[str] | None = None) -> Cast:
    """Resolve every speaker of the episode to an existing or a new speaker id.

    Labels that differ only in case are one person. Generic voices
    (``Speaker 1``) and markers (``Clip``) are written as they are and are
    nobody's entry. A new person is a host when ``hosts`` (the people heard
    in most episodes of a folder import, by ``label_key``) says so; without
    it, when the introductions say so and the voice is heard more than once.
    """
    cast = Cast(index)
    taken = set(index.speakers) | set(index.labels)  # a new id must not be someone's alias either
    first: dict[str, str] = {}  # label_key -> the spelling met first
    turns: dict[str, int] = {}
    for turn in episode.turns:
        if turn.speaker:
            turns[label_key(turn.speaker)] = turns.get(label_key(turn.speaker), 0) + 1
    for name in _names_in_order(episode):
        key = label_key(name)
        if key in first:
            same = first[key]
            cast.labels[name] = cast.labels[same]
            if same in cast.ids:
                cast.ids[name] = cast.ids[same]
            continue
        first[key] = name
        if is_generic(name) or is_marker(name):
            cast.labels[name] = name
            continue
        sid = index.lookup(name)
        if sid is not None:
            existing = index.speakers[sid]
            cast.ids[name] = sid
            cast.labels[name] = _writable_label(existing.name, existing.aliases, sid, name)
            person = episode.person(name)
            if person and person.title and not existing.title:
                cast.notes.append(f"{existing.name} has no title in {existing.source}; "
                                  f"the introduction says \"{person.title}\"")
            continue
        clean = " ".join(_NOT_IN_LABELS.sub(" ", name).split())[:60].strip() or "Speaker"
        sid = _new_id(clean, taken)
        taken.add(sid)
        person = episode.person(name)
        if hosts is not None and key in hosts:
            role = "host"
        elif person is not None and person.role == "host" and turns.get(key, 0) != 1 and hosts is None:
            role = "host"  # introduced as the host, and not a voice heard once
        else:
            role = "guest"
        entry: dict[str, object] = {"id": sid, "name": clean, "role": role}
        if person and person.title:
            entry["title"] = person.title
        other = [label for label, full in aliases.items()
                 if full == name and label != clean and not is_generic(label)]
        if clean != name:
            other.insert(0, name)
        if other:
            entry["aliases"] = other
        cast.added.append(entry)
        cast.ids[name] = sid
        cast.labels[name] = clean
    return cast


def _names_in_order(episode: ImportedEpisode) -> list[str]:
    """Hosts (when they speak, or nobody is labelled), speakers in order, then others introduced."""
    speakers = list(dict.fromkeys(t.speaker for t in episode.turns if t.speaker))
    hosts = [p.name for p in episode.people if p.role == "host" and (not speakers or p.name in speakers)]
    rest = [p.name for p in episode.people if p.role != "host"]
    return list(dict.fromkeys(hosts + speakers + rest))


def _writable_label(name: str, aliases: tuple[str, ...], sid: str, fallback: str) -> str:
    """The first of a declared speaker's name, aliases and id that can stand before a colon."""
    for candidate in (name, *aliases, sid, fallback):
        if candidate and not _NOT_IN_LABELS.search(candidate) and len(candidate) <= 60:
            return candidate.strip()
    return sid


def _new_id(name: str, taken: set[str]) -> str:
    stem = slugify(name)
    if not is_safe_slug(stem):
        stem = "speaker"
    sid, n = stem, 2
    while sid in taken:
        sid, n = f"{stem}-{n}", n + 1
    return sid


# The episode file -------------------------------------------------------------
def episode_text(episode: ImportedEpisode, cast: Cast, date: str, audio_url: str) -> str:
    """The episode file: front matter, then the transcript."""
    return f"---\n{dump_yaml(front_matter(episode, cast, date, audio_url))}---\n{body(episode, cast)}"


def front_matter(episode: ImportedEpisode, cast: Cast, date: str, audio_url: str) -> dict[str, Any]:
    """The front matter fields, in the order the README shows them."""
    meta: dict[str, Any] = {"title": episode.title or "Untitled episode"}
    if date:
        meta["date"] = date
    if episode.number is not None:
        meta["episode"] = episode.number
    if episode.duration and not _chapters_past_end(episode):
        meta["duration"] = _Clock(format_hms(math.ceil(episode.duration)))
    if audio_url:
        meta["audio_url"] = audio_url
    if episode.description:
        meta["description"] = episode.description
    ids = list(dict.fromkeys(cast.ids.values()))
    if ids:
        meta["speakers"] = ids
    if episode.chapters:
        meta["chapters"] = [chapter_entry(chapter, _Clock(format_hms(chapter.start))) for chapter in episode.chapters]
    return meta


def chapter_entry(chapter: ImportedChapter, start: object) -> dict[str, Any]:
    """A chapter as front matter writes it, its start already in the form to write."""
    item: dict[str, Any] = {"start": start, "title": chapter.title}
    if chapter.url:
        item["url"] = chapter.url
    if chapter.img:
        item["img"] = chapter.img
    if not chapter.toc:
        item["toc"] = False
    return item


def _chapters_past_end(episode: ImportedEpisode) -> bool:
    return bool(episode.chapters and episode.duration and episode.chapters[-1].start > episode.duration)


def chapter_notes(episode: ImportedEpisode) -> list[str]:
    """A note when the chapters run past the end of the transcript."""
    if not _chapters_past_end(episode):
        return []
    last, end = format_hms(episode.chapters[-1].start), format_hms(episode.duration or 0)
    note = f"chapters run past the end of the transcript ({last} > {end}): check both files are for this episode"
    return [note + "; duration left out"]


def body(episode: ImportedEpisode, cast: Cast) -> str:
    """The transcript: a turn per block, ``[HH:MM:SS] Name: text``, blank lines between paragraphs."""
    blocks: list[str] = []
    known = cast.known()
    for turn in episode.turns:
        paragraphs: list[str] = []
        for paragraph in (safe_paragraph(p, episode.markdown, known) for p in turn.paragraphs if p.strip()):
            if paragraphs and starts_turn(paragraph, known):  # a leading [00:03] or marker would start a turn:
                paragraphs[-1] += " " + paragraph                # kept in the paragraph before, words in order
            else:
                paragraphs.append(paragraph)
        stamp = f"[{format_hms(turn.start)}] " if turn.start is not None else ""
        if not paragraphs:
            if turn.speaker and marker_of(turn.speaker, DEFAULT_MARKERS):  # a word-less marker: [TIME] [Music]
                blocks.append(f"{stamp}[{escape_markdown(turn.speaker)}]")
            continue
        if turn.speaker:
            paragraphs[0] = f"{stamp}{cast.labels.get(turn.speaker, turn.speaker)}: {paragraphs[0]}"
        elif stamp:  # an unlabelled timed paragraph keeps its time: [HH:MM:SS] text
            paragraphs[0] = f"{stamp}{paragraphs[0]}"
        blocks.extend(paragraphs)
    return "\n\n".join(blocks) + "\n"


def safe_paragraph(text: str, markdown: bool, known: Callable[[str], bool]) -> str:
    """One paragraph as it must be written: literal text escaped, and never read as a label or heading."""
    text = " ".join(text.split())
    if not markdown:
        text = escape_markdown(text)
    if text.startswith("#"):
        text = "\\" + text
    start = 0
    while ":" in text[start:] and starts_turn(text, known):
        colon = text.index(":", start)
        text = f"{text[:colon]}\\:{text[colon + 1:]}"
        start = colon + 2
    return text


def escape_markdown(text: str) -> str:
    """Literal text (captions, JSON) made safe as inline Markdown: shown exactly as it was."""
    text = text.replace("\\", "\\\\").replace("`", "\\`").replace("*", "\\*")
    text = text.replace("[", "\\[").replace("]", "\\]").replace("<", "\\<")
    text = _EMPHASIS_UNDERSCORE.sub(r"\\_", text)
    return _ENTITY.sub(r"\\&", text)


# The speakers file --------------------------------------------------------------
def speakers_files(content: Path, cast: Cast) -> dict[Path, str]:
    """The speakers file(s) with the new people added, or nothing when nobody is new."""
    if not cast.added:
        return {}
    single = content / "speakers.yaml"
    folder = content / "speakers"
    if folder.is_dir() and not single.exists():
        return {folder / f"{entry['id']}.yaml": dump_yaml(entry) for entry in cast.added}
    existing = single.read_text(encoding="utf-8") if single.is_file() else ""
    separator = "" if not existing or existing.endswith("\n") else "\n"
    if existing.strip() in ("[]", "--- []"):
        existing, separator = "", ""
    return {single: existing + separator + dump_yaml(cast.added)}


# Writing --------------------------------------------------------------------------
def write_all(files: dict[Path, str]) -> None:
    """Write several files so that either all of them change or none does.

    Each is written to a temporary file beside it, then all are renamed into
    place; a failure before the renames leaves every file as it was.
    """
    staged: list[tuple[Path, Path]] = []
    try:
        for path, text in files.items():
            path.parent.mkdir(parents=True, exist_ok=True)
            handle, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
            staged.append((Path(name), path))
            with os.fdopen(handle, "w", encoding="utf-8", newline="\n") as out:
                out.write(text)
    except BaseException:
        for temporary, _ in staged:
            temporary.unlink(missing_ok=True)
        raise
    for temporary, final in staged:
        os.replace(temporary, final)
