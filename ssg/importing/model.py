"""What an importer reads out of a raw transcript, before it becomes a content file."""

from __future__ import annotations

from dataclasses import dataclass, field


class ImportError_(Exception):
    """A file that cannot be imported: ``line`` (or cue) where it applies, and a hint."""

    def __init__(self, message: str, line: int | None = None, hint: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.line = line
        self.hint = hint


@dataclass(slots=True)
class RawTurn:
    """One turn: who (a label as written, '' when unknown), when (seconds or None), what."""

    speaker: str
    start: float | None
    paragraphs: list[str]


@dataclass(slots=True)
class RawChapter:
    """A chapter as found: start in seconds, title, optional link and image, shown in lists or not."""

    start: float
    title: str
    url: str = ""
    img: str = ""
    toc: bool = True


@dataclass(slots=True)
class Imported:
    """Everything read from one input file."""

    turns: list[RawTurn] = field(default_factory=list)
    title: str = ""
    number: int | None = None
    date: str = ""
    description: str = ""
    chapters: list[RawChapter] = field(default_factory=list)
    titles: dict[str, str] = field(default_factory=dict)
    """Speaker name -> title/affiliation, from the host's introductions."""
    hosts: list[str] = field(default_factory=list)
    """Names that introduce themselves as the host."""
    guests: list[str] = field(default_factory=list)
    """People introduced in the text, in order (also when no turn carries their label)."""
    duration: float | None = None
    notes: list[str] = field(default_factory=list)
    """What still needs a human."""
