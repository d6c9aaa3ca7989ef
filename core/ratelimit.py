"""A fixed-window rate limit in the shared cache (Redis when REDIS_URL is set).

With Redis every app instance counts into the same key, so a limit holds
across instances; with the local-memory cache it holds per process.
"""

from __future__ import annotations

import time

from django.core.cache import cache


def client_address(request) -> str:
    """The client's address as the app sees it (the proxy sets REMOTE_ADDR; see README)."""
    return request.META.get("REMOTE_ADDR", "") or "unknown"


def rate_limit_hit(scope: str, key: str, *, limit: int, window_seconds: int) -> tuple[bool, int]:
    """Count one attempt; return (allowed, seconds until the window resets).

    The attempt that goes over the limit is refused, and so is every further
    one until the window ends.
    """
    window = int(time.time() // window_seconds)
    cache_key = f"ratelimit:{scope}:{key}:{window}"
    cache.add(cache_key, 0, timeout=window_seconds + 5)
    try:
        count = cache.incr(cache_key)
    except ValueError:  # expired between add and incr
        cache.set(cache_key, 1, timeout=window_seconds + 5)
        count = 1
    retry_after = window_seconds - int(time.time() % window_seconds)
    return count <= limit, retry_after
