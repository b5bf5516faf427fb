"""Timeline: an episode's transcript turns with their speakers, words, anchors and times.

Times as written are parsed and checked for order and against the duration;
turns without one get a start estimated from the words spoken before them.
"""

from __future__ import annotations

import operator
from collections.abc import Callable, Sequence
from functools import lru_cache
from typing import cast

from ssg import urls
from ssg.errors import Problems
from ssg.loading.fields import _shown
from ssg.model import Turn, turns_from_columns
from ssg.timecode import format_clock, parse_time
from ssg.transcript import RawTurn

WORDS_PER_SECOND = 2.5
"""Speech rate (150 words a minute) used when an episode has no duration."""

Resolve = Callable[[str, int, str], "str | None"]
"""``resolve(label, line, where)``: the speaker id a label means (warning once when it is unknown),
None for a generic voice the episode leaves unmapped."""
Transcript = tuple[tuple[Turn, ...], list[str], bool]
"""An episode's turns, their anchors, and whether times were given."""


def _transcript(raws: Sequence[RawTurn], resolve: Resolve, duration: float | None,
                rel: str, problems: Problems) -> Transcript:
    """The turns of a transcript, with their anchors and whether times were given.

    Each distinct label is resolved once, timestamps are parsed once per
    distinct text, words and anchors come from one normalised text per turn,
    and the turns are built column by column. A marker turn has no speaker;
    its anchor is made from its name, as is a generic voice's.
    """
    speaker_ids = _speaker_ids(raws, resolve)
    given = _given_times(raws, rel, problems)
    timed = any(t is not None for t in given)
    if timed and not _times_in_order(given, duration):
        _check_times(raws, given, duration, rel, problems)
    texts, words = _turn_texts(raws)
    starts, estimated = _estimate_starts(given, words, duration)
    keys = [sid or (urls.slugify(raw.label) if raw.label else "") for sid, raw in zip(speaker_ids, raws)]
    anchors = urls.turn_anchors(keys, texts)
    markers = [raw.label if raw.marker else "" for raw in raws]
    turns = turns_from_columns(range(len(raws)), anchors, speaker_ids, [raw.label for raw in raws],
                               [raw.paragraphs for raw in raws], starts, estimated,
                               [raw.line for raw in raws], words, markers)
    return turns, anchors, timed


def _speaker_ids(raws: Sequence[RawTurn], resolve: Resolve) -> list[str | None]:
    """Each turn's speaker id (None when unlabelled), resolving each distinct label once.

    Labels are resolved in the order they first appear, at their first line,
    so warnings and inferred speakers come as when every turn is resolved:
    resolving a label again gives the same id and warns no more.
    """
    labels = [raw.label if not raw.marker else "" for raw in raws]
    ids: dict[str, str | None] = {}
    for label in dict.fromkeys(labels):
        if label:
            ids[label] = resolve(label, raws[labels.index(label)].line, "label")
    return [ids.get(label) for label in labels]


_clock = lru_cache(maxsize=1 << 16)(parse_time)
"""``parse_time`` remembered, for timestamps as written (text only: 1 and True are equal keys)."""


def _given_times(raws: Sequence[RawTurn], rel: str, problems: Problems) -> list[float | None]:
    """Each turn's time as written in seconds (None when none); a timestamp that is no time is an error."""
    times = [raw.time for raw in raws]
    given = list(map(_clock, times))
    if None in given:
        for raw, seconds in zip(raws, given):
            if raw.time and seconds is None:
                problems.error(rel, raw.line, f"timestamp '{_shown(raw.time)}' is not a time", "write [HH:MM:SS]")
    return given


def _times_in_order(given: list[float | None], duration: float | None) -> bool:
    """True when ``_check_times`` has nothing to say: every turn timed, in order, within the duration."""
    if None in given:
        return False
    times = cast("list[float]", given)
    return all(map(operator.le, times, times[1:])) and (duration is None or max(times) <= duration + 1)


def _check_times(raws: Sequence[RawTurn], given: list[float | None], duration: float | None,
                 rel: str, problems: Problems) -> None:
    """Warn about timestamps out of order; report those past the duration."""
    last = -1.0
    for raw, t in zip(raws, given):
        if t is None:
            continue
        if t < last:
            problems.warning(rel, raw.line, f"timestamp {raw.time} is earlier than the turn before it",
                             "check the order of the timestamps")
        if duration is not None and t > duration + 1:
            problems.error(rel, raw.line, f"timestamp {raw.time} is past the duration ({format_clock(duration)})",
                           "fix the timestamp or the duration field")
        last = t


_ASCII_SPACES = "\t\x0b\x0c\r\x1c\x1d\x1e\x1f"
"""ASCII characters other than space and newline that ``str.split()`` splits at."""
_OTHER_SPACES = "\x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a" \
                "\u2028\u2029\u202f\u205f\u3000"
"""The characters beyond ASCII that ``str.split()`` splits at (tests check both lists against every code point)."""


def _turn_texts(raws: Sequence[RawTurn]) -> tuple[list[str], list[int]]:
    """Each turn's paragraphs as one whitespace-normalised text, and its number of words.

    Usually every text is normalised already (checked for all turns at once),
    and then its words are its spaces plus one.
    """
    texts = [" ".join(raw.paragraphs) for raw in raws]
    if not _normalised(texts):
        texts = [" ".join(text.split()) for text in texts]
    return texts, [text.count(" ") + 1 if text else 0 for text in texts]


def _normalised(texts: list[str]) -> bool:
    """True when every text equals ``" ".join(text.split())``, looked at as one newline-joined string."""
    if not texts:
        return True
    blob = "\n".join(texts)
    if blob.count("\n") != len(texts) - 1:  # a text holds a newline
        return False
    flat = blob.replace("\n", " ")  # one search finds "  ", " \n", "\n " (and an empty text)
    if flat[:1] == " " or flat[-1:] == " " or "  " in flat:
        return False
    spaces = _ASCII_SPACES if blob.isascii() else _ASCII_SPACES + _OTHER_SPACES
    return not any(space in blob for space in spaces)


def _estimate_starts(given: list[float | None], words: list[int],
                     duration: float | None) -> tuple[list[float | None], list[bool]]:
    """Fill in turn start times: given ones kept, the rest interpolated by words."""
    if given and None not in given:
        return list(given), [False] * len(given)
    n = len(given)
    if n == 0:
        return [], []
    total_words = sum(words) or n
    total = duration if duration else total_words / WORDS_PER_SECOND
    cumulative = [0] * (n + 1)
    for i, w in enumerate(words):
        cumulative[i + 1] = cumulative[i] + w
    known = [(i, t) for i, t in enumerate(given) if t is not None]
    starts: list[float | None] = [None] * n
    estimated = [True] * n
    if not known:
        for i in range(n):
            starts[i] = round(total * cumulative[i] / total_words, 1)
        return starts, estimated
    anchors = [(0, 0.0)] if known[0][0] != 0 else []
    anchors += known
    if known[-1][0] != n:
        end_time = max(total, known[-1][1] + (cumulative[n] - cumulative[known[-1][0]]) / WORDS_PER_SECOND
                       if not duration else total)
        anchors.append((n, end_time))
    for (i0, t0), (i1, t1) in zip(anchors, anchors[1:]):
        span_words = cumulative[i1] - cumulative[i0] or 1
        for i in range(i0, min(i1, n)):
            if given[i] is not None:
                starts[i] = given[i]
                estimated[i] = False
            else:
                starts[i] = round(t0 + (t1 - t0) * (cumulative[i] - cumulative[i0]) / span_words, 1)
    if known[-1][0] == n - 1:
        starts[n - 1] = given[n - 1]
        estimated[n - 1] = False
    return starts, estimated
