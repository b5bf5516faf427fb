"""Identity and reach: guids that do not move with base_url, and the tags podcasters ask for.

Every new tag is read back with feedparser and with the Podcast Index's own
parser, ``podcast-partytime`` (npm; installed once per session into a cache
folder, skipped with a reason when node or npm is absent).
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

import feedparser
import pytest

from conftest import ROOT, copy_site
from ssg.build import build_site
from ssg.identity import podcast_guid

NS = {"itunes": "http://www.itunes.com/dtds/podcast-1.0.dtd", "podcast": "https://podcastindex.org/namespace/1.0",
      "content": "http://purl.org/rss/1.0/modules/content/", "psc": "http://podlove.org/simple-chapters"}
REACH = """\
locked: true
new_feed_url: https://new.tides.example.org/feed.xml
funding: [{url: "https://tides.example.org/support", text: Support Tidal Notes}]
txt: [{purpose: verify, text: "tok-123"}, "plain note"]
license: {name: cc-by-4.0, url: "https://creativecommons.org/licenses/by/4.0/"}
audio_prefix: https://op3.dev/e/
"""
SOUNDBITES = 'soundbites:\n  - {start: "2:00", duration: 45, title: Why the moon}\n  - {start: 750.5, duration: 30.25}\n'


def rich_show(root: Path) -> Path:
    """The basic show with every new key set: reach keys, soundbites, a trailer."""
    content = copy_site("basic", root)
    with (content / "site.yaml").open("a") as out:
        out.write(REACH)
    first = content / "episodes" / "01-spring-tides.md"
    first.write_text(first.read_text().replace("tags: [science, moon]\n", "tags: [science, moon]\n" + SOUNDBITES))
    third = content / "episodes" / "03-captions.md"
    third.write_text(third.read_text().replace("---\n", "---\nepisode_type: trailer\n", 1))
    return content


@pytest.fixture(scope="module")
def rich(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("rich")
    result = build_site(rich_show(root / "show"), root / "site", search=False)
    assert result.ok and not result.problems, [p.format() for p in result.problems]
    return root / "site"


# Identity -------------------------------------------------------------------
def identities(site: Path) -> tuple[str, list[str], list[str]]:
    """podcast:guid, item guids, and every JSON-LD @id in the pages."""
    channel = ET.parse(site / "feed.xml").getroot().find("channel")
    assert channel is not None
    ids: list[str] = []
    for page in sorted(site.rglob("index.html")):
        for block in re.findall(r'<script type="application/ld\+json">(.*?)</script>', page.read_text()):
            data = json.loads(block)
            assert "@id" in data, page
            ids.extend(re.findall(r'"@id":"([^"]+)"', block))
    return (channel.findtext("podcast:guid", namespaces=NS) or "", [g.text or "" for g in channel.iter("guid")],
            ids)


def test_guids_do_not_move_with_base_url(tmp_path: Path) -> None:
    content = copy_site("basic", tmp_path / "show")
    first = build_site(content, tmp_path / "a", base_url="https://tides.example.org/", search=False)
    second = build_site(content, tmp_path / "b", base_url="https://new-home.example.net/podcast/", search=False)
    assert first.ok and second.ok
    a, b = identities(tmp_path / "a"), identities(tmp_path / "b")
    assert a == b
    assert a[0] == "25c2e59b-643c-5b83-8a0b-5043ceda0bbb" and len(a[1]) == 3 and len(set(a[2])) > 3
    # Pinned to what the namespace computes from the old feed URL, so the published values stay.
    assert a[0] == podcast_guid("https://tides.example.org/feed.xml")
    assert "https://new-home.example.net/podcast/feed.xml" in (tmp_path / "b" / "feed.xml").read_text()


def test_a_show_without_guid_is_warned_how_to_pin_it(tmp_path: Path) -> None:
    content = copy_site("basic", tmp_path / "show")
    site_yaml = content / "site.yaml"
    site_yaml.write_text(re.sub(r"(?m)^guid: .*\n", "", site_yaml.read_text()))
    result = build_site(content, tmp_path / "site", search=False)
    computed = podcast_guid("tides.example.org/feed.xml")
    assert [p.format() for p in result.problems] == [
        f"{content.as_posix()}/site.yaml: warning: no 'guid': the show's podcast:guid is computed from the feed URL, "
        "so moving the site (or fixing base_url) would make apps see a new show and new episodes "
        f"(pin it: add `guid: {computed}` to site.yaml)"]
    assert f"<podcast:guid>{computed}</podcast:guid>" in (tmp_path / "site" / "feed.xml").read_text()


def test_explicit_and_imported_item_guids_win(tmp_path: Path) -> None:
    content = copy_site("basic", tmp_path / "show")
    path = content / "episodes" / "02-harbour.md"
    path.write_text(path.read_text().replace("---\n", "---\nguid: Buzzsprout-5678\n", 1))
    assert build_site(content, tmp_path / "site", search=False).ok
    guids = [g.text for g in ET.parse(tmp_path / "site" / "feed.xml").getroot().iter("guid")]
    assert "Buzzsprout-5678" in guids


def test_ssg_new_writes_a_guid(tmp_path: Path) -> None:
    from ssg.cli import main

    assert main(["new", str(tmp_path / "show")]) == 0
    text = (tmp_path / "show" / "content" / "site.yaml").read_text()
    guid = re.search(r"(?m)^guid: ([0-9a-f-]{36})\s", text)
    assert guid
    result = build_site(tmp_path / "show" / "content", tmp_path / "site", search=False)
    assert result.ok and not any("guid" in p.message for p in result.problems)
    assert f"<podcast:guid>{guid.group(1)}</podcast:guid>" in (tmp_path / "site" / "feed.xml").read_text()


# Reach ----------------------------------------------------------------------
def test_new_tags_read_back_with_feedparser(rich: Path) -> None:
    feed = feedparser.parse((rich / "feed.xml").read_bytes())
    assert not feed.bozo, feed.bozo_exception
    ch = feed.feed
    assert ch.podcast_locked == {"owner": "ada@tides.example.org"}
    assert ch["itunes_new-feed-url"] == "https://new.tides.example.org/feed.xml"
    assert ch.podcast_funding == {"url": "https://tides.example.org/support"}
    assert ch.podcast_license == {"url": "https://creativecommons.org/licenses/by/4.0/"}
    assert ch.podcast_trailer["url"] == "https://op3.dev/e/cdn.tides.example.org/03.mp3"
    assert "podcast_txt" in ch
    spring = next(e for e in feed.entries if e.title == "Spring tides, neap tides")
    assert [c["title"] for c in spring.psc_chapters["chapters"]] == ["Welcome", "The moon and the sun",
                                                                     "Listener questions"]
    assert spring.psc_chapters["chapters"][2]["href"] == "https://tides.example.org/questions"
    assert spring.podcast_soundbite == {"starttime": "750.5", "duration": "30.25"}
    assert spring.enclosures[0].href == "https://op3.dev/e/cdn.tides.example.org/01.mp3"
    assert "<p>00:00 Welcome<br />\n02:00 The moon and the sun<br />\n12:30 Listener questions</p>" in spring.description
    trailer = next(e for e in feed.entries if e.title == "Fog (auto-captions)")
    assert trailer.itunes_episodetype == "trailer"


def test_tag_values_in_the_xml(rich: Path) -> None:
    channel = ET.parse(rich / "feed.xml").getroot().find("channel")
    assert channel is not None
    assert channel.findtext("podcast:locked", namespaces=NS) == "yes"
    assert [(t.get("purpose"), t.text) for t in channel.findall("podcast:txt", NS)] == [("verify", "tok-123"),
                                                                                         (None, "plain note")]
    assert channel.findtext("podcast:license", namespaces=NS) == "cc-by-4.0"
    assert channel.findtext("podcast:funding", namespaces=NS) == "Support Tidal Notes"
    assert channel.findtext("podcast:trailer", namespaces=NS) == "Fog (auto-captions)"
    items = {i.findtext("title"): i for i in channel.findall("item")}
    spring = items["Spring tides, neap tides"]
    assert [(b.get("startTime"), b.get("duration"), b.text) for b in spring.findall("podcast:soundbite", NS)] == [
        ("120.0", "45.0", "Why the moon"), ("750.5", "30.25", "Spring tides, neap tides")]  # untitled: the episode's
    # Two chapters: psc:chapters, but no list in the description (Spotify reads three or more).
    harbour = items["Bringing ships into harbour"]
    assert len(harbour.findall("psc:chapters/psc:chapter", NS)) == 2
    assert "00:00" not in (harbour.findtext("description") or "")


def test_chapter_list_starts_at_zero_and_fits_apple_limit(tmp_path: Path) -> None:
    content = copy_site("basic", tmp_path / "show")
    path = content / "episodes" / "01-spring-tides.md"
    long = " ".join(f"word{i}" for i in range(1500))
    text = path.read_text().replace('{start: "0:00", title: Welcome}', '{start: "0:30", title: Welcome}')
    path.write_text(re.sub(r"description: \|\n  .*\n", f"description: {long}\n", text))
    assert build_site(content, tmp_path / "site", search=False).ok
    channel = ET.parse(tmp_path / "site" / "feed.xml").getroot().find("channel")
    assert channel is not None
    item = next(i for i in channel.findall("item") if i.findtext("title") == "Spring tides, neap tides")
    description = item.findtext("description") or ""
    assert len(description) <= 4000
    assert description.endswith("00:00 Spring tides, neap tides\n00:30 Welcome\n02:00 The moon and the sun\n"
                                "12:30 Listener questions")


def test_headers_serve_chapters_as_json_chapters(rich: Path) -> None:
    text = (rich / "_headers").read_text()
    assert "/episodes/*/chapters.json\n  Access-Control-Allow-Origin: *\n" \
           "  Content-Type: application/json+chapters; charset=utf-8\n" in text


def test_bad_reach_keys_are_reported(tmp_path: Path) -> None:
    content = copy_site("basic", tmp_path / "show")
    with (content / "site.yaml").open("a") as out:
        out.write("locked: maybe\nfunding: [{text: no url}]\nnew_feed_url: feed.xml\n")
    path = content / "episodes" / "01-spring-tides.md"
    path.write_text(path.read_text().replace("tags: [science, moon]\n",
                                             "tags: [science, moon]\nsoundbites: [{start: \"19:50\", duration: 60}]\n"))
    result = build_site(content, tmp_path / "site", search=False)
    assert not result.ok
    messages = " | ".join(p.format() for p in result.errors)
    assert "'locked' must be true or false" in messages
    assert "each of 'funding' needs a url" in messages
    assert "'new_feed_url' must be an absolute http(s) URL" in messages
    assert "soundbites[0] ends past the duration (20:00)" in messages


# podcast-partytime --------------------------------------------------------------
PARTYTIME_SCRIPT = """
const { parseFeed } = require(process.argv[1]);
const feed = parseFeed(require("fs").readFileSync(process.argv[2], "utf8"));
console.log(JSON.stringify({support: feed.pc20support, guid: feed.guid, locked: feed.locked, owner: feed.podcastOwner,
  funding: feed.podcastFunding, txt: feed.podcastTxt, license: feed.license, trailers: feed.trailers,
  items: feed.items.map(i => ({guid: i.guid, soundbites: i.podcastSoundbites, enclosure: i.enclosure.url,
                               type: i.itunesEpisodeType}))}));
"""


@pytest.fixture(scope="session")
def partytime(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """``podcast-partytime`` installed with npm, once per session (tests/.node, else a temporary folder)."""
    if not shutil.which("node") or not shutil.which("npm"):
        pytest.skip("node and npm are not installed (.ci/run installs them): podcast-partytime cannot run")
    folder = ROOT / "tests" / ".node"
    module = folder / "node_modules" / "podcast-partytime"
    if not module.is_dir():
        folder.mkdir(exist_ok=True)
        done = subprocess.run(["npm", "install", "--no-audit", "--no-fund", "--silent", "--prefix", str(folder),
                               "podcast-partytime@5"], capture_output=True, text=True, timeout=300)
        if done.returncode != 0 or not module.is_dir():
            pytest.skip(f"npm could not install podcast-partytime: {done.stderr.strip()[-300:]}")
    return module


def parse_with_partytime(module: Path, feed: Path) -> dict[str, object]:
    done = subprocess.run(["node", "-e", PARTYTIME_SCRIPT, str(module), str(feed)], capture_output=True,
                          text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)  # type: ignore[no-any-return]


def test_partytime_detects_every_new_tag(partytime: Path, rich: Path) -> None:
    found = parse_with_partytime(partytime, rich / "feed.xml")
    assert found["support"] == {"1": ["locked", "funding", "transcript", "chapters", "soundbite"],
                                "2": ["person", "episode"], "3": ["trailer", "license", "guid"], "6": ["txt"]}
    assert found["guid"] == "25c2e59b-643c-5b83-8a0b-5043ceda0bbb"
    assert found["locked"] is True and found["owner"] == "ada@tides.example.org"
    assert found["funding"] == [{"message": "Support Tidal Notes", "url": "https://tides.example.org/support"}]
    assert found["txt"] == [{"value": "tok-123", "purpose": "verify"}, {"value": "plain note"}]
    assert found["license"] == {"identifier": "cc-by-4.0", "url": "https://creativecommons.org/licenses/by/4.0/"}
    items = {i["guid"]: i for i in found["items"]}  # type: ignore[index, union-attr]
    spring = items["397a64f4-65b0-5dae-bc32-c42dc567fbd4"]
    assert spring["soundbites"] == [{"startTime": 120, "duration": 45, "title": "Why the moon"},
                                    {"startTime": 750.5, "duration": 30.25, "title": "Spring tides, neap tides"}]
    assert spring["enclosure"] == "https://op3.dev/e/cdn.tides.example.org/01.mp3"
    assert [t["title"] for t in found["trailers"]] == ["Fog (auto-captions)"]  # type: ignore[union-attr, index]


def test_partytime_before_the_new_tags(partytime: Path, tmp_path: Path) -> None:
    """The basic show (no new keys) still gives what main's feed gave: transcript, chapters, person, episode, guid."""
    result = build_site(copy_site("basic", tmp_path / "show"), tmp_path / "site", search=False)
    assert result.ok
    found = parse_with_partytime(partytime, tmp_path / "site" / "feed.xml")
    assert found["support"] == {"1": ["transcript", "chapters"], "2": ["person", "episode"], "3": ["guid"]}


def test_an_unpinned_guid_comes_from_site_yaml_not_an_override(tmp_path: Path) -> None:
    content = copy_site("basic", tmp_path / "show")
    site_yaml = content / "site.yaml"
    site_yaml.write_text(re.sub(r"(?m)^guid: .*\n", "", site_yaml.read_text()))
    result = build_site(content, tmp_path / "site", base_url="https://staging.example.net/", search=False)
    assert result.ok
    assert identities(tmp_path / "site")[0] == podcast_guid("https://tides.example.org/feed.xml")
