"""Lighthouse over the sample show: a table of page x category, and the episode page's weight.

    python bench/lighthouse.py                 # home, an episode, a speaker, speakers, search
    python bench/lighthouse.py --runs 3        # the median of three runs per page

Installs Lighthouse from npm into ``bench/.lighthouse/`` (git-ignored) when
it is missing, builds ``content/`` into ``bench/out/lighthouse-site/`` with
the server's address as ``base_url``, serves it on 127.0.0.1 and runs
Lighthouse's mobile preset (simulated throttling) in Debian's chromium
(``CHROME_PATH``, default ``/usr/bin/chromium``). Not a test: figures vary
with the machine's load; the table is for reading.
"""

from __future__ import annotations

import argparse
import functools
import http.server
import json
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PREFIX = ROOT / "bench" / ".lighthouse"
CLI = PREFIX / "node_modules" / "lighthouse" / "cli" / "index.js"
VERSION = "13"
CHROME_FLAGS = ("--headless --no-sandbox --disable-gpu --disable-background-networking "
                "--disable-component-update --no-first-run")
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
SHORT = {"performance": "perf", "accessibility": "a11y", "best-practices": "best", "seo": "seo"}


def ensure_lighthouse() -> None:
    """Install Lighthouse into ``bench/.lighthouse`` unless it is there."""
    if CLI.is_file():
        return
    npm = shutil.which("npm")
    if npm is None:
        sys.exit("npm is missing: install Node.js and npm (Debian: apt-get install nodejs npm)")
    PREFIX.mkdir(parents=True, exist_ok=True)
    print(f"installing lighthouse@{VERSION} into {PREFIX.relative_to(ROOT)} ...", flush=True)
    subprocess.run([npm, "install", "--prefix", str(PREFIX), "--no-audit", "--no-fund", f"lighthouse@{VERSION}"],
                   check=True)


def build(content: Path, out: Path, base_url: str) -> None:
    """Build the show with ``ssg build`` in its own process (as a user would)."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    done = subprocess.run([sys.executable, "-m", "ssg", "build", "--content", str(content), "--out", str(out),
                           "--base-url", base_url], env=env, cwd=ROOT, capture_output=True, text=True)
    if done.returncode != 0:
        sys.exit(f"the build failed:\n{done.stdout}{done.stderr}")


class _Handler(http.server.SimpleHTTPRequestHandler):
    extensions_map = {**http.server.SimpleHTTPRequestHandler.extensions_map, ".js": "text/javascript",
                      ".webp": "image/webp", ".wasm": "application/wasm",
                      ".pagefind": "application/octet-stream", ".pf_meta": "application/octet-stream"}

    def log_message(self, *args: object) -> None:
        pass

    def end_headers(self) -> None:
        # As a static host serves fingerprinted assets: cached for a year.
        if "/assets/" in self.path:
            self.send_header("Cache-Control", "public, max-age=31536000, immutable")
        super().end_headers()


def pages(site: Path) -> dict[str, str]:
    """The pages measured: name -> path under the site."""
    episodes = sorted(p.parent.name for p in (site / "episodes").glob("*/index.html"))
    episode = "lifts" if "lifts" in episodes else episodes[0]
    speakers = sorted(p.parent.name for p in (site / "speakers").glob("*/index.html"))
    speaker = "nadia" if "nadia" in speakers else speakers[0]
    return {"home": "", "episode": f"episodes/{episode}/", "speaker": f"speakers/{speaker}/",
            "speakers": "speakers/", "search": "search/?q=lift"}


def run(url: str, chrome: str) -> dict[str, float]:
    """One Lighthouse run: category scores (0-100) and CLS."""
    with tempfile.TemporaryDirectory() as tmp:
        report = Path(tmp) / "report.json"
        env = {**os.environ, "CHROME_PATH": chrome}
        subprocess.run(["node", str(CLI), url, "--quiet", "--output=json", f"--output-path={report}",
                        f"--only-categories={','.join(CATEGORIES)}", f"--chrome-flags={CHROME_FLAGS}"],
                       env=env, check=True)
        data = json.loads(report.read_text(encoding="utf-8"))
    scores = {c: round((data["categories"][c]["score"] or 0) * 100) for c in CATEGORIES}
    scores["cls"] = data["audits"]["cumulative-layout-shift"]["numericValue"]
    scores["bytes"] = data["audits"]["total-byte-weight"]["numericValue"]
    failed = [a for c in CATEGORIES for a in (r["id"] for r in data["categories"][c]["auditRefs"] if r["weight"])
              if (data["audits"][a].get("score") is not None and data["audits"][a]["score"] < 1)]
    scores["failed"] = failed  # type: ignore[assignment]
    return scores


def episode_weight(site: Path, path: str) -> tuple[int, int, int]:
    """Bytes of an episode page without its transcript: (HTML, CSS, JS)."""
    html = (site / path / "index.html").read_text(encoding="utf-8")
    without = re.sub(r'<section class="transcript".*?</section>', "", html, flags=re.S)
    css = sum((site / href.lstrip("/")).stat().st_size
              for href in re.findall(r'<link rel="stylesheet" href="([^"]+)"', html))
    js = sum((site / src.lstrip("/")).stat().st_size for src in re.findall(r'<script src="([^"]+)"', html))
    return len(without.encode()), css, js


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--content", type=Path, default=ROOT / "content")
    parser.add_argument("--runs", type=int, default=1, help="runs per page; the median is shown")
    parser.add_argument("--page", action="append", help="only these pages (home, episode, speaker, speakers, search)")
    args = parser.parse_args()
    chrome = os.environ.get("CHROME_PATH", "/usr/bin/chromium")
    ensure_lighthouse()

    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    sock.close()
    base = f"http://127.0.0.1:{port}/"
    site = ROOT / "bench" / "out" / "lighthouse-site"
    build(args.content, site, base)
    server = http.server.ThreadingHTTPServer(("127.0.0.1", port), functools.partial(_Handler, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()

    rows = []
    try:
        for name, path in pages(site).items():
            if args.page and name not in args.page:
                continue
            runs = [run(base + path, chrome) for _ in range(args.runs)]
            row = {key: statistics.median(r[key] for r in runs) for key in (*CATEGORIES, "cls", "bytes")}
            row["failed"] = sorted({a for r in runs for a in r["failed"]})
            rows.append((name, path, row))
            print(f"  {name}: done", file=sys.stderr, flush=True)
    finally:
        server.shutdown()

    print(f"\nLighthouse {VERSION}.x, mobile preset, median of {args.runs} run(s), {base}")
    print(f"| page | {' | '.join(SHORT[c] for c in CATEGORIES)} | CLS | transfer KB | audits below 1 |")
    print("|---|" + "---|" * (len(CATEGORIES) + 3))
    for name, path, row in rows:
        cells = " | ".join(f"{row[c]:.0f}" for c in CATEGORIES)
        print(f"| {name} (/{path}) | {cells} | {row['cls']:.2f} | {row['bytes'] / 1024:.0f} | "
              f"{', '.join(row['failed']) or '-'} |")
    html, css, js = episode_weight(site, pages(site)["episode"])
    print(f"\nEpisode page without its transcript: HTML {html / 1024:.1f} KB + CSS {css / 1024:.1f} KB + "
          f"JS {js / 1024:.1f} KB = {(html + css + js) / 1024:.1f} KB (uncompressed; limit 60 KB)")


if __name__ == "__main__":
    main()
