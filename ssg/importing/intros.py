"""What hosts say when they introduce people: guests' titles, who hosts, who was named.

"Kate Soule is Director of Technical Product Management for Granite."
"Kush Varshney, IBM Fellow, AI Governance. Kush, welcome to the show."
"And finally ... is Skyler Speakman, who is a Senior Research Scientist."
"I'm Tim Hwang and welcome to ..." / "host Tim Hwang"
"""

from __future__ import annotations

import re
from dataclasses import replace

from ssg.importing.model import ImportedEpisode, Person

GENERIC = re.compile(r"^(?:(?:(?:unknown|unidentified)[ _-])?speaker|spk|voice|participant)[ _-]?(?:\d{1,3}|[a-z])$"
                     r"|^(?:unknown|unidentified)(?:[ _-](?:speaker|voice))?$", re.IGNORECASE)
"""Labels that name no one (``SPEAKER_1``, ``Speaker 13``, ``Unknown Speaker``): voices of one episode."""
MARKER = re.compile(r"^(?:(?:film|movie|audio|video|news|tv|archive|archival)[ _-])?clip(?:[ _-]?\d{1,3})?$"
                    r"|^(?:ad|advert|advertisement|sponsor|promo|music|sound ?bite|soundbite|trailer|jingle)$",
                    re.IGNORECASE)
"""Labels that are no person (``Clip``, ``Film clip``, ``Ad``): a marker of what plays, written as it is."""

_NAME = r"[A-Z][a-zA-Z'’-]+(?: (?:[A-Z][a-zA-Z'’-]+|el|El|van|de|da|von)){1,3}"
_IS_AT = re.compile(rf"(?<![\w])(?=(?P<name>{_NAME}) is )(?:{_NAME}) is ")
_WHO_IS = re.compile(rf"(?P<name>{_NAME}), who is (?:a |an |the )?(?P<title>[A-Z][^.?!]{{3,100}})")
_COMMA = re.compile(rf"(?:^|[.!?] )(?:And |and |Finally,? |finally,? )?(?P<name>{_NAME}), (?:an? |the )?(?P<title>[A-Z][^.?!]{{3,100}}?)\.(?= |$)")
_ROLE = re.compile(r"\b(scientist|engineer|manager|director|fellow|professor|ceo|cto|cfo|coo|founder|head|lead|"
                   r"researcher|editor|host|producer|officer|president|vp|chief|analyst|architect|partner|"
                   r"principal|senior|journalist|author|writer|reporter|designer|developer|consultant|"
                   r"correspondent|specialist|advisor|adviser|strategist|student|doctor|dr|lecturer)\b", re.IGNORECASE)
_HOST = re.compile(rf"(?:I'm|I am|host|hosted by) (?P<name>{_NAME})")
_SELF = re.compile(rf"\b(?:I'm|I’m|I am|my name is|My name is) (?P<name>{_NAME})")
INTRO_TURNS = 60
"""Introductions are looked for in this many turns from the start."""


def is_generic(label: str) -> bool:
    """True for a label such as ``SPEAKER_1`` that names no one."""
    return bool(GENERIC.match(label.strip()))


def is_marker(label: str) -> bool:
    """True for a label such as ``Clip`` or ``Ad`` that names what plays, not who speaks."""
    return bool(MARKER.match(label.strip()))


def infer(episode: ImportedEpisode) -> ImportedEpisode:
    """The episode with ``people`` (hosts, guests and their titles) and notes about unnamed labels."""
    known = {t.speaker for t in episode.turns if t.speaker}
    text = " ".join(p for t in episode.turns[:INTRO_TURNS] for p in t.paragraphs)
    people: dict[str, Person] = {}
    for match in _HOST.finditer(f"{episode.description} {text}"):
        name = _clean(match.group("name"))
        if name not in people and (not known or name in known):
            people[name] = Person(name, "host")
    found: list[tuple[str, str]] = []
    starts = [(m.start(), m.end(), _clean(m.group("name"))) for m in _IS_AT.finditer(text)]
    for k, (_, after, name) in enumerate(starts):
        stop = starts[k + 1][0] if k + 1 < len(starts) else len(text)
        found.append((name, _cut(text[after:stop], name)))
    for pattern in (_WHO_IS, _COMMA):
        found += [(_clean(m.group("name")), _title(m.group("title"))) for m in pattern.finditer(text)]
    for name, title in found:
        if not title or name in people or (known and name not in known) or not _ROLE.search(title):
            continue
        people[name] = Person(name, "guest", title)
    return replace(episode, people=tuple(people.values()), notes=episode.notes + _unnamed(episode))


def _unnamed(episode: ImportedEpisode) -> tuple[str, ...]:
    """A note for each label naming no one, with the name the speaker gives for themselves."""
    labels = list(dict.fromkeys(t.speaker for t in episode.turns if is_generic(t.speaker)))
    claims: dict[str, str] = {}
    for label in labels:
        for turn in episode.turns[:INTRO_TURNS]:
            match = _SELF.search(" ".join(turn.paragraphs)) if turn.speaker == label else None
            if match:
                claims[label] = _clean(match.group("name"))
                break
    taken = list(claims.values())
    notes = []
    for label in labels:
        name = claims.get(label)
        if name and taken.count(name) == 1:
            notes.append(f"label {label} names no one; its speaker says \"I'm {name}\": if so, import again "
                         f"with --speaker {label}=\"{name}\" --force")
        else:
            notes.append(f"label {label} names no one: import again with --speaker {label}=\"Their Name\" --force")
    return tuple(notes)


def _cut(raw: str, name: str) -> str:
    """The title in the words after "X is": up to the sentence end, X's name again, or a greeting."""
    first = name.split()[0]
    raw = re.split(rf"[.?!]|\b{re.escape(first)}\b|\b(?:welcome|what|what's|how|so)\b| and (?=[A-Z][a-z]+ [A-Z])",
                   raw, maxsplit=1)[0]
    words = raw.split()
    if words and words[0] in ("a", "an", "the", "our"):
        words = words[1:]
    return _title(" ".join(words[:14]))


def _clean(name: str) -> str:
    name = re.sub(r"^(?:(?:And|Finally|So|Now|Next|Also|Then|I'm|I’m) )+", "", " ".join(name.split()))
    return name.strip(" ,.")


def _title(title: str) -> str:
    title = " ".join(title.split()).strip(" ,.")
    title = re.split(r"\. | (?:and welcome|welcome)\b", title)[0]
    title = title[:120]
    return title[:1].upper() + title[1:]
