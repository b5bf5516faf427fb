"""Terminal output: problems, progress and summaries, coloured only on a TTY."""

from __future__ import annotations

import os
import sys
from typing import TextIO

from ssg.errors import Problem

_CODES = {"red": "31", "yellow": "33", "green": "32", "dim": "2", "bold": "1"}


def use_colour(stream: TextIO) -> bool:
    """Colour when the stream is a terminal and NO_COLOR is unset."""
    if os.environ.get("NO_COLOR") or os.environ.get("TERM") == "dumb":
        return False
    return bool(getattr(stream, "isatty", lambda: False)())


def paint(text: str, colour: str, stream: TextIO) -> str:
    """``text`` in ``colour`` when ``stream`` takes colour."""
    if not use_colour(stream):
        return text
    return f"\x1b[{_CODES[colour]}m{text}\x1b[0m"


def print_problems(problems: list[Problem], stream: TextIO | None = None) -> None:
    """Errors and warnings, one per line, as ``path:line: message (hint)``.

    Grouped by file (in the order the files were first reported), by line within a file.
    ``stream`` is ``sys.stderr`` as it is when called (not as it was at import).
    """
    stream = stream or sys.stderr
    first: dict[str, int] = {}
    for i, problem in enumerate(problems):
        first.setdefault(problem.path, i)
    ordered = sorted(problems, key=lambda p: (first[p.path], p.line or 0))
    for problem in ordered:
        line = problem.format()
        colour = "red" if problem.level == "error" else "yellow"
        print(paint(line, colour, stream), file=stream)


class Progress:
    """A single updating progress line on a TTY; silent otherwise."""

    def __init__(self, stream: TextIO = sys.stderr) -> None:
        self.stream = stream
        self.live = use_colour(stream)
        self.shown = False

    def __call__(self, stage: str, done: int, total: int) -> None:
        if not self.live or total < 50:
            return
        width = 24
        filled = width * done // max(total, 1)
        bar = "#" * filled + "-" * (width - filled)
        self.stream.write(f"\r{stage:<7} [{bar}] {done}/{total}")
        self.stream.flush()
        self.shown = True

    def clear(self) -> None:
        """Remove the progress line before printing anything else."""
        if self.shown:
            self.stream.write("\r\x1b[2K")
            self.stream.flush()
            self.shown = False


def plural(n: int, word: str) -> str:
    """``1 episode``, ``2 episodes``."""
    return f"{n} {word}{'' if n == 1 else 's'}"
