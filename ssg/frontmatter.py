"""Front matter: split a content file into YAML metadata and body, safely.

YAML is loaded with the safe loader only (tags that construct objects are
refused), aliases are bounded (no "billion laughs"), dates stay strings so
that an impossible date is a message rather than a crash, and every error
names the line in the file, not in the YAML fragment.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import yaml

_Base: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

MAX_EXPANDED = 10_000
"""A YAML document whose aliases expand to more values than this is refused."""


class _Loader(_Base):  # type: ignore[misc]
    """Safe loader that leaves timestamps as strings (we parse dates ourselves)."""


_Loader.yaml_implicit_resolvers = {
    key: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for key, resolvers in _Base.yaml_implicit_resolvers.items()
}


class YamlError(Exception):
    """A YAML problem with a 1-based line within the YAML text (or None)."""

    def __init__(self, message: str, line: int | None, hint: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.line = line
        self.hint = hint


def load_yaml(text: str) -> Any:
    """Parse YAML safely; raises ``YamlError`` with a line and a hint."""
    if "*" in text:
        _check_aliases(text)
    try:
        return yaml.load(text, Loader=_Loader)  # noqa: S506 - _Loader is a safe loader
    except yaml.constructor.ConstructorError as exc:
        mark = exc.problem_mark or exc.context_mark
        tag = re.search(r"tag '([^']+)'", str(exc.problem))
        what = f"YAML tag {tag.group(1)!r} is not allowed" if tag else str(exc.problem)
        raise YamlError(what, mark.line + 1 if mark else None,
                        "only plain values, lists and mappings are allowed") from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        if exc.context_mark is not None and "flow" in (exc.context or ""):
            mark = exc.context_mark  # an unclosed [ or {: point at where it opened
            raise YamlError(f"YAML syntax error: {exc.problem}", mark.line + 1,
                            "close the [ or { that starts on this line, or quote the value") from None
        problem = exc.problem or exc.context or "invalid YAML"
        raise YamlError(f"YAML syntax error: {problem}", mark.line + 1 if mark else None,
                        _yaml_hint(problem)) from None
    except yaml.YAMLError as exc:
        raise YamlError(f"YAML error: {exc}", None) from None
    except (ValueError, TypeError, RecursionError) as exc:
        raise YamlError(f"YAML value error: {exc}", None) from None


def _yaml_hint(problem: str) -> str:
    if "mapping values are not allowed" in problem:
        return "quote values that contain ': ', e.g. title: \"Part 1: The start\""
    if "found character '\\t'" in problem:
        return "indent with spaces, not tabs"
    if "could not find expected ':'" in problem:
        return "each line should be 'key: value'"
    return "check indentation and quoting"


def _check_aliases(text: str) -> None:
    """Refuse documents whose aliases would expand past ``MAX_EXPANDED`` values."""
    try:
        node = yaml.compose(text, Loader=_Loader)
    except yaml.YAMLError:
        return  # the real load reports the syntax error with its line
    if node is None:
        return
    sizes: dict[int, int] = {}

    def size(n: yaml.Node, depth: int = 0) -> int:
        known = sizes.get(id(n))
        if known is not None:
            return known
        if depth > 100:
            raise YamlError("YAML nested too deeply", n.start_mark.line + 1, "flatten the value")
        total = 1
        if isinstance(n, yaml.SequenceNode):
            total += sum(size(child, depth + 1) for child in n.value)
        elif isinstance(n, yaml.MappingNode):
            total += sum(size(k, depth + 1) + size(v, depth + 1) for k, v in n.value)
        if total > MAX_EXPANDED:
            raise YamlError(f"YAML aliases expand to more than {MAX_EXPANDED} values",
                            n.start_mark.line + 1, "write the values out instead of using *aliases")
        sizes[id(n)] = total
        return total

    size(node)


@dataclass(frozen=True, slots=True)
class Split:
    """A content file split into its parts."""

    meta_text: str
    """The YAML between the ``---`` lines."""
    meta_line: int
    """1-based file line of the first YAML line."""
    body: str
    """Everything after the closing ``---``."""
    body_line: int
    """1-based file line of the first body line."""


class FrontMatterError(Exception):
    """The file has no (or no terminated) front matter."""

    def __init__(self, message: str, line: int, hint: str) -> None:
        super().__init__(message)
        self.message = message
        self.line = line
        self.hint = hint


def split(text: str) -> Split:
    """Split ``---`` front matter from the body (text already BOM- and CRLF-free)."""
    if not text.startswith("---"):
        raise FrontMatterError(
            "no front matter", 1,
            "start the file with a line '---', the YAML fields, then another '---'",
        )
    first_nl = text.find("\n")
    if first_nl == -1 or text[:first_nl].strip() != "---":
        raise FrontMatterError(
            "no front matter", 1,
            "the first line must be exactly '---'",
        )
    match = re.search(r"^(?:---|\.\.\.)[ \t]*$", text[first_nl + 1:], re.MULTILINE)
    if match is None:
        raise FrontMatterError(
            "front matter is not terminated", 1,
            "add a line '---' after the last YAML field",
        )
    meta_text = text[first_nl + 1:first_nl + 1 + match.start()]
    body_start = first_nl + 1 + match.end()
    if body_start < len(text) and text[body_start] == "\n":
        body_start += 1
    meta_lines = meta_text.count("\n")
    return Split(
        meta_text=meta_text,
        meta_line=2,
        body=text[body_start:],
        body_line=2 + meta_lines + 1,
    )


@lru_cache(maxsize=1024)
def _field_pattern(key: str) -> re.Pattern[str]:
    """The pattern of a line that starts top-level field ``key``."""
    return re.compile(rf"^{re.escape(key)}[ \t]*:", re.MULTILINE)


def field_line(meta_text: str, meta_line: int, key: str) -> int:
    """File line of a top-level ``key:`` in the YAML (the YAML's first line if absent)."""
    match = _field_pattern(key).search(meta_text)
    if not match:
        return meta_line
    return meta_line + meta_text.count("\n", 0, match.start())


def item_line(meta_text: str, meta_line: int, key: str, index: int) -> int:
    """File line of the ``index``-th list item under top-level ``key`` (best effort)."""
    lines, start = _item_lines(meta_text, meta_line, key)
    return lines[index] if index < len(lines) else start


@lru_cache(maxsize=64)
def _item_lines(meta_text: str, meta_line: int, key: str) -> tuple[tuple[int, ...], int]:
    """File lines of the block list items under top-level ``key``, and the key's line.

    A flow list (``key: [a, b]``) has no item lines: its items are on the key's line.
    """
    start = field_line(meta_text, meta_line, key)
    lines = meta_text.split("\n")
    found: list[int] = []
    for offset in range(start - meta_line, len(lines)):
        line = lines[offset]
        if offset > start - meta_line and line and not line[0].isspace() and not line.startswith("-"):
            break
        stripped = line.lstrip()
        if stripped.startswith("- ") or stripped == "-":
            found.append(meta_line + offset)
        elif offset == start - meta_line and "[" in line:
            break
    return tuple(found), start
