"""Turn an ``Imported`` into our content files: one episode file and new entries in speakers.yaml."""

from __future__ import annotations

import datetime as dt
import os
import tempfile
from pathlib import Path

import yaml

from ssg.importing.model import Imported
from ssg.timecode import format_hms
from ssg.urls import slugify


def speaker_id(name: str) -> str:
    """The id a new speaker gets (their name as a slug)."""
    return slugify(name) or "speaker"


def episode_text(imported: Imported, names: dict[str, str], date: str, audio_url: str) -> str:
    """The episode file: YAML front matter, then one ``[time] Name: text`` turn per paragraph block."""
    meta: dict[str, object] = {"title": imported.title or "Untitled episode", "date": date}
    if imported.number is not None:
        meta["episode"] = imported.number
    if imported.duration:
        meta["duration"] = format_hms(imported.duration)
    if audio_url:
        meta["audio_url"] = audio_url
    if imported.description:
        meta["description"] = imported.description
    people = [h for h in imported.hosts if not any(t.speaker for t in imported.turns)]
    for turn in imported.turns:
        name = names.get(turn.speaker, turn.speaker)
        if name and name not in people:
            people.append(name)
    for guest in imported.guests:
        if guest not in people and any(guest in " ".join(t.paragraphs) for t in imported.turns):
            people.append(guest)
    if people:
        meta["speakers"] = [speaker_id(p) for p in people]
    if imported.chapters:
        chapters = []
        for chapter in imported.chapters:
            item: dict[str, object] = {"start": format_hms(chapter.start), "title": chapter.title}
            if chapter.url:
                item["url"] = chapter.url
            if chapter.img:
                item["img"] = chapter.img
            if not chapter.toc:
                item["toc"] = False
            chapters.append(item)
        meta["chapters"] = chapters
    front = str(yaml.safe_dump(meta, sort_keys=False, allow_unicode=True, width=100))
    body: list[str] = []
    for turn in imported.turns:
        name = names.get(turn.speaker, turn.speaker)
        paragraphs = [" ".join(p.split()) for p in turn.paragraphs if p.strip()]
        if not paragraphs:
            continue
        if name:
            stamp = f"[{format_hms(turn.start)}] " if turn.start is not None else ""
            body.append(f"{stamp}{name}: {paragraphs[0]}")
            body.extend(paragraphs[1:])
        else:
            body.extend(paragraphs)
    return f"---\n{front}---\n" + "\n\n".join(body) + "\n"


def speakers_update(path: Path, people: list[str], imported: Imported, aliases: dict[str, str]) -> str | None:
    """speakers.yaml with entries added for new people (existing entries kept as they are), or None."""
    existing_text = path.read_text(encoding="utf-8") if path.is_file() else ""
    try:
        existing = yaml.safe_load(existing_text) if existing_text.strip() else []
    except yaml.YAMLError:
        existing = None
    if not isinstance(existing, list):
        return None
    known: set[str] = set()
    for entry in existing:
        if isinstance(entry, dict):
            for key in ("id", "name"):
                if entry.get(key):
                    known.add(str(entry[key]).casefold())
            for alias in entry.get("aliases") or []:
                known.add(str(alias).casefold())
    added = []
    for name in people:
        if name.casefold() in known or speaker_id(name) in known:
            continue
        new: dict[str, object] = {"id": speaker_id(name), "name": name,
                                    "role": "host" if name in imported.hosts else "guest"}
        if imported.titles.get(name):
            new["title"] = imported.titles[name]
        labels = [label for label, full in aliases.items() if full == name and label != name]
        if labels:
            new["aliases"] = labels
        added.append(new)
        known.add(name.casefold())
    if not added:
        return None
    addition = str(yaml.safe_dump(added, sort_keys=False, allow_unicode=True, width=100))
    separator = "" if not existing_text or existing_text.endswith("\n") else "\n"
    return existing_text + separator + addition


def today() -> str:
    return dt.date.today().isoformat()


def write_all(files: dict[Path, str]) -> None:
    """Write several files so that either all of them change or none does."""
    staged: list[tuple[Path, Path]] = []
    try:
        for path, text in files.items():
            path.parent.mkdir(parents=True, exist_ok=True)
            handle, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
            with os.fdopen(handle, "w", encoding="utf-8") as out:
                out.write(text)
            staged.append((Path(name), path))
    except BaseException:
        for temporary, _ in staged:
            temporary.unlink(missing_ok=True)
        raise
    for temporary, final in staged:
        os.replace(temporary, final)
