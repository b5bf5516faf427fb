"""The search benchmark (bench/search.py) runs end to end on a tiny show and reports its figures (no figure is asserted)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.browser
def test_search_bench_reports_success_latency_and_bytes(tmp_path: Path) -> None:
    if not Path("/usr/bin/chromium").exists():
        pytest.skip("/usr/bin/chromium is not installed")
    pytest.importorskip("playwright.sync_api", reason="pip install playwright")
    done = subprocess.run([sys.executable, str(ROOT / "bench" / "search.py"), "--episodes", "12", "--kb", "3",
                           "--queries", "4", "--out", str(tmp_path), "--json"],
                          capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr
    lines = done.stdout.strip().splitlines()
    assert lines[0] == "generated 12 episodes" or lines[0].startswith("generated 12 episodes")
    for name in ("unquoted", "quoted"):
        assert any(line.startswith(f"{name}: right episode first ") and "linked to the turn" in line for line in lines)
        assert any(line.startswith(f"{name}: typing to first results median ") and " KB" in line for line in lines)
    figures = json.loads(lines[-1])
    assert len(figures["unquoted"]) == len(figures["quoted"]) == 4
    assert all(f["ms"] > 0 and f["bytes"] > 0 for f in figures["unquoted"])
