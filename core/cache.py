"""Django's Redis cache backend, reusing one client per pool, and surviving an outage.

One client per pool: Django's RedisCacheClient builds a new `redis.Redis`
object for every cache call; with redis-py 6 that construction costs about
half a millisecond, more than the round trip to Redis itself, and a cached
page makes two calls. A client is a thin, thread-safe wrapper around its pool,
so one per pool is kept and reused.

Surviving an outage: the cache is an accelerator, never a dependency. When
Redis does not answer (refused, reset, timed out, loading, read-only, out of
memory: any `redis.RedisError`), every call degrades to what an empty cache
that keeps nothing would answer — `get` the default, `get_many` nothing, `add`
False, `incr` ValueError (as for a missing key), writes dropped — so callers
go on to the database. After a failure the process skips Redis for
OUTAGE_RETRY_SECONDS (a circuit breaker: a dead Redis then costs nothing per
request), then tries again; the first call that succeeds ends the outage. A
warning is logged when an outage starts and at most once per WARNING_INTERVAL
while it lasts, and an info line when it ends. `shared_cache_down()` tells
callers that must know (rate limits, /healthz) whether the last call failed.

Short socket timeouts and no retries inside redis-py (settings pass them as
OPTIONS; defaults here) keep one failing call to milliseconds.
"""

from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass

from django.core.cache import caches
from django.core.cache.backends.redis import RedisCache as DjangoRedisCache
from django.core.cache.backends.redis import RedisCacheClient as DjangoRedisCacheClient
from redis.backoff import NoBackoff
from redis.exceptions import RedisError
from redis.retry import Retry

logger = logging.getLogger(__name__)

OUTAGE_RETRY_SECONDS = 3.0
WARNING_INTERVAL = 30.0
CONNECT_TIMEOUT = 0.25
SOCKET_TIMEOUT = 0.5


@dataclass
class _Outage:
    """One Redis server's state in this process, shared by its threads."""

    skip_until: float = 0.0  # monotonic: no call is tried before this
    since: float | None = None  # monotonic start of the current outage; None: Redis answers
    warned_at: float | None = None
    failed_calls: int = 0


_outages: dict[tuple[str, ...], _Outage] = {}
_lock = threading.Lock()


def _outage(servers: tuple[str, ...]) -> _Outage:
    state = _outages.get(servers)
    if state is None:
        with _lock:
            state = _outages.setdefault(servers, _Outage())
    return state


class _Unavailable(Exception):
    """Raised inside the client when Redis is skipped or fails; never leaves this module."""


class RedisCacheClient(DjangoRedisCacheClient):
    def __init__(self, servers, retry_seconds: float = OUTAGE_RETRY_SECONDS, **options):
        options.setdefault("socket_connect_timeout", CONNECT_TIMEOUT)
        options.setdefault("socket_timeout", SOCKET_TIMEOUT)
        # redis-py retries a failed command with a growing pause by default: one
        # request would then wait for a dead Redis several times over.
        options.setdefault("retry", Retry(NoBackoff(), 0))
        super().__init__(servers, **options)
        self._clients = {}
        self._state = _outage(tuple(servers))
        self._retry_seconds = retry_seconds

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(id(pool))
        if client is None:
            client = self._clients[id(pool)] = self._client(connection_pool=pool)
        return client

    # --- the outage guard -------------------------------------------------------------

    def _call(self, operation, *args):
        state = self._state
        if state.since is not None and time.monotonic() < state.skip_until:
            raise _Unavailable
        try:
            result = operation(*args)
        except RedisError as error:
            self._failed(error)
            raise _Unavailable from error
        if state.since is not None:
            self._recovered()
        return result

    def _failed(self, error: RedisError) -> None:
        state, now = self._state, time.monotonic()
        with _lock:
            state.failed_calls += 1
            state.skip_until = now + self._retry_seconds
            starting = state.since is None
            if starting:
                state.since = now
            warn = starting or state.warned_at is None or now - state.warned_at >= WARNING_INTERVAL
            if warn:
                state.warned_at = now
        if warn:
            logger.warning(
                "The shared cache (Redis) is unavailable (%s: %s); serving without it "
                "and trying again every %.0f s",
                type(error).__name__,
                error,
                self._retry_seconds,
            )

    def _recovered(self) -> None:
        state = self._state
        with _lock:
            if state.since is None:
                return
            lasted, failed = time.monotonic() - state.since, state.failed_calls
            state.since, state.warned_at, state.failed_calls = None, None, 0
        logger.info(
            "The shared cache (Redis) answers again after %.1f s (%d calls went without it)",
            lasted,
            failed,
        )

    def is_down(self) -> bool:
        return self._state.since is not None

    # --- every call, guarded: what an empty cache that keeps nothing would answer ------

    def _or(self, fallback, operation, *args):
        try:
            return self._call(operation, *args)
        except _Unavailable:
            return fallback

    def add(self, key, value, timeout):
        return self._or(False, super().add, key, value, timeout)

    def get(self, key, default):
        return self._or(default, super().get, key, default)

    def set(self, key, value, timeout):
        self._or(None, super().set, key, value, timeout)

    def touch(self, key, timeout):
        return self._or(False, super().touch, key, timeout)

    def delete(self, key):
        return self._or(False, super().delete, key)

    def get_many(self, keys):
        return self._or({}, super().get_many, keys)

    def has_key(self, key):
        return self._or(False, super().has_key, key)

    def incr(self, key, delta):
        try:
            return self._call(super().incr, key, delta)
        except _Unavailable:
            raise ValueError(f"Key '{key}' not found (the cache is unavailable).") from None

    def set_many(self, data, timeout):
        self._or(None, super().set_many, data, timeout)

    def delete_many(self, keys):
        self._or(None, super().delete_many, keys)

    def clear(self):
        return self._or(False, super().clear)


class RedisCache(DjangoRedisCache):
    """OPTIONS: redis-py's connection options (socket_connect_timeout, socket_timeout…),
    and `retry_seconds`, how long a process skips Redis after a failed call."""

    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = RedisCacheClient

    def is_down(self) -> bool:
        """True from a failed call until a call succeeds again."""
        return self._cache.is_down()


def shared_cache_down(alias: str = "default") -> bool:
    """Whether the shared cache is unavailable: its last call failed and none has
    succeeded since. Always False for caches that cannot fail apart from the
    database (local memory; the database cache fails with the database)."""
    is_down = getattr(caches[alias], "is_down", None)
    return bool(is_down and is_down())


class CountersWithFallback:
    """The shared cache for counters (rate limits); while it is unavailable, this
    process's own memory.

    Each call goes to the shared cache; when that call finds it unavailable
    (shared_cache_down()), the same call is made on a local-memory cache
    instead, so a counter keeps counting — per process rather than across
    instances — and a limit neither fails open (no limit at all) nor closed
    (everyone refused because Redis is down). The local cache is bounded
    (LOCAL_COUNTERS entries); outside an outage it is not used.
    """

    LOCAL_COUNTERS = 10_000

    def __init__(self, alias: str = "default"):
        from django.core.cache.backends.locmem import LocMemCache

        self._alias = alias
        self._local = LocMemCache(
            f"counters-fallback-{alias}", {"OPTIONS": {"MAX_ENTRIES": self.LOCAL_COUNTERS}}
        )

    def __getattr__(self, name: str):
        def call(*args, **kwargs):
            if not shared_cache_down(self._alias):
                try:
                    result = getattr(caches[self._alias], name)(*args, **kwargs)
                except ValueError:  # incr/decr of a missing key, or of an unavailable cache
                    if not shared_cache_down(self._alias):
                        raise
                else:
                    if not shared_cache_down(self._alias):
                        return result
            return getattr(self._local, name)(*args, **kwargs)

        return call


counters = CountersWithFallback()
