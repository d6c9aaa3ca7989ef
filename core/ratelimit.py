"""Fixed-window counters in the shared cache (Redis when REDIS_URL is set).

With Redis every app instance counts into the same key, so a limit holds
across instances; with the local-memory cache it holds per process.

When Redis is unavailable no limit fails open and none fails closed: the
counters go on in each process's own memory (core.cache.counters) until Redis
answers again, so every limit still holds, per process (a limit L becomes at
most L × processes across the site for the outage). Per limit, why:

- the vote's code guesses (competitions.views.vote) protect the codes: open
  would let a guesser try codes unpaced for as long as Redis is down; closed
  would stop a congress hall voting because of a cache. Per process, a guesser
  still meets the budget and the pace after a few hundred guesses, against
  codes of 59 bits.
- public submissions (practices, competitions' applications) hold back spam:
  open would let a spammer flood the editors' queue; closed would refuse real
  submissions, and what a person typed, for a cache failure.
- password reset e-mails (per address, per client) protect mailboxes from
  being flooded; closed would withhold a real person's e-mail while saying it
  was sent.
"""

from __future__ import annotations

import contextlib
import time

from core.cache import counters as cache


def client_address(request) -> str:
    """The client's address as the app sees it (the proxy sets REMOTE_ADDR; see README)."""
    return request.META.get("REMOTE_ADDR", "") or "unknown"


def _window_key(scope: str, key: str, window_seconds: int) -> str:
    return f"ratelimit:{scope}:{key}:{int(time.time() // window_seconds)}"


def seconds_left(window_seconds: int) -> int:
    """Seconds until the current window ends."""
    return window_seconds - int(time.time() % window_seconds)


def window_count(scope: str, key: str, *, window_seconds: int) -> int:
    """How many events were counted for `key` in the current window."""
    return cache.get(_window_key(scope, key, window_seconds)) or 0


def window_hit(scope: str, key: str, *, window_seconds: int) -> int:
    """Count one event for `key` in the current window; returns the new count."""
    cache_key = _window_key(scope, key, window_seconds)
    cache.add(cache_key, 0, timeout=window_seconds + 5)
    try:
        return cache.incr(cache_key)
    except ValueError:  # expired between add and incr
        cache.set(cache_key, 1, timeout=window_seconds + 5)
        return 1


def pace(scope: str, key: str, *, seconds: int) -> bool:
    """Let one event for `key` through every `seconds`: True for the first of each
    interval (it is let through), False for the others (they wait). A slowdown,
    where a fixed window would be a lockout."""
    return cache.add(f"pace:{scope}:{key}", 1, timeout=seconds)


def rate_limit_hit(scope: str, key: str, *, limit: int, window_seconds: int) -> tuple[bool, int]:
    """Count one attempt; return (allowed, seconds until the window resets).

    The attempt that goes over the limit is refused, and so is every further
    one until the window ends.
    """
    count = window_hit(scope, key, window_seconds=window_seconds)
    return count <= limit, seconds_left(window_seconds)


def window_undo(scope: str, key: str, *, window_seconds: int) -> None:
    """Take back one event counted by `window_hit` in the current window: for a slot
    reserved before a check (so concurrent requests cannot all see the last free
    slot) and then not used."""
    cache_key = _window_key(scope, key, window_seconds)
    # ValueError: the window ended meanwhile; there is nothing left to take back.
    with contextlib.suppress(ValueError):
        cache.decr(cache_key)
