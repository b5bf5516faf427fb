"""``ssg import``: raw transcripts of every common shape become content files.

Each input shape has its own reader (``text``, ``vtt``, ``srt``,
``podcast_json``, ``whisper``, and ``chapters`` for ``--chapters``); all of
them produce an ``Imported``; ``intros`` adds what the host's introductions
say; ``write`` makes the episode file and the new speakers' entries.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from ssg.importing import chapters as chapters_reader
from ssg.importing import intros, podcast_json, srt, text, vtt, whisper
from ssg.importing.model import Imported, ImportError_
from ssg.importing.write import episode_text, speaker_id, speakers_update, today, write_all
from ssg.urls import slugify

SUFFIXES = {".txt": "text", ".md": "text", ".vtt": "vtt", ".srt": "srt", ".json": "json"}


def read_input(path: Path) -> str:
    """A file's text, refusing empty, binary and non-UTF-8 files."""
    data = path.read_bytes()
    if not data.strip():
        raise ImportError_("the file is empty", None, "check you exported the whole transcript")
    if b"\x00" in data[:4096]:
        raise ImportError_("this is a binary file, not a transcript", None,
                           "import text, WebVTT, SRT or JSON transcripts")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[:exc.start].count(b"\n") + 1
        raise ImportError_("the file is not UTF-8 text", line, "save it as UTF-8 and import again") from None


def detect(path: Path, content: str, forced: str | None) -> str:
    """The input's format: forced, by suffix, or by sniffing the text."""
    if forced:
        return forced
    head = content.lstrip()[:200]
    if head.startswith("WEBVTT"):
        return "vtt"
    if head.startswith(("{", "[")):
        return "json"
    if path.suffix.lower() == ".srt" or (head.split("\n", 1)[0].strip().isdigit() and "-->" in head):
        return "srt"
    kind = SUFFIXES.get(path.suffix.lower())
    if kind is None:
        raise ImportError_(f"unknown format '{path.suffix or path.name}'", None,
                           "pass --format text|vtt|srt|json|whisper")
    return kind


def parse(path: Path, forced: str | None) -> Imported:
    """Read one input file into an ``Imported``."""
    content = read_input(path)
    kind = detect(path, content, forced)
    if kind == "vtt":
        return vtt.parse(content)
    if kind == "srt":
        return srt.parse(content)
    if kind in ("json", "whisper"):
        try:
            data = json.loads(content)
        except json.JSONDecodeError as exc:
            raise ImportError_(f"invalid JSON: {exc.msg}", exc.lineno, "the file may be truncated") from None
        if isinstance(data, dict) and "chapters" in data and "segments" not in data:
            raise ImportError_("this is a chapters file, not a transcript", None,
                               "pass it with --chapters next to its transcript")
        segments = data.get("segments") if isinstance(data, dict) else None
        first = segments[0] if isinstance(segments, list) and segments else {}
        if kind == "whisper" or (isinstance(first, dict) and "text" in first and "body" not in first):
            return whisper.parse(data)
        return podcast_json.parse(data)
    return text.parse(content)


def inputs(paths: list[str]) -> list[Path]:
    """Files to import: the files given, and the transcripts inside folders given."""
    out: list[Path] = []
    for name in paths:
        path = Path(name)
        if path.is_dir():
            out += sorted(p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in SUFFIXES
                          and not p.name.startswith("."))
        else:
            out.append(path)
    return out


def _aliases(pairs: list[str]) -> dict[str, str]:
    out: dict[str, str] = {}
    for pair in pairs:
        label, sep, name = pair.partition("=")
        if not sep or not label.strip() or not name.strip():
            raise ImportError_(f"--speaker {pair!r} is not LABEL=\"Name\"", None, 'write --speaker SPEAKER_1="Jane Doe"')
        out[label.strip()] = name.strip().strip('"')
    return out


def import_one(path: Path, args: argparse.Namespace, aliases: dict[str, str]) -> list[str]:
    """Import one file; returns lines to print. Raises ``ImportError_``."""
    imported = parse(path, args.format)
    if not imported.turns:
        raise ImportError_("no transcript text found", None, "check the file is a transcript")
    if args.chapters:
        chapter_path = Path(args.chapters)
        try:
            imported.chapters = chapters_reader.parse(json.loads(read_input(chapter_path)))
        except json.JSONDecodeError as exc:
            raise ImportError_(f"{chapter_path}: invalid JSON: {exc.msg}", exc.lineno, "the file may be truncated") from None
    intros.infer(imported)
    if args.title:
        imported.title = args.title
    if args.episode is not None:
        imported.number = args.episode
    needs: list[str] = []
    if not imported.title:
        imported.title = path.stem.replace("_", " ").replace("-", " ").strip().capitalize()
        needs.append("no title found: the file name was used; set title:")
    date = args.date or imported.date
    if not date:
        date = today()
        needs.append("no publication date found: set date: (today's date was written)")
    unlabelled = sum(1 for t in imported.turns if not t.speaker)
    if unlabelled:
        needs.append(f"{unlabelled} paragraphs have no speaker label: add 'Name:' labels where you can")
    if not args.audio_url:
        needs.append("no audio_url: add it (and audio_bytes) so the episode goes into the feed")
    content = Path(args.content)
    episodes = content / "episodes"
    target = episodes / f"{slugify(imported.title)[:80] or slugify(path.stem) or 'episode'}.md"
    if target.exists() and not args.force:
        raise ImportError_(f"{target} already exists", None, "pass --force to overwrite it")
    labels = {t.speaker for t in imported.turns if t.speaker}
    names = {label: aliases.get(label, label) for label in labels}
    people: list[str] = [h for h in imported.hosts if not labels or h in names.values()]
    for turn in imported.turns:
        name = names.get(turn.speaker, "")
        if name and name not in people:
            people.append(name)
    for guest in imported.guests:
        if guest not in people:
            people.append(guest)
    files = {target: episode_text(imported, names, date, args.audio_url or "")}
    update = speakers_update(content / "speakers.yaml", people, imported, aliases)
    if update is not None:
        files[content / "speakers.yaml"] = update
    write_all(files)
    out = [f"imported {path} -> {target}",
           f"  title: {imported.title}" + (f" (episode {imported.number})" if imported.number is not None else ""),
           f"  {len(imported.turns)} turns, {len(imported.chapters)} chapters, speakers: "
           + (", ".join(f"{p}" + (f" ({imported.titles[p]})" if p in imported.titles else "") for p in people)
              or "none")]
    out += [f"  needs a human: {need}" for need in needs]
    return out


def main(args: argparse.Namespace) -> int:
    """Run ``ssg import``."""
    try:
        aliases = _aliases(args.speaker)
    except ImportError_ as exc:
        print(f"import: {exc.message} ({exc.hint})", file=sys.stderr)
        return 2
    files = inputs(args.paths)
    if not files:
        print("import: no transcript files found (give files, or folders holding .txt/.vtt/.srt/.json)",
              file=sys.stderr)
        return 1
    failed = 0
    for path in files:
        try:
            for line in import_one(path, args, aliases):
                print(line)
        except ImportError_ as exc:
            where = f"{path}:{exc.line}" if exc.line else str(path)
            hint = f" ({exc.hint})" if exc.hint else ""
            print(f"{where}: {exc.message}{hint}", file=sys.stderr)
            failed += 1
        except OSError as exc:
            print(f"{path}: cannot read: {exc.strerror} (check the path)", file=sys.stderr)
            failed += 1
    return 1 if failed else 0
