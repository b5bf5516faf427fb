"""The core build: content/ to a complete show-notes site, checked on the files it writes."""

from __future__ import annotations

import html.parser
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import FIXTURES, copy_site
from ssg.build import build_site, check_site

GOLDEN = FIXTURES / "golden" / "basic"


def build(content: Path, out: Path, **kwargs: object) -> None:
    result = build_site(content, out, search=False, **kwargs)  # type: ignore[arg-type]
    assert result.ok, [p.format() for p in result.problems]


@pytest.fixture(scope="module")
def basic(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("basic")
    content = copy_site("basic", root / "show")
    build(content, root / "site")
    return root / "site"


def read(site: Path, path: str) -> str:
    return (site / path).read_text(encoding="utf-8")


def main_of(page: str) -> str:
    return page[page.index("<main"): page.index("</main>") + len("</main>")]


class Ids(html.parser.HTMLParser):
    """Element ids in document order, with the tag and class of each."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[tuple[str, str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        data = dict(attrs)
        if data.get("id"):
            self.found.append((data["id"] or "", tag, data))


def ids(page: str) -> list[tuple[str, str, dict[str, str | None]]]:
    parser = Ids()
    parser.feed(page)
    return parser.found


# The site as a whole ---------------------------------------------------------
def test_every_page_is_written(basic: Path) -> None:
    for path in ["index.html", "404.html", "robots.txt", "sitemap.xml", "search/index.html",
                 "speakers/index.html", "speakers/ada/index.html", "speakers/ben/index.html",
                 "speakers/cleo/index.html", "tags/index.html", "tags/science/index.html",
                 "episodes/spring-tides-neap-tides/index.html",
                 "episodes/bringing-ships-into-harbour/index.html",
                 "episodes/fog-auto-captions/index.html", "cover.png"]:
        assert (basic / path).is_file(), path
    assert len(list((basic / "assets").glob("style.*.css"))) == 1


def test_home_lists_episodes_newest_first(basic: Path) -> None:
    home = read(basic, "index.html")
    titles = re.findall(r'<h2 class="episode-title"><a href="([^"]+)">([^<]+)</a>', home)
    assert [t for _, t in titles] == ["Fog (auto-captions)", "Bringing ships into harbour",
                                      "Spring tides, neap tides"]
    assert titles[2][0] == "/episodes/spring-tides-neap-tides/"
    assert "Episode 1" in home and "January 5, 2026" in home and "20:00" in home
    assert "Why the tide is bigger twice a month." in home
    assert '<em>the sea</em>' in home


def test_home_is_paginated(tmp_path: Path) -> None:
    content = copy_site("basic", tmp_path / "show")
    site_yaml = content / "site.yaml"
    site_yaml.write_text(site_yaml.read_text() + "page_size: 2\n")
    build(content, tmp_path / "site")
    first, second = read(tmp_path / "site", "index.html"), read(tmp_path / "site", "page/2/index.html")
    assert "Page 1 of 2" in first and 'href="/page/2/"' in first
    assert "Spring tides, neap tides" in second and "Fog (auto-captions)" not in second
    assert 'rel="prev" href="/"' in second


def test_speaker_and_tag_pages_are_paginated_like_home(tmp_path: Path) -> None:
    """A host of every episode gets pages of ``page_size`` rows; only the first is indexed for search."""
    content = copy_site("basic", tmp_path / "show")
    site_yaml = content / "site.yaml"
    site_yaml.write_text(site_yaml.read_text() + "page_size: 1\n")
    (content / "episodes" / "02-harbour.md").write_text(
        (content / "episodes" / "02-harbour.md").read_text().replace("tags: [ships]", "tags: [ships, science]"))
    site = tmp_path / "site"
    build(content, site)
    first, second = read(site, "speakers/ben/index.html"), read(site, "speakers/ben/page/2/index.html")
    assert "Episodes (2)" in first and "Episodes (2)" in second
    listed = main_of(first).split('class="appearances"')[1]  # (the quotes above come from every episode)
    assert ">Bringing ships into harbour</a></h3>" in listed and "Spring tides" not in listed
    assert ">Spring tides, neap tides</a></h3>" in second and "Bringing ships" not in main_of(second)
    assert "Page 1 of 2" in first and 'rel="next" href="/speakers/ben/page/2/"' in first
    assert 'rel="prev" href="/speakers/ben/"' in second and "<title>Ben Okafor · page 2 ·" in second
    assert "data-pagefind-body" in first and "data-pagefind-body" not in second
    assert not (site / "speakers" / "ben" / "page" / "3").exists()
    assert "pagination" not in read(site, "speakers/cleo/index.html")  # one episode: one page, no links
    tag_first, tag_second = read(site, "tags/science/index.html"), read(site, "tags/science/page/2/index.html")
    assert "Bringing ships into harbour" in tag_first and "Spring tides" not in main_of(tag_first)
    assert "Spring tides, neap tides" in tag_second and 'rel="prev" href="/tags/science/"' in tag_second
    sitemap = read(site, "sitemap.xml")
    assert ("<loc>https://tides.example.org/speakers/ben/page/2/</loc><lastmod>2026-01-05</lastmod>" in sitemap)
    assert "<loc>https://tides.example.org/tags/science/page/2/</loc><lastmod>2026-01-05</lastmod>" in sitemap
    assert "<loc>https://tides.example.org/speakers/ben/</loc><lastmod>2026-02-10</lastmod>" in sitemap


# Episode pages -----------------------------------------------------------------
def test_episode_page_has_everything(basic: Path) -> None:
    page = read(basic, "episodes/spring-tides-neap-tides/index.html")
    assert "<h1>Spring tides, neap tides</h1>" in page
    assert 'Episode 1' in page and '<time datetime="2026-01-05">' in page
    assert '<audio controls preload="none" src="https://cdn.tides.example.org/01.mp3">' in page
    assert '<a href="https://tides.example.org/diagram">a diagram</a>' in page
    assert '<a href="/speakers/ada/">Ada Marsh</a> <span class="role">host</span>' in page
    assert '<a href="/speakers/ben/">Ben Okafor</a> <span class="role">co-host</span>' in page
    assert 'href="/tags/science/"' in page
    assert re.search(r'rel="next" href="/episodes/bringing-ships-into-harbour/"', page)
    assert 'rel="prev"' not in page  # the oldest episode


def test_chapters_link_to_anchors_at_the_right_turn(basic: Path) -> None:
    page = read(basic, "episodes/spring-tides-neap-tides/index.html")
    chapter_links = re.findall(r'<li data-start="([\d.]+)">\s*<span class="chapter-time">([^<]+)</span>\s*'
                               r'<a href="#([^"]+)">([^<]+)</a>', page)
    assert [(s, t, title) for s, t, _, title in chapter_links] == [
        ("0", "0:00", "Welcome"), ("120", "2:00", "The moon and the sun"),
        ("750", "12:30", "Listener questions")]
    found = ids(main_of(page))
    order = [i for i, _, _ in found]
    for _, _, anchor, _ in chapter_links:
        at = order.index(anchor)
        following = found[at + 1]
        assert following[1] == "div" and "turn" in (following[2]["class"] or "")
        chapter_start = float(found[at][2]["data-start"] or 0)
        assert float(following[2]["data-start"] or 0) >= chapter_start - 1
    # The chapter at 12:30 comes right before the turn at 12:31.
    at = order.index("listener-questions")
    assert found[at + 1][2]["data-start"] == "751"


def test_every_turn_has_an_anchor_and_its_time(basic: Path) -> None:
    page = read(basic, "episodes/spring-tides-neap-tides/index.html")
    turns = [(i, a) for i, tag, a in ids(page) if "turn" in (a.get("class") or "").split()]
    assert len(turns) == 6
    assert [a["data-start"] for _, a in turns] == ["4", "15", "121", "340", "751", "790"]
    assert all(re.fullmatch(r"(ada|ben)-[0-9a-f]{6}", i) for i, _ in turns)
    assert '<a class="turn-link" href="#{0}"><time datetime="PT12M31S">12:31</time></a>'.format(turns[4][0]) in page
    assert "<em>spring</em>" in page


def test_heading_chapters_and_estimated_times(basic: Path) -> None:
    page = read(basic, "episodes/bringing-ships-into-harbour/index.html")
    found = ids(main_of(page))
    order = [i for i, _, _ in found]
    assert found[order.index("introductions") + 1][2]["data-speaker"] == "ada"
    assert found[order.index("the-channel") + 1][2]["data-speaker"] == "ada"
    assert 'href="#the-channel">The channel</a>' in page
    assert 'data-estimated="true"' in page
    assert "Chapter times are estimated" in page
    # "Note: this is not a label." stays inside Cleo's turn; the alias SPEAKER_2 is Ben.
    assert "four knots. Note: this is not a label.</p>" in page
    assert 'data-speaker="ben"' in page and "SPEAKER_2" not in main_of(page)
    # A blank-line-separated paragraph without a label continues the turn.
    assert "ten years.</p><p>It started by accident, really.</p>" in page


def test_unlabelled_captions_become_paragraphs(basic: Path) -> None:
    page = read(basic, "episodes/fog-auto-captions/index.html")
    assert page.count('class="turn turn-unlabelled"') == 1
    assert "about fog and why it rolls in over the harbour in the morning" in page


def test_long_captions_are_not_one_wall_of_text(tmp_path: Path) -> None:
    content = copy_site("basic", tmp_path / "show")
    line = "and then we went down to the water to look at the boats coming in\n"
    (content / "episodes" / "03-captions.md").write_text(
        "---\ntitle: Long captions\ndate: 2026-03-15\nduration: '30:00'\n---\n" + line * 200)
    build(content, tmp_path / "site")
    page = read(tmp_path / "site", "episodes/long-captions/index.html")
    paragraphs = re.findall(r'class="turn turn-unlabelled"[^>]*><p>(.*?)</p>', page)
    assert 15 <= len(paragraphs) <= 60
    assert all(len(p) < 1200 for p in paragraphs)


def test_turn_anchors_survive_edits_elsewhere(tmp_path: Path) -> None:
    content = copy_site("basic", tmp_path / "show")
    path = content / "episodes" / "01-spring-tides.md"
    build(content, tmp_path / "a")
    before = [i for i, _, a in ids(read(tmp_path / "a", "episodes/spring-tides-neap-tides/index.html"))
              if "turn" in (a.get("class") or "")]
    text = path.read_text()
    text = text.replace("[00:00:04] Ada: Welcome to Tidal Notes. Today, spring tides.",
                        "[00:00:01] Ben: A new first line.\n[00:00:04] Ada: Welcome to Tidal Notes. Today, spring tides.")
    text = text.replace("They do not.", "They do not, sadly.")
    path.write_text(text)
    build(content, tmp_path / "b")
    after = [i for i, _, a in ids(read(tmp_path / "b", "episodes/spring-tides-neap-tides/index.html"))
             if "turn" in (a.get("class") or "")]
    assert len(after) == len(before) + 1
    assert after[1:-1] == before[:-1]  # every untouched turn kept its anchor


# Speakers ---------------------------------------------------------------------
def test_speaker_pages(basic: Path) -> None:
    index = read(basic, "speakers/index.html")
    for name in ("Ada Marsh", "Ben Okafor", "Cleo Ruiz"):
        assert name in index
    ada = read(basic, "speakers/ada/index.html")
    assert "<h1>Ada Marsh</h1>" in ada and "Oceanographer" in ada
    assert "<strong>2024</strong>" in ada and 'href="https://ada.example.org"' in ada
    assert ada.count('<li class="appearance">') == 2  # two episodes, under labels 'Ada' and 'ADA MARSH'-style aliases
    ben = read(basic, "speakers/ben/index.html")
    rows = re.findall(r'<li class="appearance">.*?<p class="episode-meta">Episode (\d+) · <time[^>]*>[^<]*</time> · '
                      r'([^<]+)</p>\s*<h3 class="episode-title"><a href="[^"]+">([^<]+)</a></h3>\s*'
                      r'<p class="appearance-stats">(\d+) turns? · (\d+)% of the words\s* · <a href="([^"]+)"', ben, re.S)
    assert [(f"{r[0]}. {r[2]}", r[1], r[3]) for r in rows] == [
        ("2. Bringing ships into harbour", "co-host", "1"), ("1. Spring tides, neap tides", "co-host", "3")]
    first_turn = rows[1][5]
    slug, anchor = first_turn.split("#")
    assert anchor.startswith("ben-")
    episode = read(basic, slug.strip("/") + "/index.html")
    assert f'id="{anchor}" data-speaker="ben"' in episode
    assert int(rows[1][4]) + int(re.findall(r"(\d+)%", read(basic, "speakers/ada/index.html"))[-1]) in (99, 100, 101)


def test_unknown_label_gets_a_page_and_a_warning(tmp_path: Path) -> None:
    content = copy_site("basic", tmp_path / "show")
    path = content / "episodes" / "01-spring-tides.md"
    path.write_text(path.read_text() + "[00:14:00] Dana Visitor: Hello from the audience.\n")
    result = build_site(content, tmp_path / "site", search=False)
    assert result.ok
    warnings = [p.format() for p in result.problems if "label" in p.message]
    assert warnings == [f"{content.as_posix()}/episodes/01-spring-tides.md:24: warning: label 'Dana Visitor' matches "
                        "no declared speaker (add 'Dana Visitor' to speakers.yaml, or as an alias of someone there)"]
    page = read(tmp_path / "site", "speakers/dana-visitor/index.html")
    assert "<h1>Dana Visitor</h1>" in page and "Spring tides, neap tides" in page


# Safety -----------------------------------------------------------------------
class Scripts(html.parser.HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.bad: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        data = dict(attrs)
        for name, value in attrs:
            if name.startswith("on"):
                self.bad.append(f"<{tag} {name}>")
            if name in ("href", "src") and (value or "").strip().lower().startswith(("javascript:", "data:text")):
                self.bad.append(f"<{tag} {name}={value}>")
        if tag == "script" and not (data.get("src") or data.get("type") == "application/ld+json"):
            self.bad.append("<script> inline")
        if tag in ("iframe", "object", "embed", "img") and "evil" in str(data):
            self.bad.append(f"<{tag}>")


def test_content_cannot_inject_script(tmp_path: Path) -> None:
    content = tmp_path / "content"
    (content / "episodes").mkdir(parents=True)
    evil = "<script>alert(1)</script><img src=x onerror=alert(2)>"
    (content / "site.yaml").write_text(
        f"title: '{evil}'\ndescription: '{evil} [x](javascript:alert(3))'\nbase_url: https://e.org/\n")
    (content / "speakers.yaml").write_text(
        f"- id: ev\n  name: '{evil}'\n  title: '{evil}'\n  bio: '{evil}'\n  aliases: [Eve]\n")
    (content / "episodes" / "a.md").write_text(
        f"---\ntitle: '{evil}'\ndate: 2026-01-01\ndescription: '{evil} <iframe src=evil></iframe>'\n"
        f"tags: ['{evil}']\nchapters:\n  - {{start: 0, title: '{evil}'}}\n---\n"
        f"Eve: {evil} [click](javascript:alert(4)) <a href=\"javascript:alert(5)\">x</a>\n\n## {evil}\n\nEve: bye\n")
    result = build_site(content, tmp_path / "site", search=False)
    assert result.ok, [p.format() for p in result.problems]
    pages = list((tmp_path / "site").rglob("*.html"))
    assert len(pages) >= 6
    for page in pages:
        checker = Scripts()
        checker.feed(page.read_text())
        assert checker.bad == [], page
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page.read_text() or page.name == "404.html" \
            or "search" in page.parts


# Command line -------------------------------------------------------------------
def run_ssg(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "ssg", *args], cwd=cwd, capture_output=True, text=True,
                          timeout=300, env={**os.environ, "NO_COLOR": "1"})


def test_cli_build_with_content_out_and_base_url(tmp_path: Path) -> None:
    copy_site("basic", tmp_path / "show")
    done = run_ssg("build", "--content", "show/content", "--out", "public", "--no-search",
                   "--base-url", "https://example.org/tides/", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert re.fullmatch(r"Built 3 episodes, 3 speakers, \d+ files into public/ \(\d+ changed\) in \d+\.\d\ds\n",
                        done.stdout)
    home = (tmp_path / "public" / "index.html").read_text()
    assert 'href="/tides/episodes/spring-tides-neap-tides/"' in home
    assert '<link rel="canonical" href="https://example.org/tides/">' in home
    assert "\x1b[" not in done.stdout + done.stderr  # no colour when not a terminal


def test_the_program_flushes_its_output_before_it_exits(tmp_path: Path) -> None:
    """``ssg`` ends without the interpreter's teardown; what it printed to a pipe still arrives."""
    copy_site("basic", tmp_path / "show")
    env = {k: v for k, v in os.environ.items() if k != "PYTHONUNBUFFERED"}  # stdout to a pipe is buffered
    done = subprocess.run([sys.executable, "-m", "ssg", "build", "--content", "show/content", "--no-search"],
                          cwd=tmp_path, capture_output=True, text=True, timeout=300, env={**env, "NO_COLOR": "1"})
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("Built 3 episodes")
    (tmp_path / "show" / "content" / "site.yaml").write_text("title: [\n")
    failed = subprocess.run([sys.executable, "-m", "ssg", "build", "--content", "show/content", "--no-search"],
                            cwd=tmp_path, capture_output=True, text=True, timeout=300, env={**env, "NO_COLOR": "1"})
    assert failed.returncode == 1
    assert "site.yaml:" in failed.stderr and "failed: 1 error" in failed.stderr


def test_check_validates_links_without_writing(tmp_path: Path) -> None:
    content = copy_site("basic", tmp_path / "show")
    result = check_site(content)
    assert result.ok, [p.format() for p in result.problems]
    assert not (tmp_path / "site").exists()
    path = content / "episodes" / "02-harbour.md"
    path.write_text(path.read_text().replace(
        "description: Cleo Ruiz on piloting ships through a narrow channel.",
        "description: See [the first episode](/episodes/spring-tide/) and [chapters](#nowhere)."))
    result = check_site(content)
    assert not result.ok
    messages = sorted(p.format() for p in result.errors)
    assert messages == [
        f"{content.as_posix()}/episodes/02-harbour.md: broken link to #nowhere (no element with id 'nowhere') "
        "(link to an anchor that exists on that page)",
        f"{content.as_posix()}/episodes/02-harbour.md: broken link to /episodes/spring-tide/ (no such page or file) "
        "(fix the link, or the slug or file it points to)",
    ]


def test_check_strict_turns_warnings_into_errors(tmp_path: Path) -> None:
    content = copy_site("basic", tmp_path / "show")
    path = content / "episodes" / "01-spring-tides.md"
    path.write_text(path.read_text() + "[00:14:00] Dana Visitor: Hello.\n")
    assert run_ssg("check", "--content", str(content), cwd=tmp_path).returncode == 0
    done = run_ssg("check", "--content", str(content), "--strict", cwd=tmp_path)
    assert done.returncode == 1
    assert "failed: 1 warning (--strict)" in done.stderr


def test_python_dash_m_and_help(tmp_path: Path) -> None:
    done = run_ssg("--help", cwd=tmp_path)
    assert done.returncode == 0
    for command in ("build", "check", "serve", "deploy", "new", "import"):
        assert command in done.stdout


# Golden site -------------------------------------------------------------------
def golden_view(site: Path) -> dict[str, str]:
    """Each page's <main>, plus the list of files (fingerprints and the search index left out)."""
    view: dict[str, str] = {}
    files = sorted(p.relative_to(site).as_posix() for p in site.rglob("*") if p.is_file())
    files = [re.sub(r"\.[0-9a-f]{10}\.", ".HASH.", f) for f in files if not f.startswith("pagefind/")]
    view["FILES.txt"] = "\n".join(files) + "\n"
    for page in sorted([*site.rglob("index.html"), site / "404.html"]):
        rel = page.relative_to(site).as_posix()
        view[rel] = main_of(page.read_text(encoding="utf-8")) + "\n"
    return view


def test_golden_site(basic: Path) -> None:
    """The basic site's pages match the reviewed copies (SSG_UPDATE_GOLDEN=1 rewrites them)."""
    view = golden_view(basic)
    if os.environ.get("SSG_UPDATE_GOLDEN"):
        import shutil
        shutil.rmtree(GOLDEN, ignore_errors=True)
        for rel, text in view.items():
            (GOLDEN / rel).parent.mkdir(parents=True, exist_ok=True)
            (GOLDEN / rel).write_text(text, encoding="utf-8")
    expected = {p.relative_to(GOLDEN).as_posix(): p.read_text(encoding="utf-8")
                for p in GOLDEN.rglob("*") if p.is_file()}
    assert sorted(view) == sorted(expected)
    for rel in view:
        assert view[rel] == expected[rel], rel


def test_speakers_folder_one_file_each(tmp_path: Path) -> None:
    content = copy_site("basic", tmp_path / "show")
    (content / "speakers.yaml").unlink()
    (content / "speakers").mkdir()
    (content / "speakers" / "ada.yaml").write_text("id: ada\nname: Ada Marsh\nrole: host\naliases: [Ada]\n")
    (content / "speakers" / "ben.yaml").write_text("id: ben\nname: Ben Okafor\nrole: co-host\naliases: [Ben, SPEAKER_2]\n")
    (content / "speakers" / "cleo.yaml").write_text("id: cleo\nname: Cleo Ruiz\nrole: guest\n")
    result = build_site(content, tmp_path / "site", search=False)
    assert result.ok and not [p for p in result.problems if "label" in p.message], result.problems
    assert "<h1>Ben Okafor</h1>" in read(tmp_path / "site", "speakers/ben/index.html")


def test_check_flags_root_links_outside_a_sub_path(tmp_path: Path) -> None:
    content = copy_site("basic", tmp_path / "show")
    path = content / "episodes" / "02-harbour.md"
    path.write_text(path.read_text().replace(
        "description: Cleo Ruiz on piloting ships through a narrow channel.",
        "description: See [the first episode](/episodes/spring-tides-neap-tides/)."))
    assert check_site(content).ok
    result = check_site(content, base_url="https://example.org/tides/")
    assert [p.format() for p in result.errors] == [
        f"{content.as_posix()}/episodes/02-harbour.md: link to /episodes/spring-tides-neap-tides/ leaves the "
        "site's base path /tides/ (write links into the site starting with /tides/, or as full URLs)"]


def test_hidden_chapters_get_no_heading(tmp_path: Path) -> None:
    content = copy_site("basic", tmp_path / "show")
    path = content / "episodes" / "01-spring-tides.md"
    path.write_text(path.read_text().replace(
        '  - {start: "2:00", title: The moon and the sun}',
        '  - {start: "2:00", title: The moon and the sun}\n  - {start: "5:00", title: Jingle, toc: false}'))
    build(content, tmp_path / "site")
    page = read(tmp_path / "site", "episodes/spring-tides-neap-tides/index.html")
    assert "Jingle" not in page
    chapters = (tmp_path / "site" / "episodes/spring-tides-neap-tides/chapters.json").read_text()
    assert '"title": "Jingle"' in chapters and '"toc": false' in chapters
