"""The model: frozen dataclasses describing a show, with no I/O.

``load`` builds these from ``content/``; every later stage only reads them.
Times are float seconds. Markdown fields hold Markdown source; rendering
them to HTML is the render stage's job.
"""

from __future__ import annotations

import datetime as dt
from collections import deque
from collections.abc import Sequence
from dataclasses import dataclass, field, fields
from itertools import repeat


@dataclass(frozen=True, slots=True)
class Link:
    """A labelled external link (a speaker's website, a show's social page)."""

    label: str
    """Text shown for the link."""
    url: str
    """Absolute http(s) or mailto URL, already checked to be safe."""


PLATFORMS: dict[str, str] = {
    "apple": "Apple Podcasts",
    "spotify": "Spotify",
    "youtube": "YouTube",
    "youtube_music": "YouTube Music",
    "amazon": "Amazon Music",
    "overcast": "Overcast",
    "pocketcasts": "Pocket Casts",
    "castro": "Castro",
    "castbox": "Castbox",
    "podcastaddict": "Podcast Addict",
    "antennapod": "AntennaPod",
    "fountain": "Fountain",
    "podverse": "Podverse",
    "goodpods": "Goodpods",
    "deezer": "Deezer",
    "pandora": "Pandora",
    "iheart": "iHeartRadio",
    "podcastindex": "Podcast Index",
}
"""Apps and directories ``listen_on:`` in site.yaml may name (key -> name shown); the RSS feed is always offered."""


@dataclass(frozen=True, slots=True)
class Show:
    """The show itself, from ``content/site.yaml``."""

    title: str
    """Show title."""
    description: str
    """Markdown description of the show."""
    base_url: str
    """Absolute URL the site is published at, always ending in ``/`` (may hold a sub-path)."""
    language: str = "en"
    """BCP 47 language code."""
    author: str = ""
    """Author shown to podcast apps (``itunes:author``)."""
    owner_name: str = ""
    """Owner's name (``itunes:owner``)."""
    owner_email: str = ""
    """Owner's email (``itunes:owner``)."""
    image: str = ""
    """Show artwork: a URL, or a path relative to ``content/`` copied into the site."""
    categories: tuple[tuple[str, ...], ...] = ()
    """Apple categories, each a path: ``("Technology",)`` or ``("Society & Culture", "Documentary")``."""
    explicit: bool = False
    """Whether the show is marked explicit."""
    theme: str = "default"
    """Theme name (``themes/<name>/`` beside content, else a built-in theme)."""
    copyright: str = ""
    """Copyright line."""
    domain: str = ""
    """Custom domain for GitHub Pages style hosting (written to ``CNAME`` on deploy)."""
    page_size: int = 20
    """Episodes per page of a list: the home page, a speaker's page, a tag's page."""
    show_type: str = "episodic"
    """``episodic`` or ``serial`` (``itunes:type``)."""
    links: tuple[Link, ...] = ()
    markers: tuple[str, ...] = ()
    """Labels of non-speech segments added to the default ones (``markers:`` in site.yaml)."""
    """Links shown in the site footer."""
    guid: str = ""
    """``podcast:guid``: ``guid:`` in site.yaml, else computed from the feed URL (see ``ssg.identity``)."""
    locked: bool | None = None
    """``podcast:locked``: True asks other platforms not to import the feed (None: not said)."""
    new_feed_url: str = ""
    """``itunes:new-feed-url``: where the feed has moved."""
    funding: tuple[Link, ...] = ()
    """``podcast:funding`` links (label is the text shown)."""
    txt: tuple[tuple[str, str], ...] = ()
    """``podcast:txt`` entries as (purpose, text); purpose may be ''."""
    license: str = ""
    """``podcast:license``: an SPDX identifier or a licence name."""
    license_url: str = ""
    """URL of the licence text ('' for an SPDX identifier)."""
    audio_prefix: str = ""
    """Analytics prefix put in front of every enclosure URL (OP3, Podtrac)."""
    listen_on: tuple[Link, ...] = ()
    """Where to listen (``listen_on:`` in site.yaml), in the order given: label is the app's key in ``PLATFORMS``."""


@dataclass(frozen=True, slots=True)
class Speaker:
    """One person, under one identity, across every episode."""

    id: str
    """Stable identifier; also the slug of the speaker's page."""
    name: str
    """Display name."""
    role: str = "guest"
    """Usual role: host, co-host, guest, producer, ..."""
    title: str = ""
    """Title or affiliation ("Director of Product, Acme")."""
    bio: str = ""
    """Markdown biography."""
    image: str = ""
    """Portrait: a URL, or a path relative to ``content/``."""
    links: tuple[Link, ...] = ()
    """The speaker's links."""
    aliases: tuple[str, ...] = ()
    """Other labels that mean this person in transcripts ("Tim", "SPEAKER_1")."""
    declared: bool = True
    """False when the speaker was inferred from a transcript label only."""
    source: str = ""
    """File that declared the speaker (or the first transcript that named them)."""
    line: int | None = None
    """Line of the declaration in ``source``."""


@dataclass(frozen=True, slots=True)
class Turn:
    """One speaker turn of a transcript (or one paragraph of an unlabelled one)."""

    index: int
    """Position in the episode's transcript, from 0."""
    anchor: str
    """Stable HTML id of the turn (decided by ``ssg.urls``)."""
    speaker_id: str | None
    """Speaker's id, or None for an unlabelled paragraph."""
    label: str
    """The label as written in the transcript ('' when unlabelled)."""
    paragraphs: tuple[str, ...]
    """Markdown (inline) source of each paragraph of the turn."""
    start: float | None = None
    """Start time in seconds: given in the transcript, or estimated (see ``estimated``)."""
    estimated: bool = False
    """True when ``start`` is an estimate from word counts and the episode duration."""
    line: int = 0
    """Line in the episode file where the turn starts."""
    words: int = 0
    """Number of words spoken in the turn."""
    marker: str = ""
    """For a non-speech segment (``Music``, ``Ad``, ``[laughter]``): its name as written; '' for speech."""


@dataclass(frozen=True, slots=True)
class Chapter:
    """A chapter of an episode, placed at a turn of the transcript."""

    title: str
    """Chapter title (plain text)."""
    anchor: str
    """HTML id of the chapter heading in the transcript (decided by ``ssg.urls``)."""
    start: float | None
    """Start in seconds, or None when neither given nor estimable."""
    turn_index: int
    """Index of the first turn of the chapter (``len(turns)`` when the transcript is empty)."""
    estimated: bool = False
    """True when ``start`` (and so the anchor's position) is an estimate."""
    url: str = ""
    """Optional link for the chapter."""
    image: str = ""
    """Optional chapter image URL."""
    toc: bool = True
    """False hides the chapter from tables of contents (JSON chapters ``toc``)."""


@dataclass(frozen=True, slots=True)
class Soundbite:
    """A part of an episode worth sharing (``podcast:soundbite``)."""

    start: float
    """Start in seconds."""
    duration: float
    """Length in seconds."""
    title: str = ""
    """What it is ('' when untitled)."""
    id: str = ""
    """Name of its clip page, unique in the episode (``episodes/<slug>/clips/<id>/``; decided by ``ssg.urls``)."""


QUOTE_CHARS = 240
"""The longest quote from a turn on a speaker's page, in characters."""


@dataclass(frozen=True, slots=True)
class Quote:
    """A speaker's longest turn in an episode, as their page quotes it: where it is and how it starts.

    Kept in the episode's header instead of the whole turn, so every page of
    the show can be made without transcripts, and without holding whole turns
    in every process.
    """

    anchor: str
    """The turn's anchor in its episode."""
    words: int
    """How many words the turn has (what "longest" means)."""
    text: str
    """The start of the turn as plain text, cut at a word near ``QUOTE_CHARS`` with an ellipsis."""
    start: float | None = None
    """The turn's start time in seconds (see ``estimated``)."""
    estimated: bool = False
    """True when ``start`` is an estimate."""


@dataclass(frozen=True, slots=True)
class Appearance:
    """A speaker in an episode, with what they said there."""

    speaker_id: str
    """The speaker."""
    role: str
    """Role in this episode (host, guest, ...)."""
    turns: int = 0
    """How many turns they spoke."""
    words: int = 0
    """How many words they spoke."""
    share: float = 0.0
    """Their share of the episode's labelled words, 0..1."""
    first_turn: str = ""
    """Anchor of their first turn ('' if they did not speak)."""
    quote: Quote | None = None
    """Their longest turn here (most words; the earlier on a tie), for their page (None: no words spoken)."""


@dataclass(frozen=True, slots=True)
class Episode:
    """One episode's header: metadata, show notes, chapters, soundbites and who speaks.

    Its transcript is a value of its own (``Transcript``), loaded beside it
    and handed explicitly to whatever renders it: the show-wide pages read
    headers only.
    """

    source: str
    """Source file as the user would type it (``content/episodes/x.md``)."""
    slug: str
    """URL slug: the page lives at ``episodes/<slug>/``."""
    title: str
    """Episode title."""
    date: dt.date
    """Publication date."""
    number: int | None = None
    """Episode number."""
    season: int | None = None
    """Season number."""
    duration: float | None = None
    """Duration in seconds."""
    audio_url: str = ""
    """Audio URL (absolute, or relative to the site)."""
    audio_bytes: int | None = None
    """Size of the audio file in bytes (RSS enclosure length)."""
    audio_type: str = "audio/mpeg"
    """MIME type of the audio."""
    description: str = ""
    """Markdown show notes."""
    summary: str = ""
    """One line of the notes in plain text, for listings and meta tags."""
    image: str = ""
    """Episode artwork: a URL or a path relative to ``content/``."""
    episode_type: str = "full"
    """``full``, ``trailer`` or ``bonus``."""
    explicit: bool | None = None
    """Per-episode explicit flag (None: as the show)."""
    guid: str = ""
    """Stable feed GUID (given, or derived from the slug)."""
    tags: tuple[str, ...] = ()
    """Tags."""
    appearances: tuple[Appearance, ...] = ()
    """Who is in the episode, in front matter order then by first turn."""
    chapters: tuple[Chapter, ...] = ()
    """Chapters, ascending by position."""
    turn_count: int = 0
    """How many turns the transcript has (0: no transcript)."""
    timed: bool = False
    """True when turn times come from the transcript (not estimates)."""
    labelled: bool = True
    """False when the transcript has no speaker labels (auto-captions)."""
    soundbites: tuple[Soundbite, ...] = ()
    """Soundbites, in front matter order."""
    line_of: dict[str, int] = field(default_factory=dict, compare=False, hash=False)
    """Line of each front matter field, for messages from later stages."""

    @property
    def has_transcript(self) -> bool:
        """Whether the episode has a transcript (its page shows it; the feed and exports offer it)."""
        return self.turn_count > 0


@dataclass(frozen=True, slots=True)
class Transcript:
    """An episode's transcript: its turns, in order (``Turn.index`` is the position)."""

    turns: tuple[Turn, ...] = ()
    """The turns."""


@dataclass(frozen=True, slots=True)
class Site:
    """Everything the site is built from but the transcripts (``Transcript``, one per episode, kept apart)."""

    show: Show
    """The show."""
    episodes: tuple[Episode, ...]
    """Episodes, newest first."""
    speakers: tuple[Speaker, ...]
    """Speakers: declared ones in file order, then inferred ones by name."""
    content_dir: str = "content"
    """The content folder as the user named it."""

    def speaker(self, speaker_id: str) -> Speaker:
        """The speaker with that id (KeyError when unknown)."""
        for speaker in self.speakers:
            if speaker.id == speaker_id:
                return speaker
        raise KeyError(speaker_id)


TURN_FIELDS = tuple(f.name for f in fields(Turn))
"""Turn's fields in constructor order (the columns ``turns_from_columns`` takes)."""


def turns_from_columns(*columns: Sequence[object]) -> tuple[Turn, ...]:
    """``Turn(*row)`` for each row of the columns (given in ``TURN_FIELDS`` order), made faster.

    A Turn is nothing but its slots: the generated ``__init__`` sets each one
    through ``object.__setattr__`` and does nothing else (no ``__post_init__``),
    so an instance made by ``object.__new__`` whose slots are then set column by
    column (C-level loops, no Python call per turn) is equal, hashes and
    pickles the same. Every field must be given.
    """
    if len(columns) != len(TURN_FIELDS):
        raise TypeError(f"turns_from_columns takes {len(TURN_FIELDS)} columns, not {len(columns)}")
    count = len(columns[0])
    if any(len(column) != count for column in columns):
        raise ValueError("turns_from_columns: columns of different lengths")
    turns = list(map(object.__new__, repeat(Turn, count)))
    for name, column in zip(TURN_FIELDS, columns):
        deque(map(_TURN_SLOTS[name].__set__, turns, column), maxlen=0)
    return tuple(turns)


_TURN_SLOTS = {name: Turn.__dict__[name] for name in TURN_FIELDS}
"""The slot descriptor of each Turn field."""
assert not hasattr(Turn, "__post_init__") and set(Turn.__slots__) == set(TURN_FIELDS)  # what the fast path relies on
