"""Transcript bodies: speaker turns, timestamps and ``##`` chapter headings.

A transcript is structured data, not a general Markdown document. This
module reads the body line by line into raw turns (label, time, paragraphs,
line) and headings; identities, anchors and estimates are decided later by
``load``. A body with no speaker labels is re-flowed into paragraphs.

``parse_body_lines`` is the reference reader, one line at a time.
``parse_body`` gives the same result faster: one regular expression finds
the lines that start a turn, so only the lines between them (blank lines,
headings, continuations) are looked at one by one.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import NamedTuple

_TURN = re.compile(
    r"""^
    (?:[\[(]?(?P<ts>\d{1,2}:\d{2}(?::\d{2})?(?:[.,]\d{1,3})?)[\])]?[ \t]+)?   # optional timestamp
    (?:
        \*\*(?P<b1>[^*:\n]{1,60}?):\*\*       # **Name:**
      | \*\*(?P<b2>[^*:\n]{1,60}?)\*\*:       # **Name**:
      | (?P<plain>[^:\n*\[\]()<>]{1,60}?):    # Name:
    )
    (?:[ \t]+(?P<text>.*)|[ \t]*)$
    """,
    re.VERBOSE,
)
_HEADING = re.compile(r"^##[ \t]+(?P<title>.+?)[ \t]*#*[ \t]*$")
_GENERIC = re.compile(r"^(?:speaker|spk|voice)[ _-]?\d{1,3}$", re.IGNORECASE)
_WORD = re.compile(r"^(?:[^\W\d_][\w'’.-]*|[A-Z]\.)$")
_PARTICLES = frozenset(
    "de van von der den la le da di del della du al el bin ibn dos das ter ten st. y".split()
)
_NOT_NAMES = frozenset(
    """note notes warning update summary example transcript chapter episode listen links
    sources source tip edit also here there this that these those the and but so then now
    today yesterday tomorrow step part section question answer key important disclaimer credits
    music photo image subscribe follow see read watch remember ps re fwd time date location
    where when what why how warning caution fyi tldr tl;dr intro outro bonus ad sponsor
    sponsored advertisement correction errata update quote""".split()
)
_SENTENCE_END = re.compile(r"(?<=[.!?…])[\"'”’)\]]*\s+(?=[\"'“‘(\[]?[A-Z0-9])")

PARAGRAPH_SENTENCES = 5
"""Sentences per paragraph when re-flowing an unlabelled transcript."""
PARAGRAPH_CHARS = 700
"""Soft size limit of a re-flowed paragraph."""


class RawTurn(NamedTuple):
    """A turn as written: the label, its time, its paragraphs."""

    label: str
    """The label as written ('' for an unlabelled paragraph)."""
    time: str
    """The timestamp as written ('' when none)."""
    paragraphs: tuple[str, ...]
    """Paragraph texts (inline Markdown), whitespace-normalised."""
    line: int
    """File line where the turn starts."""


@dataclass(frozen=True, slots=True)
class Heading:
    """A ``## Heading`` in the body: a chapter starts before turn ``turn_index``."""

    title: str
    """Heading text."""
    turn_index: int
    """Index of the first turn after the heading."""
    line: int
    """File line of the heading."""


@dataclass(frozen=True, slots=True)
class Body:
    """A parsed transcript body."""

    turns: tuple[RawTurn, ...]
    """Turns in order."""
    headings: tuple[Heading, ...]
    """Chapter headings in order."""
    labelled: bool
    """False when no line carried a speaker label."""


def is_person_label(label: str, known: Callable[[str], bool]) -> bool:
    """Whether ``label`` (text before a colon) names a speaker.

    Known names and aliases always do; otherwise a plausible person label:
    generic ``SPEAKER_1`` labels, or one to four capitalised words (with
    particles like "van" or "El"), no digits, not a common heading word.
    """
    label = label.strip()
    if not label:
        return False
    if known(label):
        return True
    if _GENERIC.match(label):
        return True
    words = label.split()
    if not 1 <= len(words) <= 4:
        return False
    if words[0].casefold().rstrip(".") in _NOT_NAMES:
        return False
    capitalised = 0
    for word in words:
        if not _WORD.match(word):
            return False
        if word[0].isupper():
            capitalised += 1
        elif word.casefold() not in _PARTICLES:
            return False
    return capitalised >= 1 and words[0][0].isupper()


def parse_body_lines(body: str, first_line: int, known: Callable[[str], bool]) -> Body:
    """Parse a transcript body whose first line is file line ``first_line`` (reference reader)."""
    lines = body.split("\n")
    turns: list[RawTurn] = []
    headings: list[Heading] = []
    # Current turn under construction.
    label = ""
    time = ""
    start_line = 0
    paragraphs: list[str] = []
    current: list[str] = []
    labelled = False
    loose: list[tuple[int, str]] = []  # unlabelled lines before any label: (line, text)
    has_turn = False

    def close_paragraph() -> None:
        if current:
            paragraphs.append(" ".join(current))
            current.clear()

    def close_turn() -> None:
        nonlocal has_turn
        close_paragraph()
        if has_turn and paragraphs:
            turns.append(RawTurn(label, time, tuple(paragraphs), start_line))
        paragraphs.clear()
        has_turn = False

    for offset, raw in enumerate(lines):
        line = raw.strip()
        lineno = first_line + offset
        if not line:
            close_paragraph()
            if not has_turn and loose and loose[-1][1] != "":
                loose.append((lineno, ""))
            continue
        if line.startswith("##"):
            heading = _HEADING.match(line)
            if heading:
                close_turn()
                if loose:
                    turns.extend(_flush_loose(loose))
                    loose.clear()
                headings.append(Heading(heading.group("title").strip(), len(turns), lineno))
                continue
        match = _TURN.match(line) if ":" in line else None
        if match:
            name = (match.group("b1") or match.group("b2") or match.group("plain") or "").strip()
            if is_person_label(name, known):
                close_turn()
                if loose:
                    turns.extend(_flush_loose(loose))
                    loose.clear()
                labelled = True
                has_turn = True
                label = name
                time = match.group("ts") or ""
                start_line = lineno
                text = (match.group("text") or "").strip()
                if text:
                    current.append(text)
                continue
        if has_turn:
            current.append(line)
        else:
            loose.append((lineno, line))
    close_turn()
    if loose:
        turns.extend(_flush_loose(loose))
    return Body(tuple(turns), tuple(headings), labelled)


_TURN_LINES = re.compile(
    r"""((?:\n[^\n]*)*?)                         # lines that start no turn (usually none)
    \n[^\S\n]*+(?!\#\#[ \t])                    # a line, after its newline, that is no heading
    (                                           # the line up to its text:
      (?:[\[(]?(\d{1,2}:\d{2}(?::\d{2})?(?:[.,]\d{1,3})?)[\])]?[ \t]+)?   # optional timestamp
      (?:
          \*\*([^*:\n]{1,60}):\*\*              # **Name:**
        | \*\*([^*:\n]{1,60})\*\*:              # **Name**:
        | ([^:\n*\[\]()<>]{1,60}):              # Name:
      )
      (?:[ \t]|(?![^\n]))                       # a space or tab, or the end of the line
    )
    ([^\n]*)                                    # the text
    """,
    re.VERBOSE,
)
"""``_TURN`` over a whole body: each match is the lines before a turn line, then the turn line.

Where it takes a line as a turn line, ``_TURN`` matches the stripped line
with the same groups (a label cannot hold the character that ends it, so
the greedy label here ends where the lazy one there does). The few lines it
leaves to the first group that ``_TURN`` would match (say, with whitespace
other than spaces and tabs after the colon) are read one by one like any
other line there.
"""
_END = "\nend:"
"""A last line ``_TURN_LINES`` always matches, so that the lines after the last turn are a match's first group."""


def parse_body(body: str, first_line: int, known: Callable[[str], bool]) -> Body:
    """Parse a transcript body whose first line is file line ``first_line``.

    The same result as ``parse_body_lines``, found faster: the lines that
    ``_TURN_LINES`` takes as turn lines are read whole, and only the others
    one by one (by a ``_Reader``). While turn lines follow each other, each
    is a whole turn, kept here without the reader's bookkeeping.
    """
    reader = _Reader(known)
    turns = reader.turns
    people = reader.people
    found = _TURN_LINES.findall("\n" + body + _END)  # every line starts after a newline
    rest = found.pop()[0]  # the lines after the last turn line (the rest of the match is _END)
    lineno = first_line - 1  # file line of the last line read
    label: str | None = None  # the turn being read when it is one line so far: label, time, line, text
    time = text = ""
    line = 0
    ended = False  # whether a blank line followed that line
    for before, head, ts, b1, b2, plain, said in found:
        if before:
            if label is None:
                lineno = reader.lines(before[1:], lineno + 1)
            elif before.isspace():  # blank lines only: the one-line turn stays one line
                lineno += before.count("\n")
                ended = True
            else:
                reader.open(label, time, line, text, ended)
                label = None
                lineno = reader.lines(before[1:], lineno + 1)
        lineno += 1
        name = (b1 or b2 or plain).strip()
        person = people.get(name)
        if person is None:
            person = reader.person(name)
        if not person:
            if label is not None:
                reader.open(label, time, line, text, ended)
                label = None
            reader.text(lineno, (head + said).strip())
            continue
        if label is None:
            reader.close_turn()
        elif text:
            turns.append(_raw_turn((label, time, (text,), line)))
        label, time, line, text, ended = name, ts, lineno, said.strip(), False
    if label is not None:
        reader.open(label, time, line, text, ended)
    if rest:
        reader.lines(rest[1:], lineno + 1)
    return reader.body()


def _raw_turn(fields: tuple[str, str, tuple[str, ...], int]) -> RawTurn:
    """``RawTurn(*fields)``, made faster."""
    return tuple.__new__(RawTurn, fields)


class _Reader:
    """The state of ``parse_body``: the turn being read, and what is done."""

    __slots__ = ("known", "people", "turns", "headings", "label", "time", "start_line", "paragraphs",
                 "current", "has_turn", "labelled", "loose")

    def __init__(self, known: Callable[[str], bool]) -> None:
        self.known = known
        self.people: dict[str, bool] = {}
        self.turns: list[RawTurn] = []
        self.headings: list[Heading] = []
        self.label = ""
        self.time = ""
        self.start_line = 0
        self.paragraphs: list[str] = []
        self.current: list[str] = []
        self.has_turn = False
        self.labelled = False
        self.loose: list[tuple[int, str]] = []  # unlabelled lines before any label: (line, text)

    def person(self, name: str) -> bool:
        """``is_person_label``, remembered for the body."""
        answer = self.people.get(name)
        if answer is None:
            answer = self.people[name] = is_person_label(name, self.known)
        return answer

    def close_turn(self) -> None:
        """End the turn being read (kept when it has words)."""
        paragraphs = self.paragraphs
        if self.current:
            paragraphs.append(" ".join(self.current))
            self.current = []
        if self.has_turn and paragraphs:
            self.turns.append(RawTurn(self.label, self.time, tuple(paragraphs), self.start_line))
        if paragraphs:
            self.paragraphs = []
        self.has_turn = False
        if self.loose:
            self.turns.extend(_flush_loose(self.loose))
            self.loose = []

    def start(self, label: str, time: str, line: int, said: str) -> None:
        """A line that starts a turn."""
        self.close_turn()
        self.open(label, time, line, said, False)

    def open(self, label: str, time: str, line: int, said: str, ended: bool) -> None:
        """Start a turn (when none is being read and no unlabelled lines wait).

        ``ended``: a blank line followed the turn line (``said`` is a paragraph).
        """
        self.labelled = self.has_turn = True
        self.label = label
        self.time = time
        self.start_line = line
        if said:
            (self.paragraphs if ended else self.current).append(said)

    def text(self, line: int, text: str) -> None:
        """A line of words (stripped) that starts no turn."""
        if self.has_turn:
            self.current.append(text)
        else:
            self.loose.append((line, text))

    def lines(self, block: str, lineno: int) -> int:
        """Read lines one by one, the first being file line ``lineno``; returns the last one's."""
        for raw in block.split("\n"):
            line = raw.strip()
            if not line:
                if self.current:
                    self.paragraphs.append(" ".join(self.current))
                    self.current = []
                if not self.has_turn and self.loose and self.loose[-1][1] != "":
                    self.loose.append((lineno, ""))
            elif line.startswith("##") and (heading := _HEADING.match(line)):
                self.close_turn()
                self.headings.append(Heading(heading.group("title").strip(), len(self.turns), lineno))
            elif ":" in line and (match := _TURN.match(line)) and self.person(
                    name := (match.group("b1") or match.group("b2") or match.group("plain") or "").strip()):
                self.start(name, match.group("ts") or "", lineno, (match.group("text") or "").strip())
            else:
                self.text(lineno, line)
            lineno += 1
        return lineno - 1

    def body(self) -> Body:
        """The body read."""
        self.close_turn()
        return Body(tuple(self.turns), tuple(self.headings), self.labelled)


def _flush_loose(loose: list[tuple[int, str]]) -> list[RawTurn]:
    """Unlabelled lines become re-flowed paragraphs, one turn each."""
    out: list[RawTurn] = []
    block: list[str] = []
    block_line = 0
    for lineno, text in loose + [(0, "")]:
        if text:
            if not block:
                block_line = lineno
            block.append(text)
            continue
        if block:
            for paragraph in reflow(" ".join(block)):
                out.append(RawTurn("", "", (paragraph,), block_line))
            block = []
    return out


_DISCOURSE = frozenset("so and but now okay ok well anyway right yeah um uh".split())


def _split_run_on(sentence: str) -> list[str]:
    """Break an unpunctuated run (auto-captions) into paragraph-sized pieces.

    Pieces end near ``PARAGRAPH_CHARS``, preferably before a word that often
    starts a new thought in speech ("so", "and", "now", ...).
    """
    if len(sentence) <= PARAGRAPH_CHARS:
        return [sentence]
    words = sentence.split(" ")
    pieces: list[str] = []
    start = 0
    size = 0
    soft = PARAGRAPH_CHARS * 2 // 3
    for i, word in enumerate(words):
        if i > start and ((size >= soft and word.lower() in _DISCOURSE) or size >= PARAGRAPH_CHARS):
            pieces.append(" ".join(words[start:i]))
            start, size = i, 0
        size += len(word) + 1
    pieces.append(" ".join(words[start:]))
    return pieces


def reflow(text: str) -> list[str]:
    """Split run-on caption text into paragraphs of a few whole sentences."""
    text = " ".join(text.split())
    if len(text) <= PARAGRAPH_CHARS:
        return [text] if text else []
    sentences = [part for s in _SENTENCE_END.split(text) for part in _split_run_on(s)]
    paragraphs: list[str] = []
    chunk: list[str] = []
    size = 0
    for sentence in sentences:
        if chunk and (len(chunk) >= PARAGRAPH_SENTENCES or size + len(sentence) > PARAGRAPH_CHARS):
            paragraphs.append(" ".join(chunk))
            chunk = []
            size = 0
        chunk.append(sentence)
        size += len(sentence) + 1
    if chunk:
        if paragraphs and len(chunk) < 2 and size < PARAGRAPH_CHARS // 4:
            paragraphs[-1] += " " + " ".join(chunk)
        else:
            paragraphs.append(" ".join(chunk))
    return paragraphs
