"""The show: ``site.yaml`` read into a ``Show``."""

from __future__ import annotations

import difflib
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from ssg import identity, urls
from ssg.errors import Problems
from ssg.files import Read
from ssg.loading.fields import Fields, _links, _load_mapping, read_text, url_problem
from ssg.model import PLATFORMS, Link, Show

SHOW_FIELDS = frozenset(
    """title description base_url language author owner image categories explicit theme
    copyright domain page_size type links guid locked new_feed_url funding txt license audio_prefix
    markers listen_on""".split()
)


def load_show(content: Path, label: str, base_url: str | None, problems: Problems,
              reads: dict[str, Read] | None = None) -> Show | None:
    path = content / "site.yaml"
    rel = f"{label}/site.yaml"
    if not path.is_file():
        problems.error(rel, None, "no site.yaml in the content folder",
                       "create it with at least 'title' and 'base_url' ('ssg new DIR' makes one)")
        return None
    text = read_text(path, rel, content.resolve(), problems, reads)
    if text is None:
        return None
    f = _load_mapping(text, rel, 1, problems, "site.yaml")
    if f is None:
        return None
    data = f.data
    f.unknown(SHOW_FIELDS, "site.yaml")
    title = f.text("title", required=True)
    base = base_url or f.url("base_url", allow_relative=False)
    if not base and not base_url and "base_url" not in data:
        problems.error(rel, 1, "missing required field 'base_url'",
                       "add the address the site is published at, e.g. base_url: https://example.org/show/")
    owner_name = owner_email = ""
    owner = data.get("owner")
    if isinstance(owner, dict):
        owner_name = str(owner.get("name") or "").strip()
        owner_email = str(owner.get("email") or "").strip()
    elif owner is not None:
        problems.error(rel, f.line("owner"), "'owner' must be a mapping with name and email",
                       "write owner: {name: Jane Host, email: jane@example.org}")
    categories: list[tuple[str, ...]] = []
    for cat in f.strings("categories"):
        categories.append(tuple(part.strip() for part in cat.split("/") if part.strip()))
    page_size = f.integer("page_size", minimum=1) or 20
    show_type = f.text("type", default="episodic")
    if show_type not in ("episodic", "serial"):
        problems.error(rel, f.line("type"), f"'type' must be episodic or serial, not '{show_type}'",
                       "write type: episodic")
        show_type = "episodic"
    final_base = (base or "https://example.invalid/").rstrip("/") + "/"
    guid = f.text("guid")
    if not guid:
        # From site.yaml's base_url, not a --base-url override (a staging build keeps the show's identity).
        own = data.get("base_url")
        canonical = own.strip() if isinstance(own, str) and not url_problem(own, allow_relative=False) else final_base
        guid = identity.podcast_guid(canonical.rstrip("/") + "/" + urls.Urls.FEED)
        problems.warning(rel, None, "no 'guid': the show's podcast:guid is computed from the feed URL, so "
                         "moving the site (or fixing base_url) would make apps see a new show and new episodes",
                         f"pin it: add `guid: {guid}` to site.yaml")
    return Show(
        title=title,
        description=f.text("description"),
        base_url=final_base,
        language=f.text("language", default="en") or "en",
        author=f.text("author"),
        owner_name=owner_name,
        owner_email=owner_email,
        image=f.url("image"),
        categories=tuple(categories),
        explicit=bool(f.boolean("explicit")),
        theme=f.text("theme", default="default") or "default",
        copyright=f.text("copyright"),
        domain=f.text("domain"),
        page_size=page_size,
        show_type=show_type,
        links=_links(data.get("links"), f, "links"),
        guid=guid,
        markers=tuple(f.strings("markers")),
        listen_on=_listen_on(data.get("listen_on"), f),
        **_reach(data, f),
    )


def _reach(data: dict[str, Any], f: Fields) -> dict[str, Any]:
    """The site.yaml keys for podcast apps and directories beyond the basics (locked, funding, ...)."""
    out: dict[str, Any] = {"locked": f.boolean("locked"), "new_feed_url": f.url("new_feed_url", allow_relative=False),
                           "audio_prefix": f.url("audio_prefix", allow_relative=False)}
    funding = data.get("funding")
    if isinstance(funding, dict):
        funding = [funding]
    if isinstance(funding, list):
        funding = [{**item, "label": item.get("text") or item.get("label")} if isinstance(item, dict) else item
                   for item in funding]
    out["funding"] = tuple(Link(link.label if link.label != link.url else "Support the show", link.url)
                           for link in _links(funding, f, "funding"))
    txt = data.get("txt")
    entries: list[tuple[str, str]] = []
    for i, item in enumerate(txt if isinstance(txt, list) else [] if txt is None else [txt]):
        if isinstance(item, dict) and str(item.get("text") or "").strip():
            entries.append((str(item.get("purpose") or "").strip(), str(item["text"]).strip()))
        elif isinstance(item, (str, int, float)) and not isinstance(item, bool) and str(item).strip():
            entries.append(("", str(item).strip()))
        else:
            f.problems.error(f.rel, f.at("txt", i), "each 'txt' entry must be text or {purpose, text}",
                             "write txt: [{purpose: verify, text: \"S6lpp-7ZCn8-dZfGc-OoyaG\"}]")
    out["txt"] = tuple(entries)
    license = data.get("license")
    if isinstance(license, dict):
        lf = Fields(license, f.rel, f.lines, f.meta_line, f.problems, prefix="license.", path=("license",))
        out["license"] = lf.text("name", required=True)
        out["license_url"] = lf.url("url", allow_relative=False)
    else:
        out["license"] = f.text("license")
    return out


HOSTS: dict[str, tuple[str, ...]] = {
    "apple": ("podcasts.apple.com", "itunes.apple.com"),
    "spotify": ("open.spotify.com", "spotify.link"),
    "youtube": ("youtube.com", "youtu.be"),
    "youtube_music": ("music.youtube.com",),
    "amazon": ("music.amazon.", "amazon."),
    "overcast": ("overcast.fm",),
    "pocketcasts": ("pca.st", "pocketcasts.com"),
    "castro": ("castro.fm",),
    "castbox": ("castbox.fm",),
    "podcastaddict": ("podcastaddict.com",),
    "fountain": ("fountain.fm",),
    "podverse": ("podverse.fm",),
    "goodpods": ("goodpods.com",),
    "deezer": ("deezer.com", "deezer.page.link"),
    "pandora": ("pandora.com",),
    "iheart": ("iheart.com",),
    "podcastindex": ("podcastindex.org",),
}
"""Where each app's show pages live: a ``listen_on`` URL elsewhere is a warning (a link pasted under the wrong app)."""

_EXAMPLE = "listen_on: {apple: https://podcasts.apple.com/podcast/id123, spotify: https://open.spotify.com/show/abc}"


def _listen_on(value: object, f: Fields) -> tuple[Link, ...]:
    """``listen_on:`` in site.yaml: app key -> the show's page in that app, in the order written.

    Each problem names the line of its own entry. The site's RSS feed is
    always offered beside them, so an ``rss`` entry is not needed.
    """
    if value is None:
        return ()
    start = f.line("listen_on")
    if not isinstance(value, dict):
        f.problems.error(f.rel, start, "'listen_on' must be a mapping of app to the show's address in it",
                         f"write {_EXAMPLE}")
        return ()
    known = ", ".join(PLATFORMS)
    out: list[Link] = []
    for key, url in value.items():
        line = f.at("listen_on", key)
        name = str(key).strip().lower().replace(" ", "").replace("-", "_")
        name = {"applepodcasts": "apple", "pocket_casts": "pocketcasts", "podcast_addict": "podcastaddict",
                "amazon_music": "amazon", "youtubemusic": "youtube_music"}.get(name, name)
        if name == "rss":
            f.problems.warning(f.rel, line, "'listen_on.rss' is not needed: the site's own feed is always offered",
                               "remove the rss entry")
            continue
        if name not in PLATFORMS:
            close = difflib.get_close_matches(name, PLATFORMS, n=1)
            hint = f"did you mean '{close[0]}'? " if close else ""
            f.problems.error(f.rel, line, f"unknown app '{key}' in 'listen_on'", f"{hint}known apps: {known}")
            continue
        if not isinstance(url, str) or not url.strip():
            f.problems.error(f.rel, line, f"'listen_on.{key}' must be the address of the show in {PLATFORMS[name]}",
                             f"write {key}: https://...")
            continue
        url = url.strip()
        problem = url_problem(url, allow_relative=False)
        if problem or not url.lower().startswith(("https://", "http://")):
            f.problems.error(f.rel, line, f"'listen_on.{key}' {problem or 'must be an http(s) URL'}",
                             "use the https:// address of the show's page in the app")
            continue
        host = (urlsplit(url).hostname or "").lower()
        hosts = HOSTS.get(name, ())
        if hosts and not any(host == h or host.endswith("." + h) or (h.endswith(".") and h in host)
                             for h in hosts):
            f.problems.warning(f.rel, line, f"'listen_on.{key}' points at {host}, not at {PLATFORMS[name]}",
                               f"check the link: {PLATFORMS[name]} show pages are on {', '.join(hosts)}")
        out.append(Link(name, url))
    return tuple(out)

