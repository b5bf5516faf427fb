"""``ssg check --apps``: what each major podcast app will show of every episode in the feed.

``APPS`` is the table of which feed tags each app reads, as the apps and
podcastindex.org/apps documented them in 2025; when an app changes, change
its row here (tests read the table, not the apps). The report crosses that
table with what ``ssg.feeds`` writes for each episode. Chapters or
artwork embedded in the audio file itself are not looked at.
"""

from __future__ import annotations

from dataclasses import dataclass

from ssg import feeds
from ssg.model import Episode, Site

CHAPTERS_JSON = "podcast:chapters"
PSC = "psc:chapters"
DESCRIPTION_LIST = "description timestamps"
PERSON = "podcast:person"
FUNDING = "podcast:funding"
EPISODE_ART = "itunes:image (episode)"
SHOW_ART = "itunes:image (show)"
TRANSCRIPT_TYPES = {"vtt": "text/vtt", "srt": "application/x-subrip", "json": "application/json",
                    "html": "text/html"}


@dataclass(frozen=True, slots=True)
class App:
    """What one app reads from a feed."""

    name: str
    chapters: tuple[str, ...]
    """Chapter sources it reads, in the order it prefers them."""
    transcripts: tuple[str, ...]
    """``podcast:transcript`` formats it reads (keys of ``TRANSCRIPT_TYPES``), preferred first."""
    people: bool
    """Whether it shows ``podcast:person``."""
    artwork: tuple[str, ...]
    """Artwork it shows, preferred first."""
    funding: bool
    """Whether it shows ``podcast:funding``."""


APPS: tuple[App, ...] = (
    App("Apple Podcasts", (DESCRIPTION_LIST,), ("vtt", "srt"), False, (EPISODE_ART, SHOW_ART), False),
    App("Spotify", (PSC, DESCRIPTION_LIST), (), False, (EPISODE_ART, SHOW_ART), False),
    App("Pocket Casts", (CHAPTERS_JSON, PSC), ("vtt", "srt", "json", "html"), False, (EPISODE_ART, SHOW_ART), True),
    App("Overcast", (CHAPTERS_JSON,), ("vtt", "srt", "json"), False, (EPISODE_ART, SHOW_ART), True),
    App("Podverse", (CHAPTERS_JSON,), ("vtt", "srt", "json", "html"), True, (EPISODE_ART, SHOW_ART), True),
    App("Fountain", (CHAPTERS_JSON,), ("vtt", "srt", "json"), True, (EPISODE_ART, SHOW_ART), True),
    App("AntennaPod", (CHAPTERS_JSON, PSC), ("vtt", "srt", "json"), False, (EPISODE_ART, SHOW_ART), True),
)
"""Which tags each app reads."""


@dataclass(frozen=True, slots=True)
class Shown:
    """What one app shows of one episode."""

    app: str
    chapters: str
    transcript: str
    people: str
    artwork: str
    funding: str


def offered(site: Site, episode: Episode) -> set[str]:
    """The sources the feed gives for this episode (chapter sources, artwork, people, funding)."""
    found: set[str] = set()
    if feeds.has_chapters(episode):
        found.add(CHAPTERS_JSON)
    if feeds.listed_chapters(episode):
        found.add(PSC)
    if feeds.chapter_lines(episode):
        found.add(DESCRIPTION_LIST)
    if episode.appearances:
        found.add(PERSON)
    if episode.image:
        found.add(EPISODE_ART)
    if site.show.image:
        found.add(SHOW_ART)
    if site.show.funding:
        found.add(FUNDING)
    return found


def shown(site: Site, episode: Episode, app: App) -> Shown:
    """What ``app`` shows of ``episode``."""
    have = offered(site, episode)
    source = next((s for s in app.chapters if s in have), "")
    count = len(feeds.listed_chapters(episode))
    chapters = f"{count} ({source})" if source else "none"
    formats = [f for f in app.transcripts if episode.has_transcript]
    transcript = formats[0].upper() if formats else "none"
    people = str(len(episode.appearances)) if app.people and PERSON in have else "none"
    art = next((a for a in app.artwork if a in have), "")
    artwork = ("episode" if art == EPISODE_ART else "show") if art else "none"
    funding = "yes" if app.funding and FUNDING in have else "none"
    return Shown(app.name, chapters, transcript, people, artwork, funding)


def report(site: Site) -> list[str]:
    """One block per episode in the feed: a row per app."""
    lines: list[str] = []
    width = max(len(app.name) for app in APPS)
    header = f"  {'app':<{width}}  {'chapters':<26} {'transcript':<10} {'people':<6} {'artwork':<7} funding"
    for episode in site.episodes:
        if not episode.audio_url:
            continue
        lines.append(f"{episode.source}: {episode.title}")
        lines.append(header)
        for app in APPS:
            s = shown(site, episode, app)
            lines.append(f"  {s.app:<{width}}  {s.chapters:<26} {s.transcript:<10} {s.people:<6} {s.artwork:<7} "
                         f"{s.funding}")
    if not lines:
        lines.append("no episode has audio_url: none is in the feed, so no app shows anything")
    return lines
