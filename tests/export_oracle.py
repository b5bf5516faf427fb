"""Reference export writers: the plain, obviously-correct versions the tests compare ``ssg.exports`` with.

Not used by the build. ``cues`` makes one frozen ``Cue`` per timed turn;
``vtt``, ``srt``, ``transcript_json`` and ``transcript_html`` write them the
straightforward way (``json.dumps``, ``html.escape`` everywhere, times
formatted with ``divmod`` each time), and ``wrap`` is a regular-expression
word wrap (with a loop for words longer than a line).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from html import escape

from ssg.exports import (SRT_LINE, VTT_LINE, WORDS_PER_SECOND, _transcript_head, _vtt_escape, marked,
                         plain_paragraphs)
from ssg.model import Episode, Transcript
from ssg.timecode import format_clock, format_iso_duration


def format_vtt(seconds: float) -> str:
    """A WebVTT cue time ``HH:MM:SS.mmm``."""
    millis = int(round(seconds * 1000))
    hours, rest = divmod(millis, 3_600_000)
    minutes, rest = divmod(rest, 60_000)
    secs, ms = divmod(rest, 1000)
    return f"{hours:02d}:{minutes:02d}:{secs:02d}.{ms:03d}"


def format_srt(seconds: float) -> str:
    """An SRT cue time ``HH:MM:SS,mmm``."""
    return format_vtt(seconds).replace(".", ",")


@dataclass(frozen=True, slots=True)
class Cue:
    """One timed piece of a transcript."""

    start: float
    end: float
    speaker: str
    """The speaker's display name ('' when unlabelled)."""
    text: str
    """Plain text (Markdown removed)."""
    estimated: bool = False
    """True when ``start`` is an estimate, not a timestamp from the transcript."""


def cues(episode: Episode, transcript: Transcript, name_of: Callable[[str], str],
         paragraphs: Sequence[Sequence[str]] | None = None) -> list[Cue]:
    """One cue per turn, with end times; turns without any time are left out.

    ``paragraphs``, when given, holds each turn's paragraphs as plain text
    (``plain_paragraphs``), so several exports share one conversion.
    """
    texts = paragraphs if paragraphs is not None else plain_paragraphs(transcript)
    timed = [(t, " ".join(p)) for t, p in zip(transcript.turns, texts) if t.start is not None]
    out: list[Cue] = []
    for i, (turn, text) in enumerate(timed):
        start = float(turn.start or 0.0)
        if i + 1 < len(timed):
            end = float(timed[i + 1][0].start or start)
        elif episode.duration is not None and episode.duration > start:
            end = float(episode.duration)
        else:
            end = start + max(1.0, turn.words / WORDS_PER_SECOND)
        end = max(end, start + 0.5)
        speaker = name_of(turn.speaker_id) if turn.speaker_id else "" if turn.marker else turn.label
        out.append(Cue(start, end, speaker, marked(turn, text), turn.estimated))
    return out


_WRAPS: dict[int, tuple[re.Pattern[str], re.Pattern[str]]] = {}


def wrap(text: str, width: int) -> list[str]:
    """Greedy word wrap at spaces (a word longer than ``width`` is cut)."""
    if len(text) <= width and "  " not in text and text == text.strip():
        return [text] if text else []
    patterns = _WRAPS.get(width)
    if patterns is None:
        patterns = _WRAPS[width] = (re.compile(rf"(\S.{{0,{width - 1}}})(?: |$)"), re.compile(rf"\S{{{width + 1}}}"))
    line_re, long_word = patterns
    text = " ".join(text.split())
    if not long_word.search(text):
        return line_re.findall(text)
    return _wrap_slow(text, width)


def _wrap_slow(text: str, width: int) -> list[str]:
    """The word wrap as a loop (cuts words longer than ``width``)."""
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


def _chunks(text: str, width: int, per_cue: int) -> Iterator[list[str]]:
    lines = wrap(text, width) or [""]
    for i in range(0, len(lines), per_cue):
        yield lines[i:i + per_cue]


def _split_times(cue: Cue, parts: int) -> list[tuple[float, float]]:
    step = (cue.end - cue.start) / parts
    return [(cue.start + i * step, cue.start + (i + 1) * step if i + 1 < parts else cue.end)
            for i in range(parts)]


def vtt(cues_: list[Cue]) -> str:
    """WebVTT with a voice tag per cue; long turns split into cues of a few lines."""
    out = ["WEBVTT", ""]
    estimated = sum(cue.estimated for cue in cues_)
    if estimated:
        which = "All" if estimated == len(cues_) else f"{estimated} of {len(cues_)}"
        out += ["NOTE", f"{which} cue start times are estimated from the length of the transcript,",
                "not taken from the audio.", ""]
    n = 0
    for cue in cues_:
        pieces = list(_chunks(cue.text, VTT_LINE, 2))
        for (start, end), lines in zip(_split_times(cue, len(pieces)), pieces):
            n += 1
            body = "\n".join(_vtt_escape(line) for line in lines)
            if cue.speaker:
                body = f"<v {_vtt_escape(cue.speaker)}>{body}</v>"
            out += [str(n), f"{format_vtt(start)} --> {format_vtt(end)}", body, ""]
    return "\n".join(out)


def srt(cues_: list[Cue]) -> str:
    """SRT: two lines of 32 characters at most; ``Name:`` where the speaker changes."""
    out: list[str] = []
    n = 0
    previous = None
    for cue in cues_:
        text = f"{cue.speaker}: {cue.text}" if cue.speaker and cue.speaker != previous else cue.text
        previous = cue.speaker
        pieces = list(_chunks(text, SRT_LINE, 2))
        for (start, end), lines in zip(_split_times(cue, len(pieces)), pieces):
            n += 1
            out += [str(n), f"{format_srt(start)} --> {format_srt(end)}", *lines, ""]
    return "\n".join(out)


def pieces(text: str, width: int) -> list[str]:
    """Each cue's lines (two at most) joined by a newline."""
    return ["\n".join(lines) for lines in _chunks(text, width, 2)]


def transcript_json(cues_: list[Cue]) -> str:
    """Podcasting 2.0 JSON transcript (``version`` 1.0.0, one segment per turn)."""
    segments = []
    for cue in cues_:
        segment: dict[str, object] = {"startTime": round(cue.start, 3), "endTime": round(cue.end, 3),
                                      "body": cue.text}
        if cue.speaker:
            segment = {"speaker": cue.speaker, **segment}
        segments.append(segment)
    return json.dumps({"version": "1.0.0", "segments": segments}, ensure_ascii=False, indent=1) + "\n"


def transcript_html(episode: Episode, transcript: Transcript, show_title: str, language: str,
                    name_of: Callable[[str], str], paragraphs: Sequence[Sequence[str]] | None = None) -> str:
    """A standalone HTML transcript: ``<cite>`` speaker, ``<time>`` start, ``<p>`` text.

    Only times taken from the transcript get a ``<time>``; estimates are left out.
    ``paragraphs`` as for ``cues``.
    """
    texts = paragraphs if paragraphs is not None else plain_paragraphs(transcript)
    parts = _transcript_head(episode, show_title, language)
    for turn, turn_texts in zip(transcript.turns, texts):
        head = ""
        if turn.speaker_id:
            head += f"<cite>{escape(name_of(turn.speaker_id))}:</cite> "
        elif turn.marker:
            head += f"<i>[{escape(turn.marker)}]</i> "
        elif turn.label:
            head += f"<cite>{escape(turn.label)}:</cite> "
        if turn.start is not None and not turn.estimated:
            head += f'<time datetime="{format_iso_duration(turn.start)}">{format_clock(turn.start)}</time>'
        if head:
            parts.append(f"<p>{head.strip()}</p>")
        parts.extend(f"<p>{escape(text)}</p>" for text in turn_texts)
    parts += ["</body>", "</html>", ""]
    return "\n".join(parts)
