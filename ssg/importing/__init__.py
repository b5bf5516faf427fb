"""``ssg import``: raw transcripts of every common shape become content files.

``detect`` reads a file and decides its shape; one reader per shape
(``text``, ``vtt``, ``srt``, ``podcast_json``, ``whisper``, and ``chapters``
for a chapters file) returns an ``ImportedEpisode``; ``intros`` adds who the
host introduces; flags fill or override what was inferred; ``write`` makes
the episode file and the new speakers' entries, all at once or not at all.
Every problem is one line, ``path:line: message (hint)``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from dataclasses import dataclass, replace
from pathlib import Path

from ssg.importing import chapters as chapters_reader
from ssg.importing import detect, intros, podcast_json, srt, text, vtt, whisper, write
from ssg.importing.model import BadInput, ImportedEpisode
from ssg.load import parse_date
from ssg.timecode import format_clock, format_hms
from ssg.urls import slugify

FOLDER_SUFFIXES = frozenset({".txt", ".text", ".vtt", ".webvtt", ".srt", ".json"})
"""Files a folder import picks up (``.md`` only when named: content files are ``.md`` too)."""
CHAPTER_SUFFIXES = (".chapters.json", "-chapters.json", "_chapters.json")
"""A chapters file beside a transcript ``ep.vtt`` is ``ep.chapters.json`` (or ``-``/``_``)."""


@dataclass(frozen=True, slots=True)
class Options:
    """What the command line asks of every file."""

    content: Path
    format: str | None
    title: str
    number: int | None
    date: str
    audio_url: str
    aliases: dict[str, str]
    chapters: Path | None
    force: bool


@dataclass(frozen=True, slots=True)
class Job:
    """One transcript to import, with the chapters file that goes with it."""

    path: Path
    chapters: Path | None


def main(args: argparse.Namespace) -> int:
    """Run ``ssg import``: 0 when every file was imported, 1 when any failed, 2 for bad arguments."""
    if getattr(args, "feed", None):
        from ssg.importing import feed

        return feed.main(args)
    try:
        options = _options(args)
        jobs = inputs(args.paths, options.chapters)
    except BadInput as exc:
        print(exc.format("import"), file=sys.stderr)
        return 2
    written: dict[Path, Path] = {}
    failed = 0
    for job in jobs:
        try:
            for line in import_one(job, options, written):
                print(line)
        except BadInput as exc:
            print(exc.format(job.path), file=sys.stderr)
            failed += 1
        except OSError as exc:
            where = exc.filename or job.path
            print(f"{where}: cannot read or write: {exc.strerror or exc} (check the path and its permissions)",
                  file=sys.stderr)
            failed += 1
        except Exception as exc:  # noqa: BLE001 - a traceback reaching a user is a bug; say so in one line
            print(f"{job.path}: cannot import: {type(exc).__name__}: {exc} (this is a bug in ssg; please report it)",
                  file=sys.stderr)
            failed += 1
    if len(jobs) > 1:
        print(f"imported {len(jobs) - failed} of {len(jobs)} files" + (f"; {failed} failed" if failed else ""))
    return 1 if failed else 0


def _options(args: argparse.Namespace) -> Options:
    """Check the flags once, before any file is read."""
    content = Path(args.content)
    if not content.is_dir():
        raise BadInput(f"content folder '{content}' does not exist", None,
                       f"start a show with 'ssg new {content}', or pass --content DIR")
    date = (args.date or "").strip()
    if date:
        parsed, problem = parse_date(date)
        if parsed is None:
            raise BadInput(f"--date: {problem}", None, "write --date 2026-01-08")
        date = parsed.isoformat()
    if args.episode is not None and args.episode < 0:
        raise BadInput("--episode must be 0 or more", None, "write --episode 12")
    title = (args.title or "").strip()
    if args.title is not None and not title:
        raise BadInput("--title is empty", None, 'write --title "The one about tides"')
    return Options(content=content, format=args.format, title=title, number=args.episode, date=date,
                   audio_url=(args.audio_url or "").strip(), aliases=_aliases(args.speaker),
                   chapters=Path(args.chapters) if args.chapters else None, force=args.force)


def _aliases(pairs: list[str]) -> dict[str, str]:
    """``--speaker LABEL="Name"`` flags as a mapping."""
    out: dict[str, str] = {}
    for pair in pairs:
        label, sep, name = pair.partition("=")
        label, name = label.strip(), " ".join(name.strip().strip("\"'").split())
        if not sep or not label or not name:
            raise BadInput(f"--speaker {pair!r} is not LABEL=\"Name\"", None, 'write --speaker SPEAKER_1="Jane Doe"')
        out[label] = name
    return out


def inputs(paths: list[str], chapters: Path | None) -> list[Job]:
    """The transcripts to import: files as given, and the transcripts inside folders given.

    In a folder, chapters files are not transcripts: ``ep.chapters.json``
    goes with ``ep.vtt``, and other chapters files are skipped with a note.
    """
    jobs: list[Job] = []
    for name in paths:
        path = Path(name)
        if path.is_dir():
            found = sorted(p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in FOLDER_SUFFIXES
                           and not any(part.startswith(".") for part in p.relative_to(path).parts)
                           and not p.name.lower().endswith(CHAPTER_SUFFIXES))
            for p in found:
                if _is_chapters_file(p):
                    print(f"{p}: skipped: a chapters file (name it <transcript>.chapters.json to go with "
                          "its transcript)", file=sys.stderr)
                else:
                    jobs.append(Job(p, _beside(p)))
        else:
            jobs.append(Job(path, _beside(path) if path.is_file() else None))
    if not jobs:
        raise BadInput("no transcript files found", None, "give files, or folders holding .txt, .vtt, .srt or .json files")
    if chapters is not None:
        if len(jobs) > 1:
            raise BadInput(f"--chapters names one chapters file but {len(jobs)} transcripts were given", None,
                           "import one transcript with --chapters, or put ep.chapters.json beside ep.vtt")
        jobs = [Job(jobs[0].path, chapters)]
    return jobs


def _is_chapters_file(path: Path) -> bool:
    """True for a JSON chapters file (anything unreadable is left for the import to report)."""
    if path.suffix.lower() != ".json":
        return False
    try:
        return chapters_reader.looks_like_chapters(detect.load_json(detect.read_input(path)))
    except (BadInput, OSError):
        return False


def _beside(path: Path) -> Path | None:
    """A chapters file next to a transcript, named after it."""
    for suffix in CHAPTER_SUFFIXES:
        candidate = path.with_name(path.stem + suffix)
        if candidate.is_file() and candidate != path:
            return candidate
    return None


def parse(path: Path, forced: str | None) -> ImportedEpisode:
    """Read one input file with the reader for its format."""
    content = detect.read_input(path)
    kind = detect.detect(path, content, forced)
    if kind == "vtt":
        return vtt.parse(content)
    if kind == "srt":
        return srt.parse(content)
    if kind in ("json", "whisper"):
        data = detect.load_json(content)
        if detect.json_kind(data, forced) == "whisper":
            return whisper.parse(data)
        return podcast_json.parse(data)
    return text.parse(content)


def read_chapters(path: Path) -> ImportedEpisode:
    """Chapters from a chapters file, as an episode holding nothing else."""
    try:
        data = detect.load_json(detect.read_input(path))
        return ImportedEpisode(turns=(), chapters=chapters_reader.parse(data))
    except BadInput as exc:
        raise BadInput(exc.message, exc.line, exc.hint, path=str(path)) from None
    except OSError as exc:
        raise BadInput(f"cannot read the chapters file: {exc.strerror}", None, "check the path", path=str(path)) from None


def import_one(job: Job, options: Options, written: dict[Path, Path]) -> list[str]:
    """Import one file; returns the lines to print. Raises ``BadInput``; writes nothing then."""
    episode = parse(job.path, options.format)
    if not episode.turns:
        raise BadInput("no transcript text found", None, "check the file is a transcript")
    if options.aliases:
        episode = replace(episode, turns=tuple(replace(t, speaker=options.aliases.get(t.speaker, t.speaker))
                                               for t in episode.turns))
    if job.chapters is not None:
        episode = replace(episode, chapters=read_chapters(job.chapters).chapters)
    episode = intros.infer(episode)
    episode, sources, needs = _fill_in(episode, job.path, options)
    cast = write.cast_episode(episode, write.load_cast(options.content), options.aliases)
    target = options.content / "episodes" / f"{_file_slug(episode.title, job.path)}.md"
    if target in written:
        raise BadInput(f"{target} was just imported from {written[target]}", None,
                       "give this one its own --title, or import it on its own")
    if target.exists() and not options.force:
        raise BadInput(f"{target} already exists", None, "pass --force to overwrite it")
    files = {target: write.episode_text(episode, cast, episode.date, options.audio_url)}
    files.update(write.speakers_files(options.content, cast))
    write.write_all(files)
    written[target] = job.path
    needs += cast.notes + write.chapter_notes(episode) + list(episode.notes) + _unlabelled(episode)
    if not options.audio_url:
        needs.append("no audio_url: add it (and audio_bytes) so the episode goes into the feed")
    return _report(job, target, episode, cast, sources) + [f"  needs a human: {n}" for n in needs]


def _fill_in(episode: ImportedEpisode, path: Path, options: Options) -> tuple[ImportedEpisode, dict[str, str], list[str]]:
    """Apply the flags over what was inferred, and fill what is still missing; says where each came from."""
    sources = {"title": "from the text", "date": "from the text", "number": "from the text"}
    needs: list[str] = []
    if options.title:
        episode, sources["title"] = replace(episode, title=options.title), "from --title"
    elif not episode.title:
        title = " ".join(path.stem.replace("_", " ").replace("-", " ").split()).capitalize() or "Untitled episode"
        episode, sources["title"] = replace(episode, title=title), "from the file name"
        needs.append("no title in the text: the file name was used; set title:")
    if options.number is not None:
        episode, sources["number"] = replace(episode, number=options.number), "from --episode"
    named = text.find_date(path.stem.replace("_", " "))
    if options.date:
        episode, sources["date"] = replace(episode, date=options.date), "from --date"
    elif not episode.date and named:
        episode, sources["date"] = replace(episode, date=named), "from the file name"
    elif not episode.date:
        episode, sources["date"] = replace(episode, date=dt.date.today().isoformat()), "today's date"
        needs.append("no publication date in the text: today's date was written; set date: (or use --date)")
    return episode, sources, needs


def _unlabelled(episode: ImportedEpisode) -> list[str]:
    """A note when paragraphs name no speaker (and lose their cue times for it)."""
    unlabelled = [t for t in episode.turns if not t.speaker]
    if not unlabelled:
        return []
    timed = any(t.start is not None for t in unlabelled)
    return [f"{len(unlabelled)} paragraphs have no speaker label: add 'Name:' labels where you can"
            + ("; their cue times are kept only once labelled" if timed else "")]


def _file_slug(title: str, path: Path) -> str:
    slug = slugify(title)[:80].strip("-")
    return slug or slugify(path.stem)[:80].strip("-") or "episode"


def _report(job: Job, target: Path, episode: ImportedEpisode, cast: write.Cast, sources: dict[str, str]) -> list[str]:
    """What was imported and what was inferred, one fact a line."""
    lines = [f"imported {job.path} -> {target}",
             f"  title: {episode.title} ({sources['title']})"]
    if episode.number is not None:
        lines.append(f"  episode: {episode.number} ({sources['number']})")
    lines.append(f"  date: {episode.date} ({sources['date']})")
    if episode.description:
        lines.append(f"  description: {_short(episode.description)}")
    if episode.duration:
        lines.append(f"  duration: {format_hms(episode.duration)} (end of the last cue)")
    timed = sum(1 for t in episode.turns if t.start is not None and t.speaker)
    speakers = list(dict.fromkeys(cast.labels.get(t.speaker, t.speaker) for t in episode.turns if t.speaker))
    lines.append(f"  transcript: {len(episode.turns)} turns" + (f", {timed} with times" if timed else "")
                 + (f"; speakers: {', '.join(speakers)}" if speakers else ""))
    if episode.chapters:
        where = f" (from {job.chapters})" if job.chapters else ""
        lines.append(f"  chapters{where}: " + "; ".join(f"{format_clock(c.start)} {c.title}" for c in episode.chapters))
    for entry in cast.added:
        title = f", {entry['title']}" if entry.get("title") else ""
        lines.append(f"  new speaker: {entry['name']} ({entry['role']}{title})")
    return lines


def _short(text: str, limit: int = 80) -> str:
    return text if len(text) <= limit else text[: limit - 1].rsplit(" ", 1)[0] + " …"
