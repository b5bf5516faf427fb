"""Identity: the show's ``podcast:guid``, item guids and JSON-LD ``@id`` values.

None of them moves with ``base_url``. The show's guid is ``guid:`` in
``site.yaml`` (``ssg new`` writes one); a show without it gets the value the
Podcasting 2.0 namespace computes from the feed URL (UUIDv5 of the URL
without scheme and trailing slashes), which moves with the URL, so loading
warns and says how to pin it. An item's guid is its front matter ``guid:``
(imported episodes keep their feed's guid byte for byte), else UUIDv5 of
the show's guid and the episode's slug: the value ssg has always published
for a show whose guid is the computed one, so pinning keeps every published
guid. No I/O here.
"""

from __future__ import annotations

import re
import uuid

PODCAST_GUID_NAMESPACE = uuid.UUID("ead4c236-bf58-58c6-a2c6-a6b28d128cb6")
"""The namespace the Podcasting 2.0 ``podcast:guid`` is made in."""
_SCHEME = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:\S+$")


def podcast_guid(feed_url: str) -> str:
    """``podcast:guid`` as the namespace computes it: UUIDv5 of the feed URL without scheme and trailing slashes."""
    bare = feed_url.split("://", 1)[-1].rstrip("/")
    return str(uuid.uuid5(PODCAST_GUID_NAMESPACE, bare))


def _as_uuid(value: str) -> uuid.UUID:
    """``value`` as a UUID: itself when it is one, else a UUIDv5 of it in the podcast namespace."""
    try:
        return uuid.UUID(value)
    except ValueError:
        return uuid.uuid5(PODCAST_GUID_NAMESPACE, value)


def item_guid(show_guid: str, slug: str, given: str = "") -> str:
    """An item's guid: ``given`` (front matter), else UUIDv5 of the show's guid and the slug."""
    return given or str(uuid.uuid5(_as_uuid(show_guid), slug))


def ld_id(guid: str) -> str:
    """A JSON-LD ``@id`` for a guid: ``urn:uuid:`` for a UUID, the guid itself when it is an IRI."""
    try:
        return uuid.UUID(guid).urn
    except ValueError:
        pass
    if _SCHEME.match(guid):
        return guid
    return _as_uuid(guid).urn


def speaker_id(show_guid: str, speaker: str) -> str:
    """A JSON-LD ``@id`` for a speaker of the show: stable while the show's guid and the speaker's id are."""
    return uuid.uuid5(_as_uuid(show_guid), "speaker/" + speaker).urn
