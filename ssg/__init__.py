"""ssg: a static site generator for podcast show notes and transcripts."""

__version__ = "0.1.0"
