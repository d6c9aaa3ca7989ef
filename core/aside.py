"""Reads on a second database connection while the request goes on with its own.

A catalogue page waits on PostgreSQL twice: for its facet counts and for its page of
practices. Neither needs the other's answer (catalogue.views.practices says when), so
the page reads its practices on a connection of its own, in a thread of this process,
while the request counts on the request's connection. At a million practices each
statement takes over ten milliseconds (bench/README.md): the page then waits for the
longer of the two, not for both.

`run_aside(aliases, fn, *args)` returns a Future of `fn(*args)`, or None when the work
must stay on the request's own connection (the caller then does it itself):

- a connection to one of `aliases` is inside a transaction (an atomic block, or a test
  case's): another connection would not see what that transaction has not committed;
- DATABASE_SIDE_THREADS is 0, or each of the process's threads is already busy (a
  threaded server answering several requests at once): the request never queues
  behind another request's read.

The thread runs `fn` in a copy of the request's context, so the replica router
(core.replicas) sends its reads where it sends the request's, and with the connection
upkeep Django gives a request around it: a connection past its age (CONN_MAX_AGE), or
one an error may have broken, is closed before and after. An exception `fn` raises is
raised again by `Future.result()`, in the request's thread, as if the request had run it.
"""

from __future__ import annotations

import contextvars
import os
import threading
from collections.abc import Callable, Iterable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import TypeVar

from django.conf import settings
from django.db import close_old_connections, connections

T = TypeVar("T")

_lock = threading.Lock()
# This process's threads and how many of them are free; made on first use, and made
# again in a process forked from one that had them (a forked child has no threads).
_pool: tuple[int, int, ThreadPoolExecutor, threading.BoundedSemaphore] | None = None


def _threads() -> tuple[ThreadPoolExecutor, threading.BoundedSemaphore]:
    global _pool
    with _lock:
        if _pool is None or _pool[0] != os.getpid():
            size = settings.DATABASE_SIDE_THREADS
            executor = ThreadPoolExecutor(size, thread_name_prefix="db-aside")
            _pool = (os.getpid(), size, executor, threading.BoundedSemaphore(size))
        return _pool[2], _pool[3]


def close_threads() -> None:
    """Close every thread's connections and stop the threads; the next work aside starts
    new ones. A test run calls this before it drops its database, which PostgreSQL
    refuses while a connection to it is open."""
    global _pool
    with _lock:
        pool, _pool = _pool, None
    if pool is None or pool[0] != os.getpid():
        return
    _pid, size, executor, _free = pool
    # One task per thread: each waits until all have started, so none runs twice.
    everyone = threading.Barrier(size, timeout=60)

    def close_own() -> None:
        everyone.wait()
        connections.close_all()

    for future in [executor.submit(close_own) for _ in range(size)]:
        future.result()
    executor.shutdown(wait=True)


def run_aside(aliases: Iterable[str], fn: Callable[..., T], *args) -> Future[T] | None:
    """`fn(*args)` on this thread's own connections, started now (the module doc)."""
    if settings.DATABASE_SIDE_THREADS <= 0:
        return None
    if any(connections[alias].in_atomic_block for alias in aliases):
        return None
    executor, free = _threads()
    if not free.acquire(blocking=False):
        return None
    try:
        return executor.submit(contextvars.copy_context().run, _run, free, fn, args)
    except RuntimeError:  # the interpreter is shutting down
        free.release()
        return None


def _run(free: threading.BoundedSemaphore, fn: Callable[..., T], args: tuple) -> T:
    try:
        close_old_connections()
        return fn(*args)
    finally:
        close_old_connections()
        free.release()
