"""``ssg serve`` runs for days: hundreds of rebuilds, each completing, in bounded memory; it stops promptly.

The rebuilds run in this process as the preview runs them (``Preview.rebuild``)
while its HTTP server thread answers requests, with worker processes started
for every rebuild, as a big show's rebuilds start them from the threaded server.
"""

from __future__ import annotations

import gc
import os
import signal
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

import ssg.build
import ssg.parallel
from conftest import copy_site
from ssg.serve import Preview

REBUILDS = 300
WARM_UP = 40
"""Rebuilds before memory is first measured (caches, imports and the allocator settle)."""
GROWTH_BOUND_MB = 12
"""Resident memory the rebuilds after the warm-up may add, in all (the leak this guards against added ~0.5 MB
a rebuild on a 1,000-episode show)."""
EPISODES = 24


def rss_mb() -> float:
    """This process's resident memory (``VmRSS``)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    pytest.skip("no /proc/self/status on this system")


def make_show(root: Path, episodes: int = EPISODES) -> Path:
    """The basic show, with ``episodes`` more episodes of a few dozen turns each."""
    content = copy_site("basic", root)
    for n in range(episodes):
        turns = "\n".join(f"[00:{m // 60:02d}:{m % 60:02d}] {'Ada' if m % 2 else 'Ben'}: "
                          f"Turn {m} of episode {n}, about tides and harbours and the moon."
                          for m in range(40))
        (content / "episodes" / f"gen-{n:03d}.md").write_text(
            f"---\ntitle: Generated episode {n}\ndate: 2025-{1 + n % 12:02d}-{1 + n % 28:02d}\n"
            f"episode: {100 + n}\naudio_url: https://cdn.tides.example.org/g{n}.mp3\naudio_bytes: 1000\n"
            f"speakers: [ada, ben]\ntags: [gen{n % 3}]\n---\n{turns}\n")
    return content


def edit(content: Path, n: int) -> None:
    """Change one episode's words (a different episode each time)."""
    path = content / "episodes" / f"gen-{n % EPISODES:03d}.md"
    path.write_text(path.read_text().replace(" about ", f" (edit {n}) about ", 1))


@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="reads VmRSS from /proc")
def test_hundreds_of_rebuilds_complete_in_bounded_memory(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(ssg.build, "PARALLEL_MIN", 1)  # every rebuild starts workers, as a big show's would
    monkeypatch.setattr(ssg.parallel, "cpus", lambda: 2)
    started: list[int] = []
    real_pool = ssg.parallel.pool

    def counting_pool(size: int, *args: object, **kwargs: object):  # type: ignore[no-untyped-def]
        if size > 1:
            started.append(size)
        return real_pool(size, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(ssg.parallel, "pool", counting_pool)
    content = make_show(tmp_path / "show")
    preview = Preview(content, "127.0.0.1", 0, search=False, log=lambda line: None)
    preview.start()
    preview.watcher.stop()  # the test edits and rebuilds in step; the server thread keeps serving
    stop = threading.Event()
    answered: list[int] = []

    def visitor() -> None:  # keeps the server's threads busy while the workers start
        while not stop.is_set():
            try:
                with urllib.request.urlopen(preview.url + "episodes/generated-episode-1/", timeout=60) as page:
                    answered.append(page.status)
            except (urllib.error.URLError, OSError):
                answered.append(0)
            stop.wait(0.01)

    thread = threading.Thread(target=visitor, daemon=True)
    thread.start()
    try:
        memory: list[float] = []
        for n in range(REBUILDS):
            edit(content, n)
            result = preview.rebuild()
            assert result.ok, (n, [p.format() for p in result.problems])
            assert len(result.changed) >= 1, n
            if n + 1 == WARM_UP or n + 1 == REBUILDS:
                gc.collect()
                memory.append(rss_mb())
    finally:
        stop.set()
        thread.join(timeout=15)
        preview.stop()
    print(f"{REBUILDS} rebuilds, {len(started)} with workers; RSS {memory[0]:.1f} MB after {WARM_UP}, "
          f"{memory[-1]:.1f} MB after {REBUILDS}; {len(answered)} requests answered meanwhile")
    assert len(started) >= REBUILDS  # the first build, and every rebuild
    assert answered and set(answered) == {200}
    assert memory[-1] - memory[0] < GROWTH_BOUND_MB
    assert not preview.tmp.exists()


def wait_for_serving(process: subprocess.Popen[str]) -> str:
    deadline = time.monotonic() + 60
    line = ""
    while "Serving" not in line:
        assert time.monotonic() < deadline and process.poll() is None, "ssg serve did not start"
        line = process.stdout.readline()  # type: ignore[union-attr]
    return line.split(" at ")[1].split()[0]


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT])
def test_a_signal_stops_serve_promptly_and_removes_its_temporary_folder(tmp_path: Path, signum: int) -> None:
    """Also while a rebuild that starts workers is under way (the show is big enough, ``--jobs`` defaults)."""
    content = make_show(tmp_path / "show", episodes=40)
    temp = tmp_path / "temp"
    temp.mkdir()
    process = subprocess.Popen([sys.executable, "-m", "ssg", "serve", "--port", "0", "--no-search",
                                "--content", str(content)],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                               env={**os.environ, "NO_COLOR": "1", "TMPDIR": str(temp)})
    try:
        url = wait_for_serving(process)
        with urllib.request.urlopen(url, timeout=10) as page:
            assert page.status == 200
        assert [p for p in temp.iterdir() if p.name.startswith("ssg-serve-")]
        for n in range(EPISODES):  # every generated episode changes: the rebuild renders them in workers
            edit(content, n)
        time.sleep(0.6)  # the watcher has seen the change and is rebuilding
        process.send_signal(signum)
        process.wait(timeout=15)  # a failure guard, not a measure
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    stderr = process.stderr.read()  # type: ignore[union-attr]
    assert process.returncode == 0, stderr
    assert "Traceback" not in stderr
    assert not list(temp.iterdir())
