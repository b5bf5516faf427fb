"""What hosts say when they introduce people: guests' titles, who hosts, who was named.

"Kate Soule is Director of Technical Product Management for Granite."
"Kush Varshney, IBM Fellow, AI Governance. Kush, welcome to the show."
"And finally ... is Skyler Speakman, who is a Senior Research Scientist."
"I'm Tim Hwang and welcome to ..." / "host Tim Hwang"
"""

from __future__ import annotations

import re

from ssg.importing.model import Imported

_NAME = r"[A-Z][a-zA-Z'’-]+(?: (?:[A-Z][a-zA-Z'’-]+|el|El|van|de|da|von)){1,3}"
_IS_AT = re.compile(rf"(?<![\w])(?=(?P<name>{_NAME}) is )(?:{_NAME}) is ")
_WHO_IS = re.compile(rf"(?P<name>{_NAME}), who is (?:a |an |the )?(?P<title>[A-Z][^.?!]{{3,100}})")
_COMMA = re.compile(rf"(?:^|[.!?] )(?:And |and |Finally,? |finally,? )?(?P<name>{_NAME}), (?:an? |the )?(?P<title>[A-Z][^.?!]{{3,100}}?)\.(?= |$)")
_ROLE = re.compile(r"\b(scientist|engineer|manager|director|fellow|professor|ceo|cto|cfo|coo|founder|head|lead|"
                   r"researcher|editor|host|producer|officer|president|vp|chief|analyst|architect|partner|"
                   r"principal|senior|journalist|author|writer|reporter|designer|developer|consultant|"
                   r"correspondent|specialist|advisor|adviser|strategist|student|doctor|dr)\b", re.I)
_HOST = re.compile(rf"(?:I'm|I am|host|hosted by) (?P<name>{_NAME})")


def infer(result: Imported) -> None:
    """Fill ``titles``, ``hosts`` and ``guests`` from the turns' text."""
    known = {t.speaker for t in result.turns if t.speaker}
    text = " ".join(" ".join(t.paragraphs) for t in result.turns[:60])
    head = f"{result.description} {text}"
    for match in _HOST.finditer(head):
        name = _clean(match.group("name"))
        if name not in result.hosts and (not known or name in known):
            result.hosts.append(name)
    found: list[tuple[str, str]] = []
    starts = [(m.start(), m.end(), _clean(m.group("name"))) for m in _IS_AT.finditer(text)]
    for k, (_, after, name) in enumerate(starts):
        stop = starts[k + 1][0] if k + 1 < len(starts) else len(text)
        found.append((name, _cut(text[after:stop], name)))
    for pattern in (_WHO_IS, _COMMA):
        found += [(_clean(m.group("name")), _title(m.group("title"))) for m in pattern.finditer(text)]
    for name, title in found:
        if not title or name in result.hosts or (known and name not in known) or not _ROLE.search(title):
            continue
        result.titles.setdefault(name, title)
        if name not in result.guests:
            result.guests.append(name)


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
    name = re.sub(r"^(?:And|Finally|So|Now|Next|Also|Then) ", "", " ".join(name.split()))
    return name.strip(" ,.")


def _title(title: str) -> str:
    title = " ".join(title.split()).strip(" ,.")
    title = re.split(r"\. | (?:and welcome|welcome)\b", title)[0]
    title = title[:120]
    return title[:1].upper() + title[1:]
