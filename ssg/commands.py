"""``ssg build`` and ``ssg check``: run the build and report it in the terminal."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ssg.build import BuildResult, build_site, check_site
from ssg.console import Progress, paint, plural, print_problems


def main(args: argparse.Namespace) -> int:
    """Run ``build`` or ``check``; 0 on success, 1 when the content has errors."""
    content = Path(args.content)
    if args.command == "check":
        result = check_site(content, base_url=args.base_url, strict=args.strict)
        print_problems(result.problems)
        code = _summary(result, "checked", quiet=False, strict=args.strict)
        if code == 0 and getattr(args, "apps", False):
            _apps(content, args.base_url)
        return code
    progress = Progress()
    result = build_site(
        content, Path(args.out), base_url=args.base_url, strict=args.strict,
        search=not args.no_search, jobs=args.jobs,
        cache_dir=None, progress=None if args.quiet else progress, use_cache=not args.no_cache,
    )
    progress.clear()
    print_problems(result.problems)
    return _summary(result, "built", quiet=args.quiet, strict=args.strict, out=args.out)


def _summary(result: BuildResult, verb: str, *, quiet: bool, strict: bool, out: str = "") -> int:
    errors, warnings = len(result.errors), len(result.warnings)
    if not result.ok:
        why = plural(errors, "error") if errors else f"{plural(warnings, 'warning')} (--strict)"
        note = "; the previous site was left as it was" if verb == "built" else ""
        print(paint(f"failed: {why}{note}", "red", sys.stderr), file=sys.stderr)
        return 1
    if quiet:
        return 0
    counts = f"{plural(result.episodes, 'episode')}, {plural(result.speakers, 'speaker')}, {plural(result.files, 'file')}"
    extra = f", {plural(warnings, 'warning')}" if warnings else ""
    where = f" into {out}/" if out else ""
    changed = f" ({len(result.changed)} changed)" if verb == "built" else ""
    print(f"{paint(verb.capitalize(), 'green', sys.stdout)} {counts}{extra}{where}{changed} "
          f"in {result.seconds:.2f}s")
    return 0


def _apps(content: Path, base_url: str | None) -> None:
    """``check --apps``: what each podcast app will show of each episode."""
    from ssg import apps
    from ssg.loading import load_site

    site = load_site(content, base_url=base_url).site
    if site is not None:
        print("\n".join(apps.report(site)))
