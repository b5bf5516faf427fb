"""``ssg serve``: build into a temporary folder, serve it, rebuild and reload on change.

The site is built into a temporary folder (``site/`` is never touched) and
served from there by a threaded ``http.server`` under the path of the
site's ``base_url``. A watcher polls the content folder and the theme; on a
change it rebuilds (the build swaps the new folder in atomically, so a page
is never half-built) and tells open pages over Server-Sent Events to
reload. A failed build keeps the last good site and sends its problems,
which the injected script shows as an overlay until a build succeeds.
"""

from __future__ import annotations

import argparse
import json
import mimetypes
import os
import posixpath
import re
import shutil
import signal
import socket
import sys
import tempfile
import threading
import time
import webbrowser
from collections.abc import Callable
from http import HTTPStatus
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, BinaryIO, Literal
from urllib.parse import unquote, urlsplit

from ssg.build import BuildResult, build_site
from ssg.console import paint, plural, print_problems
from ssg.watch import Watcher, watched_folders

EVENTS = "/__ssg/events"
IDLE_TIMEOUT = 30.0
"""Seconds a connection may stay silent (an idle keep-alive, a stalled client) before it is closed."""
CHUNK = 64 * 1024
"""Bytes read from a file and sent at a time (a file is never read whole to answer a request)."""
NAME_MAX = 255
"""The longest file name: a longer path segment names no file (404, not an error from the file system)."""
LOOPBACK = ("127.0.0.1", "localhost", "::1")
TYPES = {
    ".vtt": "text/vtt; charset=utf-8", ".srt": "application/x-subrip; charset=utf-8",
    ".json": "application/json; charset=utf-8", ".xml": "application/xml; charset=utf-8",
    ".wasm": "application/wasm", ".js": "text/javascript; charset=utf-8", ".mjs": "text/javascript; charset=utf-8",
    ".css": "text/css; charset=utf-8", ".html": "text/html; charset=utf-8", ".txt": "text/plain; charset=utf-8",
    ".svg": "image/svg+xml", ".pagefind": "application/octet-stream", ".pf_meta": "application/octet-stream",
    ".pf_index": "application/octet-stream", ".pf_fragment": "application/octet-stream",
    ".mp3": "audio/mpeg", ".m4a": "audio/mp4", ".ogg": "audio/ogg", ".wav": "audio/wav", ".opus": "audio/ogg",
}

RELOAD_SCRIPT = """
<script>(() => {
  const box = () => document.getElementById("ssg-overlay");
  const show = (problems) => {
    let el = box();
    if (!el) {
      el = document.createElement("div"); el.id = "ssg-overlay"; el.setAttribute("role", "alert");
      el.style.cssText = "position:fixed;inset:0;z-index:99999;background:rgba(20,0,0,.92);color:#fff;" +
        "font:14px/1.5 ui-monospace,monospace;padding:2rem;overflow:auto;white-space:pre-wrap";
      document.body.appendChild(el);
    }
    el.textContent = "The last build failed; this is the previous version of the site.\\n\\n" + problems.join("\\n");
  };
  const source = new EventSource(%(events)s);
  let seen = null;
  source.addEventListener("build", (e) => {
    const data = JSON.parse(e.data);
    if (seen === null) { seen = data.generation; if (!data.ok) show(data.problems); return; }
    if (data.generation === seen) return;
    seen = data.generation;
    if (data.ok) { location.reload(); } else { show(data.problems); }
  });
})();</script>
"""


class State:
    """What the server knows about the latest build, shared between threads."""

    def __init__(self, prefix: str = "/") -> None:
        self.generation = 0
        self.ok = True
        self.problems: list[str] = []
        self.prefix = prefix
        """The URL path the site is served under (the path of its ``base_url``)."""
        self.changed = threading.Condition()

    def publish(self, ok: bool, problems: list[str], prefix: str | None = None) -> None:
        """Record a finished build and wake every waiting event stream."""
        with self.changed:
            self.generation += 1
            self.ok = ok
            self.problems = [] if ok else problems
            if prefix is not None:
                self.prefix = prefix
            self.changed.notify_all()

    def snapshot(self) -> dict[str, Any]:
        return {"generation": self.generation, "ok": self.ok, "problems": self.problems}


def make_handler(root: Path, state: State) -> type[SimpleHTTPRequestHandler]:
    """A request handler serving ``root`` under ``state.prefix``, with live reload."""

    class Handler(SimpleHTTPRequestHandler):
        server_version = "ssg-serve"
        protocol_version = "HTTP/1.1"
        timeout = IDLE_TIMEOUT

        def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
            pass

        def guess_type(self, path: str | os.PathLike[str]) -> str:
            ext = posixpath.splitext(str(path))[1].lower()
            return TYPES.get(ext) or mimetypes.guess_type(str(path))[0] or "application/octet-stream"

        def do_GET(self) -> None:
            self._serve(head=False)

        def do_HEAD(self) -> None:
            self._serve(head=True)

        def _serve(self, head: bool) -> None:
            path = urlsplit(self.path).path
            prefix = state.prefix
            if path == EVENTS:
                self._events()
                return
            if prefix != "/" and path in ("/", prefix.rstrip("/")):
                self._redirect(prefix, HTTPStatus.FOUND)
                return
            target = resolve(root, prefix, path)
            try:
                if target is not None and target.is_dir():
                    if not path.endswith("/"):
                        self._redirect(path + "/", HTTPStatus.MOVED_PERMANENTLY)
                        return
                    target = target / "index.html"
                found = target is not None and target.is_file()
            except OSError:  # a name the file system refuses names no file
                found = False
            if target is None or not found:
                self._send_file(root / "404.html", HTTPStatus.NOT_FOUND, head)
                return
            self._send_file(target, HTTPStatus.OK, head)

        def _redirect(self, location: str, status: HTTPStatus) -> None:
            self.send_response(status)
            self.send_header("Location", location)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def _send_file(self, target: Path, status: HTTPStatus, head: bool) -> None:
            ctype = self.guess_type(str(target))
            try:
                handle: BinaryIO = target.open("rb")
            except OSError:
                self._send_bytes(inject(b"<h1>Not found</h1>"), "text/html; charset=utf-8", HTTPStatus.NOT_FOUND,
                                 head)
                return
            with handle:
                if ctype.startswith("text/html"):  # pages are small, and get the reload script
                    self._send_bytes(inject(handle.read()), ctype, status, head)
                    return
                size = os.fstat(handle.fileno()).st_size
                start, end = 0, size
                wanted = byte_range(self.headers.get("Range"), size) if status == HTTPStatus.OK else "whole"
                if wanted == "unsatisfiable":
                    self.send_response(HTTPStatus.REQUESTED_RANGE_NOT_SATISFIABLE)
                    self.send_header("Content-Range", f"bytes */{size}")
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                if wanted != "whole":
                    start, end = wanted
                    status = HTTPStatus.PARTIAL_CONTENT
                self._send_head(ctype, status, end - start)
                if status == HTTPStatus.PARTIAL_CONTENT:
                    self.send_header("Content-Range", f"bytes {start}-{end - 1}/{size}")
                self.end_headers()
                if not head:
                    handle.seek(start)
                    left = end - start
                    while left > 0:
                        chunk = handle.read(min(CHUNK, left))
                        if not chunk:  # the file got shorter meanwhile: a short body, and no next request
                            self.close_connection = True
                            break
                        self.wfile.write(chunk)
                        left -= len(chunk)

        def _send_bytes(self, data: bytes, ctype: str, status: HTTPStatus, head: bool) -> None:
            self._send_head(ctype, status, len(data))
            self.end_headers()
            if not head:
                self.wfile.write(data)

        def _send_head(self, ctype: str, status: HTTPStatus, length: int) -> None:
            self.send_response(status)
            self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(length))
            self.send_header("Cache-Control", "no-store")
            self.send_header("Accept-Ranges", "bytes")

        def _events(self) -> None:
            self.send_response(HTTPStatus.OK)
            self.send_header("Content-Type", "text/event-stream")
            self.send_header("Cache-Control", "no-store")
            self.send_header("Connection", "close")
            self.end_headers()
            self.close_connection = True
            seen = -1
            try:
                while not getattr(self.server, "stopping", False):
                    with state.changed:
                        if state.generation == seen:
                            state.changed.wait(timeout=15)
                        data = state.snapshot()
                    if data["generation"] != seen:
                        seen = data["generation"]
                        self.wfile.write(f"event: build\ndata: {json.dumps(data)}\n\n".encode())
                    else:
                        self.wfile.write(b": keep-alive\n\n")
                    self.wfile.flush()
            except (BrokenPipeError, ConnectionResetError, OSError):
                return

    return Handler


def resolve(root: Path, prefix: str, url_path: str) -> Path | None:
    """The file a URL path names inside ``root``, or None when it is outside or odd."""
    path = unquote(url_path)
    if not path.startswith(prefix) or "\\" in path or "\x00" in path:
        return None
    rest = path[len(prefix):]
    parts = [p for p in rest.split("/") if p]
    if any(p in (".", "..") or p.startswith("..") or len(p.encode("utf-8", "surrogateescape")) > NAME_MAX
           for p in parts):
        return None
    target = root.joinpath(*parts)
    try:
        real, base = target.resolve(), root.resolve()
    except OSError:
        return None
    if real != base and not real.is_relative_to(base):
        return None
    try:
        if target.is_symlink():
            return None
    except OSError:
        return None
    return target


RANGE_SPEC = re.compile(r"([0-9]*)-([0-9]*)")
"""One range of a Range header: ``first-last``, ``first-`` or ``-suffix_length``."""
Wanted = tuple[int, int] | Literal["whole", "unsatisfiable"]
"""What a Range header asks of a file: a half-open byte range, the whole file, or nothing it has."""


def byte_range(header: str | None, size: int) -> Wanted:
    """What the Range ``header`` asks of a file of ``size`` bytes (RFC 9110, section 14).

    A header that is absent, malformed or in another unit is ignored (the
    whole file). Ranges that ask for no byte of the file are unsatisfiable.
    One range is served as asked; several are answered with the whole file,
    which a server may always do.
    """
    if not header:
        return "whole"
    unit, equals, specs = header.partition("=")
    if not equals or unit.strip().lower() != "bytes":
        return "whole"
    ranges: list[tuple[int, int]] = []
    given = [spec for spec in specs.split(",") if spec.strip(" \t")]  # empty list elements are allowed
    if not given:
        return "whole"
    for spec in given:
        match = RANGE_SPEC.fullmatch(spec.strip(" \t"))
        if match is None or match.group(0) == "-":
            return "whole"
        first, last = match.groups()
        if not first:  # the last N bytes
            if int(last) > 0 and size > 0:
                ranges.append((max(0, size - int(last)), size))
            continue
        start = int(first)
        if last and int(last) < start:
            return "whole"
        if start < size:
            ranges.append((start, min(int(last) + 1, size) if last else size))
    if not ranges:
        return "unsatisfiable"
    return ranges[0] if len(ranges) == 1 else "whole"


def inject(html: bytes) -> bytes:
    """Add the live-reload script to an HTML page (only when served, never written)."""
    script = (RELOAD_SCRIPT % {"events": json.dumps(EVENTS)}).encode()
    at = html.rfind(b"</body>")
    return html[:at] + script + html[at:] if at >= 0 else html + script


def site_prefix(content: Path) -> str:
    """The path part of the site's ``base_url`` (``/`` when unreadable)."""
    from ssg.frontmatter import YamlError, load_yaml
    from ssg.urls import Urls

    try:
        data = load_yaml((content / "site.yaml").read_text(encoding="utf-8-sig"))
        base = str(data.get("base_url") or "/") if isinstance(data, dict) else "/"
    except (OSError, UnicodeDecodeError, YamlError):
        base = "/"
    return Urls(base).prefix


class Server(ThreadingHTTPServer):
    """The threaded HTTP server, on IPv4 or IPv6 as the host asks."""

    daemon_threads = True
    stopping = False
    """Set on shutdown so that open event streams end."""

    def __init__(self, host: str, port: int, handler: type[SimpleHTTPRequestHandler]) -> None:
        if ":" in host:
            self.address_family = socket.AF_INET6
        super().__init__((host, port), handler)

    def handle_error(self, request: Any, client_address: Any) -> None:
        """A client that hung up or went silent is not an error; anything else is printed as usual."""
        if isinstance(sys.exc_info()[1], (ConnectionError, TimeoutError)):
            return
        super().handle_error(request, client_address)


class Preview:
    """A running preview: temporary output folder, server, watcher."""

    def __init__(self, content: Path, host: str = "127.0.0.1", port: int = 8000, search: bool = True,
                 log: Callable[[str], None] | None = None) -> None:
        self.content = content
        self.search = search
        self.log = log or (lambda line: print(line, flush=True))
        self.tmp = Path(tempfile.mkdtemp(prefix="ssg-serve-"))
        self.out = self.tmp / "site"
        self.out.mkdir()
        self.state = State(site_prefix(content))
        try:
            self.server = Server(host, port, make_handler(self.out, self.state))
        except BaseException:
            shutil.rmtree(self.tmp, ignore_errors=True)
            raise
        self.watcher = Watcher(watched_folders(content), self._changed)
        self.threads: list[threading.Thread] = []

    @property
    def prefix(self) -> str:
        """The URL path the site is served under."""
        return self.state.prefix

    @property
    def url(self) -> str:
        address = self.server.server_address
        host, port = str(address[0]), int(address[1])
        host = f"[{host}]" if ":" in host else host
        return f"http://{host}:{port}{self.prefix}"

    def rebuild(self) -> BuildResult:
        """Build into the served folder and tell the pages."""
        result = build_site(self.content, self.out, search=self.search, cache_dir=self.tmp / "cache",
                            progress=self._progress)
        if result.problems:
            print_problems(result.problems)
        if result.ok:
            self.log(f"{paint('Built', 'green', sys.stdout)} {plural(result.episodes, 'episode')} "
                     f"({len(result.changed)} files changed) in {result.seconds:.2f}s")
        else:
            self.log(paint(f"Build failed: {plural(len(result.errors), 'error')}; still serving the last good site",
                           "red", sys.stdout))
        prefix = site_prefix(self.content) if result.ok else None
        moved = prefix is not None and prefix != self.state.prefix
        self.state.publish(result.ok, [p.format() for p in result.errors], prefix)
        if moved:
            self.log(f"base_url changed: now serving at {self.url}")
        return result

    def _progress(self, stage: str, done: int, total: int) -> None:
        """Called by the build as it goes: ends a build that ``stop`` interrupted (its staging is discarded)."""
        if self.server.stopping:
            raise Stopping

    def _changed(self) -> None:
        """The watcher's callback: rebuild, and keep watching even when the build itself crashes."""
        try:
            self.rebuild()
        except Exception as exc:  # a bug in the build must not stop the preview
            if self.server.stopping:
                return
            line = f"the build crashed: {type(exc).__name__}: {exc} (this is a bug in ssg; please report it)"
            self.log(paint(line, "red", sys.stdout))
            self.state.publish(False, [line])

    def start(self) -> None:
        """Build once, then serve and watch in background threads."""
        self.rebuild()
        for target in (self.server.serve_forever, self.watcher.run):
            thread = threading.Thread(target=target, daemon=True)
            thread.start()
            self.threads.append(thread)

    def stop(self) -> None:
        """Stop serving and watching, and remove the temporary folder (safe before ``start``).

        A rebuild under way ends at its next step (and its staging folder is
        discarded) before the folder is removed, so nothing writes into it afterwards.
        """
        self.server.stopping = True
        with self.state.changed:
            self.state.changed.notify_all()
        self.watcher.stop()
        if self.threads:  # shutdown() waits for serve_forever, which never ran before start()
            self.server.shutdown()
        self.server.server_close()
        for thread in self.threads:
            thread.join(timeout=STOP_WAIT)
        shutil.rmtree(self.tmp, ignore_errors=True)


class Stopping(Exception):
    """Raised inside a rebuild once the preview is stopping."""


STOP_WAIT = 10.0
"""Seconds ``stop`` waits for a rebuild under way to end (one that is indexing may take longer)."""


def _interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


def main(args: argparse.Namespace) -> int:
    """Run ``ssg serve`` until Ctrl-C."""
    content = Path(args.content)
    if not content.is_dir():
        print(f"{content}: content folder not found (run from your show's folder, or pass --content DIR)",
              file=sys.stderr)
        return 1
    if args.host not in LOOPBACK:
        print(paint(f"warning: serving on {args.host}: other machines on the network can see the preview",
                    "yellow", sys.stderr), file=sys.stderr)
    try:
        preview = Preview(content, args.host, args.port, search=not args.no_search)
    except OSError as exc:
        print(f"cannot listen on {args.host}:{args.port}: {exc.strerror or exc} (try --port 0 for a free port)",
              file=sys.stderr)
        return 1
    signal.signal(signal.SIGTERM, _interrupt)
    try:
        preview.start()
        print(f"Serving {content} at {preview.url} (Ctrl-C to stop)", flush=True)
        if args.open:
            webbrowser.open(preview.url)
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        print("\nStopped.")
    finally:
        for signum in (signal.SIGINT, signal.SIGTERM):  # a second Ctrl-C must not cut the clean-up short
            signal.signal(signum, signal.SIG_IGN)
        preview.stop()
    return 0
