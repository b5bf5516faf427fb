"""Loading: read ``content/`` into the model, collecting every problem.

Reads ``site.yaml``, ``speakers.yaml`` (or ``speakers/*.yaml``) and
``episodes/*.md``; validates every field; resolves transcript labels to
speakers; places chapters; estimates times where the transcript has none;
and decides anchors through ``ssg.urls``. Nothing here writes files, and
nothing is read from outside the content folder but the theme's static
files (``assets``).

One module per concern, in the order they build on each other:

- ``fields``: reading a content file; typed, checked access to YAML fields.
- ``show``: ``site.yaml`` -> ``Show``.
- ``speakers``: the speakers files -> ``SpeakerIndex`` (labels that mean each person).
- ``timeline``: transcript turns with speakers, words, anchors and (estimated) times.
- ``episode``: one episode file -> ``Episode`` (front matter, chapters, appearances) and its ``Transcript``.
- ``checks``: site-wide checks once all episodes are loaded (feed, symlinks, tags, collisions).
- ``site``: ``load_site``, all of the above for a content folder, episodes in parallel: the site and the
  transcripts beside it.
- ``assets``: theme and site assets (minified, fingerprinted) and the images pages show, read for rendering.
"""

from __future__ import annotations

from ssg.loading.episode import EPISODE_FIELDS, Loaded, load_episode, summarize
from ssg.loading.fields import Fields, parse_date, read_text, text_keys, url_problem
from ssg.loading.show import SHOW_FIELDS, load_show
from ssg.loading.site import EpisodeStore, LoadedSite, load_site
from ssg.loading.speakers import SPEAKER_FIELDS, SpeakerIndex, label_key, load_speakers
from ssg.loading.timeline import WORDS_PER_SECOND

__all__ = [
    "EPISODE_FIELDS", "SHOW_FIELDS", "SPEAKER_FIELDS", "WORDS_PER_SECOND", "EpisodeStore", "Fields", "Loaded",
    "LoadedSite", "SpeakerIndex", "label_key", "load_episode", "load_show", "load_site", "load_speakers",
    "parse_date", "read_text", "summarize", "text_keys", "url_problem",
]
