"""Transcript bodies: speaker turns, timestamps, markers and ``##`` chapter headings.

A transcript is structured data, not a general Markdown document. This
module reads the body line by line into raw turns (label, time, paragraphs,
line, marker) and headings; identities, anchors and estimates are decided
later by ``load``. A body with no speaker labels is re-flowed into paragraphs.

A line starts a turn when it is a *head*: an optional timestamp, a label,
an optional timestamp, then the words (if any). Labels are written as real
transcripts write them::

    **Ana B. Ortiz, PhD:** text      Jane Host: text        **Jane Host**   (alone)
    [Speaker 1] [00:03] text         Jane Host (04:33): text
    Jane Host  0:07   (two spaces)   [12:04] Jane: text     Jane: \\[04:33\\] text
    [0.00 --> 4.90] text  (a timed line without a label)

A label is a speaker when ``known`` says so (declared names and aliases
decide), else when it is a non-speech marker (``Music``, ``Ad``, ``[MUSIC]``,
``(laughter)``, ...), else when it is a plausible person label. A line that
has the shape of a label but is not read as one is reported (``Body.suspects``)
so that nothing is attributed to the wrong speaker silently.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import NamedTuple

DEFAULT_MARKERS: tuple[str, ...] = (
    "Break", "Ad", "Ads", "Ad break", "Advert", "Advertisement", "Sponsor", "Sponsored", "Sponsor break",
    "Music", "Theme music", "Jingle", "Intro", "Outro", "Clip", "Laughter", "Laughs", "Applause",
    "Crosstalk", "Inaudible", "Silence", "Pause", "Sound effect", "SFX", "Music playing", "Midroll", "Mid-roll",
)
"""Labels that mark a non-speech segment (matched case-insensitively, on whole leading words)."""

_CLK = r"\d+:\d{2}(?::\d{2})?(?:[.,]\d{1,3})?"
_SEC = r"\d+(?:\.\d{1,3})?"
_LEAD = re.compile(
    rf"""(?:
        \\?\[[^\S\n]*(?P<b>{_CLK}|{_SEC}(?=[^\S\n]*-->))(?:[^\S\n]*-->[^\S\n]*(?:{_CLK}|{_SEC}))?[^\S\n]*\\?\]
      | \((?P<p>{_CLK})\)
      | (?P<n>{_CLK})
    )(?:[^\S\n]+|$)""",
    re.VERBOSE,
)
"""A timestamp before the label: ``[00:03]``, ``\\[00:03\\]``, ``(00:03)``, ``00:03``, ``[0.00 --> 4.90]``."""
_AFTER = re.compile(
    rf"""[^\S\n]*(?:
        \\?\[(?P<b>{_CLK})\\?\]
      | \((?P<p>{_CLK})\)
      | (?P<n>\d+:\d{{2}}:\d{{2}}(?:[.,]\d{{1,3}})?|{_CLK}(?=[^\S\n]*$))
    )(?:[^\S\n]+|$)""",
    re.VERBOSE,
)
"""A timestamp after the label; a bare one only as ``H:MM:SS`` or alone (``Jane: 10:30 works`` keeps its words)."""
_BOLD = re.compile(r"\*\*(?P<name>[^*\n]{1,80}?)(?P<end>:\*\*|\*\*[^\S\n]*:|\*\*)(?P<rest>.*)")
_BRACKET = re.compile(r"\[(?P<name>[^\]\[\n]{1,80})\]:?(?P<rest>(?:[^\S\n].*)?)")
_PAREN = re.compile(r"\((?P<name>[^()\n]{1,40})\)")
_PLAIN = re.compile(
    rf"(?P<name>[^:\n*\[\]<>]{{1,80}}?)(?:[^\S\n]*[\[(](?P<ts>{_CLK})[\])])?:(?:[^\S\n]+(?P<rest>.*)|[^\S\n]*$)"
)
_SPACED = re.compile(
    rf"(?P<name>[^:\n*\[\]<>]{{1,80}}?)(?:[^\S\n]{{2,}}|\t)(?P<ts>{_CLK})(?:[^\S\n]{{2,}}(?P<rest>.*))?[^\S\n]*"
)
_HEADING = re.compile(r"^##[ \t]+(?P<title>.+?)[ \t]*#*[ \t]*$")
_GENERIC = re.compile(
    r"^(?:(?:speaker|spk|voice|person|participant)[ _-]?(?:\d{1,3}|[A-Z])|unknown(?:[ _-]speaker)?(?:[ _-]?\d{1,3})?)$",
    re.IGNORECASE,
)
_WORD = re.compile(r"^(?:[^\W\d_][\w'’.-]*|[A-Z]\.)$")
_PARTICLES = frozenset(
    "de van von der den la le da di del della du al el bin ibn dos das ter ten st. y".split()
)
_TITLES = frozenset(
    """dr dr. prof prof. mr mr. mrs mrs. ms ms. mx mx. sir dame rev rev. fr fr. phd ph.d. md m.d. jr jr. sr sr.
    ii iii iv esq esq. mba msc bsc dds rn""".split()
)
_NOT_NAMES = frozenset(
    """note notes warning update summary example transcript chapter episode listen links
    sources source tip edit also here there this that these those the and but so then now
    today yesterday tomorrow step part section question answer key important disclaimer credits
    photo image subscribe follow see read watch remember ps re fwd time date location
    where when what why how warning caution fyi tldr tl;dr bonus correction errata update quote
    well yes no okay ok yeah hey hi hello oh like just""".split()
)
_SENTENCE_END = re.compile(r"(?<=[.!?…])[\"'”’)\]]*\s+(?=[\"'“‘(\[]?[A-Z0-9])")

PARAGRAPH_SENTENCES = 5
"""Sentences per paragraph when re-flowing an unlabelled transcript."""
PARAGRAPH_CHARS = 700
"""Soft size limit of a re-flowed paragraph."""


class RawTurn(NamedTuple):
    """A turn as written: the label, its time, its paragraphs."""

    label: str
    """The label as written ('' for an unlabelled paragraph); for a marker, the marker as written."""
    time: str
    """The timestamp as written ('' when none)."""
    paragraphs: tuple[str, ...]
    """Paragraph texts (inline Markdown), whitespace-normalised."""
    line: int
    """File line where the turn starts."""
    marker: bool = False
    """True for a non-speech segment (``Music``, ``Ad``, ``[MUSIC]``): ``label`` names it, never a speaker."""


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
class Suspect:
    """A line inside a turn that looks like a speaker label but was not read as one."""

    line: int
    """File line."""
    label: str
    """The text that looks like a label."""


@dataclass(frozen=True, slots=True)
class Body:
    """A parsed transcript body."""

    turns: tuple[RawTurn, ...]
    """Turns in order."""
    headings: tuple[Heading, ...]
    """Chapter headings in order."""
    labelled: bool
    """False when no line carried a speaker label."""
    suspects: tuple[Suspect, ...] = ()
    """Lines with the shape of a label that were read as words (reported by ``load``)."""


def is_generic(label: str) -> bool:
    """Whether ``label`` is a generic voice (``Speaker 1``, ``SPEAKER_00``, ``Unknown Speaker``)."""
    return bool(_GENERIC.match(label.strip()))


def _is_symbol(ch: str) -> bool:
    """Emoji and other symbols, joiners and variation selectors (decoration around a name)."""
    return unicodedata.category(ch) in ("So", "Sk", "Cn", "Mn", "Cf") or ch in "\ufe0f\u200d"


def clean_label(label: str) -> str:
    """The label without surrounding emoji or symbols and with single spaces."""
    text = " ".join(label.split())
    start, end = 0, len(text)
    while start < end and (_is_symbol(text[start]) or text[start] == " "):
        start += 1
    while end > start and (_is_symbol(text[end - 1]) or text[end - 1] == " "):
        end -= 1
    return text[start:end]


def marker_of(label: str, markers: Iterable[str]) -> bool:
    """Whether ``label`` names a non-speech segment: it is a marker, or starts with one's words."""
    words = re.findall(r"[^\W_]+(?:[-'][^\W_]+)*", label.casefold())
    if not words:
        return False
    for marker in markers:
        mwords = re.findall(r"[^\W_]+(?:[-'][^\W_]+)*", marker.casefold())
        if mwords and words[:len(mwords)] == mwords:
            return True
    return False


def is_person_label(label: str, known: Callable[[str], bool]) -> bool:
    """Whether ``label`` (text before a colon) names a speaker.

    Known names and aliases always do; otherwise a plausible person label:
    a generic voice (``SPEAKER_1``), or one to six words written like a name:
    capitalised words (letters of any script), initials (``B.``), particles
    (``van``, ``El``), honorifics and degrees (``Dr.``, ``PhD`` after a comma),
    a part in parentheses (``(Jay)``), emoji; no other digits, not a common
    heading word.
    """
    label = label.strip()
    if not label:
        return False
    if known(label):
        return True
    if _GENERIC.match(label):
        return True
    words = [w for w in label.split() if not all(map(_is_symbol, w))]
    if not 1 <= len(words) <= 6:
        return False
    if words[0].casefold().rstrip(".,") in _NOT_NAMES:
        return False
    capitalised = 0
    for i, raw in enumerate(words):
        word = raw.rstrip(",")
        if raw != word and i == len(words) - 1:
            return False
        if word.startswith("(") and word.endswith(")") and len(word) > 2:
            word = word[1:-1]
        if word.casefold() in _TITLES:
            capitalised += 1
            continue
        if not _WORD.match(word):
            return False
        if not word[0].islower():
            capitalised += 1
        elif word.casefold() not in _PARTICLES:
            return False
    first = words[0].lstrip("(")
    return capitalised >= 1 and not first[0].islower()


def _looks_like_label(name: str) -> bool:
    """Whether rejected label text still looks like one (reported rather than read as words silently)."""
    words = name.split()
    if not words or len(words) > 5 or not words[0][:1].isupper():
        return False
    if len(words) == 1 and words[0].casefold().rstrip(".,") in _NOT_NAMES:
        return False
    return all(w[:1].isupper() or not w[:1].isalpha() or w.casefold() in _PARTICLES for w in words)


class _Head(NamedTuple):
    """A line that starts a turn."""

    label: str
    time: str
    text: str
    marker: bool
    alone: bool
    """A marker with no words of its own (``[Music]``): the speaker before it goes on after it."""


def _stamp(match: re.Match[str]) -> str:
    """The time of a ``_LEAD`` or ``_AFTER`` match (one of its groups matched)."""
    return match[match.lastindex or 0] or ""


class _Lines:
    """What decides, line by line, whether a line is a head (with the body's answers remembered)."""

    def __init__(self, known: Callable[[str], bool], markers: Iterable[str]) -> None:
        self.known = known
        self.markers = tuple(markers)
        self.names: dict[str, tuple[str, str]] = {}
        self.suspect = ""

    def name(self, name: str) -> tuple[str, str]:
        """The label in ``name`` (``clean_label``) and its kind: 'speaker', 'marker' or '' (remembered)."""
        found = self.names.get(name)
        if found is None:
            label = clean_label(name)
            if not label:
                kind = ""
            elif self.known(label):
                kind = "speaker"
            elif marker_of(label, self.markers):
                kind = "marker"
            elif is_person_label(label, self.known):
                kind = "speaker"
            else:
                kind = ""
            found = self.names[name] = (label, kind)
        return found

    def head(self, line: str) -> _Head | None:
        """The head this (stripped, non-empty) line is, or None; ``suspect`` is set for a rejected label."""
        self.suspect = ""
        time = ""
        rest = line
        bracketed = False
        lead = _LEAD.match(line) if line[0] in "[(\\0123456789" else None
        if lead:
            time = _stamp(lead)
            bracketed = lead.group("n") is None
            rest = line[lead.end():]
            if not rest:
                return _Head("", time, "", False, False)
        first = rest[0]
        name = ""
        after = ""
        colon = True
        if first == "*":
            m = _BOLD.fullmatch(rest)
            if m:
                name, after = m.group("name").strip(), m.group("rest")
                colon = ":" in m.group("end")
                if not colon and after.strip() and not _AFTER.match(after):
                    name = ""  # **bold** words, not a label
                elif not colon and not after.strip() and name.endswith(":"):
                    name = name[:-1].strip()
        elif first == "[":
            m = _BRACKET.fullmatch(rest)
            if m:
                name, after = m.group("name").strip(), m.group("rest")
        elif first == "(":
            m = _PAREN.fullmatch(rest)
            if m and marker_of(m.group("name"), self.markers):
                return _Head(m.group("name").strip(), time, "", True, True)
        if not name and ":" in rest:
            m = _PLAIN.fullmatch(rest)
            if m:
                name, after = m.group("name").strip(), m.group("rest") or ""
                if m.group("ts"):
                    time = time or m.group("ts")
        if not name and ("  " in rest or "\t" in rest or "\xa0" in rest or rest.endswith((")", "]"))):
            m = _SPACED.fullmatch(rest)
            if m:
                name, after, time = m.group("name").strip(), m.group("rest") or "", time or m.group("ts")
                colon = False
        if name:
            if not time and after:
                stamp = _AFTER.match(after)
                if stamp:
                    time = _stamp(stamp)
                    after = after[stamp.end():]
            label, kind = self.name(name)
            if kind:
                text = after.strip()
                alone = kind == "marker" and not text and first in "[(" 
                return _Head(label, time, text, kind == "marker", alone)
            if label and (first == "*" or _looks_like_label(label)):
                self.suspect = label
            if bracketed or not rest:
                return _Head("", time, rest, False, False)
            return None
        if len(rest) <= 60 and not rest.endswith((".", "?", "!", ",")):
            label = clean_label(rest)
            if label and (self.known(label) or _GENERIC.match(label)):
                return _Head(label, time, "", False, False)
        if time and bracketed:
            return _Head("", time, rest, False, False)
        return None


def starts_turn(line: str, known: Callable[[str], bool], markers: Iterable[str] = DEFAULT_MARKERS) -> bool:
    """Whether ``parse_body`` would read ``line`` as the start of a turn (a label, a marker or a timestamp).

    For writers (``ssg import``) that must keep a paragraph from being read so.
    """
    text = line.strip()
    return bool(text) and _Lines(known, markers).head(text) is not None


_new = tuple.__new__
"""``_new(RawTurn, fields)`` makes a RawTurn without the generated ``__new__``'s keyword handling."""


def parse_body(body: str, first_line: int, known: Callable[[str], bool],
               markers: Iterable[str] = DEFAULT_MARKERS) -> Body:
    """Parse a transcript body whose first line is file line ``first_line``.

    ``known(label)`` says whether a label is a declared speaker (those always
    are labels); ``markers`` are the labels of non-speech segments.
    """
    reader = _Lines(known, markers)
    turns: list[RawTurn] = []
    headings: list[Heading] = []
    suspects: list[Suspect] = []
    label = ""
    time = ""
    marker = False
    start_line = 0
    paragraphs: list[str] = []
    current: list[str] = []
    has_turn = False
    labelled = False
    loose: list[tuple[int, str]] = []  # unlabelled lines before any turn: (line, text)
    resume = ""  # the speaker who goes on after a marker with no words

    def close_turn() -> None:
        nonlocal has_turn
        if current:
            paragraphs.append(" ".join(current))
            current.clear()
        if has_turn and (paragraphs or marker):
            turns.append(_new(RawTurn, (label, time, tuple(paragraphs), start_line, marker)))
            paragraphs.clear()
        has_turn = False
        if loose:
            turns.extend(_flush_loose(loose))
            loose.clear()

    lineno = first_line - 1
    for raw in body.split("\n"):
        lineno += 1
        line = raw.strip()
        if not line:
            if current:
                paragraphs.append(" ".join(current))
                current.clear()
            if not has_turn and loose and loose[-1][1]:
                loose.append((lineno, ""))
            continue
        if line[0] == "#" and line.startswith("##") and (heading := _HEADING.match(line)):
            close_turn()
            resume = ""
            headings.append(Heading(heading.group("title").strip(), len(turns), lineno))
            continue
        head = reader.head(line)
        if head is None:
            if reader.suspect and has_turn:
                suspects.append(Suspect(lineno, reader.suspect))
            if not has_turn and resume:
                close_turn()
                has_turn, label, time, marker, start_line = True, resume, "", False, lineno
            if has_turn:
                current.append(line)
            else:
                loose.append((lineno, line))
            continue
        if head.label or not has_turn or marker:
            new_label, new_marker = head.label, head.marker
        else:
            new_label, new_marker = label, False  # a timestamp alone: the same speaker, a new turn
        if not head.label and not has_turn and resume:
            new_label = resume
        if has_turn and not marker and label:
            resume = label
        close_turn()
        if new_label and not new_marker:
            labelled = True
        has_turn, label, time, marker, start_line = True, new_label, head.time, new_marker, lineno
        if head.text:
            current.append(head.text)
        if head.alone:
            close_turn()
        elif not new_marker:
            resume = ""
    close_turn()
    return Body(tuple(turns), tuple(headings), labelled, tuple(suspects))


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
