"""Site-wide checks, once every episode is loaded.

What podcast apps require of the feed, symlinks leading out of the content
folder, two spellings of one tag, and two episodes sharing a URL or a number.
"""

from __future__ import annotations

import unicodedata
from pathlib import Path

from ssg import urls
from ssg.errors import Problems
from ssg.files import scan
from ssg.loading.fields import _rel, _shown
from ssg.model import Episode, Show


def _check_feed(show: Show, episodes: list[Episode], rel: str, problems: Problems) -> None:
    """Warn about what podcast apps (Apple's directory first) require of a feed."""
    if not show.image:
        problems.warning(rel, None, "no 'image': Apple requires cover art in the feed",
                         "add image: cover.jpg (a 1400-3000 px square JPEG or PNG)")
    if not show.categories:
        problems.warning(rel, None, "no 'categories': Apple requires at least one category in the feed",
                         "add categories: [Technology]")
    if not show.owner_email:
        problems.warning(rel, None, "no owner email: Apple requires itunes:owner/itunes:email in the feed",
                         "add owner: {name: ..., email: ...}")
    for episode in episodes:
        if not episode.audio_url:
            problems.warning(episode.source, episode.line_of.get("title"),
                             "no 'audio_url': the episode gets a page but is left out of the feed",
                             "add audio_url: https://... when the audio is published")
        elif episode.audio_bytes is None:
            problems.warning(episode.source, episode.line_of.get("audio_url"),
                             "no 'audio_bytes': the feed's enclosure needs the audio file's length",
                             "add audio_bytes: <size of the file in bytes>")


def _symlinks(folder: Path) -> list[Path]:
    """The symlinks under ``folder`` (symlinked folders are not entered)."""
    return [Path(entry.path) for _, entry in scan(folder) if entry.is_symlink()]


def _check_links_out(content: Path, root: Path, label: str, problems: Problems) -> None:
    """Refuse symlinks (files or folders) in content/ that lead outside it."""
    for path in sorted(_symlinks(content)):
        if path.suffix == ".md" and "episodes" in path.relative_to(content).parts[:1]:
            continue
        try:
            inside = path.resolve().is_relative_to(root)
        except OSError:
            inside = False
        except RuntimeError:  # Python 3.11's resolve() on a symlink loop
            problems.error(_rel(path, content, label), None, "symlink loop (the link leads back to itself)",
                           "point the link at a file, or delete it")
            continue
        if not inside:
            problems.error(_rel(path, content, label), None, "symlink leads outside the content folder (refused)",
                           "copy the file into the content folder instead of linking it")


def _check_tags(episodes: list[Episode], problems: Problems) -> None:
    """Refuse two spellings of a tag that would share one page (``Science`` and ``science``)."""
    first: dict[str, tuple[str, str]] = {}
    for episode in sorted(episodes, key=lambda e: e.source):
        for tag in episode.tags:
            route = urls.Urls.tag(tag)
            spelling, source = first.setdefault(route, (tag, episode.source))
            if spelling != tag:
                problems.error(episode.source, episode.line_of.get("tags"),
                               f"tag '{_shown(tag)}' has the page '{_shown(route)}' of tag '{_shown(spelling)}' in {source}",
                               "write the tag the same way everywhere")


def _check_collisions(episodes: list[Episode], problems: Problems) -> None:
    slugs: dict[str, Episode] = {}
    numbers: dict[tuple[int | None, int], Episode] = {}
    for episode in episodes:
        key = unicodedata.normalize("NFKC", episode.slug).casefold()
        other = slugs.get(key)
        if other is not None:
            problems.error(episode.source, episode.line_of.get("slug") or episode.line_of.get("title"),
                           f"episode URL 'episodes/{episode.slug}/' is already used by {other.source}",
                           "give one of them a different slug: field")
        else:
            slugs[key] = episode
        if episode.number is not None:
            nkey = (episode.season, episode.number)
            prev = numbers.get(nkey)
            if prev is not None:
                season = f" of season {episode.season}" if episode.season else ""
                problems.error(episode.source, episode.line_of.get("episode"),
                               f"episode number {episode.number}{season} is already used by {prev.source}",
                               "give each episode its own number")
            else:
                numbers[nkey] = episode
