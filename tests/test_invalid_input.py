"""Bad content never produces a traceback: every problem as ``path:line: message (hint)``.

Each file in ``fixtures/invalid/`` is one class of error: a comment line,
then the files of a content folder (``=== path`` then its text), then
``=== expected`` and the exact problem lines the build must print. A
``site.yaml`` is supplied when the case does not give one.

Set ``SSG_UPDATE_EXPECTED=1`` to rewrite the expected sections from the
current output (then read the diff before committing it).
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "invalid"
CASES = sorted(FIXTURES.glob("*.txt"))
DEFAULT_SITE = "title: Test Show\nbase_url: https://example.org/\n"
DEFAULT_SPEAKERS = "- id: ada\n  name: Ada\n"


def parse_case(path: Path) -> tuple[dict[str, str], list[str]]:
    """Files of the case and its expected problem lines."""
    files: dict[str, str] = {}
    current: str | None = None
    lines: list[str] = []
    for line in path.read_text(encoding="utf-8").splitlines(keepends=True):
        if line.startswith("=== "):
            if current is not None:
                files[current] = "".join(lines)
            current, lines = line[4:].strip(), []
        elif current is not None:
            lines.append(line)
    if current is not None:
        files[current] = "".join(lines)
    expected = [line for line in files.pop("expected", "").splitlines() if line.strip()]
    return files, expected


def assert_expected(case: Path, got: list[str], expected: list[str]) -> None:
    """``got`` is the case's expected lines; with ``SSG_UPDATE_EXPECTED=1`` they are rewritten to it instead."""
    if os.environ.get("SSG_UPDATE_EXPECTED"):
        text = case.read_text(encoding="utf-8")
        head = text[: text.index("=== expected")]
        case.write_text(head + "=== expected\n" + "".join(f"{g}\n" for g in got), encoding="utf-8")
        return
    assert expected, f"{case.name} has no expected lines (run with SSG_UPDATE_EXPECTED=1)"
    assert got == expected


def make_content(root: Path, files: dict[str, str]) -> Path:
    files = {"content/site.yaml": DEFAULT_SITE, "content/speakers.yaml": DEFAULT_SPEAKERS, **files}
    for name, text in files.items():
        target = root / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
    return root / "content"


def run_ssg(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "ssg", *args], cwd=cwd, capture_output=True,
                          text=True, timeout=120, env={**os.environ, "NO_COLOR": "1"})


def problem_lines(stderr: str) -> list[str]:
    """The error lines (these fixtures are about errors; warnings are tested elsewhere)."""
    return [line for line in stderr.splitlines() if line.startswith("content/") and ": warning: " not in line]


@pytest.mark.parametrize("case", CASES, ids=[c.stem for c in CASES])
def test_invalid_content_is_reported_not_raised(case: Path, tmp_path: Path) -> None:
    files, expected = parse_case(case)
    make_content(tmp_path, files)
    done = run_ssg("build", "--no-search", cwd=tmp_path)
    assert "Traceback" not in done.stderr + done.stdout
    assert done.returncode == 1, done.stderr
    got = problem_lines(done.stderr)
    assert_expected(case, got, expected)
    assert "failed:" in done.stderr
    assert not (tmp_path / "site").exists()


def test_failed_build_leaves_previous_site_exactly(tmp_path: Path) -> None:
    content = make_content(tmp_path, {
        "content/episodes/a.md": "---\ntitle: Good\ndate: 2026-01-01\n---\nAda: Hello.\n",
    })
    assert run_ssg("build", "--no-search", cwd=tmp_path).returncode == 0
    site = tmp_path / "site"
    before = {p.relative_to(site): (p.read_bytes(), p.stat().st_mtime_ns) for p in site.rglob("*") if p.is_file()}
    (content / "episodes" / "a.md").write_text("---\ntitle: Good\ndate: 2026-13-01\n---\nAda: Hi.\n")
    done = run_ssg("build", "--no-search", cwd=tmp_path)
    assert done.returncode == 1
    after = {p.relative_to(site): (p.read_bytes(), p.stat().st_mtime_ns) for p in site.rglob("*") if p.is_file()}
    assert after == before
    assert not [p for p in tmp_path.iterdir() if p.name.startswith((".ssg-staging", ".ssg-old"))]


def test_every_problem_of_a_build_is_reported_together(tmp_path: Path) -> None:
    make_content(tmp_path, {
        "content/episodes/a.md": "---\ntitle: A\ndate: 2026-02-30\n---\nAda: Hi.\n",
        "content/episodes/b.md": "---\ndate: 2026-01-01\n---\nAda: Hi.\n",
        "content/episodes/c.md": "no front matter\n",
    })
    done = run_ssg("build", "--no-search", cwd=tmp_path)
    files = {line.split(":")[0] for line in problem_lines(done.stderr)}
    assert files == {"content/episodes/a.md", "content/episodes/b.md", "content/episodes/c.md"}
    assert "failed: 3 errors" in done.stderr


def test_non_utf8_file_is_a_clear_error(tmp_path: Path) -> None:
    content = make_content(tmp_path, {})
    (content / "episodes").mkdir()
    (content / "episodes" / "a.md").write_bytes(
        b"---\ntitle: Caf\xe9\ndate: 2026-01-01\n---\nAda: Hello.\n")
    done = run_ssg("build", "--no-search", cwd=tmp_path)
    assert done.returncode == 1
    assert problem_lines(done.stderr) == [
        line for line in problem_lines(done.stderr) if line.startswith("content/episodes/a.md:2:")]
    assert "UTF-8" in done.stderr


def test_bom_and_crlf_just_work(tmp_path: Path) -> None:
    content = make_content(tmp_path, {})
    (content / "episodes").mkdir()
    (content / "episodes" / "a.md").write_bytes(
        "\ufeff---\r\ntitle: Crlf\r\ndate: 2026-01-01\r\n---\r\nAda: Hello.\r\n\r\nBen: Hi.\r\n".encode())
    done = run_ssg("build", "--no-search", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    page = (tmp_path / "site" / "episodes" / "crlf" / "index.html").read_text()
    assert "<h1>Crlf</h1>" in page
    assert page.count('class="turn"') == 2


def test_symlink_outside_content_is_refused(tmp_path: Path) -> None:
    secret = tmp_path / "secret.md"
    secret.write_text("---\ntitle: Secret\ndate: 2026-01-01\n---\nAda: password.\n")
    key = tmp_path / "id_rsa"
    key.write_text("PRIVATE")
    content = make_content(tmp_path, {})
    (content / "episodes").mkdir()
    (content / "episodes" / "a.md").symlink_to(secret)
    (content / "key.txt").symlink_to(key)
    (content / "media" / "deep").mkdir(parents=True)
    (content / "media" / "deep" / "home").symlink_to(tmp_path, target_is_directory=True)
    (content / "media" / "ok.txt").symlink_to(content / "site.yaml")  # inside: allowed
    done = run_ssg("build", "--no-search", cwd=tmp_path)
    assert done.returncode == 1
    lines = problem_lines(done.stderr)
    assert any(line.startswith("content/episodes/a.md: symlink leads outside") for line in lines)
    assert any(line.startswith("content/key.txt: symlink leads outside") for line in lines)
    assert any(line.startswith("content/media/deep/home: symlink leads outside") for line in lines)
    assert not any(line.startswith("content/media/ok.txt") for line in lines)
    assert not (tmp_path / "site").exists()


def test_missing_content_folder(tmp_path: Path) -> None:
    done = run_ssg("build", "--content", "nowhere", cwd=tmp_path)
    assert done.returncode == 1
    assert done.stderr.startswith("nowhere: content folder not found (")
    assert "Traceback" not in done.stderr


def test_output_folder_inside_content_is_refused(tmp_path: Path) -> None:
    make_content(tmp_path, {"content/episodes/a.md": "---\ntitle: A\ndate: 2026-01-01\n---\nAda: Hi.\n"})
    done = run_ssg("build", "--out", "content/site", "--no-search", cwd=tmp_path)
    assert done.returncode == 1
    assert "output folder overlaps the content folder" in done.stderr


def test_a_template_error_in_a_worker_process_is_reported_the_same(tmp_path: Path) -> None:
    episodes = {f"content/episodes/{n:02d}.md": f"---\ntitle: Ep {n}\ndate: 2026-01-{n:02d}\n---\nAda: Hi {n}.\n"
                for n in range(1, 25)}  # enough to render in worker processes
    make_content(tmp_path, {**episodes, "content/templates/episode.html":
                            "{% extends 'base.html' %}\n{% block main %}{{ episode.title | nosuchfilter }}"
                            "{% endblock %}\n"})
    for jobs in ("1", "2"):
        done = run_ssg("build", "--no-search", "--jobs", jobs, cwd=tmp_path)
        assert "Traceback" not in done.stderr + done.stdout
        assert done.returncode == 1
        assert problem_lines(done.stderr) == [
            "content/templates/episode.html:2: template error: No filter named 'nosuchfilter'. "
            "(fix the template, or delete the override to use the theme's own)"]
