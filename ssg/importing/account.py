"""Words in -> words out: the check that an import lost no word and invented none.

Words in are what the reader took from the source: for captions and JSON the
text of its turns (each word tagged with the line or segment of its turn);
for plain text and Markdown every word of the source from the transcript's
first line on, less speaker labels, timestamps and page boilerplate (each
word tagged with its own line). Words out are read back from the episode
file as written, by the build's own reader (``ssg.transcript.parse_body``),
so the check holds whatever that reader is. Any difference is a
``BadInput`` naming the first source line where the two part.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from ssg import frontmatter
from ssg.importing.model import BadInput, ImportedEpisode
from ssg.loading import label_key
from ssg.transcript import parse_body

_TIME = r"\d{1,6}:\d{2}(?::\d{2})?(?:[.,]\d{1,3})?"
_STAMP = re.compile(rf"^(?:[\[(]?{_TIME}[\])]?:?|[\[(]\d+(?:[.,]\d+)?|\d+(?:[.,]\d+)?[\])]:?|-->)$")
"""A word that is a timestamp or part of a time range: ``[00:03]``, ``(00:00:07):``, ``[0.00``, ``-->``, ``4.90]``."""
_MARKER = re.compile(r"^\[[^\[\]]{1,60}\]$")
"""A paragraph that is only a bracketed non-speech marker, ``[Music]``."""


@dataclass(frozen=True, slots=True)
class Counts:
    """What went in and what came out of one import."""

    turns: tuple[int, int]
    """Turns in the source, turns the build reads in the written file."""
    speakers: tuple[int, int]
    """Distinct speaker labels in and out."""
    times: tuple[int, int]
    """Turns with a timestamp in and out."""
    words: tuple[int, int]
    """Words in and out."""
    dropped: tuple[int, ...]
    """Source lines left out as page boilerplate (plain text only)."""

    def line(self) -> str:
        """The report line."""
        return "  counts in -> out: " + ", ".join(
            f"{what} {a} -> {b}" for what, (a, b) in
            (("turns", self.turns), ("speakers", self.speakers), ("timestamps", self.times), ("words", self.words)))


_MARKUP = str.maketrans("", "", "\\*_`")


def _words(text: str) -> list[str]:
    """The words of a paragraph or line as written, less timestamps, and none for a paragraph that is a marker.

    Words are compared without the characters Markdown and its escapes add
    or take (``\\ * _ ```), so emphasis or an escape the writer adds is no
    difference, while any word lost, added or changed is.
    """
    words = [w for w in (word.translate(_MARKUP) for word in text.split()) if w and not _STAMP.match(w)]
    return [] if _MARKER.match(" ".join(words)) else words


def _said(name: str, aliases: dict[str, str]) -> tuple[str, ...]:
    """The labels the source may use for ``name``: itself, and those ``--speaker`` maps to it."""
    return (name, *(label for label, full in aliases.items() if full == name))


def source_words(episode: ImportedEpisode, source: str, boilerplate: re.Pattern[str],
                 aliases: dict[str, str]) -> tuple[list[tuple[str, int]], list[int]]:
    """Words in, each with its line (or segment), and the lines left out as boilerplate."""
    if not (episode.markdown and episode.body_line):
        return [(w, turn.line) for turn in episode.turns for p in turn.paragraphs for w in _words(p)], []
    lines = source.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    labels = [_said(turn.speaker, aliases) for turn in episode.turns if turn.speaker]
    labelled = bool(labels)
    words: list[tuple[str, int]] = []
    dropped: list[int] = []
    k = 0
    footer = False
    for lineno in range(episode.body_line, len(lines) + 1):
        line = lines[lineno - 1].strip()
        if not line:
            continue
        if labelled and (footer or (boilerplate.match(line) and (len(line) < 80 or k >= len(labels)))):
            footer = footer or k >= len(labels)  # the page after the transcript
            dropped.append(lineno)
            continue
        if k < len(labels):
            found = _label_prefix(labels[k]).match(line)
            if found:
                line, k = line[found.end():], k + 1
        words += [(w, lineno) for w in _words(line)]
    return words, dropped


def _label_prefix(labels: tuple[str, ...]) -> re.Pattern[str]:
    """A line's start as a turn of one of ``labels``: ``[00:01] **Name:**``, ``Name (00:01):``, ``Name  0:01``."""
    name = "(?:" + "|".join(re.escape(label).replace("\\ ", r"\s+") for label in labels) + ")"
    stamp = rf"\\?[\[(]?{_TIME}\\?[\])]?"
    return re.compile(
        rf"^(?:{stamp}\s*)?(?:\*\*|\\?\[)?{name}(?:\*\*|\\?\])?(?:\s*{stamp})?\s*(?:\*\*)?"
        rf"(?::(?:\*\*)?|(?<=\])(?=\s|$)|(?<=\d)$|(?<=\))$)\s*", re.IGNORECASE)


def check(episode: ImportedEpisode, source: str, written: str, known: Callable[[str], bool],
          boilerplate: re.Pattern[str], aliases: dict[str, str] | None = None) -> Counts:
    """Counts in and out; a ``BadInput`` at the first line where the written words part from the source's.

    ``aliases`` are the ``--speaker LABEL=Name`` pairs already applied to the turns.
    """
    given, dropped = source_words(episode, source, boilerplate, aliases or {})
    parts = frontmatter.split(written)
    body = parse_body(parts.body, parts.body_line, known)
    got = [w for turn in body.turns for p in turn.paragraphs for w in _words(p)]
    counts = Counts(
        turns=(len(episode.turns), len(body.turns)),
        speakers=(len({label_key(t.speaker) for t in episode.turns if t.speaker}),
                  len({label_key(t.label) for t in body.turns if t.label})),
        times=(sum(1 for t in episode.turns if t.start is not None),
               sum(1 for t in body.turns if t.time)),
        words=(len(given), len(got)),
        dropped=tuple(dropped),
    )
    wanted = [w for w, _ in given]
    if wanted != got:
        at = next((i for i, (a, b) in enumerate(zip(wanted, got)) if a != b), min(len(wanted), len(got)))
        line = given[min(at, len(given) - 1)][1] if given else 0
        said = f"'{wanted[at]}'" if at < len(wanted) else "nothing more"
        wrote = f"'{got[at]}'" if at < len(got) else "nothing more"
        where = f" (segment {line})" if episode.unit == "segment" and line else ""
        raise BadInput(f"words in {len(wanted)} -> words out {len(got)}: they part at word {at + 1}{where}: "
                       f"the source has {said}, the written file {wrote}",
                       line if episode.unit == "line" and line else None,
                       "nothing was written: the import would have lost or added words; please report it with this file")
    labelled_in = sum(1 for t in episode.turns if t.speaker)
    labelled_out = sum(1 for t in body.turns if t.label)
    if labelled_in != labelled_out:
        raise BadInput(f"turns in {labelled_in} -> turns out {labelled_out}: the written file does not read back "
                       "as the same turns", None, "nothing was written: the import would have changed the turns; please report it with this file")
    return counts
