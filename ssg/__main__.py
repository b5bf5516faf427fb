"""Allow `python -m ssg`."""

from ssg.cli import run

run()
