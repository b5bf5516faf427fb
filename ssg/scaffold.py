"""``ssg new DIR``: a new show that builds at once, with every field explained."""

from __future__ import annotations

import argparse
import datetime as dt
import struct
import sys
import uuid
import zlib
from pathlib import Path

SITE_YAML = """\
# The show. Fields marked (required) must be set; the rest are optional.
title: My New Show                      # (required)
description: |                          # Markdown; the first paragraph goes in the feed
  A show about interesting things, with full transcripts.
base_url: https://example.org/          # (required) where the site is published; a sub-path is fine
guid: {guid}   # the show's identity in podcast apps: never change it, even when base_url changes
language: en
author: Your Name
owner: {{name: Your Name, email: you@example.org}}   # Apple needs the email
image: cover.png                        # a file in content/ or a URL; 1400-3000 px square JPEG or PNG
categories: [Technology]                # Apple categories; "Parent/Child" for a subcategory
explicit: false
# copyright: © 2026 Your Name
# domain: podcast.example.org          # written as CNAME by 'ssg deploy --git'
# page_size: 20                         # episodes per page: home, speaker and tag pages
# type: episodic                        # or serial (Apple lists a serial oldest first)
# theme: default                        # themes/<name>/ beside content/, else the built-in one
# links: [{{label: Mastodon, url: "https://example.social/@show"}}]   # shown on every page
# locked: true                          # podcast:locked: other platforms must not import the feed (uses owner email)
# new_feed_url: https://new.example.org/feed.xml   # itunes:new-feed-url, when the feed moves
# funding: [{{url: "https://example.org/support", text: Support the show}}]
# txt: [{{purpose: verify, text: "token from a platform"}}]
# license: cc-by-4.0                    # or {{name: My licence, url: "https://example.org/licence"}}
# audio_prefix: https://op3.dev/e/      # analytics prefix for every audio URL (OP3, Podtrac)
"""

SPEAKERS_YAML = """\
# One entry per person. Transcripts may use the name, the id or any alias as a label.
- id: host
  name: Your Name
  role: host                  # host, co-host, guest, producer, ...
  title: Host of My New Show
  bio: A sentence or two in **Markdown**.
  # image: host.jpg
  links: [{label: Website, url: "https://example.org"}]
  aliases: [Host, SPEAKER_1]
- id: first-guest
  name: First Guest
  role: guest
  title: Expert in Interesting Things
  aliases: [Guest, SPEAKER_2]
"""

EPISODE = """\
---
title: Hello, world
date: {date}
episode: 1
duration: "3:20"
audio_url: https://example.org/audio/001-hello-world.mp3   # replace with your published audio file
audio_bytes: 3200000                    # its size in bytes (Apple and the feed need it)
description: |
  The first episode. Show notes are **Markdown**: [links](https://example.org), lists, emphasis.
speakers: [host, first-guest]
chapters:
  - {{start: "0:00", title: Welcome}}
  - {{start: "1:30", title: The interesting thing}}
tags: [introductions]
---
[00:00:02] Host: Welcome to the very first episode. Each line that starts with a name and a colon is a turn.
[00:00:09] Guest: And a timestamp in front of the name makes the turn linkable to that moment.
[00:00:20] Host: A turn can run over several paragraphs.

Like this one, which continues what I was saying.
[00:01:31] SPEAKER_2: Aliases, like SPEAKER_2 here, map labels from transcription tools to people.
[00:02:10] Host: That's it. Edit this file, and run ssg serve to see the result.
"""

README = """\
# My New Show

Built with ssg.

    ssg serve      # preview at http://127.0.0.1:8000/ while you edit content/
    ssg build      # write the site to site/
    ssg deploy --git git@github.com:you/show.git   # publish to GitHub Pages
"""


def cover_png(size: int = 1400) -> bytes:
    """A plain square PNG placeholder cover (replace it with your artwork)."""
    row = b"\x00" + bytes((38, 70, 83)) * size
    raw = zlib.compress(row * size, 9)

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    header = struct.pack(">IIBBBBB", size, size, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", raw) + chunk(b"IEND", b"")


def scaffold(target: Path, today: dt.date) -> list[Path]:
    """Write a new show into ``target`` (which must be empty or absent); returns the files."""
    files = {
        target / "content" / "site.yaml": SITE_YAML.format(guid=uuid.uuid4()),
        target / "content" / "speakers.yaml": SPEAKERS_YAML,
        target / "content" / "episodes" / "001-hello-world.md": EPISODE.format(date=today.isoformat()),
        target / "content" / "templates" / ".keep": "",
        target / "content" / "static" / ".keep": "",
        target / ".gitignore": "/site/\n/.site.ssg-spare/\n.ssg-cache/\n",
        target / "README.md": README,
    }
    for path, text in files.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    cover = target / "content" / "cover.png"
    cover.write_bytes(cover_png())
    return [*files, cover]


def main(args: argparse.Namespace) -> int:
    """Run ``ssg new``."""
    target = Path(args.dir)
    if target.exists() and not target.is_dir():
        print(f"{target}: a file of that name exists (choose a new folder name)", file=sys.stderr)
        return 1
    if target.is_dir() and any(target.iterdir()):
        print(f"{target}: folder is not empty (choose a new folder name, or empty this one)", file=sys.stderr)
        return 1
    try:
        scaffold(target, dt.date.today())
    except OSError as exc:
        print(f"{target}: cannot create the show: {exc.strerror} (check the path and permissions)", file=sys.stderr)
        return 1
    print(f"Created a new show in {target}/\n\nNext:\n  cd {target}\n  ssg serve     # preview while you edit"
          "\n  ssg build     # write the site to site/")
    return 0
