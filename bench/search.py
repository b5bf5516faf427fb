"""Search benchmark: does a remembered phrase find its turn, and how fast, in Chromium.

    python bench/search.py                       # 1,000 episodes of ~40 KB, 120 queries each way
    python bench/search.py --episodes 40 --kb 8 --queries 30    # a smoke run

Generates a show of realistic vocabulary (deterministic, into
``bench/out/search-show``; reused while its parameters match), builds it with
search, serves it on 127.0.0.1 and, in Chromium (Playwright), searches for
phrases of five consecutive words taken from random turns:

- vocabulary: 150 common English words (with contractions written with
  straight or curly apostrophes) followed by 30,000 pseudo-words, drawn with
  Zipf's law (rank r has weight 1 / r ** 1.05, so "the" is about 7% of the
  words and half the words are among the 120 most frequent); turns of one to six sentences
  with commas, standalone dashes (" - ", " -- ", em and en dashes), hyphenated
  interjections ("woo-hoo") and ellipses, as real transcripts have;
- queries: five consecutive words of a random turn, typed as people type
  them (no standalone dashes, no trailing punctuation, lower case), once
  unquoted and once in double quotes. Success: the first result is the
  right episode and its first hit links to that turn.

Latency: each query is a first visit, in a browser context of its own (nothing in the HTTP cache or V8's
code cache from the queries before: in one context for all, later queries reused the index chunks and
compiled code of earlier ones, and the bytes counted only what was not cached). The search page is opened
and its index loaded (a key pressed in the box starts that; the page's ``data-ready`` attribute), then the
query is put into the box as one input event; the time from that event to the first result on screen is
taken (performance.now in the page; the query is submitted as Enter does, so the pause the box waits for
while typing is not included), with the bytes the server sent in between.

Figures of this work's last run (1,000 episodes of ~40 KB, 60 queries each way, 2 CPUs shared with other
work: load average 0.4 before, 3.3 after the unquoted queries, 5.4 after the quoted): right episode first
and linked to the turn 60 of 60 unquoted and 60 of 60 quoted; typing to first results median 227 ms, p90
407 ms unquoted, 282 ms, 406 ms quoted; 559 KB fetched before the first results (median; p90 1.4 MB).
Before this work, at quiet load but with one context for all queries: 300 ms / 394 ms unquoted,
345 ms / 432 ms quoted, 175 KB. Most of a query is the Pagefind worker reading one index chunk (about
26 KB compressed, 20,000 word places) per bundle for each word asked, nine bundles: the search page asks
two words first (17 chunks), more only when those leave the best page open.
"""

from __future__ import annotations

import argparse
import functools
import http.server
import json
import os
import random
import re
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
OUT = HERE / "out"
VERSION = 1
"""Bump when ``generate`` changes what it writes."""
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run"]

COMMON = (
    "the and to of a I you that it in is was we so like it's just but for this they have on with what "
    "be not know are do yeah there about think one at really if all can people don't my as or from "
    "get an because me your then he more out go that's when right up were had some thing I'm would "
    "was time going there's them she no which very by also how his said other lot into her want "
    "things make good see been now our us even these way well will who could kind any those much "
    "first where something actually mean say said maybe two back could only little work same new "
    "here why years too can't over didn't still never doesn't through around off take let's before "
    "after great lot always again you're okay pretty while big world").split()
SYLLABLES = ("ka lo mi ra te sun ver tal bro den fi lus mar co pen sta tri nel o a e ing er ly tion ment "
             "ous ble pro con gra ush pli dor ven cas tem ard").split()
INTERJECTIONS = ["woo-hoo", "uh-huh", "mm-hmm", "oh-ho", "yee-haw"]
DASHES = [" - ", " -- ", " — ", " – ", "—"]


def vocabulary(rng: random.Random, size: int = 30_000) -> list[str]:
    """Common words first, then pseudo-words (some hyphenated), most frequent first."""
    words = list(dict.fromkeys(COMMON))
    seen = {w.lower() for w in words}
    while len(words) < size:
        word = "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 4)))
        if rng.random() < 0.02:
            word += "-" + "".join(rng.choice(SYLLABLES) for _ in range(2))
        if word not in seen:
            seen.add(word)
            words.append(word)
    return words


def weights(size: int, exponent: float = 1.05) -> list[float]:
    """Cumulative Zipf weights of ranks 1..size."""
    total = 0.0
    cumulative = []
    for rank in range(1, size + 1):
        total += 1 / rank ** exponent
        cumulative.append(total)
    return cumulative


def sentence(rng: random.Random, words: list[str], cumulative: list[float]) -> str:
    """A sentence of Zipf-distributed words with the punctuation of speech."""
    picked = rng.choices(words, cum_weights=cumulative, k=rng.randint(5, 20))
    picked = [w.replace("'", "\u2019") if "'" in w and rng.random() < 0.4 else w for w in picked]
    out = picked[0][0].upper() + picked[0][1:]
    for word in picked[1:]:
        roll = rng.random()
        if roll < 0.06:
            out += "," + " " + word
        elif roll < 0.08:
            out += rng.choice(DASHES) + word
        elif roll < 0.09:
            out += "..." + rng.choice(["", " "]) + word
        elif roll < 0.095:
            out += " " + rng.choice(INTERJECTIONS) + "! " + word
        else:
            out += " " + word
    return out + rng.choice(".....?!")


def episode(rng: random.Random, number: int, kb: int, words: list[str], cumulative: list[float],
            guests: list[str]) -> tuple[str, list[str]]:
    """One episode file (``[HH:MM:SS] Name: text`` turns) and the text of its turns."""
    people = ["Host One", "Host Two"] + rng.sample(guests, rng.randint(1, 2))
    lines: list[str] = []
    texts: list[str] = []
    size, t = 0, 3
    while size < kb * 1024:
        text = " ".join(sentence(rng, words, cumulative) for _ in range(rng.randint(1, 6)))
        line = f"[{time.strftime('%H:%M:%S', time.gmtime(t))}] {rng.choice(people)}: {text}"
        lines.append(line)
        texts.append(text)
        size += len(line) + 1
        t += len(text.split()) // 2 + 1
    title = " ".join(rng.choices(words[100:3000], k=4))
    head = (f'---\ntitle: "Episode {number}: {title}"\ndate: {2010 + number // 120}-{1 + (number // 28) % 12:02d}-'
            f"{1 + number % 28:02d}\nepisode: {number}\nduration: {t + 30}\n"
            f"audio_url: https://cdn.example.org/{number}.mp3\naudio_bytes: {t * 16000}\n"
            f"speakers: [{', '.join(people)}]\n---\n")
    return head + "\n".join(lines) + "\n", texts


def generate(content: Path, episodes: int, kb: int, seed: int = 11) -> dict[str, list[str]]:
    """Write the show; returns each episode file's turn texts (kept beside it as turns.json)."""
    import shutil

    rng = random.Random(seed)
    words = vocabulary(rng)
    cumulative = weights(len(words))
    guests = [f"Guest {n}" for n in range(1, 201)]
    shutil.rmtree(content, ignore_errors=True)
    (content / "episodes").mkdir(parents=True)
    (content / "site.yaml").write_text(
        "title: Search Bench\ndescription: A synthetic show.\nbase_url: https://bench.example.org/\n"
        "image: https://bench.example.org/cover.png\ncategories: [Technology]\n"
        "owner: {name: Bench, email: bench@example.org}\n")
    speakers = ["- {id: host-one, name: Host One, role: host}", "- {id: host-two, name: Host Two, role: co-host}"]
    speakers += [f"- {{id: guest-{n}, name: {g}, role: guest}}" for n, g in enumerate(guests, 1)]
    (content / "speakers.yaml").write_text("\n".join(speakers) + "\n")
    turns: dict[str, list[str]] = {}
    for n in range(1, episodes + 1):
        text, texts = episode(rng, n, kb, words, cumulative, guests)
        (content / "episodes" / f"{n:05d}.md").write_text(text)
        turns[f"{n:05d}"] = texts
    return turns


def prepare(out: Path, episodes: int, kb: int) -> tuple[Path, dict[str, list[str]]]:
    """The built site (generated and built when missing or different) and the turns of each episode."""
    show = out / "search-show"
    stamp, site = show / "params.json", show / "site"
    params = {"episodes": episodes, "kb": kb, "version": VERSION}
    if stamp.exists() and json.loads(stamp.read_text()) == params:
        turns = json.loads((show / "turns.json").read_text())
    else:
        stamp.unlink(missing_ok=True)
        started = time.perf_counter()
        turns = generate(show / "content", episodes, kb)
        (show / "turns.json").write_text(json.dumps(turns))
        stamp.write_text(json.dumps(params))
        print(f"generated {episodes} episodes in {time.perf_counter() - started:.1f}s", flush=True)
    started = time.perf_counter()  # (again each run: an incremental build takes the theme's current files)
    subprocess.run([sys.executable, "-m", "ssg", "build", "--content", str(show / "content"), "--out", str(site),
                    "--quiet"], check=True)
    print(f"built with search in {time.perf_counter() - started:.1f}s", flush=True)
    return site, turns


WORD = re.compile(r"[^\s]+")


def typed(words: list[str]) -> str:
    """Words as a person types them: no standalone dashes, no punctuation at the ends, lower case."""
    out = []
    for word in words:
        word = word.strip(".,!?;:…\u2014\u2013-").lower()
        if word:
            out.append(word)
    return " ".join(out)


def queries(site: Path, turns: dict[str, list[str]], count: int, seed: int = 5) -> list[dict[str, str]]:
    """``count`` phrases of five consecutive words from random turns, with the page and turn id they are from."""
    rng = random.Random(seed)
    names = sorted(turns)
    found: list[dict[str, str]] = []
    while len(found) < count:
        name = rng.choice(names)
        index = rng.randrange(len(turns[name]))
        words = [w for w in WORD.findall(turns[name][index]) if re.search(r"\w", w)]
        if len(words) < 5:
            continue
        start = rng.randrange(len(words) - 4)
        html = next((site / "episodes").glob(f"episode-{int(name)}-*/index.html"), None)
        if html is None:
            raise SystemExit(f"no page for episode {name} in {site}")
        ids = re.findall(r'<div class="turn" id="([^"]+)"', html.read_text())
        if len(ids) != len(turns[name]):
            raise SystemExit(f"{html}: {len(ids)} turns on the page, {len(turns[name])} generated")
        found.append({"q": typed(words[start:start + 5]), "page": "/" + html.parent.relative_to(site).as_posix() + "/",
                      "turn": ids[index]})
    return found


MEASURE = """async q => {
  const form = document.getElementById('search-form');
  const input = document.getElementById('search-q');
  const list = document.getElementById('search-results');
  const status = document.getElementById('search-status');
  const done = new Promise(resolve => {
    const check = () => {
      if (list.querySelector('.result')) return resolve(true);
      if (status.textContent && !status.textContent.startsWith('Searching')) return resolve(false);
    };
    new MutationObserver(check).observe(document.body, { childList: true, subtree: true, characterData: true });
  });
  const t0 = performance.now();
  input.value = q;
  form.requestSubmit();
  const any = await done;
  const ms = performance.now() - t0;
  const mark = name => { const m = performance.getEntriesByName(name, 'mark').filter(e => e.startTime >= t0).pop();
                         return m ? m.startTime - t0 : null; };
  const phases = { pagefind: mark('search-found'), ranked: mark('search-first') ?? mark('search-ranked') };
  const first = list.querySelector('.result');
  const hit = first && (first.querySelector('.hit-link') || first.querySelector('a'));
  return { ms, phases, any, href: hit ? hit.getAttribute('href') : null };
}"""


SENT = [0]
"""Bytes of response bodies the server has sent (Pagefind fetches in a web worker, which the page's
Resource Timing does not list: the server counts)."""


def serve(folder: Path) -> tuple[http.server.ThreadingHTTPServer, str]:
    class Handler(http.server.SimpleHTTPRequestHandler):
        extensions_map = {**http.server.SimpleHTTPRequestHandler.extensions_map, ".js": "text/javascript",
                          ".wasm": "application/wasm"}

        def send_header(self, keyword: str, value: str) -> None:
            if keyword.lower() == "content-length":
                SENT[0] += int(value)
            super().send_header(keyword, value)

        def log_message(self, *args: object) -> None:
            pass

        def handle_error(self, *args: object) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Handler, directory=str(folder)))
    server.handle_error = lambda request, address: None  # type: ignore[method-assign]  # a page left mid-fetch
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}/"


def run_queries(base: str, phrases: list[dict[str, str]], quoted: bool) -> list[dict[str, object]]:
    from playwright.sync_api import sync_playwright

    results = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        for phrase in phrases:
            context = browser.new_context()  # a first visit: nothing cached from the queries before
            page = context.new_page()
            page.goto(base + "search/")
            page.press("#search-q", "Shift")  # the index loads at the reader's first key (search.js)
            page.wait_for_selector("#search-form[data-ready]", timeout=60_000)
            q = f'"{phrase["q"]}"' if quoted else phrase["q"]
            page.wait_for_load_state("networkidle")
            SENT[0] = 0
            got = page.evaluate(MEASURE, q)
            got["bytes"] = SENT[0]
            href = str(got["href"] or "")
            got["episode"] = href.split("#")[0].split("?")[0] == phrase["page"]
            got["turn"] = got["episode"] and href.endswith("#" + phrase["turn"])
            got["q"] = q
            results.append(got)
            context.close()
        browser.close()
    return results


def report(name: str, results: list[dict[str, object]]) -> None:
    n = len(results)
    episode = sum(bool(r["episode"]) for r in results)
    turn = sum(bool(r["turn"]) for r in results)
    ms = sorted(float(r["ms"]) for r in results)  # type: ignore[arg-type]
    kb = sorted(float(r["bytes"]) / 1024 for r in results)  # type: ignore[arg-type]
    print(f"{name}: right episode first {episode}/{n} ({100 * episode / n:.0f}%), "
          f"and linked to the turn {turn}/{n} ({100 * turn / n:.0f}%)")
    found = sorted(float(r["phases"]["pagefind"] or 0) for r in results)  # type: ignore[index]
    ranked = sorted(float(r["phases"]["ranked"] or 0) for r in results)  # type: ignore[index]
    print(f"{name}: of which Pagefind's lookups (all bundles) median {statistics.median(found):.0f} ms, "
          f"passages read and the first shown by {statistics.median(ranked):.0f} ms (median)")
    print(f"{name}: typing to first results median {statistics.median(ms):.0f} ms, "
          f"p90 {ms[int(0.9 * (n - 1))]:.0f} ms, max {ms[-1]:.0f} ms; fetched before them median "
          f"{statistics.median(kb):.0f} KB, p90 {kb[int(0.9 * (n - 1))]:.0f} KB, max {kb[-1]:.0f} KB", flush=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--episodes", type=int, default=1000)
    parser.add_argument("--kb", type=int, default=40, help="transcript size per episode (KB)")
    parser.add_argument("--queries", type=int, default=120)
    parser.add_argument("--out", type=Path, default=OUT)
    parser.add_argument("--misses", action="store_true", help="list the queries that missed")
    parser.add_argument("--json", action="store_true", help="also print the figures as JSON (last line)")
    args = parser.parse_args(argv)
    site, turns = prepare(args.out, args.episodes, args.kb)
    phrases = queries(site, turns, args.queries)
    server, base = serve(site)
    figures = {}
    try:
        print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs before the queries", flush=True)
        print(f"{len(phrases)} queries of five consecutive words from random turns, {args.episodes} episodes, "
              "Zipf vocabulary (150 common words + 30,000 others, exponent 1.05)", flush=True)
        for quoted in (False, True):
            name = "quoted" if quoted else "unquoted"
            results = run_queries(base, phrases, quoted)
            report(name, results)
            print(f"load average {os.getloadavg()[0]:.1f} after the {name} queries", flush=True)
            if args.misses:
                for r in results:
                    if not r["turn"]:
                        print(f"  miss: {r['q']} -> {r['href']}")
            figures[name] = results
    finally:
        server.shutdown()
    if args.json:
        print(json.dumps({k: [{"ms": r["ms"], "bytes": r["bytes"], "episode": r["episode"], "turn": r["turn"]}
                              for r in v] for k, v in figures.items()}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
