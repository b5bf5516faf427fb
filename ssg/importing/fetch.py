"""Reading a feed, transcript or chapters file from a URL or a file path, within limits.

A URL is fetched with a timeout and a size limit (the proxy settings of the
environment apply, as for any ``urllib`` client); a path is read from disk,
so an import works offline. Every failure is one ``BadInput`` naming the
source, what went wrong and what to do.
"""

from __future__ import annotations

import socket
import urllib.error
import urllib.request
from pathlib import Path

from ssg import __version__
from ssg.importing.model import BadInput

TIMEOUT = 20.0
"""Seconds to wait for a server to connect or to send more bytes."""
FEED_LIMIT = 50 * 1024 * 1024
"""The largest feed read (the biggest real feeds are a few tens of MB)."""
FILE_LIMIT = 20 * 1024 * 1024
"""The largest transcript or chapters file read."""


def is_url(source: str) -> bool:
    """True for an http(s) URL."""
    return source.lower().startswith(("http://", "https://"))


def fetch(source: str, *, limit: int | None = None, timeout: float | None = None) -> bytes:
    """The bytes at ``source`` (a URL or a path), at most ``limit`` of them; ``BadInput`` on any failure.

    ``limit`` defaults to ``FILE_LIMIT`` and ``timeout`` to ``TIMEOUT``, as they are when called.
    """
    limit = FILE_LIMIT if limit is None else limit
    timeout = TIMEOUT if timeout is None else timeout
    if not is_url(source):
        path = Path(source)
        try:
            if path.stat().st_size > limit:
                raise BadInput(f"{source}: larger than {_size(limit)}", None, "check it is the right file",
                               path=source)
            return path.read_bytes()
        except OSError as exc:
            raise BadInput(f"cannot read {source}: {exc.strerror or exc}", None, "check the path", path=source) from None
    request = urllib.request.Request(source, headers={"User-Agent": f"ssg/{__version__} (podcast import)",
                                                      "Accept": "*/*"})
    try:
        # An opener of its own: proxy settings as they are now, and urllib's global opener left alone.
        with urllib.request.build_opener().open(request, timeout=timeout) as response:
            length = response.headers.get("Content-Length")
            if length and length.isdigit() and int(length) > limit:
                raise _too_big(source, limit)
            data = response.read(limit + 1)
            if len(data) > limit:
                raise _too_big(source, limit)
            return bytes(data)
    except urllib.error.HTTPError as exc:
        raise BadInput(f"HTTP {exc.code} {exc.reason}", None,
                       "check the URL in a browser" if exc.code >= 400 else "", path=source) from None
    except urllib.error.URLError as exc:
        reason = exc.reason
        if isinstance(reason, (TimeoutError, socket.timeout)):
            raise _timed_out(source, timeout) from None
        raise BadInput(f"cannot connect: {getattr(reason, 'strerror', None) or reason}", None,
                       "check the URL and your network", path=source) from None
    except (TimeoutError, socket.timeout):
        raise _timed_out(source, timeout) from None
    except OSError as exc:
        raise BadInput(f"cannot fetch: {exc.strerror or exc}", None, "check the URL and your network",
                       path=source) from None


def _too_big(source: str, limit: int) -> BadInput:
    return BadInput(f"response larger than {_size(limit)} (refused)", None,
                    "check the URL points at the file itself", path=source)


def _timed_out(source: str, timeout: float) -> BadInput:
    return BadInput(f"no answer within {timeout:g} s (timed out)", None, "try again later, or save the file and "
                    "pass its path", path=source)


def _size(limit: int) -> str:
    return f"{limit // (1024 * 1024)} MB" if limit >= 1024 * 1024 else f"{limit:,} bytes"
