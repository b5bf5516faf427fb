"""``ssg import``: raw transcripts of every common shape become content files.

``detect`` reads a file and decides its shape; one reader per shape
(``text`` with ``meta`` for the file's own front matter, title and date,
``vtt``, ``srt``, ``podcast_json``, ``whisper``, and ``chapters`` for a
chapters file) returns an ``ImportedEpisode``; ``intros`` adds who the host
introduces; flags fill or override what was inferred. Every file of a run is
read first, so that a folder import knows who is heard in most episodes (the
hosts); then ``write`` makes each episode file and the new speakers' entries,
all at once or not at all, after ``account`` has read the written file back
with the build's reader and found every word of the source in it.
Every problem is one line, ``path:line: message (hint)``.
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from ssg.importing import account, detect, intros, meta, text, write
from ssg.importing import chapters as chapters_reader
from ssg.importing.model import BadInput, ImportedEpisode
from ssg.importing.read import FOLDER_SUFFIXES, _parse
from ssg.importing.read import parse as parse  # re-exported: ssg.importing.parse reads one file
from ssg.loading import label_key, parse_date
from ssg.timecode import format_clock, format_hms
from ssg.urls import slugify

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


@dataclass(slots=True)
class Read:
    """One transcript read, before anything is written."""

    job: Job
    episode: ImportedEpisode
    source: str
    """The file's text, for the words-in count."""
    sources: dict[str, str] = field(default_factory=dict)
    """Where the title, date and number came from."""
    needs: list[str] = field(default_factory=list)
    """What a human should still do."""


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
    read: list[Read] = []
    for job in jobs:
        found = _guarded(job, lambda job=job: read_one(job, options))
        if found is None:
            failed += 1
        else:
            read.append(found)
    hosts = folder_hosts([r.episode for r in read]) if len(jobs) > 1 else None
    for item in read:
        lines = _guarded(item.job, lambda item=item: write_one(item, options, written, hosts))
        if lines is None:
            failed += 1
        else:
            for line in lines:
                print(line)
    if len(jobs) > 1:
        print(f"imported {len(jobs) - failed} of {len(jobs)} files" + (f"; {failed} failed" if failed else ""))
    return 1 if failed else 0


def _guarded(job: Job, step: Any) -> Any:
    """``step()``, or None after printing its failure as one line (never a traceback)."""
    try:
        return step()
    except BadInput as exc:
        print(exc.format(job.path), file=sys.stderr)
    except OSError as exc:
        where = exc.filename or job.path
        print(f"{where}: cannot read or write: {exc.strerror or exc} (check the path and its permissions)",
              file=sys.stderr)
    except Exception as exc:  # noqa: BLE001 - a traceback reaching a user is a bug; say so in one line
        print(f"{job.path}: cannot import: {type(exc).__name__}: {str(exc)[:200]} (this is a bug in ssg; please report it)",
              file=sys.stderr)
    return None


def folder_hosts(episodes: list[ImportedEpisode]) -> frozenset[str]:
    """The people (by ``label_key``) heard in more than half of the episodes, and in at least two."""
    heard: Counter[str] = Counter()
    for episode in episodes:
        heard.update({label_key(t.speaker) for t in episode.turns
                      if t.speaker and not intros.is_generic(t.speaker) and not intros.is_marker(t.speaker)})
    return frozenset(key for key, n in heard.items() if n >= 2 and n * 2 > len(episodes))


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
        label, name = " ".join(label.strip().strip("\"'").split()), " ".join(name.strip().strip("\"'").split())
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
        raise BadInput("no transcript files found", None,
                       "give files, or folders holding .txt, .md, .vtt, .srt or .json files")
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


def read_chapters(path: Path) -> ImportedEpisode:
    """Chapters from a chapters file, as an episode holding nothing else."""
    try:
        data, notes = detect.scrub_data(detect.load_json(detect.scrub(detect.read_input(path))[0]))
        return ImportedEpisode(turns=(), chapters=chapters_reader.parse(data), notes=tuple(notes))
    except BadInput as exc:
        raise BadInput(exc.message, exc.line, exc.hint, path=str(path)) from None
    except OSError as exc:
        raise BadInput(f"cannot read the chapters file: {exc.strerror}", None, "check the path", path=str(path)) from None


def import_one(job: Job, options: Options, written: dict[Path, Path]) -> list[str]:
    """Import one file; returns the lines to print. Raises ``BadInput``; writes nothing then."""
    return write_one(read_one(job, options), options, written, None)


def read_one(job: Job, options: Options) -> Read:
    """Read one transcript and everything the flags and its chapters file add; writes nothing."""
    episode, source = _parse(job.path, options.format)
    if not episode.turns:
        raise BadInput("no transcript text found", None, "check the file is a transcript")
    if options.aliases:
        named = {label_key(label): name for label, name in options.aliases.items()}
        episode = replace(episode, turns=tuple(replace(t, speaker=named.get(label_key(t.speaker), t.speaker))
                                               for t in episode.turns))
    if job.chapters is not None:
        chapters = read_chapters(job.chapters)
        episode = replace(episode, chapters=chapters.chapters, notes=episode.notes + chapters.notes)
    _check_chapters(episode, job)
    episode = intros.infer(episode)
    episode, sources, needs = _fill_in(episode, job.path, options)
    return Read(job, episode, source, sources, needs)


def _check_chapters(episode: ImportedEpisode, job: Job) -> None:
    """Refuse chapters that the content file's whole seconds would put at one time."""
    seen: dict[int, str] = {}
    for chapter in episode.chapters:
        second = int(chapter.start)
        if second in seen:
            raise BadInput(f"chapters '{seen[second]}' and '{chapter.title}' start in the same second "
                           f"({format_hms(second)}); content files keep chapter times to the second", None,
                           "move one of them a second or more, or remove it", path=str(job.chapters or job.path))
        seen[second] = chapter.title


def write_one(item: Read, options: Options, written: dict[Path, Path], hosts: frozenset[str] | None) -> list[str]:
    """Write one read transcript, once the written file reads back with every word of the source."""
    job, episode = item.job, item.episode
    cast = write.cast_episode(episode, write.load_cast(options.content), options.aliases, hosts)
    target = options.content / "episodes" / f"{_file_slug(episode.title, job.path)}.md"
    if target in written:
        raise BadInput(f"{target} was just imported from {written[target]}", None,
                       "give this one its own --title, or import it on its own")
    if target.exists() and not options.force:
        raise BadInput(f"{target} already exists", None, "pass --force to overwrite it")
    audio_url = options.audio_url or episode.audio_url
    episode_text = write.episode_text(episode, cast, episode.date, audio_url)
    counts = account.check(episode, item.source, episode_text, cast.known(), text.BOILERPLATE, options.aliases)
    files = {target: episode_text}
    files.update(write.speakers_files(options.content, cast))
    write.write_all(files)
    written[target] = job.path
    needs = list(item.needs)
    if counts.dropped:
        needs.append(f"{len(counts.dropped)} lines of page text (menus, sign-up lines) were left out: "
                     f"lines {_ranges(counts.dropped)}")
    needs += cast.notes + write.chapter_notes(episode) + list(episode.notes) + _unlabelled(episode)
    if not audio_url:
        needs.append("no audio_url: add it (and audio_bytes) so the episode goes into the feed")
    lines = _report(job, target, episode, cast, item.sources) + [counts.line()]
    return lines + [f"  needs a human: {n}" for n in needs]


def _ranges(numbers: tuple[int, ...]) -> str:
    """``3-5, 9``."""
    out: list[str] = []
    for n in numbers:
        if out and out[-1].split("-")[-1] == str(n - 1):
            out[-1] = out[-1].split("-")[0] + f"-{n}"
        else:
            out.append(str(n))
    return ", ".join(out[:8]) + (", ..." if len(out) > 8 else "")


def _fill_in(episode: ImportedEpisode, path: Path, options: Options) -> tuple[ImportedEpisode, dict[str, str], list[str]]:
    """Apply the flags over what was read, and fill what is still missing; says where each came from.

    The file name is the title's last resort (with a note); a date is never
    made up: with none in the file, its name or ``--date``, none is written,
    and the build names the missing field.
    """
    found = dict(episode.sources)
    sources = {"title": found.get("title", "from the text"), "date": found.get("date", "from the text"),
               "number": found.get("number", "from the text")}
    needs: list[str] = []
    if options.title:
        episode, sources["title"] = replace(episode, title=options.title), "from --title"
    elif not episode.title:
        title = " ".join(path.stem.replace("_", " ").replace("-", " ").split()).capitalize() or "Untitled episode"
        episode, sources["title"] = replace(episode, title=title), "from the file name"
        needs.append("no title in the file: the file name was used; set title:")
    if options.number is not None:
        episode, sources["number"] = replace(episode, number=options.number), "from --episode"
    named = meta.find_date(path.stem.replace("_", " "))
    if options.date:
        episode, sources["date"] = replace(episode, date=options.date), "from --date"
    elif not episode.date and named:
        episode, sources["date"] = replace(episode, date=named), "from the file name"
    elif not episode.date:
        sources["date"] = "none found: no date written"
        needs.append("no publication date in the file or its name: none was written, and the build will "
                     "say date: is missing; set date: (or import again with --date)")
    return episode, sources, needs


def _unlabelled(episode: ImportedEpisode) -> list[str]:
    """A note when paragraphs name no speaker."""
    unlabelled = [t for t in episode.turns if not t.speaker]
    if not unlabelled:
        return []
    return [f"{len(unlabelled)} paragraphs have no speaker label: add 'Name:' labels where you can"]


def _file_slug(title: str, path: Path) -> str:
    slug = slugify(title)[:80].strip("-")
    return slug or slugify(path.stem)[:80].strip("-") or "episode"


def _report(job: Job, target: Path, episode: ImportedEpisode, cast: write.Cast, sources: dict[str, str]) -> list[str]:
    """What was imported and what was inferred, one fact a line."""
    lines = [f"imported {job.path} -> {target}",
             f"  title: {episode.title} ({sources['title']})"]
    if episode.number is not None:
        lines.append(f"  episode: {episode.number} ({sources['number']})")
    lines.append(f"  date: {episode.date} ({sources['date']})" if episode.date else f"  date: {sources['date']}")
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
