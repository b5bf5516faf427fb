"""Benchmark: build a synthetic show and time full, no-change and one-edit rebuilds.

    python bench/run.py                      # 1,000 episodes of ~40 KB, with search
    python bench/run.py --episodes 200 --no-search

Generates the show into ``bench/out/show/content`` (git-ignored; reused when
its parameters match), then runs ``ssg build`` three times as a separate
process each: a full build into an empty folder, a rebuild with no change,
and a rebuild after editing one episode. Prints wall time, episodes per
second, and the peak resident memory of the largest process of each build
(ssg itself or the Pagefind binary it runs), from ``wait4``'s rusage.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
OUT = HERE / "out"

SYLLABLES = ("ka lo mi ra te sun ver tal bro den fi lus mar co pen sta tri nel o a e "
             "ing er ly tion ment ous ble pro con").split()


def vocabulary(rng: random.Random, size: int) -> list[str]:
    """``size`` distinct pseudo-words, most frequent first (used with a Zipf-like pick)."""
    common = ("the and to of a in that is it you I was for on we so but this with they have "
              "be not are what like just know think at can really about there one do if people").split()
    words = list(common)
    seen = set(words)
    while len(words) < size:
        word = "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(1, 4)))
        if word not in seen:
            seen.add(word)
            words.append(word)
    return words


def sentence(rng: random.Random, words: list[str]) -> str:
    n = rng.randint(6, 22)
    picked = [words[min(int(rng.paretovariate(1.1)) - 1, len(words) - 1)] for _ in range(n)]
    if rng.random() < 0.08:
        i = rng.randrange(n)
        picked[i] = f"*{picked[i]}*"
    text = " ".join(picked)
    return text[0].upper() + text[1:] + rng.choice(".....?!")


def episode(rng: random.Random, number: int, kb: int, words: list[str], guests: list[str]) -> str:
    hosts = ["Host One", "Host Two"]
    people = hosts + rng.sample(guests, rng.randint(1, 2))
    target = kb * 1024
    turns: list[str] = []
    size = 0
    t = 3.0
    chapter_every = max(1, target // 5)
    next_chapter = chapter_every
    chapters = [(0.0, "Opening")]
    while size < target:
        speaker = rng.choice(people)
        text = " ".join(sentence(rng, words) for _ in range(rng.randint(1, 6)))
        stamp = time.strftime("%H:%M:%S", time.gmtime(t))
        line = f"[{stamp}] {speaker}: {text}"
        if size >= next_chapter:
            title = " ".join(rng.choice(words[50:2000]) for _ in range(3)).capitalize()
            if rng.random() < 0.3:
                turns.append(f"## {title}")
            else:
                chapters.append((t, title))
            next_chapter += chapter_every
        turns.append(line)
        size += len(line) + 1
        t += len(text.split()) / 2.5 + rng.uniform(0.5, 3)
    duration = int(t + 30)
    year = 2010 + number // 120
    day = 1 + number % 28
    month = 1 + (number // 28) % 12
    chapter_lines = "\n".join(f'  - {{start: {int(s)}, title: "{title}"}}' for s, title in chapters)
    return (
        "---\n"
        f'title: "Episode {number}: {" ".join(rng.choice(words[20:500]) for _ in range(4))}"\n'
        f"date: {year}-{month:02d}-{day:02d}\n"
        f"episode: {number}\n"
        f"duration: {duration}\n"
        f"audio_url: https://cdn.example.org/{number}.mp3\n"
        f"audio_bytes: {duration * 16000}\n"
        f"description: {json.dumps(sentence(rng, words) + ' ' + sentence(rng, words))}\n"
        f"speakers: [{', '.join(people)}]\n"
        f"chapters:\n{chapter_lines}\n"
        f"tags: [{rng.choice(words[30:60])}, {rng.choice(words[30:60])}]\n"
        "---\n" + "\n".join(turns) + "\n"
    )


def generate(content: Path, episodes: int, kb: int, seed: int = 7) -> None:
    """Write the synthetic show (replacing what is there)."""
    rng = random.Random(seed)
    words = vocabulary(rng, 20_000)
    guests = [f"Guest {name.capitalize()}" for name in vocabulary(random.Random(seed + 1), 260)[60:260]]
    shutil.rmtree(content, ignore_errors=True)
    (content / "episodes").mkdir(parents=True)
    (content / "site.yaml").write_text(
        "title: Benchmark Show\ndescription: A synthetic show.\nbase_url: https://bench.example.org/\n"
        "image: https://bench.example.org/cover.png\ncategories: [Technology]\n"
        "owner: {name: Bench, email: bench@example.org}\n")
    speakers = ["- {id: host-one, name: Host One, role: host}", "- {id: host-two, name: Host Two, role: co-host}"]
    speakers += [f"- {{id: g{i}, name: {g}, role: guest}}" for i, g in enumerate(guests)]
    (content / "speakers.yaml").write_text("\n".join(speakers) + "\n")
    for n in range(1, episodes + 1):
        (content / "episodes" / f"{n:05d}.md").write_text(episode(rng, n, kb, words, guests))


def run_build(content: Path, out: Path, jobs: int, search: bool) -> tuple[float, int, str]:
    """One ``ssg build`` in a child process: (seconds, peak RSS in KiB, its summary line)."""
    command = [sys.executable, "-m", "ssg", "build", "--content", str(content), "--out", str(out), "--quiet"]
    if jobs:
        command += ["--jobs", str(jobs)]
    if not search:
        command.append("--no-search")
    start = time.perf_counter()
    process = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                               env={**os.environ, "NO_COLOR": "1"})
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - start
    stderr = process.stderr.read().decode() if process.stderr else ""
    if os.waitstatus_to_exitcode(status) != 0:
        sys.exit(f"build failed:\n{stderr}")
    return seconds, usage.ru_maxrss, stderr.strip()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--episodes", type=int, default=1000)
    parser.add_argument("--kb", type=int, default=40, help="transcript size per episode (KB)")
    parser.add_argument("--jobs", type=int, default=0, help="passed to ssg build --jobs (0: its default)")
    parser.add_argument("--no-search", action="store_true", help="build without the Pagefind index")
    parser.add_argument("--out", type=Path, default=OUT)
    parser.add_argument("--json", action="store_true", help="also print the figures as JSON")
    args = parser.parse_args(argv)

    content = args.out / "show" / "content"
    stamp = args.out / "show" / "params.json"
    params = {"episodes": args.episodes, "kb": args.kb, "version": 2}
    if not stamp.exists() or json.loads(stamp.read_text()) != params:
        started = time.perf_counter()
        generate(content, args.episodes, args.kb)
        stamp.write_text(json.dumps(params))
        size = sum(p.stat().st_size for p in (content / "episodes").iterdir()) / 1e6
        print(f"generated {args.episodes} episodes ({size:.1f} MB) in {time.perf_counter() - started:.1f}s")
    site = args.out / "show" / "site"
    shutil.rmtree(site, ignore_errors=True)
    shutil.rmtree(args.out / "show" / ".ssg-cache", ignore_errors=True)
    search = not args.no_search

    results: dict[str, dict[str, float]] = {}
    for name in ("full build", "no-change rebuild", "one-episode edit"):
        if name == "one-episode edit":
            victim = content / "episodes" / f"{(args.episodes + 1) // 2:05d}.md"
            victim.write_text(victim.read_text().replace("---\n[", "---\n[00:00:01] Host One: An edit.\n[", 1))
        seconds, rss, _ = run_build(content, site, args.jobs, search)
        results[name] = {"seconds": round(seconds, 2), "episodes_per_second": round(args.episodes / seconds, 1),
                         "peak_rss_mb": round(rss / 1024, 1)}
        print(f"{name:<18} {seconds:7.2f} s  {args.episodes / seconds:8.1f} episodes/s  "
              f"peak RSS {rss / 1024:7.1f} MB")
    print(f"({args.episodes} episodes x ~{args.kb} KB, search {'on' if search else 'off'}, "
          f"{os.cpu_count()} CPUs, Python {sys.version.split()[0]})")
    if args.json:
        print(json.dumps(results))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
