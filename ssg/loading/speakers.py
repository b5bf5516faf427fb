"""Speakers: ``speakers.yaml`` (or ``speakers/*.yaml``) read into a ``SpeakerIndex``.

The index maps every label that means a person (id, name, aliases; matched
through ``label_key``) to that person, for the episodes to resolve their
transcript labels against.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from ssg import frontmatter, urls
from ssg.errors import Problems
from ssg.files import Read
from ssg.loading.fields import Fields, _links, _rel, _shown, line_at, read_text, text_keys
from ssg.model import Speaker
from ssg.transcript import DEFAULT_MARKERS

SPEAKER_FIELDS = frozenset("id name role title bio image links aliases".split())


@dataclass(slots=True)
class SpeakerIndex:
    """Declared speakers and the labels that mean each of them."""

    speakers: dict[str, Speaker] = field(default_factory=dict)
    labels: dict[str, str] = field(default_factory=dict)
    markers: tuple[str, ...] = DEFAULT_MARKERS
    """Labels of non-speech segments: the defaults and the show's ``markers:``."""

    def lookup(self, label: str) -> str | None:
        return self.labels.get(label_key(label))

    def known(self, label: str) -> bool:
        return label_key(label) in self.labels


@lru_cache(maxsize=8192)
def label_key(label: str) -> str:
    """Normalise a label for matching: NFKC, case-folded, single spaces, no bold."""
    text = unicodedata.normalize("NFKC", label).replace("*", " ")
    return " ".join(text.split()).casefold()


def load_speakers(content: Path, label: str, problems: Problems,
                  reads: dict[str, Read] | None = None) -> SpeakerIndex:
    index = SpeakerIndex()
    files: list[Path] = []
    single = content / "speakers.yaml"
    folder = content / "speakers"
    if single.is_file():
        files.append(single)
    if folder.is_dir():
        files.extend(sorted(folder.glob("*.yaml")) + sorted(folder.glob("*.yml")))
    root = content.resolve()
    for path in files:
        rel = _rel(path, content, label)
        text = read_text(path, rel, root, problems, reads)
        if text is None:
            continue
        try:
            document = frontmatter.parse_yaml(text)
        except frontmatter.YamlError as exc:
            problems.error(rel, exc.line, exc.message, exc.hint)
            continue
        data, lines = document.value, document.lines
        entries = data if isinstance(data, list) else [data] if isinstance(data, dict) else None
        if data is None:
            continue
        if entries is None:
            problems.error(rel, 1, "speakers file must be a list of people",
                           "write '- id: jane' then her fields, one entry per person")
            continue
        for i, entry in enumerate(entries):
            where: tuple[int, ...] = (i,) if isinstance(data, list) else ()
            line = lines.get(where, 1)
            if not isinstance(entry, dict):
                problems.error(rel, line, f"speaker #{i + 1} must be a mapping of fields",
                               "write '- name: Jane Host' and more fields indented below")
                continue
            entry = text_keys(entry, rel, problems, lambda key: line_at(lines, (*where, key), 1))
            f = Fields(entry, rel, lines, 1, problems, prefix="", path=where)
            f.unknown(SPEAKER_FIELDS, "speaker")
            name = f.text("name", required=True)
            if not name:
                continue
            sid = f.text("id") or urls.slugify(name)
            if not urls.is_safe_slug(sid):
                problems.error(rel, f.line("id"), f"speaker id '{sid}' may only hold letters, digits and hyphens",
                               "write id: jane-host")
                continue
            if urls.too_long(sid):
                problems.error(rel, f.line("id"), f"speaker id '{_shown(sid)}' is longer than {urls.MAX_SLUG_BYTES} bytes",
                               "write a shorter id: it names the speaker's folder")
                continue
            if sid in index.speakers:
                problems.error(rel, f.line("id"), f"duplicate speaker id '{sid}'",
                               "give each person one entry with a unique id")
                continue
            aliases = tuple(f.strings("aliases"))
            speaker = Speaker(
                id=sid, name=name, role=f.text("role", default="guest") or "guest",
                title=f.text("title"), bio=f.text("bio"), image=f.url("image"),
                links=_links(entry.get("links"), f, "links"), aliases=aliases,
                declared=True, source=rel, line=line,
            )
            index.speakers[sid] = speaker
            for key, written in ((sid, "id"), (name, "name"), *((alias, "aliases") for alias in aliases)):
                norm = label_key(key)
                other = index.labels.get(norm)
                if other is not None and other != sid:
                    problems.error(rel, f.line(written), f"label '{key}' means both '{other}' and '{sid}'",
                                   "an alias may belong to one person only")
                    continue
                index.labels[norm] = sid
    return index

