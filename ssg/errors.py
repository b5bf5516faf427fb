"""Problems found in content: values with a file, a line, a message and a hint.

Every stage collects problems instead of raising, so one build reports all of
them together. The CLI formats them as ``path:line: message (hint)``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

Level = Literal["error", "warning"]

_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")
"""Characters that would break a problem's one line (or hide in it): shown escaped."""


def _one_line(text: str) -> str:
    """``text`` with control characters and line breaks escaped (``\\n``, ``\\x00``)."""
    return _CONTROL.sub(lambda m: repr(m.group())[1:-1], text) if _CONTROL.search(text) else text


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing wrong (or suspicious) in the content."""

    path: str
    """File the problem is in, as the user would type it (e.g. ``content/episodes/x.md``)."""
    line: int | None
    """1-based line in that file, or None when the problem is about the whole file."""
    message: str
    """What is wrong, naming the field."""
    hint: str = ""
    """How to fix it."""
    level: Level = "error"
    """``error`` stops the build; ``warning`` is reported and the build goes on."""

    def format(self) -> str:
        """Render as ``path:line: message (hint)``."""
        where = f"{self.path}:{self.line}" if self.line is not None else self.path
        prefix = "" if self.level == "error" else "warning: "
        hint = f" ({self.hint})" if self.hint else ""
        return _one_line(f"{where}: {prefix}{self.message}{hint}")


class Problems:
    """An ordered collection of problems, appended to by every stage."""

    __slots__ = ("items",)

    def __init__(self) -> None:
        self.items: list[Problem] = []

    def error(self, path: str, line: int | None, message: str, hint: str = "") -> None:
        """Record an error: the build will fail."""
        self.items.append(Problem(path, line, message, hint, "error"))

    def warning(self, path: str, line: int | None, message: str, hint: str = "") -> None:
        """Record a warning: reported, the build goes on (unless ``--strict``)."""
        self.items.append(Problem(path, line, message, hint, "warning"))

    def extend(self, other: "Problems | list[Problem]") -> None:
        """Append every problem of another collection."""
        self.items.extend(other.items if isinstance(other, Problems) else other)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.items if p.level == "error"]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.items if p.level == "warning"]

    def has_errors(self, strict: bool = False) -> bool:
        """True when the build must fail (any error, or any warning when strict)."""
        return bool(self.items) if strict else any(p.level == "error" for p in self.items)

    def __len__(self) -> int:
        return len(self.items)

    def __iter__(self):  # type: ignore[no-untyped-def]
        return iter(self.items)


class BuildFailed(Exception):
    """Raised by a stage that cannot go on; carries the problems gathered so far."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__(f"{len(problems)} problem(s)")
        self.problems = problems
