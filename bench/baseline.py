"""The straightforward pipeline of issue #7, timed beside ssg for the ratio.

    python bench/baseline.py CONTENT OUT

One process: PyYAML's C loader for the front matter, markdown-it-py over
each whole transcript body, a Jinja2 page per episode and an index page.
It reads the same synthetic show as ``ssg build`` and writes plain pages
(no transcript files, feed, speaker pages or search); it is the yardstick
the issue measured, not a competitor.
"""

from __future__ import annotations

import sys
from pathlib import Path

import jinja2
import yaml
from markdown_it import MarkdownIt
from markupsafe import Markup

PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>{{ title }}</title></head>
<body><main><h1>{{ title }}</h1><p><time>{{ date }}</time></p>
<section>{{ notes }}</section><section class="transcript">{{ body }}</section></main></body></html>
"""
INDEX = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Episodes</title></head><body><ul>
{% for e in episodes %}<li><a href="{{ e.href }}">{{ e.title }}</a> {{ e.date }}</li>
{% endfor %}</ul></body></html>
"""


def build(content: Path, out: Path) -> int:
    """Build the plain pages; returns the number of episodes."""
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    md = MarkdownIt("commonmark", {"html": False})
    env = jinja2.Environment(autoescape=True)
    page, index = env.from_string(PAGE), env.from_string(INDEX)
    listed = []
    for path in sorted((content / "episodes").glob("*.md")):
        _, meta, body = path.read_text(encoding="utf-8").split("---\n", 2)
        data = yaml.load(meta, Loader=loader)
        html = page.render(title=data["title"], date=data["date"],
                           notes=Markup(md.render(str(data.get("description", "")))),
                           body=Markup(md.render(body)))
        target = out / "episodes" / path.stem / "index.html"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(html, encoding="utf-8")
        listed.append({"href": f"episodes/{path.stem}/", "title": data["title"], "date": data["date"]})
    (out / "index.html").write_text(index.render(episodes=listed[::-1]), encoding="utf-8")
    return len(listed)


if __name__ == "__main__":
    build(Path(sys.argv[1]), Path(sys.argv[2]))
