"""Exports: an episode's transcript and chapters in the formats podcast apps read.

WebVTT (``<v Name>`` voice tags), SRT (``Name:`` when the speaker changes),
Podcasting 2.0 JSON transcripts, a standalone HTML transcript, and JSON
chapters 1.2.0. Pure functions from the model to text; the render stage
decides where the files go (``Urls.episode_file``).

Times: a turn's cue runs from its start to the next turn's start (the last
one to the episode's duration, or an estimate from its word count). Where
the transcript carries no timestamps the times are the same estimate the
chapter anchors use (the issue asks timed formats to follow the page), and
every file says so where its format can: the WebVTT file opens with a
``NOTE``, the HTML transcript shows no estimated ``<time>``, and the feed
leaves ``rel="captions"`` off (``Episode.timed``). SRT and the JSON
transcript have no place for such a remark.

``transcripts`` writes all four files from one list of ``cue_rows``; the
tests compare them with plain reference writers kept in ``tests/``.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Sequence
from functools import lru_cache
from html import escape
from typing import NamedTuple

from ssg.markup import plain
from ssg.model import Episode, Speaker, Transcript, Turn
from ssg.timecode import format_clock, format_cue_time, format_iso_duration

WORDS_PER_SECOND = 2.5
"""Speech rate used for the end of a last turn whose episode has no duration."""
VTT_LINE = 65
"""Characters per WebVTT cue line (Podcasting 2.0 recommendation)."""
SRT_LINE = 32
"""Characters per SRT line; at most two lines per cue."""


CueRow = tuple[float, float, str, str, bool]
"""One timed piece of a transcript: ``(start, end, speaker, text, estimated)``.

``speaker`` is the display name ('' when unlabelled), ``text`` plain text (Markdown
removed), ``estimated`` true when ``start`` is an estimate, not a timestamp from
the transcript."""


def cue_rows(episode: Episode, transcript: Transcript, name_of: Callable[[str], str],
             paragraphs: Sequence[Sequence[str]] | None = None) -> list[CueRow]:
    """One cue per turn of the episode's transcript, with end times; turns without any time are left out.

    ``paragraphs``, when given, holds each turn's paragraphs as plain text
    (``plain_paragraphs``), so several exports share one conversion.
    """
    texts = paragraphs if paragraphs is not None else plain_paragraphs(transcript)
    timed = [(t, p) for t, p in zip(transcript.turns, texts) if t.start is not None]
    names: dict[str, str] = {}
    out: list[CueRow] = []
    for i, (turn, text) in enumerate(timed, 1):
        start = float(turn.start or 0.0)
        if i < len(timed):
            end = float(timed[i][0].start or start)
        elif episode.duration is not None and episode.duration > start:
            end = float(episode.duration)
        else:
            end = start + max(1.0, turn.words / WORDS_PER_SECOND)
        end = max(end, start + 0.5)
        sid = turn.speaker_id
        speaker = (names.get(sid) or names.setdefault(sid, name_of(sid))) if sid else "" if turn.marker else turn.label
        out.append((start, end, speaker, marked(turn, " ".join(text)), turn.estimated))
    return out


def marked(turn: Turn, text: str) -> str:
    """A cue's text: a marker's name in brackets before its words (``[Music]``, ``[Ad] words``)."""
    if not turn.marker:
        return text
    return f"[{turn.marker}] {text}" if text else f"[{turn.marker}]"


def plain_paragraphs(transcript: Transcript) -> list[list[str]]:
    """Each turn's paragraphs as plain text (Markdown removed), in turn order."""
    return [[plain(p) for p in turn.paragraphs] for turn in transcript.turns]



def wrap(text: str, width: int) -> list[str]:
    """Greedy word wrap at spaces (a word longer than ``width`` is cut)."""
    lines: list[str] = []
    line = ""
    for word in text.split():
        while len(word) > width:
            if line:
                lines.append(line)
                line = ""
            lines.append(word[:width])
            word = word[width:]
        if not line:
            line = word
        elif len(line) + 1 + len(word) <= width:
            line += " " + word
        else:
            lines.append(line)
            line = word
    if line:
        lines.append(line)
    return lines


def _vtt_escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("-->", "--&gt;")


def pieces(text: str, width: int) -> list[str]:
    """A cue text's pieces: ``wrap``'s lines, two to a piece, joined by a newline.

    The greedy wrap finds each line's end with ``str.rfind``; a text with a
    word longer than ``width`` is left to ``wrap`` (its cut words are rare).
    A text that already fits is kept as it is, odd whitespace and all.
    """
    if len(text) <= width and "  " not in text and text == text.strip():
        return [text]
    if not text.isprintable() or "  " in text or text[0] == " " or text[-1] == " ":
        text = " ".join(text.split())  # the space is the only character both printable and whitespace
    out: list[str] = []
    end = len(text)
    start = 0
    while end - start > width:
        first = text.rfind(" ", start, start + width + 1)
        if first < 0:
            return _paired(wrap(text, width))
        second = first + 1
        if end - second <= width:
            out.append(f"{text[start:first]}\n{text[second:]}")
            return out
        stop = text.rfind(" ", second, second + width + 1)
        if stop < 0:
            return _paired(wrap(text, width))
        out.append(f"{text[start:first]}\n{text[second:stop]}")
        start = stop + 1
    out.append(text[start:])
    return out


def _paired(lines: list[str]) -> list[str]:
    """Lines two at a time, joined by a newline."""
    return ["\n".join(lines[i:i + 2]) for i in range(0, len(lines), 2)]


def vtt(rows: Sequence[CueRow]) -> str:
    """WebVTT with a voice tag per cue; long turns split into cues of two 65-character lines at most.

    Written in one pass with each cue time formatted once.
    """
    out = ["WEBVTT", ""]
    estimated = sum(row[4] for row in rows)
    if estimated:
        which = "All" if estimated == len(rows) else f"{estimated} of {len(rows)}"
        out += ["NOTE", f"{which} cue start times are estimated from the length of the transcript,",
                "not taken from the audio.", ""]
    bounds: dict[float, str] = {}
    voices: dict[str, str] = {}
    n = 0
    for start, end, speaker, text, _ in rows:
        bodies = pieces(text, VTT_LINE)
        if "&" in text or "<" in text or ">" in text:
            bodies = [_vtt_escape(body) for body in bodies]
        if speaker:
            voice = voices.get(speaker) or voices.setdefault(speaker, f"<v {_vtt_escape(speaker)}>")
            n = _timed_blocks(out, n, bounds, ".", start, end, bodies, voice, "</v>")
        else:
            n = _timed_blocks(out, n, bounds, ".", start, end, bodies)
    return "\n".join(out)


def _timed_blocks(out: list[str], n: int, bounds: dict[float, str], separator: str, start: float, end: float,
                  bodies: list[str], before: str = "", after: str = "") -> int:
    """Append blocks ``number, start --> end, before + body + after`` for ``bodies`` over [start, end].

    Returns the last block number. The time is split in equal parts, so a
    block's end is the next one's start; ``bounds``
    keeps the formatted cue starts and ends (a cue's end is usually the next
    cue's start). ``separator`` is the one before the milliseconds.
    """
    begin = bounds.get(start) or bounds.setdefault(start, format_cue_time(start, separator))
    finish = bounds.get(end) or bounds.setdefault(end, format_cue_time(end, separator))
    parts = len(bodies)
    if parts == 1:
        out.append(f"{n + 1}\n{begin} --> {finish}\n{before}{bodies[0]}{after}\n")
        return n + 1
    step = (end - start) / parts
    for i in range(1, parts):
        middle = format_cue_time(start + i * step, separator)
        out.append(f"{n + i}\n{begin} --> {middle}\n{before}{bodies[i - 1]}{after}\n")
        begin = middle
    out.append(f"{n + parts}\n{begin} --> {finish}\n{before}{bodies[-1]}{after}\n")
    return n + parts


def srt(rows: Sequence[CueRow]) -> str:
    """SRT: two lines of 32 characters at most; ``Name:`` where the speaker changes."""
    out: list[str] = []
    bounds: dict[float, str] = {}
    n = 0
    previous = None
    for start, end, speaker, text, _ in rows:
        if speaker and speaker != previous:
            text = f"{speaker}: {text}"
        previous = speaker
        n = _timed_blocks(out, n, bounds, ",", start, end, pieces(text, SRT_LINE))
    return "\n".join(out)


def transcript_json(rows: Sequence[CueRow]) -> str:
    """Podcasting 2.0 JSON transcript (``version`` 1.0.0, one segment per cue).

    Written directly, as ``json.dumps(..., ensure_ascii=False, indent=1)``
    would (which runs the slow pure-Python encoder); each distinct time is
    rounded and written once.
    """
    if not rows:
        return '{\n "version": "1.0.0",\n "segments": []\n}\n'
    speakers: dict[str, str] = {}
    numbers: dict[float, str] = {}
    segments = []
    for start, end, name, text, _ in rows:
        speaker = ""
        if name:
            speaker = speakers.get(name) or speakers.setdefault(name, f'   "speaker": {_json_string(name)},\n')
        first = numbers.get(start) or numbers.setdefault(start, _json_number(round(start, 3)))
        last = numbers.get(end) or numbers.setdefault(end, _json_number(round(end, 3)))
        segments.append(f'  {{\n{speaker}   "startTime": {first},\n   "endTime": {last},\n'
                        f'   "body": {_json_string(text)}\n  }}')
    return '{\n "version": "1.0.0",\n "segments": [\n' + ",\n".join(segments) + "\n ]\n}\n"


_json_string: Callable[[str], str] = json.encoder.encode_basestring
"""A JSON string literal, non-ASCII kept (what ``json.dumps(..., ensure_ascii=False)`` writes)."""


def _json_number(value: float) -> str:
    """A float as ``json.dumps`` writes it."""
    return repr(value) if math.isfinite(value) else json.dumps(value)


def _transcript_head(episode: Episode, show_title: str, language: str) -> list[str]:
    """The lines of a standalone HTML transcript before its first turn."""
    return [
        "<!doctype html>",
        f'<html lang="{escape(language)}">',
        '<head><meta charset="utf-8">',
        f"<title>{escape(episode.title)} · {escape(show_title)} · transcript</title></head>",
        "<body>",
        f"<h1>{escape(episode.title)}</h1>",
    ]


def transcript_html(episode: Episode, transcript: Transcript, show_title: str, language: str,
                    name_of: Callable[[str], str], paragraphs: Sequence[Sequence[str]]) -> str:
    """A standalone HTML transcript: ``<cite>`` speaker, ``<time>`` start, ``<p>`` text.

    Only times taken from the transcript get a ``<time>``; estimates are left
    out. ``paragraphs`` holds each turn's plain text (``plain_paragraphs``).
    Each speaker's ``<cite>`` is made once; escaping is skipped where nothing needs it.
    """
    parts = _transcript_head(episode, show_title, language)
    cites: dict[str, str] = {}
    for turn, turn_texts in zip(transcript.turns, paragraphs):
        sid = turn.speaker_id
        cite = (cites.get(sid) or cites.setdefault(sid, f"<cite>{escape(name_of(sid))}:</cite>")) if sid else (
            f"<i>[{escape(turn.marker)}]</i>" if turn.marker else f"<cite>{escape(turn.label)}:</cite>" if turn.label else "")
        if turn.start is not None and not turn.estimated:
            clock = _time_tag(turn.start)
            parts.append(f"<p>{cite} {clock}</p>" if cite else f"<p>{clock}</p>")
        elif cite:
            parts.append(f"<p>{cite}</p>")
        for text in turn_texts:
            parts.append(f"<p>{_html_escape(text)}</p>")
    parts += ["</body>", "</html>", ""]
    return "\n".join(parts)


@lru_cache(maxsize=8192)
def _time_tag(seconds: float) -> str:
    """A turn's ``<time>`` element (cached: the same seconds come back in episode after episode)."""
    return f'<time datetime="{format_iso_duration(seconds)}">{format_clock(seconds)}</time>'


def _html_escape(text: str) -> str:
    """``html.escape``, returning the text itself when it has nothing to escape."""
    if "&" in text or "<" in text or ">" in text or '"' in text or "'" in text:
        return escape(text)
    return text


class Transcripts(NamedTuple):
    """An episode's four transcript files, as text."""

    vtt: str
    srt: str
    json: str
    html: str


def transcripts(episode: Episode, transcript: Transcript, show_title: str, language: str,
                name_of: Callable[[str], str]) -> Transcripts:
    """All transcript files of an episode, converting each paragraph's Markdown once."""
    paragraphs = plain_paragraphs(transcript)
    rows = cue_rows(episode, transcript, name_of, paragraphs)
    return Transcripts(vtt(rows), srt(rows), transcript_json(rows),
                       transcript_html(episode, transcript, show_title, language, name_of, paragraphs))


def chapters_json(episode: Episode, media: Callable[[str], str]) -> str:
    """JSON chapters 1.2.0: start times in seconds, ascending."""
    chapters = []
    for chapter in episode.chapters:
        if chapter.start is None:
            continue
        item: dict[str, object] = {"startTime": round(chapter.start, 3), "title": chapter.title}
        if chapter.image:
            item["img"] = media(chapter.image)
        if chapter.url:
            item["url"] = chapter.url
        if not chapter.toc:
            item["toc"] = False
        chapters.append(item)
    chapters.sort(key=lambda c: float(c["startTime"]))  # type: ignore[arg-type]
    return json.dumps({"version": "1.2.0", "chapters": chapters}, ensure_ascii=False, indent=1) + "\n"


def speaker_names(speakers: dict[str, Speaker]) -> Callable[[str], str]:
    """A lookup from speaker id to display name (the id when unknown)."""
    def name_of(sid: str) -> str:
        speaker = speakers.get(sid)
        return speaker.name if speaker else sid
    return name_of
