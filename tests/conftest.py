"""Shared test fixtures: building sites, the shared inputs, a static server, a real browser."""

from __future__ import annotations

import functools
import http.server
import shutil
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = Path(__file__).resolve().parent / "fixtures"
SHARED = ROOT.parent / "shared"
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--no-first-run",
]


LONGEST_FIRST = (
    "test_serve_endurance.py",  # 300 rebuilds: about a quarter of the whole suite's time on its own
    "test_crash_safety.py",
    "test_cache_damage.py",
    "test_incremental.py",
    "test_search.py",
    "test_import.py",
    "test_deploy.py",
)
"""Files that take longest, started first: with ``-n`` (pytest-xdist, ``--dist loadfile
--no-loadscope-reorder`` as ``.ci/run`` runs it) a long file started last would keep one CPU busy
after the others have finished. Only the order changes; every test runs as before."""


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    rank = {name: i for i, name in enumerate(LONGEST_FIRST)}
    items.sort(key=lambda item: rank.get(item.path.name, len(rank)))  # stable: files keep their own order


def shared_path(*parts: str) -> Path:
    """A file under ``../shared``, skipping the test when it is absent."""
    path = SHARED.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"{path} is absent (the shared real inputs are not on this machine)")
    return path


def copy_site(name: str, dest: Path) -> Path:
    """Copy ``tests/fixtures/sites/<name>`` to ``dest``; returns its content folder."""
    shutil.copytree(FIXTURES / "sites" / name, dest)
    return dest / "content"


def built_site(factory: pytest.TempPathFactory, name: str, *, search: bool = True,
               prepare: Callable[[Path], object] = lambda content: None) -> Path:
    """A copy of ``tests/fixtures/sites/<name>`` (``prepare`` given its content folder) built in a fresh folder;
    returns the site folder. The build must succeed."""
    from ssg.build import build_site

    root = factory.mktemp(name)
    content = copy_site(name, root / "show")
    prepare(content)
    result = build_site(content, root / "site", search=search)
    assert result.ok, [p.format() for p in result.problems]
    return root / "site"


@pytest.fixture
def serve_dir() -> Iterator[callable]:  # type: ignore[valid-type]
    """Serve a folder on 127.0.0.1 (a real socket): ``serve_dir(folder, prefix="/")`` -> base URL."""
    servers: list[http.server.ThreadingHTTPServer] = []

    def start(folder: Path, prefix: str = "/") -> str:
        class Handler(http.server.SimpleHTTPRequestHandler):
            def translate_path(self, path: str) -> str:
                if prefix != "/" and path.startswith(prefix):
                    path = "/" + path[len(prefix):]
                return super().translate_path(path)

            def log_message(self, *args: object) -> None:
                pass

            def do_GET(self) -> None:
                # Media elements seek with Range requests, as real static hosts answer them.
                header = self.headers.get("Range", "")
                path = Path(self.translate_path(self.path.split("?")[0]))
                if not header.startswith("bytes=") or not path.is_file():
                    super().do_GET()
                    return
                data = path.read_bytes()
                first, _, last = header[6:].partition("-")
                start = int(first) if first else max(0, len(data) - int(last))
                end = min(int(last) + 1, len(data)) if first and last else len(data)
                self.send_response(206)
                self.send_header("Content-Type", self.guess_type(str(path)))
                self.send_header("Content-Range", f"bytes {start}-{end - 1}/{len(data)}")
                self.send_header("Content-Length", str(end - start))
                self.send_header("Accept-Ranges", "bytes")
                self.end_headers()
                self.wfile.write(data[start:end])

        Handler.extensions_map = {**Handler.extensions_map, ".js": "text/javascript",
                                  ".wasm": "application/wasm", ".pagefind": "application/octet-stream",
                                  ".pf_meta": "application/octet-stream"}
        handler = functools.partial(Handler, directory=str(folder))
        server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        server.handle_error = lambda request, address: None  # type: ignore[method-assign]  # clients hang up mid-audio
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append(server)
        return f"http://127.0.0.1:{server.server_address[1]}{prefix}"

    yield start
    for server in servers:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="session")
def browser():  # type: ignore[no-untyped-def]
    """Debian's chromium driven by Playwright (skips when either is missing)."""
    if not CHROMIUM.exists():
        pytest.skip("/usr/bin/chromium is not installed (apt-get install chromium; .ci/run does it)")
    sync_api = pytest.importorskip("playwright.sync_api", reason="pip install playwright")
    with sync_api.sync_playwright() as p:
        instance = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield instance
        instance.close()


SEEKS = "document.addEventListener('seeked', e => (window.__seeks ||= []).push(e.target.currentTime), true);"
"""Every page records where its media seeked to (``seeked`` does not bubble: caught on the way down)."""


@pytest.fixture
def new_page(browser):  # type: ignore[no-untyped-def]
    """``new_page(**context_options)``: a page that fails the test on JavaScript errors."""
    contexts, errors = [], []

    def make(**options):  # type: ignore[no-untyped-def]
        context = browser.new_context(**options)
        contexts.append(context)
        context.add_init_script(SEEKS)
        pg = context.new_page()
        pg.on("pageerror", lambda exc: errors.append(str(exc)))
        return pg

    yield make
    for context in contexts:
        context.close()
    assert not errors, f"JavaScript errors on the page: {errors}"


@pytest.fixture
def page(new_page):  # type: ignore[no-untyped-def]
    """A fresh browser page; fails the test on any JavaScript error on the page."""
    return new_page()
