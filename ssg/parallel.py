"""Worker processes for the build: a function over many items, results in order.

The one way ``ssg`` runs Python work in parallel: a
``concurrent.futures.ProcessPoolExecutor``. In a process with other threads
(``ssg serve``'s server) its workers come from a fork server, a
single-threaded process started once (with ``ssg``'s modules imported) that
forks each worker, so a worker never inherits a lock held by another thread.
In a single-threaded process (``ssg build``) workers are forked from it
directly, sharing its memory copy-on-write: on the 1,000-episode benchmark
show a full build without cache took 15.9 s with the fork server and 12.8 s
forked directly. A worker is
set up once (``setup(state)``, the state pickled once per worker) and then
runs module-level functions over items. With one worker, or when there is
too little work to be worth a process, the same calls run in the parent, so
the output never depends on how many processes made it.

As with any start method but "fork", a worker imports the main script as
``__mp_main__``: a script that calls ``build_site`` must do so under
``if __name__ == "__main__":`` (``ssg``, ``python -m ssg`` and pytest do).
"""

from __future__ import annotations

import os
import signal
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any, TypeVar

if TYPE_CHECKING:  # imported when workers start (a small rebuild starts none)
    from concurrent.futures import ProcessPoolExecutor

T = TypeVar("T")
R = TypeVar("R")

PRELOAD = ["ssg.build", "ssg.loading", "ssg.render", "ssg.feeds", "ssg.exports"]
"""Imported once by the fork server, so that a worker starts with them imported."""


def cpus() -> int:
    """CPUs this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        return os.cpu_count() or 1


def workers(jobs: int) -> int:
    """Worker processes for ``jobs`` (0: one per CPU)."""
    return max(1, jobs if jobs > 0 else cpus())


def _start_method() -> str:
    """"fork" in a process with one thread (nothing a child could inherit mid-use; its memory is shared
    copy-on-write), else a fork server ("spawn" where there is none)."""
    import multiprocessing
    import threading

    methods = multiprocessing.get_all_start_methods()
    if threading.active_count() == 1 and "fork" in methods:
        return "fork"
    return "forkserver" if "forkserver" in methods else "spawn"


def _worker_start(setup: Callable[[Any], None] | None, state: Any) -> None:
    # Ctrl-C reaches the whole process group; the parent alone decides what happens (it stops the workers).
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if setup is not None:
        setup(state)


class Workers:
    """A pool of worker processes, or the parent itself when there is none."""

    def __init__(self, executor: ProcessPoolExecutor | None) -> None:
        self.executor = executor

    def map(self, func: Callable[[T], R], items: Sequence[T], chunksize: int = 1) -> Iterator[R]:
        """``func`` over ``items``, results in order (lazily, as they are ready).

        In workers ``func`` must be a module-level function (it is sent by name).
        """
        if self.executor is None or not items:
            return map(func, items)
        return self.executor.map(func, items, chunksize=chunksize)

    def submit(self, func: Callable[[T], R], item: T) -> Callable[[], R]:
        """Start ``func(item)``; returns a function that waits for its result."""
        if self.executor is None:
            return lambda: func(item)
        return self.executor.submit(func, item).result


@contextmanager
def pool(size: int, setup: Callable[[Any], None] | None = None, state: Any = None) -> Iterator[Workers]:
    """``size`` worker processes, each set up by ``setup(state)``; ``size`` <= 1 runs the work here.

    The caller has done its own setup for work run here. Leaving the block
    waits for the workers to finish; leaving it by an exception (Ctrl-C, a
    failed item) stops them at once.
    """
    if size <= 1:
        yield Workers(None)
        return
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    context = multiprocessing.get_context(_start_method())
    if context.get_start_method() == "forkserver":
        context.set_forkserver_preload(PRELOAD)  # used when the fork server starts (once per process)
    executor = ProcessPoolExecutor(size, mp_context=context, initializer=_worker_start, initargs=(setup, state))
    try:
        yield Workers(executor)
    except BaseException:
        _stop(executor)
        raise
    executor.shutdown(wait=True)


def _stop(executor: ProcessPoolExecutor) -> None:
    """Stop the workers now, without waiting for the work they were given."""
    processes = list((getattr(executor, "_processes", None) or {}).values())  # gone after shutdown
    executor.shutdown(wait=False, cancel_futures=True)
    for process in processes:
        process.terminate()
    for process in processes:
        process.join(timeout=5)


def finish() -> None:
    """Before an exit that skips the interpreter's teardown (``os._exit``): do multiprocessing's part of it.

    That ends the fork server and removes its temporary folder (``pymp-*``).
    """
    if "multiprocessing.util" in sys.modules:
        from multiprocessing import util

        util._exit_function()  # type: ignore[attr-defined]
