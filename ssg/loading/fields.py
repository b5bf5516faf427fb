"""Fields: reading a content file and checking the values of its YAML mappings.

Every loader reads its files through ``read_text`` (UTF-8, BOM and CRLF
handled, nothing from outside the content folder) and its mappings through
``Fields``, which reports each bad value at its line with a hint. The small
value checks shared by the loaders (URLs, dates, field names, links) live
here too.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ssg import frontmatter
from ssg.errors import Problems
from ssg.files import Read, read_bytes
from ssg.model import Link

SAFE_SCHEMES = ("http://", "https://", "mailto:")


# Reading files ------------------------------------------------------------
def read_text(path: Path, rel: str, content_root: Path, problems: Problems,
              reads: dict[str, Read] | None = None) -> str | None:
    """Read a content file as UTF-8 text (BOM and CRLF handled), or report why not.

    With ``reads``, the file as read is recorded there (``ssg.files.read_bytes``).
    """
    try:
        resolved = path.resolve()
    except OSError as exc:
        problems.error(rel, None, f"cannot resolve path: {exc.strerror}", "check the file exists")
        return None
    if not resolved.is_relative_to(content_root):
        problems.error(rel, None, "symlink leads outside the content folder (refused)",
                       "copy the file into the content folder instead of linking it")
        return None
    try:
        data = read_bytes(path, reads)
    except OSError as exc:
        problems.error(rel, None, f"cannot read file: {exc.strerror}", "check its permissions")
        return None
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        problems.error(rel, line, f"not valid UTF-8 (byte 0x{data[exc.start]:02x} at offset {exc.start})",
                       "save the file as UTF-8")
        return None
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    if "\x00" in text:
        problems.error(rel, text.count("\n", 0, text.index("\x00")) + 1, "NUL character (U+0000) in the file",
                       "remove it: pages and feeds cannot carry it")
        return None
    return text


def _rel(path: Path, content_dir: Path, content_label: str) -> str:
    return f"{content_label}/{path.relative_to(content_dir).as_posix()}"


# Field checking ----------------------------------------------------------
@dataclass(slots=True)
class Fields:
    """Typed access to a YAML mapping that reports problems with their line."""

    data: dict[str, Any]
    rel: str
    lines: frontmatter.Lines
    """Where each key and item of the whole YAML text is written (lines within the text)."""
    meta_line: int
    """File line of the YAML text's first line."""
    problems: Problems
    prefix: str = ""
    path: tuple[Any, ...] = ()
    """Where ``data`` is in the YAML text: ``("chapters", 2)`` for the third chapter."""

    def line(self, key: str) -> int:
        """File line of ``key`` (of this mapping) as written; where it is missing, the mapping's."""
        return self.at(key)

    def at(self, *keys: Any) -> int:
        """File line of the key or item at ``keys`` under this mapping, else of the nearest one
        around it that is written (the YAML's first line at worst)."""
        return line_at(self.lines, (*self.path, *keys), self.meta_line)

    def _err(self, key: str, message: str, hint: str) -> None:
        self.problems.error(self.rel, self.line(key), message, hint)

    def name(self, key: str) -> str:
        return f"{self.prefix}{key}"

    def text(self, key: str, *, required: bool = False, default: str = "") -> str:
        value = self.data.get(key)
        if value is None:
            if required:
                self._err(key, f"missing required field '{self.name(key)}'", f"add '{key}: ...'")
            return default
        if isinstance(value, bool) or isinstance(value, (list, dict)):
            self._err(key, f"'{self.name(key)}' must be text, not {_kind(value)}",
                      f"write {key}: \"...\"")
            return default
        if isinstance(value, float) and not math.isfinite(value):
            self._err(key, f"'{self.name(key)}' must be text, not {_shown(value)}", f"write {key}: \"...\"")
            return default
        if isinstance(value, str) and "\x00" in value:
            self._err(key, f"'{self.name(key)}' holds a NUL character (U+0000)", "remove the \\0 from the value")
            return default
        return str(value).strip() if not isinstance(value, str) else value.strip()

    def integer(self, key: str, *, minimum: int = 0) -> int | None:
        value = self.data.get(key)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int):
            if isinstance(value, str) and re.fullmatch(r"[0-9]{1,18}", value.strip()):
                return int(value.strip())
            self._err(key, f"'{self.name(key)}' must be a whole number, not {_kind(value)}",
                      f"write {key}: 12")
            return None
        if value < minimum:
            self._err(key, f"'{self.name(key)}' must be at least {minimum}", f"write {key}: {minimum}")
            return None
        return value

    def boolean(self, key: str) -> bool | None:
        value = self.data.get(key)
        if value is None:
            return None
        if not isinstance(value, bool):
            if isinstance(value, str) and value.strip().lower() in ("yes", "no", "true", "false"):
                return value.strip().lower() in ("yes", "true")
            self._err(key, f"'{self.name(key)}' must be true or false, not {_kind(value)}",
                      f"write {key}: false")
            return None
        return value

    def strings(self, key: str) -> list[str]:
        value = self.data.get(key)
        if value is None:
            return []
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list) or not all(
            isinstance(v, (str, int, float)) and not isinstance(v, bool)
            and (not isinstance(v, float) or math.isfinite(v)) for v in value
        ):
            self._err(key, f"'{self.name(key)}' must be a list of text",
                      f"write {key}: [first, second]")
            return []
        if any(isinstance(v, str) and "\x00" in v for v in value):
            self._err(key, f"'{self.name(key)}' holds a NUL character (U+0000)", "remove the \\0 from the value")
            return []
        return [str(v).strip() for v in value if str(v).strip()]

    def url(self, key: str, *, allow_relative: bool = True) -> str:
        value = self.text(key)
        if not value:
            return ""
        problem = url_problem(value, allow_relative=allow_relative)
        if problem:
            self._err(key, f"'{self.name(key)}' {problem}", "use an https:// URL or a path inside content/")
            return ""
        return value

    def unknown(self, known: frozenset[str], what: str) -> None:
        for key in self.data:
            if key not in known:
                close = _closest(str(key), known)
                hint = f"did you mean '{close}'?" if close else f"known fields: {', '.join(sorted(known))}"
                self.problems.warning(self.rel, self.line(str(key)),
                                      f"unknown {what} field '{self.name(str(key))}'", hint)


def url_problem(value: str, *, allow_relative: bool = True) -> str:
    """Why a URL from content is unsafe or malformed ('' when fine)."""
    lowered = re.sub(r"[\x00-\x20]", "", value).lower()
    if lowered.startswith(SAFE_SCHEMES):
        return ""
    if re.match(r"^[a-z][a-z0-9+.-]*:", lowered):
        scheme = lowered.split(":", 1)[0]
        return f"has a scheme that is not allowed ('{scheme}:')"
    if lowered.startswith("//"):
        return "has no scheme ('//host/...' is protocol-relative)"
    if not allow_relative:
        return "must be an absolute http(s) URL"
    parts = value.replace("\\", "/").split("/")
    if ".." in parts:
        return "must not contain '..'"
    return ""


def _shown(value: object, limit: int = 60) -> str:
    """A value from content as YAML would write it, shortened for a message."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and not math.isfinite(value):
        return ".nan" if value != value else ".inf" if value > 0 else "-.inf"
    text = str(value)
    return text if len(text) <= limit else text[:limit] + "…"


def line_at(lines: frontmatter.Lines, path: tuple[Any, ...], meta_line: int) -> int:
    """File line of the key or item at ``path``, else of the nearest one around it that is written
    (``meta_line``, the YAML's first line, at worst)."""
    while path:
        line = lines.get(path)
        if line is not None:
            return meta_line + line - 1
        path = path[:-1]
    return meta_line


def text_keys(data: dict[Any, Any], rel: str, problems: Problems,
              line: Callable[[Any], int] | int) -> dict[str, Any]:
    """``data`` without the keys that are not text, each reported (``1:``, ``null:``, ``true:``, dates).

    ``line`` is the line of every key, or gives the line of a key (as loaded) where it is written.
    """
    if all(isinstance(key, str) for key in data):
        return data
    for key in data:
        if not isinstance(key, str):
            shown = _shown(key)
            at = line if isinstance(line, int) else line(key)
            problems.error(rel, at, f"field name {shown} is not text",
                           f"field names are words such as 'title:'; write \"{shown}\": if you mean it")
    return {key: value for key, value in data.items() if isinstance(key, str)}


def _kind(value: object) -> str:
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return "text"


def _closest(word: str, options: Iterable[str]) -> str:
    import difflib

    match = difflib.get_close_matches(word, list(options), n=1, cutoff=0.75)
    return match[0] if match else ""


def parse_date(value: str) -> tuple[dt.date | None, str]:
    """Parse ``YYYY-MM-DD`` (optionally with a time); returns (date, problem)."""
    match = re.match(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ][0-9:.]+(?:Z|[+-]\d\d:?\d\d)?)?$", value.strip())
    if not match:
        return None, f"date '{value}' is not in YYYY-MM-DD form"
    try:
        return dt.date(int(match[1]), int(match[2]), int(match[3])), ""
    except ValueError as exc:
        return None, f"date '{value}' is not a real date ({exc})"


def _load_mapping(text: str, rel: str, first_line: int, problems: Problems, what: str) -> Fields | None:
    """The YAML ``text`` (starting at file line ``first_line``) as the fields of a mapping, or None."""
    try:
        document = frontmatter.parse_yaml(text)
    except frontmatter.YamlError as exc:
        line = first_line + exc.line - 1 if exc.line else first_line
        problems.error(rel, line, exc.message, exc.hint)
        return None
    data, lines = document.value, document.lines
    if data is None:
        data = {}
    if not isinstance(data, dict):
        problems.error(rel, first_line, f"{what} must be a mapping of fields, not {_kind(data)}",
                       "write one 'field: value' per line")
        return None
    data = text_keys(data, rel, problems, lambda key: line_at(lines, (key,), first_line))
    return Fields(data, rel, lines, first_line, problems)


def _links(value: object, f: Fields, key: str) -> tuple[Link, ...]:
    if value is None:
        return ()
    out: list[Link] = []
    if not isinstance(value, list):
        f.problems.error(f.rel, f.line(key), f"'{f.name(key)}' must be a list of {{label, url}}",
                         "write links: [{label: Website, url: https://example.org}]")
        return ()
    for i, item in enumerate(value):
        if isinstance(item, str):
            label, url = item, item
        elif isinstance(item, dict) and item.get("url"):
            url = str(item["url"]).strip()
            label = str(item.get("label") or item.get("title") or url).strip()
        else:
            f.problems.error(f.rel, f.at(key, i), f"each of '{f.name(key)}' needs a url",
                             "write {label: Website, url: https://example.org}")
            continue
        problem = url_problem(url, allow_relative=False)
        if problem:
            f.problems.error(f.rel, f.at(key, i), f"link '{label}' {problem}", "use an https:// URL")
            continue
        out.append(Link(label, url))
    return tuple(out)
