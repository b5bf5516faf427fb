"""Front matter: split a content file into YAML metadata and body, safely.

YAML is loaded with the safe loader only (tags that construct objects are
refused), aliases are bounded (no "billion laughs"), dates stay strings so
that an impossible date is a message rather than a crash, and every error
names the line in the file, not in the YAML fragment.

The line of every mapping key and list item comes from the parser's own
marks, taken while the text is parsed (once): ``Document.lines`` maps a key
path such as ``("chapters", 2, "start")`` to the line the key is written on.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import yaml
from yaml.composer import Composer
from yaml.events import AliasEvent
from yaml.nodes import MappingNode, Node, SequenceNode

_Base: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

MAX_EXPANDED = 10_000
"""A YAML document whose aliases expand to more values than this is refused."""

MERGE = "tag:yaml.org,2002:merge"
"""The tag of a ``<<`` merge key."""
STR = "tag:yaml.org,2002:str"
"""The tag of text."""

Lines = dict[tuple[Any, ...], int]
"""Line (1-based, within the YAML text) of each mapping key and list item, by its path of keys and
indexes, e.g. ``("chapters", 2, "start")``; ``()`` is the line of the document's value. Where a key
is given twice, its line is that of the value used (the last). Everything reached through an
``*alias`` (an aliased list item, the keys ``<<: *defaults`` merges in) is on the alias's line."""

Written = dict[int, list[tuple[Node, int, bool]]]
"""id of each collection node -> its children as written: (node, line, whether written as an ``*alias``).
A mapping's children alternate key, value."""


class _Loader(_Base):  # type: ignore[misc]
    """Safe loader that leaves timestamps as strings (we parse dates ourselves)."""

    def __init__(self, text: str) -> None:
        super().__init__(text)


_Loader.yaml_implicit_resolvers = {
    key: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for key, resolvers in _Base.yaml_implicit_resolvers.items()
}

_Composing: Any = _Loader if issubclass(_Loader, Composer) else type("_Composing", (Composer, _Loader), {})
"""``_Loader`` with Python's composer in front of its parser (the C loader composes in C)."""


class _AliasLoader(_Composing):  # type: ignore[misc]
    """``_Loader`` that notes where each node is written, for texts with ``*aliases``.

    A composed node tells where it starts, which for an alias is where its anchor is;
    composing here sees each alias where it is written.
    """

    def __init__(self, text: str) -> None:
        _Loader.__init__(self, text)
        self.anchors: dict[Any, Node] = {}
        self.written: Written = {}

    def compose_node(self, parent: Node | None, index: Any) -> Node:
        event = self.peek_event()
        node: Node = super().compose_node(parent, index)
        if parent is not None:
            self.written.setdefault(id(parent), []).append(
                (node, event.start_mark.line + 1, isinstance(event, AliasEvent)))
        return node


class YamlError(Exception):
    """A YAML problem with a 1-based line within the YAML text (or None)."""

    def __init__(self, message: str, line: int | None, hint: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.line = line
        self.hint = hint


@dataclass(frozen=True, slots=True)
class Document:
    """A YAML text parsed: its value and where each key and item is written."""

    value: Any
    """The value (None for an empty document)."""
    lines: Lines
    """The line of each key and item, by path (see ``Lines``)."""


def load_yaml(text: str) -> Any:
    """Parse YAML safely; raises ``YamlError`` with a line and a hint."""
    return parse_yaml(text).value


def parse_yaml(text: str) -> Document:
    """Parse YAML safely, once, into its value and its lines; raises ``YamlError`` with a line and a hint."""
    aliased = "*" in text
    loader = _AliasLoader(text) if aliased else _Loader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return Document(None, {})
        if aliased:
            _check_aliases(node)
        value = loader.construct_document(node)
        return Document(value, _lines(loader, node, loader.written if aliased else None))
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
    finally:
        loader.dispose()


def _lines(loader: _Loader, root: Node, written: Written | None) -> Lines:
    """The line of every key and item under ``root``, by path (aliases already bounded in number).

    ``written`` is what ``_AliasLoader`` noted; without aliases (None), every node is written where
    it starts, and a mapping's keys are read from the node as constructing left it (``<<`` merged
    keys first, then its own).
    """
    lines: Lines = {(): root.start_mark.line + 1}
    todo: list[tuple[Node, tuple[Any, ...], int | None]] = [(root, (), None)]
    while todo:
        node, path, pinned = todo.pop()
        if isinstance(node, SequenceNode):
            if written is None:
                for i, child in enumerate(node.value):
                    lines[(*path, i)] = child.start_mark.line + 1
                    todo.append((child, (*path, i), None))
                continue
            for i, (child, line, alias) in enumerate(written.get(id(node), ())):
                at = pinned or line
                lines[(*path, i)] = at
                todo.append((child, (*path, i), at if alias else pinned))
        elif isinstance(node, MappingNode):
            if written is None:
                values: dict[Any, Node] = {}
                for key_node, child in node.value:
                    key = _key(loader, key_node)
                    lines[(*path, key)] = key_node.start_mark.line + 1
                    values[key] = child  # a repeated key: the last value is the one below its path
                todo += [(child, (*path, key), None) for key, child in values.items()]
                continue
            for key, (at, child, pin) in _entries(loader, written, node, pinned).items():
                lines[(*path, key)] = at
                todo.append((child, (*path, key), pin))
    return lines


def _key(loader: _Loader, node: Node) -> Any:
    """The key a key node was constructed into (text keys as written; others constructed again)."""
    if node.tag == STR:
        return node.value
    return loader.construct_object(node)


def _entries(loader: _Loader, written: Written, node: Node,
             pinned: int | None) -> dict[Any, tuple[int, Node, int | None]]:
    """A mapping's keys as constructed -> (line, value node, line everything below is pinned to).

    In the order the constructor takes them: ``<<`` merged keys first (the first merged mapping
    winning), then the mapping's own, the last of a repeated key winning.
    """
    children = written.get(id(node), [])
    merged: dict[Any, tuple[int, Node, int | None]] = {}
    own: dict[Any, tuple[int, Node, int | None]] = {}
    for (key, key_line, key_alias), (value, value_line, value_alias) in zip(children[::2], children[1::2]):
        at = pinned or key_line
        if key.tag == MERGE:
            pin = pinned or (value_line if value_alias else None)
            subs = [(value, pin)] if isinstance(value, MappingNode) else [
                (sub, pin or (line if alias else None)) for sub, line, alias in written.get(id(value), [])]
            for sub, sub_pin in reversed(subs):
                if isinstance(sub, MappingNode):
                    merged.update(_entries(loader, written, sub, sub_pin))
            continue
        own[_key(loader, key)] = (at, value, pinned or (value_line if value_alias else None))
    return {**merged, **own}


def _yaml_hint(problem: str) -> str:
    if "mapping values are not allowed" in problem:
        return "quote values that contain ': ', e.g. title: \"Part 1: The start\""
    if "found character '\\t'" in problem:
        return "indent with spaces, not tabs"
    if "could not find expected ':'" in problem:
        return "each line should be 'key: value'"
    return "check indentation and quoting"


def _check_aliases(node: Node) -> None:
    """Refuse documents whose aliases would expand past ``MAX_EXPANDED`` values."""
    sizes: dict[int, int] = {}

    def size(n: Node, depth: int = 0) -> int:
        known = sizes.get(id(n))
        if known is not None:
            return known
        if depth > 100:
            raise YamlError("YAML nested too deeply", n.start_mark.line + 1, "flatten the value")
        total = 1
        if isinstance(n, SequenceNode):
            total += sum(size(child, depth + 1) for child in n.value)
        elif isinstance(n, MappingNode):
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
