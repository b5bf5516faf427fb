"""Worker processes for the build: a function over many items, results in order.

Workers are forked, so they start with everything the parent has loaded (the
site, the renderer, compiled templates) and nothing is pickled on the way in
but an item. Where fork is unavailable, or when there is too little work to
be worth a process, the same calls run in the parent, so the output never
depends on how many processes made it.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any, TypeVar

if TYPE_CHECKING:  # multiprocessing is imported when workers start (a small rebuild starts none)
    from multiprocessing.pool import AsyncResult, Pool

T = TypeVar("T")
R = TypeVar("R")

_TASKS: dict[str, Callable[[Any], Any]] = {}
"""Functions the workers call by name (set before the fork, inherited by the workers)."""


def _call(task: tuple[str, Any]) -> Any:
    name, item = task
    return _TASKS[name](item)


def cpus() -> int:
    """CPUs this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        return os.cpu_count() or 1


def can_fork() -> bool:
    """Whether worker processes can be forked (what ``multiprocessing``'s "fork" start method needs)."""
    return hasattr(os, "fork")


def workers(jobs: int) -> int:
    """Worker processes for ``jobs`` (0: one per CPU); 1 when fork is unavailable."""
    if not can_fork():
        return 1
    return max(1, jobs if jobs > 0 else cpus())


class Workers:
    """A pool of forked workers, or the parent itself when ``size`` is 1."""

    def __init__(self, pool: Pool | None) -> None:
        self.pool = pool

    def map(self, func: Callable[[T], R], items: Sequence[T], chunksize: int = 1) -> Iterator[R]:
        """``func`` over ``items``, results in order (lazily, as they are ready)."""
        if self.pool is None or not items:
            return map(func, items)
        name = _register(func)
        return self.pool.imap(_call, [(name, item) for item in items], chunksize=chunksize)

    def submit(self, func: Callable[[T], R], item: T) -> Callable[[], R]:
        """Start ``func(item)``; returns a function that waits for its result."""
        if self.pool is None:
            return lambda: func(item)
        name = _register(func)
        pending: AsyncResult[R] = self.pool.apply_async(_call, ((name, item),))
        return lambda: pending.get()


def _register(func: Callable[[Any], Any]) -> str:
    name = f"{getattr(func, '__qualname__', 'task')}-{id(func)}"
    if name not in _TASKS:
        raise RuntimeError(f"{name} was not registered before the workers started")
    return name


@contextmanager
def pool(size: int, tasks: Sequence[Callable[[Any], Any]]) -> Iterator[Workers]:
    """Workers able to run ``tasks`` (registered before forking); ``size`` <= 1 runs them here."""
    if size <= 1:
        yield Workers(None)
        return
    names = {f"{getattr(f, '__qualname__', 'task')}-{id(f)}": f for f in tasks}
    _TASKS.update(names)
    import multiprocessing

    try:
        with multiprocessing.get_context("fork").Pool(size) as workers_pool:
            yield Workers(workers_pool)
    finally:
        for name in names:
            _TASKS.pop(name, None)
