"""Benchmark: build a synthetic show and time full, no-change and one-edit builds.

    python bench/run.py                          # 1,000 episodes of ~40 KB, search off and on
    python bench/run.py --episodes 200 --search off --jobs 1
    python bench/run.py --episodes 5 --kb 2      # a smoke test

Generates the show deterministically into ``bench/out/show/content``
(git-ignored; reused while its parameters match) with a copy of the
default theme beside it (so edits to the theme in the work tree do not
disturb a run), then for each search setting runs ``ssg build`` three times,
each as its own process: a full build into an empty folder with an empty
cache, a rebuild with nothing changed, and a rebuild after editing one
episode's transcript, and then that edit once more in a process that has
built before and imported what a build needs (as ``ssg serve`` rebuilds:
no Python start, no imports). For comparison it times the straightforward pipeline
of issue #7 (``bench/baseline.py``) and, when ``hugo`` is installed, Hugo
over the same episode files with minimal templates. Two more rows set the
search-off figures in context: the same site's files written again by a
bare loop (what writing alone costs on this disk), and Pagefind in one run
over those pages (what indexing after rendering would add). The run ends
with issue #7's targets, each judged against this run's figures (with
``ssg --help`` timed as the median of five starts); "well under pages +
Pagefind" is read as at most 80% of their sum. Before each full build the
disk is synced, so the writes of a site deleted just before are not charged
to it.

Figures per build: wall seconds (including Python's start), episodes per
second, peak memory, files written (added, or replaced by new bytes: a file
kept as the same inode with the same modification time is not counted),
and the size of the search index. Peak memory is reported two ways:
``rss``, the largest resident set of any one process of the build (ssg, a
worker, or Pagefind), from ``wait4``'s rusage (which covers waited-for
children); and ``pss``, the largest sum of proportional set sizes of the
whole process tree (shared pages split between the processes sharing them),
sampled every 20 ms or more (the sampler stays under a tenth of a core) from
``/proc/<pid>/smaps_rollup`` (Linux only).

Before timing, ssg's modules are compiled to bytecode (``compileall``, as
``pip install`` does): where ``PYTHONDONTWRITEBYTECODE`` is set, every run
would otherwise compile ssg from source again (about 60 ms on this machine).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import NamedTuple

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
OUT = HERE / "out"
FLOOR = "write floor: the site's files, bare loop"
PAGEFIND = "pagefind alone over those pages (1 run)"
GENERATOR_VERSION = 3
"""Bump when ``generate`` changes what it writes (the show is made again)."""

SYLLABLES = ("ka lo mi ra te sun ver tal bro den fi lus mar co pen sta tri nel o a e "
             "ing er ly tion ment ous ble pro con").split()


# The synthetic show -------------------------------------------------------------
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
    """A sentence of Zipf-distributed words, now and then with inline Markdown or an entity."""
    n = rng.randint(6, 22)
    picked = [words[min(int(rng.paretovariate(1.1)) - 1, len(words) - 1)] for _ in range(n)]
    roll = rng.random()
    i = rng.randrange(n)
    if roll < 0.08:
        picked[i] = f"*{picked[i]}*"
    elif roll < 0.10:
        picked[i] = f"[{picked[i]}](https://example.org/{picked[i]})"
    elif roll < 0.11:
        picked[i] = f"`{picked[i]}`"
    elif roll < 0.12:
        picked[i] = rng.choice(["R&D", "a < b", "**really**", "5 > 3", "Q&A"])
    text = " ".join(picked)
    return text[0].upper() + text[1:] + rng.choice(".....?!")


def _stamp(seconds: float) -> str:
    return time.strftime("%H:%M:%S", time.gmtime(seconds))


def _turn(shape: int, speaker: str, t: float, text: str) -> str:
    """One turn in one of the transcript shapes the loader reads."""
    if shape < 6:
        return f"[{_stamp(t)}] {speaker}: {text}"
    if shape < 8:
        return f"**{speaker}:** {text}\n"
    if shape < 9:
        return f"{_stamp(t)} {speaker}: {text}\n"
    return f"({_stamp(t)}) {speaker}: {text}"


def episode(rng: random.Random, number: int, kb: int, words: list[str], guests: list[str]) -> str:
    """One episode file: front matter and ~``kb`` KB of transcript in one of several shapes.

    Shapes (by ``number % 10``): 0-5 one ``[HH:MM:SS] Name:`` turn a line;
    6-7 ``**Name:**`` turns without times, blank-line separated, some with a
    second paragraph; 8 ``HH:MM:SS Name:`` turns, blank-line separated;
    9 ``(HH:MM:SS) Name:``. Chapters are listed in the front matter, and
    about a third of them are ``##`` headings in the body instead.
    """
    shape = number % 10
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
        if size >= next_chapter:
            title = " ".join(rng.choice(words[50:2000]) for _ in range(3)).capitalize()
            if rng.random() < 0.3:
                turns.append(f"## {title}\n" if shape >= 6 else f"## {title}")
            else:
                chapters.append((t, title))
            next_chapter += chapter_every
        line = _turn(shape, speaker, t, text)
        if 6 <= shape < 8 and rng.random() < 0.2:
            line += " ".join(sentence(rng, words) for _ in range(rng.randint(1, 3))) + "\n"
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


def edit_one(content: Path, episodes: int, round_: int) -> None:
    """Edit one episode's transcript (a new first turn), differently each time."""
    victim = content / "episodes" / f"{(episodes + 1) // 2:05d}.md"
    text = victim.read_text()
    head, sep, body = text.partition("\n---\n")
    victim.write_text(f"{head}{sep}[00:00:01] Host One: An edit, number {round_}.\n{body}")


# Measuring ------------------------------------------------------------------------
def _tree_pids(root: int) -> list[int]:
    pids, stack = [], [root]
    while stack:
        pid = stack.pop()
        pids.append(pid)
        try:
            for task in os.listdir(f"/proc/{pid}/task"):
                with open(f"/proc/{pid}/task/{task}/children") as handle:
                    stack.extend(int(c) for c in handle.read().split())
        except OSError:
            pass
    return pids


def _pss_kb(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/smaps_rollup") as handle:
            for line in handle:
                if line.startswith("Pss:"):
                    return int(line.split()[1])
    except (OSError, ValueError):
        pass
    return 0


class PssSampler(threading.Thread):
    """The largest total PSS of a process tree, sampled every 20 ms or more.

    Reading ``smaps_rollup`` walks a process's page tables, which costs more
    the larger it is; the pause after each sample is at least ten times what
    the sample took, so the sampler takes under a tenth of a core from the
    build it measures (at 20 ms it took up to half a core during indexing).
    """

    def __init__(self, pid: int) -> None:
        super().__init__(daemon=True)
        self.pid = pid
        self.peak_kb = 0
        self.done = threading.Event()

    def run(self) -> None:
        pause = 0.02
        while not self.done.wait(pause):
            started = time.perf_counter()
            self.peak_kb = max(self.peak_kb, sum(_pss_kb(p) for p in _tree_pids(self.pid)))
            pause = max(0.02, 10 * (time.perf_counter() - started))


class Code(NamedTuple):
    """Which ssg a run times: this work tree's, or another revision's unpacked beside the show (``--before``)."""

    root: Path
    """Folder holding the ``ssg`` package (the working folder of every run, so it is what ``import ssg`` finds)."""
    label: str = "this tree"

    def env(self) -> dict[str, str]:
        """The environment of a run of this code."""
        extra = {} if self.root == ROOT else {"PYTHONPATH": str(self.root)}
        return {**os.environ, "NO_COLOR": "1", **extra}


HERE_CODE = Code(ROOT)


def run_process(command: list[str], code: Code = HERE_CODE) -> dict[str, float]:
    """Run a command to its end: wall seconds, peak RSS of its largest process, peak total PSS (MB)."""
    with tempfile.TemporaryFile() as errors:
        start = time.perf_counter()
        process = subprocess.Popen(command, cwd=code.root, stdout=subprocess.DEVNULL, stderr=errors,
                                   env=code.env())
        sampler = PssSampler(process.pid)
        sampler.start()
        _, status, usage = os.wait4(process.pid, 0)
        seconds = time.perf_counter() - start
        process.returncode = os.waitstatus_to_exitcode(status)
        sampler.done.set()
        sampler.join()
        if process.returncode != 0:
            errors.seek(0)
            sys.exit(f"{' '.join(command[:4])} failed:\n{errors.read().decode(errors='replace')}")
    return {"seconds": seconds, "rss_mb": usage.ru_maxrss / 1024, "pss_mb": sampler.peak_kb / 1024}


def snapshot(site: Path) -> dict[str, tuple[int, int]]:
    """Site files: path -> (inode, mtime_ns)."""
    if not site.is_dir():
        return {}
    return {p.relative_to(site).as_posix(): (p.stat().st_ino, p.stat().st_mtime_ns)
            for p in site.rglob("*") if p.is_file()}


def folder_mb(folder: Path) -> float:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file()) / 1e6 if folder.is_dir() else 0.0


def settle(site: Path) -> None:
    """Wait until a replaced site deleted in the background is gone (so runs do not overlap)."""
    deadline = time.time() + 120
    while time.time() < deadline and list(site.parent.glob(f".ssg-old-{site.name}-*")):
        time.sleep(0.05)


def compile_ssg(code: Code = HERE_CODE) -> None:
    """Compile the ssg package the builds will import, as an installed package is."""
    where = subprocess.run([sys.executable, "-c", "import os, ssg; print(os.path.dirname(ssg.__file__))"],
                           cwd=code.root, env=code.env(), capture_output=True, text=True, check=True).stdout.strip()
    subprocess.run([sys.executable, "-m", "compileall", "-q", where], check=True)


def run_ssg(content: Path, site: Path, jobs: int, search: bool, code: Code = HERE_CODE) -> dict[str, float]:
    command = [sys.executable, "-m", "ssg", "build", "--content", str(content), "--out", str(site), "--quiet"]
    if jobs:
        command += ["--jobs", str(jobs)]
    if not search:
        command.append("--no-search")
    before = snapshot(site)
    figures = run_process(command, code)
    after = snapshot(site)
    figures["files_written"] = sum(1 for path, key in after.items() if before.get(path) != key)
    figures["index_mb"] = folder_mb(site / "pagefind")
    settle(site)
    return figures


def hugo_site(show: Path, content: Path) -> Path:
    """A Hugo site over the same episode files: minimal list and page templates."""
    root = show / "hugo"
    layouts = root / "layouts" / "_default"
    layouts.mkdir(parents=True, exist_ok=True)
    (root / "hugo.toml").write_text(
        f'baseURL = "https://bench.example.org/"\ntitle = "Benchmark Show"\ncontentDir = "{content}"\n'
        'disableKinds = ["RSS", "sitemap", "robotsTXT", "404"]\n[markup.goldmark.renderer]\nunsafe = false\n')
    (layouts / "single.html").write_text(
        "<!doctype html><html lang=en><head><meta charset=utf-8><title>{{ .Title }}</title></head>"
        "<body><main><h1>{{ .Title }}</h1><p>{{ .Date.Format \"2006-01-02\" }}</p>"
        "{{ .Content }}</main></body></html>\n")
    (layouts / "list.html").write_text(
        "<!doctype html><html lang=en><head><meta charset=utf-8><title>{{ .Title }}</title></head><body><ul>"
        "{{ range .Pages }}<li><a href=\"{{ .RelPermalink }}\">{{ .Title }}</a></li>{{ end }}</ul></body></html>\n")
    return root


# The run --------------------------------------------------------------------------
def prepare(out: Path, episodes: int, kb: int) -> tuple[Path, Path]:
    """The show's content folder (generated when missing or different) and its theme copy."""
    show = out / "show"
    content = show / "content"
    stamp = show / "params.json"
    params = {"episodes": episodes, "kb": kb, "version": GENERATOR_VERSION}
    if not stamp.exists() or json.loads(stamp.read_text()) != params:
        started = time.perf_counter()
        generate(content, episodes, kb)
        stamp.write_text(json.dumps(params))
        size = sum(p.stat().st_size for p in (content / "episodes").iterdir()) / 1e6
        print(f"generated {episodes} episodes ({size:.1f} MB) in {time.perf_counter() - started:.1f}s")
    themes = show / "themes"
    shutil.rmtree(themes, ignore_errors=True)
    shutil.copytree(ROOT / "ssg" / "themes", themes)
    return show, content


IN_PROCESS = """
import json, sys, time
from pathlib import Path
sys.path.insert(0, sys.argv[1])
from run import edit_one
import importlib, ssg
here = Path(ssg.__file__).parent
for name in ("exports", "feeds", "render", "loading", "load"):  # what a running `ssg serve` has imported
    if (here / name).is_dir() or (here / f"{name}.py").is_file():  # load: the loader before it was a package
        importlib.import_module(f"ssg.{name}")
from ssg.build import build_site
content, site, search, jobs, n = Path(sys.argv[2]), Path(sys.argv[3]), sys.argv[4] == "on", int(sys.argv[5]), int(sys.argv[6])
assert build_site(content, site, search=search, jobs=jobs).ok  # nothing to do
edit_one(content, n, time.time_ns())
start = time.perf_counter()
result = build_site(content, site, search=search, jobs=jobs)
print(json.dumps({"seconds": time.perf_counter() - start, "written": len(result.changed), "ok": result.ok}))
"""


def in_process_edit(content: Path, site: Path, jobs: int, search: bool, episodes: int,
                    code: Code = HERE_CODE) -> dict[str, float]:
    """A one-episode edit rebuilt by a process that has built before, as ``ssg serve`` rebuilds."""
    done = subprocess.run([sys.executable, "-c", IN_PROCESS, str(HERE), str(content), str(site),
                           "on" if search else "off", str(jobs), str(episodes)],
                          cwd=code.root, capture_output=True, text=True, env=code.env())
    if done.returncode != 0 or not done.stdout.strip():
        sys.exit(f"in-process rebuild failed:\n{done.stderr}")
    figures = json.loads(done.stdout.strip().splitlines()[-1])
    if not figures["ok"]:
        sys.exit("in-process rebuild failed")
    settle(site)
    return {"seconds": figures["seconds"], "files_written": figures["written"]}


def pagefind_alone(site: Path) -> dict[str, float]:
    """Pagefind in one run over the built pages (what indexing after rendering would cost)."""
    import pagefind_bin

    with tempfile.TemporaryDirectory(dir=site.parent) as scratch:
        figures = run_process([str(pagefind_bin.get_executable()), "--site", str(site),
                               "--output-path", str(Path(scratch) / "pagefind"), "--silent"])
    return figures


WRITE_FLOOR = """
import json, os, sys, tempfile, time
site = sys.argv[1]
files = []
for folder, _, names in os.walk(site):
    for name in names:
        path = os.path.join(folder, name)
        with open(path, "rb") as handle:
            files.append((os.path.relpath(path, site), handle.read()))
with tempfile.TemporaryDirectory(dir=os.path.dirname(site)) as scratch:
    os.sync()
    start = time.perf_counter()
    made = set()
    for relative, data in files:
        parent = os.path.dirname(relative)
        if parent not in made:
            os.makedirs(os.path.join(scratch, parent), exist_ok=True)
            made.add(parent)
        with open(os.path.join(scratch, relative), "wb") as handle:
            handle.write(data)
    seconds = time.perf_counter() - start
print(json.dumps({"seconds": seconds, "files_written": len(files), "mb": sum(len(d) for _, d in files) / 1e6}))
"""


def write_floor(site: Path) -> dict[str, float]:
    """Seconds to write the site's files again with a bare loop: what writing alone costs on this disk.

    In a process of its own: it holds the whole site in memory, and a process
    started by one that large would report that size as its own peak RSS.
    """
    done = subprocess.run([sys.executable, "-c", WRITE_FLOOR, str(site)], capture_output=True, text=True,
                          check=True)
    figures: dict[str, float] = json.loads(done.stdout)
    return figures


def help_seconds(runs: int = 5) -> dict[str, float]:
    """Median wall seconds of ``ssg --help`` (a new Python process each time)."""
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run([sys.executable, "-m", "ssg", "--help"], cwd=ROOT, stdout=subprocess.DEVNULL, check=True)
        times.append(time.perf_counter() - start)
    return {"seconds": sorted(times)[runs // 2]}


def line(name: str, episodes: int, f: dict[str, float]) -> str:
    index = f"{f['index_mb']:7.1f} MB" if f.get("index_mb") else "        -"
    written = f"{int(f['files_written']):6d}" if "files_written" in f else "     -"
    memory = (f"{f['rss_mb']:7.0f} MB {f['pss_mb']:7.0f} MB" if "rss_mb" in f
              else f"{'-':>10} {'-':>10}")
    return f"{name:<42} {f['seconds']:7.2f} s {episodes / f['seconds']:9.1f}  {memory}  {written}   {index}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--episodes", type=int, default=1000)
    parser.add_argument("--kb", type=int, default=40, help="transcript size per episode (KB)")
    parser.add_argument("--jobs", type=int, default=0, help="passed to ssg build --jobs (0: one per CPU)")
    parser.add_argument("--search", choices=["off", "on", "both"], default="both",
                        help="build without and/or with the Pagefind index (default: both)")
    parser.add_argument("--no-search", dest="search", action="store_const", const="off",
                        help="same as --search off")
    parser.add_argument("--no-compare", action="store_true", help="skip the baseline pipeline and Hugo")
    parser.add_argument("--out", type=Path, default=OUT)
    parser.add_argument("--json", action="store_true", help="also print the figures as JSON (last line)")
    parser.add_argument("--before", metavar="REV",
                        help="also time a git revision's ssg on the same show, each row back to back with this "
                             "tree's, and print the two side by side")
    args = parser.parse_args(argv)

    show, content = prepare(args.out, args.episodes, args.kb)
    compile_ssg()
    n = args.episodes
    print(f"{'build':<42} {'wall':>9} {'eps/s':>9}  {'peak rss':>10} {'peak pss':>10}  {'written':>6}  "
          f"{'search index':>12}")
    figures: dict[str, dict[str, float]] = {}
    earlier: dict[str, dict[str, float]] = {}
    before = unpack(args.before, args.out, show) if args.before else None
    if before:
        compile_ssg(before[0])
    settings = {"off": [False], "on": [True], "both": [False, True]}[args.search]
    for search in settings:
        if before:  # the same rows for the earlier code first, back to back with this tree's
            earlier.update(builds(before[0], before[1], search, args.jobs, n))
        figures.update(builds(HERE_CODE, show, search, args.jobs, n))
        site = show / "site"
        if not search:
            figures[FLOOR] = write_floor(site)
            print(line(FLOOR, n, figures[FLOOR]), flush=True)
            if True in settings:
                figures[PAGEFIND] = pagefind_alone(site)
                print(line(PAGEFIND, n, figures[PAGEFIND]), flush=True)
    if not args.no_compare:
        base = show / "baseline-site"
        shutil.rmtree(base, ignore_errors=True)
        os.sync()
        figures["baseline pipeline (1 process)"] = run_process(
            [sys.executable, str(HERE / "baseline.py"), str(content), str(base)])
        print(line("baseline pipeline (1 process)", n, figures["baseline pipeline (1 process)"]), flush=True)
        if shutil.which("hugo"):
            root = hugo_site(show, content)
            shutil.rmtree(show / "hugo-site", ignore_errors=True)
            os.sync()
            figures["hugo (minimal templates)"] = run_process(
                ["hugo", "--quiet", "-s", str(root), "-d", str(show / "hugo-site")])
            print(line("hugo (minimal templates)", n, figures["hugo (minimal templates)"]), flush=True)
    figures["ssg --help"] = help_seconds()
    _summary(figures)
    if before:
        print()
        print(comparison(earlier, figures, before[0].label))
    print()
    print(targets_table(figures, n, args.search))
    print(f"({n} episodes x ~{args.kb} KB, {os.cpu_count()} CPUs, load average "
          f"{os.getloadavg()[0]:.1f}, Python {sys.version.split()[0]}; rss: largest process, "
          "pss: whole process tree)")
    if args.json:
        rounded = {k: {m: round(v, 3) for m, v in f.items()} for k, f in figures.items()}
        if before:
            rounded |= {f"{k} [{before[0].label}]": {m: round(v, 3) for m, v in f.items()} for k, f in earlier.items()}
        print(json.dumps(rounded))
    return 0


def builds(code: Code, show: Path, search: bool, jobs: int, n: int) -> dict[str, dict[str, float]]:
    """Full build, no-change rebuild, one-episode edit and the edit in process, of ``code`` over ``show``."""
    figures: dict[str, dict[str, float]] = {}
    content, site = show / "content", show / "site"
    for leftover in (site, show / ".ssg-cache", show / ".site.ssg-spare"):  # the spare: a site a swap replaced
        shutil.rmtree(leftover, ignore_errors=True)
    os.sync()  # the deleted site's writes are not charged to the build that follows
    tag = "" if code == HERE_CODE else f" [{code.label}]"
    for step, name in enumerate(("full build", "no-change rebuild", "one-episode edit")):
        if step == 2:
            edit_one(content, n, int(time.time()))
        label = f"{name} (search {'on' if search else 'off'})"
        figures[label] = run_ssg(content, site, jobs, search, code)
        print(line(label + tag, n, figures[label]), flush=True)
    label = f"one-episode edit, in process (search {'on' if search else 'off'})"
    figures[label] = in_process_edit(content, site, jobs, search, n, code)
    print(line(label + tag, n, figures[label]), flush=True)
    return figures


def unpack(rev: str, out: Path, show: Path) -> tuple[Code, Path]:
    """The ssg of git revision ``rev`` unpacked under ``out``, and a copy of the show with that revision's theme.

    The copy has its own content folder (each edit row edits it) and cache, so
    the two codes never share a cache; its episodes are the show's own.
    """
    sha = subprocess.run(["git", "-C", str(ROOT), "rev-parse", "--verify", f"{rev}^{{commit}}"],
                         capture_output=True, text=True, check=True).stdout.strip()
    place = out / f"before-{sha[:12]}"
    code = Code(place / "code", label=f"{rev} ({sha[:7]})" if rev != sha[:len(rev)] else sha[:7])
    if not (code.root / "ssg").is_dir():
        shutil.rmtree(code.root, ignore_errors=True)
        code.root.mkdir(parents=True)
        archive = subprocess.run(["git", "-C", str(ROOT), "archive", sha], capture_output=True, check=True).stdout
        subprocess.run(["tar", "-x", "-C", str(code.root)], input=archive, check=True)
    copy = place / "show"
    shutil.rmtree(copy, ignore_errors=True)
    shutil.copytree(show / "content", copy / "content")
    themes = next(p for p in (code.root / "ssg" / "themes", code.root / "themes") if p.is_dir())
    shutil.copytree(themes, copy / "themes")
    return code, copy


def comparison(before: dict[str, dict[str, float]], after: dict[str, dict[str, float]], label: str) -> str:
    """The rows timed for both codes side by side: seconds, and peak memory of the full builds (10% worse: WORSE)."""
    rows: list[tuple[str, float, float, str]] = [
        (name, before[name]["seconds"], after[name]["seconds"], "s") for name in before if name in after]
    for name in before:
        if name.startswith("full build") and "pss_mb" in before[name] and "pss_mb" in after.get(name, {}):
            rows.append((f"peak memory (pss), {name}", before[name]["pss_mb"], after[name]["pss_mb"], "MB"))
            rows.append((f"peak memory (rss), {name}", before[name]["rss_mb"], after[name]["rss_mb"], "MB"))
    width = max(len(r[0]) for r in rows) if rows else 10
    lines = [f"{'row':<{width}} {label:>14} {'this tree':>12} {'change':>8}"]
    for name, was, now, unit in rows:
        change = (now - was) / was if was else 0.0
        verdict = "  WORSE (>10%)" if change > 0.10 else ""
        lines.append(f"{name:<{width}} {was:>11.2f} {unit:<2} {now:>9.2f} {unit:<2} {change:>+7.0%}{verdict}")
    return "\n".join(lines)


def _summary(figures: dict[str, dict[str, float]]) -> None:
    """Ratios worth reading: pages against the baseline, and what the search index costs."""
    full_off = figures.get("full build (search off)")
    base = figures.get("baseline pipeline (1 process)")
    if full_off and base:
        print(f"full build without search: {base['seconds'] / full_off['seconds']:.1f}x as fast as the baseline")
    full_on = figures.get("full build (search on)")
    if full_off and full_on:
        edit = figures["one-episode edit (search on)"]["seconds"] - figures["one-episode edit (search off)"]["seconds"]
        print(f"search index: {full_on['seconds'] - full_off['seconds']:+.2f} s on a full build, "
              f"{edit:+.2f} s on a one-episode edit")


Target = tuple[str, str, str, "bool | None"]
"""(what, measured, goal, met); met is None when this run cannot tell."""


def targets(figures: dict[str, dict[str, float]], episodes: int, search: str) -> list[Target]:
    """Issue #7's targets against this run's figures."""
    get = figures.get
    rows: list[Target] = []
    judged = episodes <= 1000  # rebuild times are set for 1,000 episodes; 10,000 are judged on the full build
    scale = "" if judged else " (set for 1,000 episodes)"
    full_off, full_on = get("full build (search off)"), get("full build (search on)")
    hugo, alone = get("hugo (minimal templates)"), get(PAGEFIND)
    if full_off:
        half = hugo["seconds"] / 2 if hugo else 0.0
        goal = (f"<= {half:.2f} s (half of Hugo's {hugo['seconds']:.2f} s)" if hugo
                else "half of Hugo's time (hugo not installed)")
        rows.append(("pages: full build, search off", f"{full_off['seconds']:.2f} s", goal,
                     full_off["seconds"] <= half if hugo else None))
    if full_off and full_on and alone:
        apart = full_off["seconds"] + alone["seconds"]
        rows.append(("full build with search", f"{full_on['seconds']:.2f} s",
                     f"<= {0.8 * apart:.2f} s (80% of pages {full_off['seconds']:.2f} + Pagefind {alone['seconds']:.2f})",
                     full_on["seconds"] <= 0.8 * apart))
    same = [f["seconds"] for name in ("no-change rebuild (search off)", "no-change rebuild (search on)")
            if (f := get(name))]
    if same:
        rows.append(("no-change rebuild", " / ".join(f"{s:.2f} s" for s in same), f"< 0.30 s{scale}",
                     max(same) < 0.3 if judged else None))
    edit, warm = get("one-episode edit (search off)"), get("one-episode edit, in process (search off)")
    if edit:
        extra = f" (in process: {warm['seconds']:.2f} s)" if warm else ""
        rows.append(("one-episode edit, pages", f"{edit['seconds']:.2f} s{extra}", f"< 0.50 s{scale}",
                     edit["seconds"] < 0.5 if judged else None))
    edit_on = get("one-episode edit (search on)")
    if edit and edit_on and alone:
        update = edit_on["seconds"] - edit["seconds"]
        rows.append(("one-episode edit, search update", f"{update:+.2f} s",
                     f"< half a full index ({alone['seconds'] / 2:.2f} s)", update < alone["seconds"] / 2))
    biggest = full_on or full_off
    if biggest and "pss_mb" in biggest:
        limit, set_for = (500, "1,000") if episodes <= 1000 else (2048, "10,000")
        rows.append((f"peak memory, full build ({episodes:,} episodes)", f"{biggest['pss_mb']:.0f} MB",
                     f"< {limit} MB (set for {set_for} episodes)", biggest["pss_mb"] < limit))
    if full_on and episodes >= 10_000:
        rows.append((f"{episodes:,} episodes with search", f"{full_on['seconds']:.0f} s",
                     "< 180 s", full_on["seconds"] < 180))
    elif search != "off":
        rows.append(("10,000 episodes with search", "not run", "< 180 s, < 2 GB (--episodes 10000)", None))
    if (shown := get("ssg --help")):
        rows.append(("ssg --help", f"{shown['seconds']:.2f} s", "< 0.15 s", shown["seconds"] < 0.15))
    return rows


def targets_table(figures: dict[str, dict[str, float]], episodes: int, search: str) -> str:
    """``targets`` as lines of aligned columns, each ending in met, MISSED or - (cannot tell)."""
    rows = targets(figures, episodes, search)
    verdict = {True: "met", False: "MISSED", None: "-"}
    first = max([len("target (issue #7)"), *(len(r[0]) for r in rows)])
    width = max([len("measured"), *(len(r[1]) for r in rows)])
    out = [f"{'target (issue #7)':<{first}}  {'measured':<{width}}  {'goal':<62} result"]
    out += [f"{what:<{first}}  {measured:<{width}}  {goal:<62} {verdict[met]}" for what, measured, goal, met in rows]
    return "\n".join(out)


if __name__ == "__main__":
    raise SystemExit(main())
