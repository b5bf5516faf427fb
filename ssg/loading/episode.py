"""Episode: one ``episodes/*.md`` file read into an ``Episode`` (its header) and its ``Transcript``.

Front matter fields, soundbites, voices, speakers named in front matter,
chapters placed on the transcript's turns, and each speaker's appearance;
the transcript's turns and times come from ``ssg.loading.timeline``.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path

from ssg import frontmatter, markup, urls
from ssg.errors import Problems
from ssg.files import Read
from ssg.loading.fields import Fields, _load_mapping, _shown, parse_date, read_text
from ssg.loading.speakers import SpeakerIndex, label_key
from ssg.loading.timeline import _transcript
from ssg.model import QUOTE_CHARS, Appearance, Chapter, Episode, Quote, Soundbite, Speaker, Transcript, Turn
from ssg.timecode import format_clock, parse_time
from ssg.transcript import Body, is_generic, parse_body

EPISODE_FIELDS = frozenset(
    """title date episode season slug duration audio_url audio_bytes audio_type description
    speakers chapters tags image episode_type explicit guid soundbites voices""".split()
)
EPISODE_TYPES = ("full", "trailer", "bonus")


@dataclass(slots=True)
class Loaded:
    """An episode as loaded: its header, its transcript, and the inferred speakers it introduced."""

    episode: Episode
    transcript: Transcript | None
    """None once it was handed to an episode store (``ssg.loading.site``), which keeps it."""
    inferred: dict[str, Speaker]


def load_episode(path: Path, rel: str, root: Path, index: SpeakerIndex,
                 problems: Problems, reads: dict[str, Read] | None = None) -> Loaded | None:
    """Load one episode file; problems are appended, None when it cannot be used.

    With ``reads``, the file as read is recorded there (``ssg.files.read_bytes``).
    """
    text = read_text(path, rel, root, problems, reads)
    if text is None:
        return None
    try:
        parts = frontmatter.split(text)
    except frontmatter.FrontMatterError as exc:
        problems.error(rel, exc.line, exc.message, exc.hint)
        return None
    before = len(problems.errors)
    f = _load_mapping(parts.meta_text, rel, parts.meta_line, problems, "front matter")
    if f is None:
        return None
    data = f.data
    f.unknown(EPISODE_FIELDS, "front matter")
    title = f.text("title", required=True)
    date_text = f.text("date", required=True)
    date: dt.date | None = None
    if date_text:
        date, problem = parse_date(date_text)
        if problem:
            problems.error(rel, f.line("date"), problem, "write the day it was published as YYYY-MM-DD, e.g. date: 2026-03-01")
    number = f.integer("episode")
    season = f.integer("season", minimum=1)
    slug = f.text("slug")
    if slug:
        if not urls.is_safe_slug(slug):
            problems.error(rel, f.line("slug"), f"slug '{slug}' may only hold letters, digits and inner hyphens",
                           "write slug: my-episode (no '/', '.' or '..')")
            slug = ""
        elif urls.too_long(slug):
            problems.error(rel, f.line("slug"), f"slug '{_shown(slug)}' is longer than {urls.MAX_SLUG_BYTES} bytes",
                           "write a shorter slug: it names the episode's folder")
            slug = ""
    elif title:
        slug = urls.slugify(title)
        if not slug:
            problems.error(rel, f.line("title"), "title gives an empty URL slug", "add slug: my-episode")
    duration = None
    if data.get("duration") is not None:
        duration = parse_time(data["duration"])
        if duration is None:
            problems.error(rel, f.line("duration"), f"duration '{_shown(data['duration'])}' is not a time",
                           "write duration: \"1:02:03\", \"42:10\" or a number of seconds, under 10,000 hours")
    audio_url = f.url("audio_url")
    audio_bytes = f.integer("audio_bytes")
    episode_type = f.text("episode_type", default="full") or "full"
    if episode_type not in EPISODE_TYPES:
        problems.error(rel, f.line("episode_type"), f"episode_type '{episode_type}' is not one of full, trailer, bonus",
                       "write episode_type: full")
        episode_type = "full"
    description = f.text("description")
    tags = tuple(dict.fromkeys(f.strings("tags")))
    explicit = f.boolean("explicit")
    soundbites = _soundbites(data.get("soundbites"), duration, f, problems)

    known = index.known
    body = parse_body(parts.body, parts.body_line, known, index.markers)
    inferred: dict[str, Speaker] = {}
    for suspect in body.suspects:
        problems.warning(rel, suspect.line,
                         f"'{suspect.label}' looks like a speaker label but was read as words of the turn before it",
                         f"declare '{suspect.label}' in speakers.yaml (or as an alias of someone there) "
                         "to make it a label")
    voices = _voices(data.get("voices"), f, problems)

    def resolve(label: str, line: int, where: str) -> str:
        sid = index.lookup(label)
        if sid is not None:
            return sid
        sid = urls.slugify(label) or "speaker"
        while sid in index.speakers:
            sid += "-x"
        if sid not in inferred:
            inferred[sid] = Speaker(id=sid, name=" ".join(label.split()), role="",
                                    declared=False, source=rel, line=line)
            problems.warning(rel, line, f"{where} '{label}' matches no declared speaker",
                             f"add '{label}' to speakers.yaml, or as an alias of someone there")
        return sid

    def resolve_turn(label: str, line: int, where: str) -> str | None:
        """A turn label's speaker; None for a generic voice the episode does not map (it stays a label)."""
        key = label_key(label)
        if key in voices:
            return resolve(voices[key], line, "voice")
        if index.lookup(label) is None and is_generic(label):
            return None
        return resolve(label, line, where)

    # Speakers named in front matter.
    roles: dict[str, str] = {}
    fm_speakers = data.get("speakers")
    if fm_speakers is not None and not isinstance(fm_speakers, list):
        problems.error(rel, f.line("speakers"), "'speakers' must be a list of ids or names",
                       "write speakers: [jane, Sam Guest]")
        fm_speakers = []
    for i, entry in enumerate(fm_speakers or []):
        role = ""
        if isinstance(entry, dict):
            name = str(entry.get("id") or entry.get("name") or "").strip()
            role = str(entry.get("role") or "").strip()
        elif isinstance(entry, (str, int)) and not isinstance(entry, bool):
            name = str(entry).strip()
        else:
            name = ""
        if not name:
            problems.error(rel, f.at("speakers", i),
                           f"speakers[{i}] must be an id or a name", "write speakers: [jane, Sam Guest]")
            continue
        sid = resolve(name, f.at("speakers", i), "speaker")
        roles.setdefault(sid, role)

    # Turns: identity, words, times.
    turns, anchors, timed = _transcript(body.turns, resolve_turn, duration, rel, problems)

    chapters = _chapters(data.get("chapters"), body, turns, duration, timed, anchors, f, problems)
    appearances = _appearances(roles, turns, index, inferred)

    if len(problems.errors) > before or not title or date is None or not slug:
        return None
    episode = Episode(
        source=rel, slug=slug, title=title, date=date, number=number, season=season,
        duration=duration, audio_url=audio_url, audio_bytes=audio_bytes,
        audio_type=f.text("audio_type", default="audio/mpeg") or "audio/mpeg",
        description=description,
        summary=summarize(description) or summarize(next((t.paragraphs[0] for t in turns if t.paragraphs), "")),
        image=f.url("image"),
        episode_type=episode_type, explicit=explicit, guid=f.text("guid"), tags=tags,
        appearances=appearances, chapters=chapters, turn_count=len(turns), timed=timed,
        labelled=body.labelled, soundbites=soundbites,
        line_of={key: f.line(key) for key in data},
    )
    return Loaded(episode, Transcript(turns), inferred)


def _soundbites(value: object, duration: float | None, f: Fields,
                problems: Problems) -> tuple[Soundbite, ...]:
    """``soundbites: [{start, duration, title, id}]`` from front matter; each gets its clip page's id."""
    if value is None:
        return ()
    hint = 'write soundbites: [{start: "12:30", duration: 45, title: The best bit}]'
    if not isinstance(value, list):
        problems.error(f.rel, f.line("soundbites"), "'soundbites' must be a list of {start, duration, title}", hint)
        return ()
    out: list[Soundbite] = []
    for i, item in enumerate(value):
        line = f.at("soundbites", i)
        if not isinstance(item, dict):
            problems.error(f.rel, line, f"soundbites[{i}] must be a mapping with start and duration", hint)
            continue
        start = parse_time(item["start"]) if item.get("start") is not None else None
        length = parse_time(item["duration"]) if item.get("duration") is not None else None
        if start is None or length is None or length <= 0:
            problems.error(f.rel, line, f"soundbites[{i}] needs a start time and a duration above zero", hint)
            continue
        if duration is not None and start + length > duration + 1:
            problems.error(f.rel, line, f"soundbites[{i}] ends past the duration ({format_clock(duration)})",
                           "fix its start or duration")
            continue
        title = item.get("title")
        own = " ".join(str(item["id"]).split()) if item.get("id") is not None else ""
        if own and (not urls.is_safe_slug(own) or urls.too_long(own)):
            problems.error(f.rel, line, f"soundbites[{i}] id {own!r} cannot name its clip page",
                           "use letters, digits and inner hyphens, e.g. id: best-bit")
            continue
        if own and own in (b.id for b in out):
            problems.error(f.rel, line, f"soundbites[{i}] id {own!r} is used twice in this episode",
                           "give each soundbite its own id")
            continue
        out.append(Soundbite(start, length, " ".join(str(title).split()) if title is not None else "", own))
    ids = urls.clip_ids([b.id for b in out], [b.title for b in out], [b.start for b in out])
    return tuple(Soundbite(b.start, b.duration, b.title, clip_id) for b, clip_id in zip(out, ids))


def _voices(value: object, f: Fields, problems: Problems) -> dict[str, str]:
    """Front matter ``voices: {Speaker 1: jane}``: generic labels of this episode mapped to people."""
    if value is None:
        return {}
    if not isinstance(value, dict) or not all(
            isinstance(k, (str, int)) and isinstance(v, (str, int)) and str(v).strip() for k, v in value.items()):
        problems.error(f.rel, f.line("voices"), "'voices' must map transcript labels to speaker ids or names",
                       "write voices: {Speaker 1: jane, SPEAKER_02: Sam Guest}")
        return {}
    return {label_key(str(k)): str(v).strip() for k, v in value.items()}


@dataclass(slots=True)
class _Draft:
    """A chapter while it is being placed."""

    title: str
    start: float | None
    url: str
    image: str
    toc: bool
    turn_index: int
    estimated: bool
    line: int


def _chapters(value: object, body: Body, turns: tuple[Turn, ...], duration: float | None,
              timed: bool, turn_anchor_ids: list[str], f: Fields,
              problems: Problems) -> tuple[Chapter, ...]:
    rel = f.rel
    listed: list[_Draft] = []
    if value is not None and not isinstance(value, list):
        problems.error(rel, f.line("chapters"), "'chapters' must be a list of {start, title}",
                       "write chapters: [{start: \"0:00\", title: Welcome}]")
        value = []
    previous = -1.0
    for i, item in enumerate(value or []):
        line = f.at("chapters", i)
        if not isinstance(item, dict):
            problems.error(rel, line, f"chapters[{i}] must be a mapping with start and title",
                           "write - {start: \"12:30\", title: The middle}")
            continue
        cf = Fields(item, rel, f.lines, f.meta_line, problems, prefix=f"chapters[{i}].", path=("chapters", i))
        title = cf.text("title", required=True)
        raw_start = item.get("start")
        start = parse_time(raw_start) if raw_start is not None else None
        if raw_start is None:
            problems.error(rel, line, f"chapters[{i}].start is missing", "write start: \"12:30\"")
        elif start is None:
            problems.error(rel, cf.line("start"), f"chapters[{i}].start '{_shown(raw_start)}' is not a time",
                           "write start as \"HH:MM:SS\", \"MM:SS\" or seconds")
        if start is not None:
            if start <= previous:
                problems.error(rel, cf.line("start"), f"chapters[{i}].start {format_clock(start)} is not after the chapter before it",
                               "list chapters in time order")
            if duration is not None and start >= duration:
                problems.error(rel, cf.line("start"), f"chapters[{i}].start {format_clock(start)} is past the duration ({format_clock(duration)})",
                               "fix the start or the duration field")
            previous = max(previous, start)
        if not title:
            continue
        toc = cf.boolean("toc")
        listed.append(_Draft(title, start, cf.url("url"), cf.url("img") or cf.url("image"),
                            True if toc is None else toc, -1, False, line))

    by_title = {label_key(d.title): d for d in listed}
    drafts: list[_Draft] = []
    used: set[int] = set()
    for heading in body.headings:
        match = by_title.get(label_key(heading.title))
        if match is not None and id(match) not in used:
            used.add(id(match))
            match.turn_index = heading.turn_index
            match.estimated = match.start is None
            if match.start is None and heading.turn_index < len(turns):
                match.start = turns[heading.turn_index].start
            drafts.append(match)
        else:
            start = turns[heading.turn_index].start if heading.turn_index < len(turns) else duration
            est = turns[heading.turn_index].estimated if heading.turn_index < len(turns) else True
            drafts.append(_Draft(heading.title, start, "", "", True, heading.turn_index, est, heading.line))
    for draft in listed:
        if id(draft) in used:
            continue
        if draft.start is None:
            continue
        draft.turn_index = _turn_at(turns, draft.start)
        draft.estimated = not timed
        drafts.append(draft)
    drafts.sort(key=lambda d: (d.turn_index, d.start if d.start is not None else 0.0))
    anchors = urls.chapter_anchors([d.title for d in drafts], taken=turn_anchor_ids)
    return tuple(
        Chapter(title=d.title, anchor=a, start=d.start, turn_index=d.turn_index,
                estimated=d.estimated, url=d.url, image=d.image, toc=d.toc)
        for d, a in zip(drafts, anchors)
    )


def _turn_at(turns: tuple[Turn, ...], start: float) -> int:
    """Index of the first turn starting at or after ``start`` (1 s tolerance)."""
    for turn in turns:
        if turn.start is not None and turn.start >= start - 1.0:
            return turn.index
    return len(turns)


def _appearances(roles: dict[str, str], turns: tuple[Turn, ...], index: SpeakerIndex,
                 inferred: dict[str, Speaker]) -> tuple[Appearance, ...]:
    order: list[str] = list(roles)
    counts: dict[str, int] = {}
    words: dict[str, int] = {}
    first: dict[str, str] = {}
    longest: dict[str, Turn] = {}
    for turn in turns:
        sid = turn.speaker_id
        if sid is None:
            continue
        if sid not in counts:
            counts[sid] = 0
            words[sid] = 0
            first[sid] = turn.anchor
            if sid not in roles:
                order.append(sid)
        counts[sid] += 1
        words[sid] += turn.words
        if turn.words > (longest[sid].words if sid in longest else 0):
            longest[sid] = turn
    total = sum(words.values()) or 1
    out = []
    for sid in order:
        speaker = index.speakers.get(sid) or inferred.get(sid)
        role = roles.get(sid) or (speaker.role if speaker else "guest")
        out.append(Appearance(speaker_id=sid, role=role, turns=counts.get(sid, 0),
                              words=words.get(sid, 0), share=round(words.get(sid, 0) / total, 4),
                              first_turn=first.get(sid, ""),
                              quote=quote_of(longest[sid]) if sid in longest else None))
    return tuple(out)


def quote_of(turn: Turn) -> Quote:
    """How a speaker's page quotes ``turn``: its start as plain text, cut at a word near ``QUOTE_CHARS``."""
    text = " ".join(markup.plain(p) for p in turn.paragraphs).strip()
    if len(text) > QUOTE_CHARS:
        text = text[:QUOTE_CHARS].rsplit(" ", 1)[0].rstrip(",;:.-–—") + "…"
    return Quote(turn.anchor, turn.words, text, turn.start, turn.estimated)


def summarize(markdown: str, limit: int = 200) -> str:
    """One line of plain text from Markdown notes, for listings and meta tags."""
    para = markdown.strip().split("\n\n", 1)[0]
    para = re.sub(r"!\[([^\]]*)\]\([^)]*\)", r"\1", para)
    para = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", para)
    para = re.sub(r"[*_`#>]+", "", para)
    para = " ".join(para.split())
    if len(para) <= limit:
        return para
    cut = para[:limit].rsplit(" ", 1)[0]
    return cut.rstrip(",;:.") + "…"
