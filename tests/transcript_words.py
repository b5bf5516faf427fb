"""Word sequences of a transcript: from its source, its episode page and its VTT/SRT/JSON exports.

The source side is an oracle independent of the reader's paragraphs: every
word of the file in order, less ``##`` headings and, on the lines where the
reader started a turn, the leading label words and timestamps (a time only
when the turn has one). Words are compared after stripping Markdown and
punctuation around them, and symbols (emoji) are left out on both sides.
"""

from __future__ import annotations

import html
import json
import re
import unicodedata
from html.parser import HTMLParser

from ssg.transcript import Body

_TIME = re.compile(r"^\\?[\[(]?\d+(?::\d{2}){0,2}(?:[.,]\d+)?\\?[\])]?:?$|^-->$")
_EDGE = "*_`[]()\\:.,!?;\"'“”‘’…"


def norm(token: str) -> str:
    """A token without surrounding Markdown/punctuation or symbols."""
    token = "".join(ch for ch in token if unicodedata.category(ch) not in ("So", "Sk", "Cf", "Mn"))
    return token.strip(_EDGE)


def words_of(text: str) -> list[str]:
    return [w for w in map(norm, text.split()) if w]


def source_words(source: str, body: Body, first_line: int = 1) -> list[str]:
    """The words of ``source`` less labels, timestamps and headings (by the reader's head lines only)."""
    heads = {t.line: t for t in body.turns if t.label or t.time}
    out: list[str] = []
    for n, line in enumerate(source.split("\n"), first_line):
        text = line.strip()
        if re.match(r"^##[ \t]+\S", text):
            continue
        tokens = text.split()
        turn = heads.get(n)
        if turn is not None:
            label = [norm(w).casefold() for w in turn.label.split() if norm(w)]
            i = j = 0
            while i < len(tokens):
                word = norm(tokens[i])
                if not word:
                    i += 1
                elif j < len(label) and word.casefold() == label[j]:
                    i += 1
                    j += 1
                elif turn.time and (_TIME.match(tokens[i]) or _TIME.match(word)):
                    i += 1
                else:
                    break
            tokens = tokens[i:]
        out += [w for w in map(norm, tokens) if w]
    return out


class _TurnText(HTMLParser):
    """The words of the episode page's turns (their paragraphs, not the speaker/time line)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.depth = 0  # inside div.turn
        self.skip = 0  # inside p.turn-meta or a.turn-link
        self.text: list[str] = []
        self.stack: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        classes = (dict(attrs).get("class") or "").split()
        if tag == "div" and "turn" in classes:
            self.depth += 1
            self.text.append("\n")
        if self.depth and (("turn-meta" in classes and tag == "p") or ("turn-link" in classes and tag == "a")):
            self.skip += 1
            self.stack.append(tag)
        elif self.depth and tag in ("p", "a") and self.skip:
            self.stack.append("")
        self.text.append(" ")

    def handle_endtag(self, tag: str) -> None:
        if self.stack and tag in ("p", "a") and self.skip:
            if self.stack.pop() == tag:
                self.skip -= 1
        if tag == "div" and self.depth:
            self.depth -= 1
        self.text.append(" ")

    def handle_data(self, data: str) -> None:
        if self.depth and not self.skip:
            self.text.append(data)


def page_words(page: str) -> list[str]:
    parser = _TurnText()
    parser.feed(page)
    return words_of("".join(parser.text))


def json_segments(text: str) -> list[tuple[str, str]]:
    return [(s.get("speaker", ""), s["body"]) for s in json.loads(text)["segments"]]


def _unmark(body: str, markers: set[str]) -> str:
    m = re.match(r"^\[([^\]]*)\]\s*", body)
    return body[m.end():] if m and m.group(1) in markers else body


def json_words(text: str, markers: set[str]) -> list[str]:
    return [w for _, body in json_segments(text) for w in words_of(_unmark(body, markers))]


def vtt_words(text: str, markers: set[str]) -> list[str]:
    out: list[str] = []
    for block in text.split("\n\n"):
        lines = block.strip("\n").split("\n")
        if not any("-->" in line for line in lines):
            continue
        at = next(i for i, line in enumerate(lines) if "-->" in line)
        cue = "\n".join(lines[at + 1:])
        cue = html.unescape(re.sub(r"</?v[^>]*>", "", cue))
        out.append(cue)
    joined = " ".join(out)
    for name in markers:  # a marker's name is written before its words
        joined = joined.replace(f"[{name}]", " ")
    return words_of(joined)


def srt_words(text: str, segments: list[tuple[str, str]], markers: set[str]) -> tuple[list[str], list[str]]:
    """(the SRT's words, the words it should hold: the segments' with ``Name:`` where the speaker changes)."""
    out: list[str] = []
    for block in text.split("\n\n"):
        lines = block.strip("\n").split("\n")
        if len(lines) >= 2 and "-->" in lines[1]:
            out.append(" ".join(lines[2:]))
    joined = " ".join(out)
    for name in markers:
        joined = joined.replace(f"[{name}]", " ")
    expected: list[str] = []
    previous = None
    for speaker, body in segments:
        if speaker and speaker != previous:
            expected += words_of(speaker)
        previous = speaker
        expected += words_of(_unmark(body, markers))
    return words_of(joined), expected
