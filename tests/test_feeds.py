"""Feeds and interoperability: RSS with Apple and Podcasting 2.0 tags, chapters, transcripts, structured data."""

from __future__ import annotations

import html
import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import feedparser
import pytest
import webvtt

from conftest import copy_site
from ssg.build import build_site

NS = {"itunes": "http://www.itunes.com/dtds/podcast-1.0.dtd", "podcast": "https://podcastindex.org/namespace/1.0",
      "content": "http://purl.org/rss/1.0/modules/content/", "atom": "http://www.w3.org/2005/Atom"}
EP1 = "episodes/spring-tides-neap-tides/"


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("feeds")
    content = copy_site("basic", root / "show")
    result = build_site(content, root / "site", search=False)
    assert result.ok and not result.problems, [p.format() for p in result.problems]
    return root / "site"


def channel(site: Path) -> ET.Element:
    root = ET.parse(site / "feed.xml").getroot()
    found = root.find("channel")
    assert found is not None
    return found


def item(site: Path, title: str) -> ET.Element:
    for element in channel(site).findall("item"):
        if element.findtext("title") == title:
            return element
    raise AssertionError(f"no item {title!r}")


def test_feedparser_reads_the_channel(site: Path) -> None:
    feed = feedparser.parse((site / "feed.xml").read_bytes())
    assert not feed.bozo, feed.bozo_exception
    assert feed.feed.title == "Tidal Notes"
    assert feed.feed.link == "https://tides.example.org/"
    assert feed.feed.language == "en"
    assert feed.feed.author == "Ada Marsh"
    assert feed.feed.image.href == "https://tides.example.org/cover.png"
    assert [e.title for e in feed.entries] == ["Fog (auto-captions)", "Bringing ships into harbour",
                                               "Spring tides, neap tides"]
    first = feed.entries[2]
    assert first.link == "https://tides.example.org/" + EP1
    assert first.published == "Mon, 05 Jan 2026 12:00:00 +0000"
    assert first.enclosures[0].href == "https://cdn.tides.example.org/01.mp3"
    assert first.enclosures[0].length == "19200000" and first.enclosures[0].type == "audio/mpeg"
    assert first.itunes_duration == "00:20:00"
    assert first.itunes_episode == "1"
    assert '<a href="https://tides.example.org/diagram">a diagram</a>' in first.content[0].value


def test_channel_has_apple_and_podcasting20_tags(site: Path) -> None:
    ch = channel(site)
    owner = ch.find("itunes:owner", NS)
    assert owner is not None and owner.findtext("itunes:email", namespaces=NS) == "ada@tides.example.org"
    categories = ch.findall("itunes:category", NS)
    assert [c.get("text") for c in categories] == ["Science", "Society & Culture"]
    assert [c.get("text") for c in categories[1]] == ["Documentary"]
    assert ch.findtext("itunes:explicit", namespaces=NS) == "false"
    # podcast:guid is the UUIDv5 of the feed URL without its scheme, in the spec's namespace.
    import uuid
    expected = uuid.uuid5(uuid.UUID("ead4c236-bf58-58c6-a2c6-a6b28d128cb6"), "tides.example.org/feed.xml")
    assert ch.findtext("podcast:guid", namespaces=NS) == str(expected)
    hosts = ch.findall("podcast:person", NS)
    assert [(p.text, p.get("role"), p.get("href")) for p in hosts] == [
        ("Ada Marsh", "host", "https://tides.example.org/speakers/ada/"),
        ("Ben Okafor", "host", "https://tides.example.org/speakers/ben/")]
    assert ch.find("atom:link", NS).get("href") == "https://tides.example.org/feed.xml"  # type: ignore[union-attr]


def test_item_has_every_tag(site: Path) -> None:
    it = item(site, "Spring tides, neap tides")
    guid = it.find("guid")
    assert guid is not None and guid.get("isPermaLink") == "false" and guid.text
    assert it.findtext("itunes:episodeType", namespaces=NS) == "full"
    assert it.findtext("podcast:episode", namespaces=NS) == "1"
    people = [(p.text, p.get("role")) for p in it.findall("podcast:person", NS)]
    assert people == [("Ada Marsh", "host"), ("Ben Okafor", "host")]
    chapters = it.find("podcast:chapters", NS)
    assert chapters is not None and chapters.get("type") == "application/json+chapters"
    assert chapters.get("url") == f"https://tides.example.org/{EP1}chapters.json"
    transcripts = {t.get("type"): t for t in it.findall("podcast:transcript", NS)}
    assert set(transcripts) == {"text/vtt", "application/x-subrip", "application/json", "text/html"}
    assert transcripts["text/vtt"].get("rel") == "captions"  # real timestamps
    assert transcripts["text/vtt"].get("language") == "en"
    for element in transcripts.values():
        url = element.get("url") or ""
        assert (site / url.removeprefix("https://tides.example.org/")).is_file()
    # An untimed transcript is published with estimated times and is not called captions.
    untimed = {t.get("type"): t for t in item(site, "Bringing ships into harbour").findall("podcast:transcript", NS)}
    assert untimed["text/vtt"].get("rel") is None


def test_guids_are_stable_across_rebuilds(site: Path, tmp_path: Path) -> None:
    content = copy_site("basic", tmp_path / "show")
    build_site(content, tmp_path / "again", search=False)
    assert (tmp_path / "again" / "feed.xml").read_bytes() == (site / "feed.xml").read_bytes()


def test_chapters_json(site: Path) -> None:
    data = json.loads((site / EP1 / "chapters.json").read_text())
    assert data["version"] == "1.2.0"
    starts = [c["startTime"] for c in data["chapters"]]
    assert starts == sorted(starts) == [0, 120, 750]
    assert all(isinstance(c["startTime"], (int, float)) and c["title"] for c in data["chapters"])
    assert data["chapters"][2]["url"] == "https://tides.example.org/questions"
    assert set().union(*(c.keys() for c in data["chapters"])) <= {"startTime", "title", "url", "img", "toc",
                                                                   "endTime", "location"}


def test_webvtt_voices_and_times(site: Path) -> None:
    captions = webvtt.read(str(site / EP1 / "transcript.vtt"))
    assert [c.voice for c in captions] == ["Ada Marsh", "Ben Okafor", "Ada Marsh", "Ben Okafor",
                                           "Ada Marsh", "Ben Okafor"]
    assert [c.start for c in captions][:3] == ["00:00:04.000", "00:00:15.000", "00:02:01.000"]
    assert captions[0].end == "00:00:15.000"
    assert captions[-1].end == "00:20:00.000"
    assert "<em>" not in (site / EP1 / "transcript.vtt").read_text()
    assert captions[3].text == "When they line up, you get a spring tide."


def test_srt_json_and_html_transcripts(site: Path) -> None:
    srt = (site / EP1 / "transcript.srt").read_text()
    blocks = srt.strip().split("\n\n")
    assert blocks[0].splitlines()[:2] == ["1", "00:00:04,000 --> 00:00:15,000"]
    assert blocks[0].splitlines()[2].startswith("Ada Marsh: Welcome")
    for block in blocks:
        lines = block.splitlines()[2:]
        assert 1 <= len(lines) <= 2 and all(len(line) <= 32 for line in lines)
    data = json.loads((site / EP1 / "transcript.json").read_text())
    assert data["version"] == "1.0.0"
    assert data["segments"][0] == {"speaker": "Ada Marsh", "startTime": 4, "endTime": 15,
                                   "body": "Welcome to Tidal Notes. Today, spring tides."}
    html = (site / EP1 / "transcript.html").read_text()
    assert '<p><cite>Ada Marsh:</cite> <time datetime="PT4S">0:04</time></p>' in html


def test_pages_have_open_graph_and_json_ld(site: Path) -> None:
    page = (site / EP1 / "index.html").read_text()
    assert '<meta property="og:audio" content="https://cdn.tides.example.org/01.mp3">' in page
    assert '<meta property="og:image" content="https://tides.example.org/cover.png">' in page
    assert f'<link rel="canonical" href="https://tides.example.org/{EP1}">' in page
    assert '<meta name="twitter:card"' in page
    data = json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>', page).group(1))  # type: ignore[union-attr]
    assert data["@type"] == "PodcastEpisode"
    assert data["partOfSeries"]["name"] == "Tidal Notes"
    assert data["associatedMedia"]["contentUrl"] == "https://cdn.tides.example.org/01.mp3"
    assert data["timeRequired"] == "PT20M"
    assert [a["name"] for a in data["actor"]] == ["Ada Marsh", "Ben Okafor"]
    home = json.loads(re.search(r'application/ld\+json">(.*?)</script>',  # type: ignore[union-attr]
                                (site / "index.html").read_text()).group(1))
    assert home["@type"] == "PodcastSeries" and home["webFeed"] == "https://tides.example.org/feed.xml"
    person = json.loads(re.search(r'application/ld\+json">(.*?)</script>',  # type: ignore[union-attr]
                                  (site / "speakers/ada/index.html").read_text()).group(1))
    assert person["@type"] == "Person" and person["jobTitle"] == "Oceanographer"


def test_sitemap_and_headers(site: Path) -> None:
    sitemap = ET.parse(site / "sitemap.xml").getroot()
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    entries = {u.findtext("s:loc", namespaces=ns): u.findtext("s:lastmod", namespaces=ns)
               for u in sitemap.findall("s:url", ns)}
    assert entries[f"https://tides.example.org/{EP1}"] == "2026-01-05"
    assert entries["https://tides.example.org/speakers/cleo/"] == "2026-02-10"
    assert len(entries) == 1 + 3 + 1 + 3 + 1 + 3
    rules = parse_headers((site / "_headers").read_text())
    assert all(pattern.count("*") <= 1 for pattern in rules)  # Cloudflare Pages allows one splat
    for name, mime in [("transcript.vtt", "text/vtt"), ("transcript.srt", "application/x-subrip"),
                       ("transcript.json", "application/json"), ("transcript.html", "text/html"),
                       ("chapters.json", "application/json+chapters")]:
        got = headers_for(rules, f"/{EP1}{name}")
        assert got == {"Access-Control-Allow-Origin": "*", "Content-Type": f"{mime}; charset=utf-8"}, name
        assert (site / EP1 / name).is_file()
    assert headers_for(rules, "/feed.xml")["Content-Type"] == "application/rss+xml; charset=utf-8"
    for path in (site / "assets").rglob("*"):
        if path.is_file():
            name = path.relative_to(site / "assets").as_posix()
            assert headers_for(rules, f"/assets/{name}") == {"Cache-Control": "public, max-age=31536000, immutable"}
    assert "Cache-Control" in headers_for(rules, "/pagefind/shard-0/pagefind-entry.json")
    assert headers_for(rules, f"/{EP1}") == {}


def parse_headers(text: str) -> dict[str, dict[str, str]]:
    """``_headers`` as {pattern: {name: value}}, refusing a header set twice for one pattern."""
    rules: dict[str, dict[str, str]] = {}
    current: dict[str, str] = {}
    for line in text.splitlines():
        if line.startswith("/"):
            assert line not in rules
            current = rules[line] = {}
        elif line.strip():
            assert line.startswith("  ") and ": " in line, line
            name, value = line.strip().split(": ", 1)
            assert name not in current
            current[name] = value
    return rules


def headers_for(rules: dict[str, dict[str, str]], path: str) -> dict[str, str]:
    """The headers a host sends for ``path``; a header set by two matching rules fails (hosts join them)."""
    out: dict[str, str] = {}
    for pattern, values in rules.items():
        if re.fullmatch(".*".join(re.escape(part) for part in pattern.split("*")), path):
            for name, value in values.items():
                assert name not in out, (path, name)
                out[name] = value
    return out


def test_missing_apple_requirements_are_warnings(tmp_path: Path) -> None:
    content = copy_site("basic", tmp_path / "show")
    (content / "site.yaml").write_text("title: Bare\nbase_url: https://bare.example/\nguid: 0b9c1e8e-2f6a-4c1e-9d55-0c2f7a1b8e11\n")
    path = content / "episodes" / "02-harbour.md"
    path.write_text(path.read_text().replace("audio_bytes: 28000000\n", ""))
    path = content / "episodes" / "03-captions.md"
    path.write_text(path.read_text().replace("audio_url: https://cdn.tides.example.org/03.mp3\n", ""))
    result = build_site(content, tmp_path / "site", search=False)
    assert result.ok
    c = content.as_posix()
    assert sorted(p.format() for p in result.problems) == sorted([
        f"{c}/site.yaml: warning: no 'image': Apple requires cover art in the feed "
        "(add image: cover.jpg (a 1400-3000 px square JPEG or PNG))",
        f"{c}/site.yaml: warning: no 'categories': Apple requires at least one category in the feed "
        "(add categories: [Technology])",
        f"{c}/site.yaml: warning: no owner email: Apple requires itunes:owner/itunes:email in the feed "
        "(add owner: {name: ..., email: ...})",
        f"{c}/episodes/02-harbour.md:6: warning: no 'audio_bytes': the feed's enclosure needs the audio "
        "file's length (add audio_bytes: <size of the file in bytes>)",
        f"{c}/episodes/03-captions.md:2: warning: no 'audio_url': the episode gets a page but is left out "
        "of the feed (add audio_url: https://... when the audio is published)",
    ])
    feed = feedparser.parse((tmp_path / "site" / "feed.xml").read_bytes())
    assert [e.title for e in feed.entries] == ["Bringing ships into harbour", "Spring tides, neap tides"]
    assert (tmp_path / "site" / "episodes" / "fog-auto-captions" / "index.html").is_file()


def test_hostile_text_stays_well_formed(tmp_path: Path) -> None:
    content = tmp_path / "content"
    (content / "episodes").mkdir(parents=True)
    dumps = lambda v: json.dumps(v, ensure_ascii=False)  # noqa: E731
    hostile = "Tom & Jerry <b>\"quoted\"</b> 'single' 🎙️ ]]> \u05e9\u05dc\u05d5\u05dd"
    (content / "site.yaml").write_text(
        f"title: {dumps(hostile)}\ndescription: {dumps(hostile)}\nbase_url: https://h.example/\n"
        "image: https://h.example/c.png\ncategories: [Arts & Crafts]\nowner: {name: O, email: o@h.example}\n",
        encoding="utf-8")
    (content / "speakers.yaml").write_text(
        f"- id: rtl\n  name: {dumps('דוד ' + hostile)}\n  role: host\n  aliases: [David]\n", encoding="utf-8")
    (content / "episodes" / "a.md").write_text(
        f"---\ntitle: {dumps(hostile)}\ndate: 2026-01-01\naudio_url: https://h.example/a.mp3?x=1&y=2\n"
        f"audio_bytes: 10\ndescription: {dumps(hostile)}\nchapters:\n  - {{start: 0, title: {dumps(hostile)}}}\n"
        f"---\n[00:00:01] David: {hostile}\n", encoding="utf-8")
    result = build_site(content, tmp_path / "site", search=False)
    assert result.ok, [p.format() for p in result.problems]
    site = tmp_path / "site"
    root = ET.parse(site / "feed.xml").getroot()  # well-formed XML
    it = root.find("channel/item")
    assert it is not None and it.findtext("title") == hostile
    # The notes are HTML in which the show's text is escaped once: strip the tags, unescape, and it is back.
    notes = it.findtext("description") or ""
    assert "<b>" not in notes and html.unescape(re.sub(r"<[^>]+>", "", notes)).strip() == hostile
    assert root.findtext("channel/description") == hostile
    assert root.find("channel/podcast:person", NS).text == "דוד " + hostile  # type: ignore[union-attr]
    assert it.find("enclosure").get("url") == "https://h.example/a.mp3?x=1&y=2"  # type: ignore[union-attr]
    assert not feedparser.parse((site / "feed.xml").read_bytes()).bozo
    slug = next((site / "episodes").iterdir())
    chapters = json.loads((slug / "chapters.json").read_text(encoding="utf-8"))
    assert chapters["chapters"][0]["title"] == hostile
    transcript = json.loads((slug / "transcript.json").read_text(encoding="utf-8"))
    assert transcript["segments"][0]["body"] == hostile
    captions = webvtt.read(str(slug / "transcript.vtt"))
    assert captions[0].voice.startswith("דוד Tom &amp; Jerry &lt;b&gt;")
    assert "<b>" not in (slug / "transcript.vtt").read_text(encoding="utf-8")
    page = (slug / "index.html").read_text(encoding="utf-8")
    for match in re.findall(r'<script type="application/ld\+json">(.*?)</script>', page, re.S):
        assert "<" not in match
        assert json.loads(match)["name"] == hostile


# A second show (tests/fixtures/sites/feeds): a sub-path, seasons, artwork, a producer, a partly
# timed transcript, an episode with notes only, two pages of episodes, content assets.
RADIO = "https://pod.example.org/radio/"


@pytest.fixture(scope="module")
def radio(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("radio")
    content = copy_site("feeds", root / "show")
    result = build_site(content, root / "site", search=False)
    assert result.ok and not result.problems, [p.format() for p in result.problems]
    return root / "site"


def test_sub_path_feed_items(radio: Path) -> None:
    feed = feedparser.parse((radio / "feed.xml").read_bytes())
    assert not feed.bozo, feed.bozo_exception
    assert feed.feed.language == "en-GB"
    planes = next(e for e in feed.entries if e.title == "Hand planes")
    assert planes.enclosures[0].href == RADIO + "audio/05.mp3"  # relative audio made absolute
    assert planes.itunes_season == "2" and planes.itunes_episodetype == "bonus"
    assert item(radio, "Hand planes").findtext("itunes:explicit", namespaces=NS) == "true"  # Apple's values
    assert planes.image.href == "https://cdn.pod.example.org/art/05.jpg"
    # Links in the notes resolve as they do on the episode page.
    notes = planes.content[0].value
    assert f'href="{RADIO}episodes/hand-planes/glossary/"' in notes
    assert f'href="{RADIO}speakers/raul/"' in notes
    assert f'href="{RADIO}episodes/hand-planes/#notes"' in notes

    it = item(radio, "Hand planes")
    assert it.findtext("podcast:season", namespaces=NS) == "2"
    people = {p.text: p.attrib for p in it.findall("podcast:person", NS)}
    assert people["Hana Ito"] == {"role": "host", "href": RADIO + "speakers/hana/", "img": RADIO + "host.png"}
    assert people["Raúl Peña"] == {"role": "guest", "href": RADIO + "speakers/raul/"}
    assert people["Pat Quill"] == {"role": "producer", "group": "creative direction", "href": RADIO + "speakers/pat/"}
    ch = channel(radio)
    assert [c.get("text") for c in ch.findall("itunes:category", NS)] == ["Leisure", "Education"]
    import uuid
    expected = uuid.uuid5(uuid.UUID("ead4c236-bf58-58c6-a2c6-a6b28d128cb6"), "pod.example.org/radio/feed.xml")
    assert ch.findtext("podcast:guid", namespaces=NS) == str(expected)
    # A guid given in front matter is kept as written.
    assert item(radio, "Notes only").findtext("guid") == "workshop-radio-episode-6"


def test_partly_timed_transcript(radio: Path) -> None:
    folder = radio / "episodes" / "hand-planes"
    transcripts = {t.get("type"): t for t in item(radio, "Hand planes").findall("podcast:transcript", NS)}
    assert transcripts["text/vtt"].get("rel") == "captions"
    assert transcripts["text/vtt"].get("language") == "en-GB"
    text = (folder / "transcript.vtt").read_text(encoding="utf-8")
    assert "NOTE\n2 of 5 cue start times are estimated" in text
    captions = webvtt.read(str(folder / "transcript.vtt"))
    assert [c.voice for c in captions] == ["Hana Ito", "Raúl Peña", "Hana Ito", "Raúl Peña", "Hana Ito"]
    assert [c.start for c in captions[::2]] == ["00:00:02.000", "00:04:00.000", "00:08:00.000"]
    html = (folder / "transcript.html").read_text(encoding="utf-8")
    assert re.findall(r'<time datetime="([^"]+)">', html) == ["PT2S", "PT4M", "PT8M"]  # given times only


def test_untimed_transcript_says_so(site: Path) -> None:
    folder = site / "episodes" / "bringing-ships-into-harbour"
    text = (folder / "transcript.vtt").read_text(encoding="utf-8")
    assert text.startswith("WEBVTT\n\nNOTE\nAll cue start times are estimated")
    assert [c.voice for c in webvtt.read(str(folder / "transcript.vtt"))][:2] == ["Ada Marsh", "Cleo Ruiz"]
    assert "<time" not in (folder / "transcript.html").read_text(encoding="utf-8")
    assert "NOTE" not in (site / EP1 / "transcript.vtt").read_text(encoding="utf-8")
    page = (folder / "index.html").read_text(encoding="utf-8")
    assert "Times in this transcript are estimated from its length." in page


def test_episode_without_transcript(radio: Path) -> None:
    it = item(radio, "Notes only")
    assert it.findall("podcast:transcript", NS) == [] and it.find("podcast:chapters", NS) is None
    assert sorted(p.name for p in (radio / "episodes" / "notes-only").iterdir()) == ["index.html"]
    assert "transcript." not in (radio / "episodes" / "notes-only" / "index.html").read_text(encoding="utf-8")


def test_radio_chapters_json(radio: Path) -> None:
    data = json.loads((radio / "episodes" / "hand-planes" / "chapters.json").read_text(encoding="utf-8"))
    assert data == {"version": "1.2.0", "chapters": [
        {"startTime": 0, "title": "Hello"},
        {"startTime": 240, "title": "The blade", "img": RADIO + "art/blade.jpg", "url": "https://pod.example.org/blade"},
        {"startTime": 480, "title": "Credits", "toc": False},
    ]}
    chapters = item(radio, "Hand planes").find("podcast:chapters", NS)
    assert chapters is not None and chapters.get("url") == RADIO + "episodes/hand-planes/chapters.json"
    page = (radio / "episodes" / "hand-planes" / "index.html").read_text(encoding="utf-8")
    assert 'href="/radio/episodes/hand-planes/chapters.json"' in page
    assert 'href="/radio/episodes/hand-planes/transcript.srt"' in page


def test_radio_pages_meta(radio: Path) -> None:
    page = (radio / "episodes" / "hand-planes" / "index.html").read_text(encoding="utf-8")
    assert '<meta property="og:image" content="https://cdn.pod.example.org/art/05.jpg">' in page
    assert f'<meta property="og:audio" content="{RADIO}audio/05.mp3">' in page
    assert '<meta name="twitter:image" content="https://cdn.pod.example.org/art/05.jpg">' in page
    data = json.loads(re.search(r'application/ld\+json">(.*?)</script>', page).group(1))  # type: ignore[union-attr]
    assert data["partOfSeason"] == {"@type": "PodcastSeason", "seasonNumber": 2}
    assert data["image"] == "https://cdn.pod.example.org/art/05.jpg"
    assert [p["name"] for p in data["actor"]] == ["Hana Ito", "Raúl Peña"]
    assert [p["name"] for p in data["contributor"]] == ["Pat Quill"]
    not_found = (radio / "404.html").read_text(encoding="utf-8")
    assert '<meta name="robots" content="noindex">' in not_found and 'rel="canonical"' not in not_found
    search = (radio / "search" / "index.html").read_text(encoding="utf-8")
    assert '<meta name="robots" content="noindex">' in search
    home = (radio / "index.html").read_text(encoding="utf-8")
    assert f'<link rel="canonical" href="{RADIO}">' in home and "noindex" not in home


def test_radio_sitemap_and_headers(radio: Path) -> None:
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    sitemap = ET.parse(radio / "sitemap.xml").getroot()
    entries = {u.findtext("s:loc", namespaces=ns): u.findtext("s:lastmod", namespaces=ns)
               for u in sitemap.findall("s:url", ns)}
    assert entries[RADIO + "page/2/"] == "2026-04-01"  # the newest episode on that page
    assert (radio / "page" / "2" / "index.html").is_file()
    pages = {RADIO + p.relative_to(radio).parent.as_posix() + "/" for p in radio.rglob("index.html")}
    pages = {p.replace("/./", "/") for p in pages} - {RADIO + "search/"}
    assert set(entries) == pages
    rules = parse_headers((radio / "_headers").read_text())
    css = next((radio / "assets").glob("extra.*.css")).name
    assert headers_for(rules, f"/radio/assets/{css}")["Cache-Control"].endswith("immutable")
    assert headers_for(rules, "/radio/assets/logo.svg") == {}  # not fingerprinted: not cached for a year
    assert headers_for(rules, "/radio/episodes/glue/transcript.vtt")["Access-Control-Allow-Origin"] == "*"
    assert headers_for(rules, "/episodes/glue/transcript.vtt") == {}


def test_long_descriptions_fit_apple_limits(tmp_path: Path) -> None:
    content = copy_site("feeds", tmp_path / "show")
    long = " ".join(f"word{i}" for i in range(1500))  # about 11,000 characters
    path = content / "site.yaml"
    path.write_text(path.read_text().replace("description: Tools, *benches* and the people at them.",
                                             f"description: {long}"))
    path = content / "episodes" / "03-glue.md"
    path.write_text(path.read_text().replace("description: Hide glue against PVA.", f"description: {long}"))
    assert build_site(content, tmp_path / "site", search=False).ok
    ch = channel(tmp_path / "site")
    description = ch.findtext("description") or ""
    assert len(description) <= 4000 and description.endswith("…") and description.startswith("word0 word1 ")
    it = item(tmp_path / "site", "Glue")
    text = it.findtext("description") or ""
    assert len(text) <= 4000 and "<p>" not in text and text.endswith("…")
    assert long in (it.findtext("content:encoded", namespaces=NS) or "")  # the full notes stay


def test_control_characters_do_not_break_the_feed(tmp_path: Path) -> None:
    content = copy_site("basic", tmp_path / "show")
    path = content / "episodes" / "01-spring-tides.md"
    text = path.read_text().replace("title: Spring tides, neap tides", 'title: "Spring\\ftides\\e, neap tides"')
    path.write_text(text + "[00:19:00] Ada: A page\x0cbreak and an \x1b escape from a pasted PDF.\n")
    result = build_site(content, tmp_path / "site", search=False)
    assert result.ok, [p.format() for p in result.problems]
    root = ET.parse(tmp_path / "site" / "feed.xml").getroot()  # raises when not well-formed
    assert [i.findtext("title") for i in root.iter("item")][-1] == "Springtides, neap tides"
    assert not feedparser.parse((tmp_path / "site" / "feed.xml").read_bytes()).bozo
    data = json.loads((tmp_path / "site" / EP1 / "transcript.json").read_text(encoding="utf-8"))
    assert data["segments"][-1]["body"].startswith("A page")


def test_chapters_without_a_transcript(tmp_path: Path) -> None:
    content = copy_site("feeds", tmp_path / "show")
    path = content / "episodes" / "02-notes.md"
    path.write_text(path.read_text().replace("speakers: [hana]\n",
                                             "speakers: [hana]\nchapters:\n  - {start: 0, title: Intro}\n"
                                             "  - {start: \"1:30\", title: News}\n"))
    result = build_site(content, tmp_path / "site", search=False)
    assert result.ok, [p.format() for p in result.problems]
    folder = tmp_path / "site" / "episodes" / "notes-only"
    assert sorted(p.name for p in folder.iterdir()) == ["chapters.json", "index.html"]
    assert [c["startTime"] for c in json.loads((folder / "chapters.json").read_text())["chapters"]] == [0, 90]
    assert 'href="/radio/episodes/notes-only/chapters.json"' in (folder / "index.html").read_text(encoding="utf-8")
    assert item(tmp_path / "site", "Notes only").find("podcast:chapters", NS) is not None
