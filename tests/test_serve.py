"""``ssg serve``: a real server on 127.0.0.1 that rebuilds and reloads on change."""

from __future__ import annotations

import http.client
import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from conftest import copy_site
from ssg.serve import Preview

EP1 = "episodes/spring-tides-neap-tides/"


@pytest.fixture
def preview(tmp_path: Path) -> Iterator[Preview]:
    content = copy_site("basic", tmp_path / "show")
    running = Preview(content, "127.0.0.1", 0, search=False, log=lambda line: None)
    running.start()
    yield running
    running.stop()


def get(url: str) -> tuple[int, str, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, response.headers["Content-Type"], response.read()
    except urllib.error.HTTPError as err:
        return err.code, err.headers["Content-Type"], err.read()


def raw_get(preview: Preview, path: str) -> int:
    """Send the path exactly as written (no client-side normalisation)."""
    host, port = preview.server.server_address[:2]
    with socket.create_connection((host, port), timeout=10) as sock:
        sock.sendall(f"GET {path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n".encode())
        head = sock.recv(64).decode("latin-1")
    return int(head.split()[1])


class Events:
    """Reads the server's build events in a thread."""

    def __init__(self, preview: Preview) -> None:
        host, port = preview.server.server_address[:2]
        self.conn = http.client.HTTPConnection(host, port, timeout=30)
        self.conn.request("GET", "/__ssg/events")
        self.response = self.conn.getresponse()
        assert self.response.headers["Content-Type"] == "text/event-stream"
        self.events: list[dict[str, object]] = []
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        try:
            for line in self.response:
                if line.startswith(b"data: "):
                    self.events.append(json.loads(line[6:]))
        except (OSError, ValueError):
            pass

    def wait_for(self, count: int, timeout: float = 20) -> dict[str, object]:
        deadline = time.monotonic() + timeout
        while len(self.events) < count:
            assert time.monotonic() < deadline, f"no event {count}: {self.events}"
            time.sleep(0.05)
        return self.events[count - 1]

    def close(self) -> None:
        self.conn.close()


def test_pages_types_and_404(preview: Preview) -> None:
    base = preview.url
    status, ctype, body = get(base + EP1)
    assert status == 200 and ctype == "text/html; charset=utf-8"
    assert b"<h1>Spring tides, neap tides</h1>" in body
    assert b"EventSource" in body  # the live-reload script is injected when served...
    assert b"EventSource" not in (preview.out / EP1 / "index.html").read_bytes()  # ...never written
    for path, expected in [(EP1 + "transcript.vtt", "text/vtt"), (EP1 + "transcript.srt", "application/x-subrip"),
                           (EP1 + "chapters.json", "application/json"), ("feed.xml", "application/xml"),
                           ("cover.png", "image/png")]:
        status, ctype, _ = get(base + path)
        assert status == 200 and ctype.split(";")[0] == expected, path
    status, ctype, body = get(base + "episodes/no-such-episode/")
    assert status == 404 and b"<h1>" in body and b"Tidal Notes" in body
    status, _, _ = get(base + "episodes/spring-tides-neap-tides")
    assert status == 200  # redirected to the folder


def test_range_requests(preview: Preview) -> None:
    request = urllib.request.Request(preview.url + "cover.png", headers={"Range": "bytes=0-7"})
    with urllib.request.urlopen(request, timeout=10) as response:
        assert response.status == 206
        assert response.read() == b"\x89PNG\r\n\x1a\n"
        assert response.headers["Content-Range"].startswith("bytes 0-7/")


def test_nothing_outside_the_site_is_served(preview: Preview, tmp_path: Path) -> None:
    (preview.tmp / "secret.txt").write_text("secret")
    (preview.out / "link.txt").symlink_to(preview.tmp / "secret.txt")
    for path in ["/../secret.txt", "/%2e%2e/secret.txt", "/%2E%2E%2Fsecret.txt", "/..%5csecret.txt",
                 "/episodes/..%2f..%2fsecret.txt", "//etc/passwd", "/link.txt", "/%00", "/..\\secret.txt"]:
        assert raw_get(preview, path) in (400, 404), path


def test_edit_rebuilds_and_signals_reload(preview: Preview) -> None:
    events = Events(preview)
    try:
        first = events.wait_for(1)
        assert first["ok"] is True
        path = preview.content / "episodes" / "01-spring-tides.md"
        path.write_text(path.read_text().replace("Spring tides, neap tides", "King tides"))
        second = events.wait_for(2)
        assert second["ok"] is True and second["generation"] != first["generation"]
        status, _, body = get(preview.url + "episodes/king-tides/")
        assert status == 200 and b"<h1>King tides</h1>" in body
    finally:
        events.close()


def test_broken_edit_shows_errors_then_recovers(preview: Preview) -> None:
    events = Events(preview)
    try:
        events.wait_for(1)
        path = preview.content / "episodes" / "01-spring-tides.md"
        good = path.read_text()
        path.write_text(good.replace("date: 2026-01-05", "date: 2026-01-45"))
        failed = events.wait_for(2)
        assert failed["ok"] is False
        assert failed["problems"] == [f"{preview.content.as_posix()}/episodes/01-spring-tides.md:3: date "
                                      "'2026-01-45' is not a real date (day is out of range for month) "
                                      "(write the day it was published as YYYY-MM-DD, e.g. date: 2026-03-01)"]
        status, _, body = get(preview.url + EP1)
        assert status == 200 and b"Spring tides" in body  # the last good site is still served
        path.write_text(good.replace("Spring tides, neap tides", "Fixed tides"))
        fixed = events.wait_for(3)
        assert fixed["ok"] is True
        assert get(preview.url + "episodes/fixed-tides/")[0] == 200
    finally:
        events.close()


@pytest.mark.browser
def test_browser_reloads_and_shows_the_overlay(preview: Preview, page) -> None:  # type: ignore[no-untyped-def]
    page.goto(preview.url + EP1)
    page.evaluate("window.marker = 1")
    path = preview.content / "episodes" / "01-spring-tides.md"
    good = path.read_text()
    path.write_text(good.replace("date: 2026-01-05", "date: 2026-02-31"))
    page.wait_for_selector("#ssg-overlay")
    assert "is not a real date" in page.inner_text("#ssg-overlay")
    path.write_text(good.replace("Welcome to Tidal Notes.", "Welcome back to Tidal Notes."))
    page.wait_for_function("() => window.marker === undefined", timeout=20000)  # the page reloaded
    page.wait_for_selector("text=Welcome back to Tidal Notes.")
    assert page.locator("#ssg-overlay").count() == 0


def test_sub_path_site_is_served_under_its_path(tmp_path: Path) -> None:
    content = copy_site("basic", tmp_path / "show")
    site_yaml = content / "site.yaml"
    site_yaml.write_text(site_yaml.read_text().replace("https://tides.example.org/", "https://example.org/tides/"))
    running = Preview(content, "127.0.0.1", 0, search=False, log=lambda line: None)
    running.start()
    try:
        assert running.url.endswith("/tides/")
        status, _, body = get(running.url + EP1)
        assert status == 200 and b'href="/tides/speakers/ada/"' in body
        assert get(running.url.replace("/tides/", "/") + "speakers/")[0] == 404
    finally:
        running.stop()
    assert not running.tmp.exists()


def test_command_runs_and_stops_cleanly(tmp_path: Path) -> None:
    copy_site("basic", tmp_path / "show")
    process = subprocess.Popen([sys.executable, "-m", "ssg", "serve", "--port", "0", "--no-search"],
                               cwd=tmp_path / "show", stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                               env={**os.environ, "NO_COLOR": "1", "TMPDIR": str(tmp_path)})
    try:
        line = ""
        deadline = time.monotonic() + 30
        while "Serving" not in line:
            assert time.monotonic() < deadline
            line = process.stdout.readline()  # type: ignore[union-attr]
        url = line.split(" at ")[1].split()[0]
        assert get(url)[0] == 200
        assert [p.name for p in tmp_path.iterdir() if p.name.startswith("ssg-serve-")]
    finally:
        process.send_signal(signal.SIGINT)
        process.wait(timeout=15)
    assert process.returncode == 0
    assert not [p.name for p in tmp_path.iterdir() if p.name.startswith("ssg-serve-")]
    assert not (tmp_path / "show" / "site").exists()


def test_stop_before_start_returns_and_cleans_up(tmp_path: Path) -> None:
    """Ctrl-C during the first build stops a preview whose server never ran; that must not hang."""
    content = copy_site("basic", tmp_path / "show")
    running = Preview(content, "127.0.0.1", 0, search=False, log=lambda line: None)
    stopper = threading.Thread(target=running.stop, daemon=True)
    stopper.start()
    stopper.join(timeout=10)
    assert not stopper.is_alive()
    assert not running.tmp.exists()


def test_served_from_a_temporary_folder_behind_a_symlink(tmp_path: Path,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    """On macOS the temporary folder is reached through a symlink (/var -> /private/var)."""
    real = tmp_path / "real-tmp"
    real.mkdir()
    (tmp_path / "tmp-link").symlink_to(real)
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path / "tmp-link"))
    content = copy_site("basic", tmp_path / "show")
    running = Preview(content, "127.0.0.1", 0, search=False, log=lambda line: None)
    running.start()
    try:
        assert get(running.url + EP1)[0] == 200
        assert raw_get(running, "/../real-tmp/") == 404
    finally:
        running.stop()


def test_a_show_whose_first_build_fails_shows_the_overlay_then_recovers(tmp_path: Path) -> None:
    content = copy_site("basic", tmp_path / "show")
    path = content / "episodes" / "01-spring-tides.md"
    good = path.read_text()
    path.write_text(good.replace("date: 2026-01-05", "date: 2026-01-45"))
    running = Preview(content, "127.0.0.1", 0, search=False, log=lambda line: None)
    running.start()
    events = Events(running)
    try:
        first = events.wait_for(1)
        assert first["ok"] is False and "is not a real date" in str(first["problems"])
        status, ctype, body = get(running.url)
        assert status == 404 and ctype.startswith("text/html") and b"EventSource" in body
        path.write_text(good)
        assert events.wait_for(2)["ok"] is True
        assert get(running.url + EP1)[0] == 200
    finally:
        events.close()
        running.stop()


def test_a_crashing_build_is_reported_and_watching_goes_on(preview: Preview,
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    import ssg.serve

    real_build = ssg.serve.build_site
    calls = []

    def flaky(*args: object, **kwargs: object) -> object:
        calls.append(1)
        if len(calls) == 1:
            raise RuntimeError("boom")
        return real_build(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(ssg.serve, "build_site", flaky)
    events = Events(preview)
    try:
        events.wait_for(1)
        path = preview.content / "episodes" / "01-spring-tides.md"
        path.write_text(path.read_text().replace("Spring tides, neap tides", "Crash tides"))
        crashed = events.wait_for(2)
        assert crashed["ok"] is False and "the build crashed: RuntimeError: boom" in str(crashed["problems"])
        path.write_text(path.read_text().replace("Crash tides", "Calm tides"))
        assert events.wait_for(3)["ok"] is True
        assert get(preview.url + "episodes/calm-tides/")[0] == 200
    finally:
        events.close()


def test_a_new_base_url_path_is_followed_without_a_restart(tmp_path: Path) -> None:
    content = copy_site("basic", tmp_path / "show")
    running = Preview(content, "127.0.0.1", 0, search=False, log=lambda line: None)
    running.start()
    events = Events(running)
    try:
        events.wait_for(1)
        site_yaml = content / "site.yaml"
        site_yaml.write_text(site_yaml.read_text().replace("https://tides.example.org/",
                                                           "https://example.org/tides/"))
        assert events.wait_for(2)["ok"] is True
        assert running.url.endswith("/tides/")
        status, _, body = get(running.url + EP1)
        assert status == 200 and b'href="/tides/speakers/ada/"' in body
        assert get(running.url[:-1])[0] == 200  # /tides redirects to /tides/
        assert get(running.url.replace("/tides/", "/"))[0] == 200  # / redirects to /tides/
    finally:
        events.close()
        running.stop()


# Server edges: long names, Range (RFC 9110), idle connections, clients that hang up ----------------------
def raw_response(preview: Preview, request: str) -> tuple[int, dict[str, str], bytes]:
    """Send a raw request with ``Connection: close``; the status, headers (lower-case names) and body."""
    host, port = preview.server.server_address[:2]
    with socket.create_connection((host, port), timeout=10) as sock:
        sock.sendall(request.encode("latin-1"))
        data = b""
        while chunk := sock.recv(65536):
            data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    headers = {k.strip().lower(): v.strip() for k, _, v in (line.partition(":") for line in lines[1:])}
    return int(lines[0].split()[1]), headers, body


@pytest.mark.parametrize("length", [256, 300, 5000])
def test_a_long_path_segment_gets_a_404_not_a_dropped_connection(preview: Preview, length: int) -> None:
    for path in [f"/{'a' * length}", f"/episodes/{'b' * length}/", f"/{'c' * length}/index.html"]:
        status, _, body = raw_response(preview, f"GET {path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        assert status == 404 and b"<h1>" in body, path


AUDIO = bytes(range(256)) * 40  # 10,240 bytes


N = len(AUDIO)


@pytest.mark.parametrize("header, status, start, end", [
    ("bytes=0-7", 206, 0, 8),
    ("BYTES=0-1", 206, 0, 2),  # the unit is case-insensitive
    ("bytes=10000-", 206, 10000, N),
    ("bytes=-10", 206, N - 10, N),
    ("bytes=10230-99999", 206, 10230, N),
    ("bytes= 0-3 ", 206, 0, 4),
    ("bytes=0-1,2-3", 200, 0, N),  # several ranges: the whole file (a server may ignore Range)
    ("bytes=5-2", 200, 0, N),  # invalid: the header is ignored
    ("items=0-1", 200, 0, N),
    ("bytes=abc", 200, 0, N),
    ("bytes=-", 200, 0, N),
    ("bytes=0x1-2", 200, 0, N),
    ("bytes=", 200, 0, N),
    ("bytes=999999-", 416, 0, 0),  # valid but past the end: unsatisfiable
    ("bytes=10240-10241", 416, 0, 0),
])
def test_range_requests_follow_rfc_9110(preview: Preview, header: str, status: int, start: int, end: int) -> None:
    (preview.out / "clip.mp3").write_bytes(AUDIO)
    got, headers, data = raw_response(
        preview, f"GET /clip.mp3 HTTP/1.1\r\nHost: x\r\nRange: {header}\r\nConnection: close\r\n\r\n")
    assert (got, data) == (status, AUDIO[start:end]), header
    assert int(headers["content-length"]) == end - start
    if status == 206:
        assert headers["content-range"] == f"bytes {start}-{end - 1}/{N}"
    if status == 416:
        assert headers["content-range"] == f"bytes */{N}"


def bytes_read() -> int:
    """Bytes this process has read from files and sockets so far (``rchar``)."""
    for line in Path("/proc/self/io").read_text().splitlines():
        if line.startswith("rchar:"):
            return int(line.split()[1])
    raise AssertionError("no rchar")


@pytest.mark.skipif(not Path("/proc/self/io").exists(), reason="reads /proc/self/io")
def test_a_range_is_streamed_from_the_file_not_read_whole(preview: Preview) -> None:
    size = 64 * 1024 * 1024
    with (preview.out / "long.mp3").open("wb") as handle:
        handle.truncate(size)  # sparse: costs no disk
    before = bytes_read()
    for header in ("bytes=0-99", f"bytes={size - 100}-", "bytes=1000000-1000099"):
        status, _, data = raw_response(
            preview, f"GET /long.mp3 HTTP/1.1\r\nHost: x\r\nRange: {header}\r\nConnection: close\r\n\r\n")
        assert status == 206 and len(data) == 100
    assert bytes_read() - before < size // 4  # the old server read 64 MB for each of the three


def test_idle_connections_are_closed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import ssg.serve

    monkeypatch.setattr(ssg.serve, "IDLE_TIMEOUT", 0.5)
    content = copy_site("basic", tmp_path / "show")
    running = Preview(content, "127.0.0.1", 0, search=False, log=lambda line: None)
    running.start()
    try:
        host, port = running.server.server_address[:2]
        with socket.create_connection((host, port), timeout=15) as silent:
            assert silent.recv(1) == b""  # closed by the server, long before the guard's 15 s
        with socket.create_connection((host, port), timeout=15) as kept:
            kept.sendall(b"GET /robots.txt HTTP/1.1\r\nHost: x\r\n\r\n")  # keep-alive, then silence
            data = b""
            while chunk := kept.recv(65536):
                data += chunk
            assert data.startswith(b"HTTP/1.1 200")
    finally:
        running.stop()


def test_clients_that_hang_up_early_leave_no_traceback(preview: Preview, capfd: pytest.CaptureFixture[str]) -> None:
    with (preview.out / "big.mp3").open("wb") as handle:
        handle.write(b"\x00" * (8 * 1024 * 1024))
    host, port = preview.server.server_address[:2]
    for n in range(6):
        sock = socket.create_connection((host, port), timeout=10)
        sock.sendall(b"GET /big.mp3 HTTP/1.1\r\nHost: x\r\n\r\n")
        sock.recv(1024)
        if n % 2:  # a reset, not a polite close
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\x00\x00\x00\x00\x00\x00\x00")
        sock.close()
    assert get(preview.url + EP1)[0] == 200  # still serving
    time.sleep(0.5)  # the handler threads have met the closed sockets
    err = capfd.readouterr().err
    assert "Traceback" not in err and "Error" not in err, err
