"""What an importer reads out of a raw transcript, before it becomes a content file.

Every reader returns an ``ImportedEpisode``; later steps (introductions,
command-line flags) make new ones with ``dataclasses.replace``. Nothing here
reads or writes files.
"""

from __future__ import annotations

from dataclasses import dataclass


class BadInput(Exception):
    """A file that cannot be imported, with the line (or cue) where it applies and a hint.

    ``path`` names the file at fault when it is not the transcript being
    imported (a chapters file, the speakers file).
    """

    def __init__(self, message: str, line: int | None = None, hint: str = "", path: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.line = line
        self.hint = hint
        self.path = path

    def format(self, path: object) -> str:
        """``path:line: message (hint)``, naming ``path`` unless the problem is in another file."""
        where = self.path or str(path)
        where += f":{self.line}" if self.line else ""
        return f"{where}: {self.message}" + (f" ({self.hint})" if self.hint else "")


@dataclass(frozen=True, slots=True)
class ImportedTurn:
    """One turn of the transcript."""

    speaker: str
    """The speaker's label as the input wrote it ('' when nobody is named)."""
    start: float | None
    """Start in seconds, or None when the input gives no time."""
    paragraphs: tuple[str, ...]
    """The words, one string per paragraph, whitespace-normalised."""
    line: int = 0
    """Where the turn starts in the input: a line, or a segment for JSON (``ImportedEpisode.unit``); 0 unknown."""


@dataclass(frozen=True, slots=True)
class ImportedChapter:
    """A chapter as found in a chapter list or a chapters file."""

    start: float
    """Start in seconds."""
    title: str
    """Plain-text title."""
    url: str = ""
    """An http(s) link about the chapter, or ''."""
    img: str = ""
    """An http(s) image for the chapter, or ''."""
    toc: bool = True
    """False keeps the chapter out of chapter lists (untitled, or ``toc: false``)."""


@dataclass(frozen=True, slots=True)
class Person:
    """Someone the text introduces."""

    name: str
    """Full name as introduced."""
    role: str = "guest"
    """``host`` when they introduce themselves as the host, else ``guest``."""
    title: str = ""
    """Job title or affiliation from the introduction ('' when none was said)."""


@dataclass(frozen=True, slots=True)
class ImportedEpisode:
    """Everything read from one input file."""

    turns: tuple[ImportedTurn, ...]
    """The transcript, in order."""
    markdown: bool = False
    """True when the paragraphs are Markdown as written (plain-text input); False
    when they are literal text to be escaped (captions formats, JSON)."""
    title: str = ""
    """Episode title, '' when the input does not say."""
    number: int | None = None
    """Episode number, when the input says."""
    date: str = ""
    """Publication date as ``YYYY-MM-DD``, '' when the input does not say."""
    description: str = ""
    """Show notes: the lead paragraph of a web page or summary."""
    chapters: tuple[ImportedChapter, ...] = ()
    """Chapters in time order."""
    people: tuple[Person, ...] = ()
    """People introduced in the text, hosts first, then guests in order of introduction."""
    duration: float | None = None
    """Length in seconds (end of the last cue), when the input has cue times."""
    notes: tuple[str, ...] = ()
    """Things a human should look at (an odd cue time format, a guessed speaker)."""
    body_line: int = 0
    """For plain text: the line where the transcript starts (what is above it is the page's title and notes)."""
    unit: str = "line"
    """What ``ImportedTurn.line`` counts: ``line`` of the file, or ``segment`` of a JSON transcript."""
    audio_url: str = ""
    """The audio file's URL, when the file's own front matter gives one."""
    sources: tuple[tuple[str, str], ...] = ()
    """Where the title, date and number were found (field, source), for the report."""

    def person(self, name: str) -> Person | None:
        """The introduced person called ``name``, if any."""
        return next((p for p in self.people if p.name == name), None)
