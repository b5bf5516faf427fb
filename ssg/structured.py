"""Structured data: schema.org JSON-LD for the home, episode and speaker pages.

Part of the render stage: pure functions of the site; the templates put the
result in a ``<script type="application/ld+json">`` element.
"""

from __future__ import annotations

import json
from typing import Any

from ssg import identity, markup
from ssg.feeds import Context, episode_guid
from ssg.model import Episode, Speaker
from ssg.timecode import format_iso_duration
from ssg.urls import Urls


def json_ld(data: dict[str, Any]) -> str:
    """JSON for a ``<script type="application/ld+json">``: ``<``, ``>``, ``&`` escaped."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def series_ld(renderer: Context) -> dict[str, Any]:
    """schema.org ``PodcastSeries`` for the home page."""
    show, urls = renderer.site.show, renderer.urls
    data: dict[str, Any] = {
        "@context": "https://schema.org", "@type": "PodcastSeries", "@id": identity.ld_id(show.guid),
        "name": show.title, "url": urls.absolute(Urls.home()),
        "description": markup.plain_block(show.description),
        "inLanguage": show.language, "webFeed": urls.absolute(Urls.FEED),
    }
    if show.image:
        data["image"] = renderer.media_absolute(show.image)
    if show.author:
        data["author"] = {"@type": "Person", "name": show.author}
    return data


def episode_ld(renderer: Context, episode: Episode) -> dict[str, Any]:
    """schema.org ``PodcastEpisode`` for an episode page."""
    urls = renderer.urls
    data: dict[str, Any] = {
        "@context": "https://schema.org", "@type": "PodcastEpisode",
        "@id": identity.ld_id(episode_guid(renderer, episode)), "name": episode.title, "url": urls.absolute(Urls.episode(episode.slug)),
        "datePublished": episode.date.isoformat(),
        "description": episode.summary,
        "partOfSeries": {"@type": "PodcastSeries", "@id": identity.ld_id(renderer.site.show.guid),
                         "name": renderer.site.show.title,
                         "url": urls.absolute(Urls.home())},
    }
    if episode.number is not None:
        data["episodeNumber"] = episode.number
    if episode.season is not None:
        data["partOfSeason"] = {"@type": "PodcastSeason", "seasonNumber": episode.season}
    if episode.duration is not None:
        data["timeRequired"] = format_iso_duration(episode.duration)
    if episode.audio_url:
        media: dict[str, Any] = {"@type": "AudioObject", "contentUrl": renderer.media_absolute(episode.audio_url),
                                 "encodingFormat": episode.audio_type}
        if episode.duration is not None:
            media["duration"] = format_iso_duration(episode.duration)
        data["associatedMedia"] = media
    if episode.image or renderer.site.show.image:
        data["image"] = renderer.media_absolute(episode.image or renderer.site.show.image)
    actors: list[dict[str, str]] = []
    contributors: list[dict[str, str]] = []
    for appearance in episode.appearances:
        speaker = renderer.speakers.get(appearance.speaker_id)
        if speaker is None:
            continue
        person = {"@type": "Person", "@id": identity.speaker_id(renderer.site.show.guid, speaker.id),
                  "name": speaker.name, "url": urls.absolute(Urls.speaker(speaker.id))}
        (actors if appearance.role in ("host", "co-host", "guest") else contributors).append(person)
    if actors:
        data["actor"] = actors
    if contributors:
        data["contributor"] = contributors
    return data


def person_ld(renderer: Context, speaker: Speaker) -> dict[str, Any]:
    """schema.org ``Person`` for a speaker page."""
    data: dict[str, Any] = {
        "@context": "https://schema.org", "@type": "Person",
        "@id": identity.speaker_id(renderer.site.show.guid, speaker.id), "name": speaker.name,
        "url": renderer.urls.absolute(Urls.speaker(speaker.id)),
    }
    if speaker.title:
        data["jobTitle"] = speaker.title
    if speaker.bio:
        data["description"] = markup.plain_block(speaker.bio)
    if speaker.image:
        data["image"] = renderer.media_absolute(speaker.image)
    if speaker.links:
        data["sameAs"] = [link.url for link in speaker.links]
    return data
