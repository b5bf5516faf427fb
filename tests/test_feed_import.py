"""Bringing a show in from its feed: ``ssg import --feed``, from a real HTTP server on 127.0.0.1.

The fixture feeds (tests/fixtures/feeds) are written in the shapes of the
major hosts; their transcripts and chapters sit behind URLs on the same
server. A proxy on a closed loopback port catches anything that tries to
leave the machine.
"""

from __future__ import annotations

import http.server
import shutil
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml

from conftest import FIXTURES, copy_site
from ssg.build import build_site
from ssg.cli import main as ssg
from ssg.importing import fetch

FEEDS = FIXTURES / "feeds"
HOSTS = ("libsyn", "buzzsprout", "transistor", "spotify", "podbean", "castopod", "podlove")


class _Handler(http.server.SimpleHTTPRequestHandler):
    root: Path
    base: str

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, directory=str(self.root), **kwargs)  # type: ignore[arg-type]

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - quiet
        pass

    def do_GET(self) -> None:  # noqa: N802 - http.server's name
        if self.path.startswith("/slow"):
            time.sleep(1.5)
        if self.path.startswith("/huge"):
            body = b"<rss>" + b" " * 300_000
            self.send_response(200)
            self.send_header("Content-Type", "application/rss+xml")
            self.end_headers()
            self.wfile.write(body)
            return
        path = self.root / self.path.lstrip("/").split("?")[0]
        if path.suffix == ".xml" and path.is_file():
            body = path.read_text(encoding="utf-8").replace("{BASE}", self.base).encode("utf-8")
            self.send_response(200)
            self.send_header("Content-Type", "application/rss+xml")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
            return
        super().do_GET()


@pytest.fixture
def offline(monkeypatch: pytest.MonkeyPatch) -> None:
    """Only 127.0.0.1 is reachable: every other request goes to a proxy on a closed port."""
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "http_proxy", "https_proxy"):
        monkeypatch.setenv(name, "http://127.0.0.1:9")
    monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost")
    monkeypatch.setenv("no_proxy", "127.0.0.1,localhost")


@pytest.fixture
def server(offline: None) -> Iterator[tuple[str, Path]]:
    """A server for a copy of the feed fixtures (more files may be added to its folder)."""
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "www"
        shutil.copytree(FEEDS, root)
        handler = type("Handler", (_Handler,), {"root": root, "base": ""})
        httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        handler.base = f"http://127.0.0.1:{httpd.server_address[1]}"
        thread = threading.Thread(target=httpd.serve_forever, daemon=True)
        thread.start()
        try:
            yield handler.base, root
        finally:
            httpd.shutdown()
            httpd.server_close()


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = ssg(["import", *argv])
    out, err = capsys.readouterr()
    return code, out, err


def episodes(content: Path) -> dict[str, tuple[dict[str, object], str]]:
    """Each episode file's front matter and body."""
    found = {}
    for path in sorted((content / "episodes").glob("*.md")):
        _, meta, body = path.read_text(encoding="utf-8").split("---\n", 2)
        found[path.name] = (yaml.safe_load(meta), body)
    return found


@pytest.mark.parametrize("host", HOSTS)
def test_every_host_shape_imports_and_builds(host: str, server: tuple[str, Path], tmp_path: Path,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    base, _ = server
    content = tmp_path / "content"
    code, out, err = run(capsys, "--feed", f"{base}/{host}.xml", "--content", str(content))
    assert code == 0, err
    assert err == ""
    assert "imported" in out
    result = build_site(content, tmp_path / "site", search=False)
    assert result.ok, [p.format() for p in result.errors]


def test_show_and_items_as_the_feed_says(server: tuple[str, Path], tmp_path: Path,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    base, _ = server
    content = tmp_path / "content"
    code, _, err = run(capsys, "--feed", f"{base}/transistor.xml", "--content", str(content))
    assert code == 0, err
    show = yaml.safe_load((content / "site.yaml").read_text())
    assert show["guid"] == "7d3f0a52-9c1b-5e8a-b4f6-2a1c9e0d5b73"
    assert show["type"] == "serial" and show["owner"] == {"name": "Lena Park", "email": "lena@bridge.example.com"}
    assert show["license"] == {"name": "cc-by-4.0", "url": "https://creativecommons.org/licenses/by/4.0/"}
    found = episodes(content)
    meta, body = found["001-the-suspension-bridge.md"]
    assert meta["guid"] == "4f0e8c1a-3b2d-4e5f-8a9b-0c1d2e3f4a5b"
    assert (meta["date"], meta["episode"], meta["season"], meta["duration"]) == ("2026-03-05", 1, 1, "00:25:07")
    assert (meta["audio_url"], meta["audio_bytes"]) == ("https://media.transistor.example/bridge/ep1.mp3", 24117248)
    assert meta["speakers"] == ["lena-park", "omar-diaz"]
    assert meta["soundbites"] == [{"start": 60.5, "duration": "00:00:30", "title": "Wind on the cables"}]
    # The richest transcript (JSON: speakers and times per segment) is the body, not the VTT/SRT/HTML ones.
    assert body.startswith("[00:00:00] Lena Park: Welcome to Bridge Builders.")
    assert "from VTT" not in body and "From HTML" not in body
    speakers = yaml.safe_load((content / "speakers.yaml").read_text())
    assert speakers[0] == {"id": "lena-park", "name": "Lena Park", "role": "host",
                           "image": "https://img.transistor.example/lena.jpg"}
    trailer, _ = found["trailer.md"]
    assert trailer["episode_type"] == "trailer"


def test_guids_and_chapters_of_each_shape(server: tuple[str, Path], tmp_path: Path,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    base, _ = server
    guids = {}
    for host in ("libsyn", "buzzsprout", "podbean", "castopod", "podlove", "spotify"):
        content = tmp_path / host
        assert run(capsys, "--feed", f"{base}/{host}.xml", "--content", str(content))[0] == 0
        ((meta, body),) = episodes(content).values()
        guids[host] = (yaml.safe_load((content / "site.yaml").read_text())["guid"], meta["guid"],
                       [c["title"] for c in meta.get("chapters", [])], body)
    # No podcast:guid: the namespace's UUIDv5 of the feed's own URL (atom:link rel=self) without its scheme.
    from ssg.identity import podcast_guid
    assert guids["libsyn"][0] == podcast_guid("https://kiln.libsyn.com/rss")
    assert guids["podlove"][0] == podcast_guid("sternwarte.example.de/feed/mp3")
    # Item guids byte for byte, whatever their shape.
    assert guids["libsyn"][1] == "0f3c9a1e-5b7d-4c2a-9e11-7a0d5c3b2f10"
    assert guids["buzzsprout"][1] == "Buzzsprout-5678"
    assert guids["podbean"][1] == "chesscorner.podbean.example/the-sicilian-1a2b3c4d"
    assert guids["castopod"][1] == "https://castopod.example.social/@birds/episodes/le-merle"
    assert guids["podlove"][1] == "podlove-2026-03-09t20:00:00+00:00-8d2f1c"
    # Chapters: JSON behind podcast:chapters, inline psc, or the description's timestamp list.
    assert guids["buzzsprout"][2] == ["Welcome", "Thanks"]
    assert guids["castopod"][2] == ["Intro", "Le chant", "Sponsor"]
    assert guids["podlove"][2] == ["Intro", "Krater", "Gezeiten"]
    assert guids["spotify"][2] == ["Hello", "The dough", "Folding", "Customers"]
    # Transcripts: HTML (Buzzsprout), SRT (Podbean, Castopod), VTT (Podlove).
    assert "[00:00:12] Ana Bloom: They open" in guids["buzzsprout"][3]
    assert "Nina Holt: And it is sharp" in guids["podbean"][3]
    assert "Chloé Martin: Bonjour" in guids["castopod"][3]
    assert "Jonas Weber: Willkommen" in guids["podlove"][3]
    spotify = episodes(tmp_path / "spotify")["004-dumplings-at-midnight.md"][0]
    assert spotify["description"] == "A dumpling cart in the night market."  # the list became chapters


def test_a_file_path_works_offline(offline: None, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    content = tmp_path / "content"
    code, out, err = run(capsys, "--feed", str(FEEDS / "libsyn.xml"), "--content", str(content))
    assert code == 0 and err == ""
    assert (content / "episodes" / "012-glazes-that-crawl.md").is_file()


def test_failures_are_one_clear_line_each(server: tuple[str, Path], tmp_path: Path,
                                          capsys: pytest.CaptureFixture[str],
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    base, _ = server
    monkeypatch.setattr(fetch, "TIMEOUT", 0.5)
    monkeypatch.setattr(fetch, "FEED_LIMIT", 100_000)
    cases = {
        "broken.xml": "not a valid XML feed: ",
        "missing.xml": "HTTP 404 File not found (check the URL in a browser)",
        "slow/feed.xml": "no answer within 0.5 s (timed out)",
        "huge.xml": "response larger than 100,000 bytes (refused)",
    }
    for name, message in cases.items():
        content = tmp_path / name.replace("/", "-")
        code, out, err = run(capsys, "--feed", f"{base}/{name}", "--content", str(content))
        assert code == 1
        lines = err.strip().splitlines()
        assert len(lines) == 1, err
        assert lines[0].startswith(f"{base}/{name}") and message in lines[0], lines[0]
        assert "Traceback" not in err and not content.exists()


def test_a_missing_transcript_is_one_line_and_the_rest_imports(server: tuple[str, Path], tmp_path: Path,
                                                               capsys: pytest.CaptureFixture[str]) -> None:
    base, root = server
    (root / "t" / "merle.srt").unlink()
    content = tmp_path / "content"
    code, out, err = run(capsys, "--feed", f"{base}/castopod.xml", "--content", str(content))
    assert code == 1
    assert err.strip() == f"{base}/t/merle.srt: HTTP 404 File not found (check the URL in a browser)"
    ((meta, body),) = episodes(content).values()
    assert meta["chapters"] and body == ""


def test_nothing_leaves_the_machine(offline: None, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "--feed", "http://feeds.example.invalid/show.xml", "--content", str(tmp_path / "c"))
    assert code == 1 and err.startswith("http://feeds.example.invalid/show.xml: cannot connect")


def test_existing_site_yaml_is_refused(server: tuple[str, Path], tmp_path: Path,
                                       capsys: pytest.CaptureFixture[str]) -> None:
    base, _ = server
    content = copy_site("basic", tmp_path / "show")
    before = (content / "site.yaml").read_text()
    code, _, err = run(capsys, "--feed", f"{base}/libsyn.xml", "--content", str(content))
    assert code == 1 and "site.yaml already exists" in err and "--force" in err
    assert (content / "site.yaml").read_text() == before


def test_a_folder_of_transcripts_pairs_with_the_items(server: tuple[str, Path], tmp_path: Path,
                                                      capsys: pytest.CaptureFixture[str]) -> None:
    base, _ = server
    folder = tmp_path / "raw"
    folder.mkdir()
    (folder / "ep1.txt").write_text("Lena Park: Paired by number.\n\nOmar Diaz: Yes.\n")
    (folder / "the-suspension-bridge-notes.txt").unlink(missing_ok=True)
    (folder / "trailer.txt").write_text("Lena Park: Paired by title.\n")
    (folder / "unrelated-thing.txt").write_text("Someone: nothing to do with it.\n")
    content = tmp_path / "content"
    code, out, err = run(capsys, "--feed", f"{base}/transistor.xml", str(folder), "--content", str(content))
    assert err.strip() == f"{folder / 'unrelated-thing.txt'}: matches no episode of the feed by number or title (skipped)"
    found = episodes(content)
    meta, body = found["001-the-suspension-bridge.md"]
    assert meta["title"] == "The suspension bridge" and meta["date"] == "2026-03-05"  # from the feed
    assert "Paired by number." in body and "Welcome to Bridge Builders" not in body
    assert "Paired by title." in found["trailer.md"][1]


@pytest.mark.parametrize("host", HOSTS)
def test_round_trip(host: str, server: tuple[str, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Import a feed, build it, import the built feed: the same content again."""
    base, root = server
    first = tmp_path / "first"
    if True:
        content = first / host
        assert run(capsys, "--feed", f"{base}/{host}.xml", "--content", str(content))[0] == 0
        # Publish the imported show on the test server, at a path of its own.
        site_yaml = content / "site.yaml"
        show = yaml.safe_load(site_yaml.read_text())
        site_yaml.write_text(site_yaml.read_text().replace(f"base_url: {show['base_url']}\n",
                                                           f"base_url: {base}/{host}-site/\n"))
        result = build_site(content, root / f"{host}-site", search=False)
        assert result.ok, [p.format() for p in result.errors]
        again = tmp_path / "again" / host
        code, _, err = run(capsys, "--feed", f"{base}/{host}-site/feed.xml", "--content", str(again))
        assert code == 0, err
        assert episodes(again) == episodes(content)
        for name in ("speakers.yaml", "site.yaml"):
            assert (again / name).is_file() == (content / name).is_file()
            if (content / name).is_file():
                assert (again / name).read_text() == (content / name).read_text()


def test_an_ssg_show_with_every_key_comes_back(server: tuple[str, Path], tmp_path: Path,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    """An ssg show's own feed (reach keys, analytics prefix, soundbites, trailer, transcripts) imports, and round-trips."""
    from test_feed_tags import rich_show

    base, root = server
    show = rich_show(tmp_path / "show")
    assert build_site(show, root / "rich", base_url=f"{base}/rich/", search=False).ok
    first = tmp_path / "first"
    code, _, err = run(capsys, "--feed", f"{base}/rich/feed.xml", "--content", str(first))
    assert code == 0, err
    site_yaml = yaml.safe_load((first / "site.yaml").read_text())
    assert site_yaml["guid"] == "25c2e59b-643c-5b83-8a0b-5043ceda0bbb"
    assert site_yaml["audio_prefix"] == "https://op3.dev/e/"
    assert (site_yaml["locked"], site_yaml["license"]["name"]) == (True, "cc-by-4.0")
    assert site_yaml["funding"] == [{"url": "https://tides.example.org/support", "text": "Support Tidal Notes"}]
    found = episodes(first)
    spring = found["001-spring-tides-neap-tides.md"][0]
    assert spring["audio_url"] == "https://cdn.tides.example.org/01.mp3"  # the prefix split off again
    assert spring["guid"] == "397a64f4-65b0-5dae-bc32-c42dc567fbd4"
    assert [c["title"] for c in spring["chapters"]] == ["Welcome", "The moon and the sun", "Listener questions"]
    assert spring["description"].startswith("Why the tide is bigger twice a month.")
    assert "00:00" not in spring["description"]  # the timestamp list is not kept as notes
    assert found["003-fog-auto-captions.md"][0]["episode_type"] == "trailer"
    assert "Ada Marsh: Welcome to Tidal Notes." in found["001-spring-tides-neap-tides.md"][1]
    site_text = (first / "site.yaml").read_text()
    (first / "site.yaml").write_text(site_text.replace(f"base_url: {base}/rich/", f"base_url: {base}/again/"))
    assert build_site(first, root / "again", search=False).ok
    second = tmp_path / "second"
    assert run(capsys, "--feed", f"{base}/again/feed.xml", "--content", str(second))[0] == 0
    assert episodes(second) == episodes(first)
    assert (second / "speakers.yaml").read_text() == (first / "speakers.yaml").read_text()
    again = yaml.safe_load((second / "site.yaml").read_text())
    assert {**again, "base_url": ""} == {**yaml.safe_load((first / "site.yaml").read_text()), "base_url": ""}
