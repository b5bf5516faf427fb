"""The benchmark runs end to end in one command (on a tiny show; no wall time is asserted)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_bench_runs_and_reports(tmp_path: Path) -> None:
    done = subprocess.run([sys.executable, str(ROOT / "bench" / "run.py"), "--episodes", "6", "--kb", "3",
                           "--out", str(tmp_path), "--json"], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    lines = done.stdout.strip().splitlines()
    assert lines[0].startswith("generated 6 episodes")
    for name in ("full build", "no-change rebuild", "one-episode edit"):
        assert any(line.startswith(name) and "episodes/s" in line and "peak RSS" in line for line in lines)
    figures = json.loads(lines[-1])
    assert set(figures) == {"full build", "no-change rebuild", "one-episode edit"}
    assert all(f["seconds"] > 0 and f["peak_rss_mb"] > 0 for f in figures.values())
    site = tmp_path / "show" / "site"
    assert len(list((site / "episodes").iterdir())) == 6
    assert (site / "pagefind" / "shards.json").is_file()
    edited = (site / "episodes").glob("*/index.html")
    assert any("An edit." in p.read_text() for p in edited)
