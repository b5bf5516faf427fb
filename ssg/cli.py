"""Command line: parses arguments and hands each command to its module.

Each command's module is imported only when that command runs, so
``ssg --help`` stays fast. A command module exposes ``main(args) -> int``.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from collections.abc import Sequence
from typing import NoReturn

from ssg import __version__

COMMANDS: dict[str, tuple[str, str]] = {
    "build": ("ssg.commands", "build the site from content/ into site/"),
    "check": ("ssg.commands", "validate content and internal links without writing a site"),
    "serve": ("ssg.serve", "preview the site on 127.0.0.1 with live reload"),
    "deploy": ("ssg.deploy", "publish site/ to a git branch or a folder"),
    "new": ("ssg.scaffold", "start a new show in an empty folder"),
    "import": ("ssg.importing", "turn raw transcripts (text, VTT, SRT, JSON) into content files"),
}


def _content(p: argparse.ArgumentParser) -> None:
    p.add_argument("--content", default="content", metavar="DIR",
                   help="content folder (default: content)")


def _out(p: argparse.ArgumentParser) -> None:
    p.add_argument("--out", default="site", metavar="DIR",
                   help="output folder (default: site)")


def _build_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("--base-url", metavar="URL",
                   help="override base_url from site.yaml (e.g. https://example.org/show/)")
    p.add_argument("--strict", action="store_true", help="treat warnings as errors")
    p.add_argument("--jobs", "-j", type=int, default=0, metavar="N",
                   help="worker processes for rendering (default: all cores)")
    p.add_argument("--no-search", action="store_true", help="skip the Pagefind search index")
    p.add_argument("--no-cache", action="store_true", help="ignore and do not write the build cache")
    p.add_argument("--quiet", "-q", action="store_true", help="print only problems")


def build_parser() -> argparse.ArgumentParser:
    """The full argument parser."""
    parser = argparse.ArgumentParser(
        prog="ssg",
        description="Static site generator for podcast show notes and transcripts.",
    )
    parser.add_argument("--version", action="version", version=f"ssg {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    p = sub.add_parser("build", help=COMMANDS["build"][1], description=COMMANDS["build"][1])
    _content(p)
    _out(p)
    _build_options(p)

    p = sub.add_parser("check", help=COMMANDS["check"][1], description=COMMANDS["check"][1])
    _content(p)
    p.add_argument("--base-url", metavar="URL", help="override base_url from site.yaml")
    p.add_argument("--strict", action="store_true", help="treat warnings as errors")
    p.add_argument("--apps", action="store_true",
                   help="also list, per episode, what Apple Podcasts, Spotify, Pocket Casts, Overcast, Podverse, "
                        "Fountain and AntennaPod will show")

    p = sub.add_parser("serve", help=COMMANDS["serve"][1], description=COMMANDS["serve"][1])
    _content(p)
    p.add_argument("--host", default="127.0.0.1", help="address to bind (default: 127.0.0.1)")
    p.add_argument("--port", type=int, default=8000, help="port (default: 8000; 0 picks a free one)")
    p.add_argument("--open", action="store_true", help="open the site in a browser")
    p.add_argument("--no-search", action="store_true", help="skip the search index while previewing")

    p = sub.add_parser("deploy", help=COMMANDS["deploy"][1], description=COMMANDS["deploy"][1])
    _content(p)
    _out(p)
    target = p.add_mutually_exclusive_group()
    target.add_argument("--git", metavar="REMOTE", help="push to a branch of this git remote (URL or path)")
    target.add_argument("--dir", metavar="PATH", help="copy into this folder")
    p.add_argument("--branch", default="gh-pages", help="branch for --git (default: gh-pages)")
    p.add_argument("--message", "-m", help="commit message for --git")
    p.add_argument("--delete", action="store_true", help="with --dir: delete files no longer in the site")
    p.add_argument("--force", action="store_true", help="with --git: replace the branch's history")
    p.add_argument("--dry-run", action="store_true", help="list what would change, change nothing")
    p.add_argument("--yes", "-y", action="store_true", help="allow a deploy that deletes many files")

    p = sub.add_parser("new", help=COMMANDS["new"][1], description=COMMANDS["new"][1])
    p.add_argument("dir", metavar="DIR", help="folder for the new show (must be empty or absent)")

    p = sub.add_parser("import", help=COMMANDS["import"][1], description=COMMANDS["import"][1])
    p.add_argument("paths", nargs="*", metavar="FILE_OR_FOLDER")
    _content(p)
    p.add_argument("--feed", metavar="FILE_OR_URL",
                   help="bring a show in from its RSS feed (a FOLDER given too pairs its transcripts with the items)")
    p.add_argument("--format", choices=["text", "vtt", "srt", "json", "whisper"],
                   help="input format (default: detected)")
    p.add_argument("--title", help="episode title")
    p.add_argument("--episode", type=int, help="episode number")
    p.add_argument("--date", help="publication date, YYYY-MM-DD")
    p.add_argument("--audio-url", help="audio URL")
    p.add_argument("--speaker", action="append", default=[], metavar='LABEL="Name"',
                   help="name a label, e.g. SPEAKER_1=\"Jane Doe\" (repeatable)")
    p.add_argument("--chapters", metavar="FILE", help="Podcasting 2.0 JSON chapters file")
    p.add_argument("--force", action="store_true", help="overwrite existing content files")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of ``ssg``; returns the exit code."""
    parser = build_parser()
    args = parser.parse_args(argv)
    if not args.command:
        parser.print_help()
        return 2
    module = importlib.import_module(COMMANDS[args.command][0])
    try:
        return int(module.main(args))
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130


def run() -> NoReturn:
    """The ``ssg`` program (console script and ``python -m ssg``): ``main``, then exit at once.

    A build leaves a loaded show behind (tens of thousands of objects, some in
    cycles); the interpreter's teardown of it took ~80 ms of a one-episode
    rebuild of 1,000 episodes. Nothing is left to it: files are closed and
    worker processes joined when ``main`` returns, and the output streams are
    flushed here. An exception or ``SystemExit`` (``--help``, a usage error)
    exits the usual way.
    """
    code = main()
    from ssg import parallel

    parallel.finish()
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):  # a closed pipe or stream: nothing more can reach it
            pass
    os._exit(code)

