"""Read replicas: which database a read goes to, and whether a replica may serve it.

Configured by DATABASE_REPLICA_URLS (settings add the aliases `replica_1`…`replica_N`,
this router and this middleware only when it names at least one). Writes always go
to the primary (`default`). A read goes to a replica only when all of these hold:

- it belongs to a request (ReplicaReadsMiddleware); commands, imports and anything
  run outside a request read the primary;
- the request is safe (GET, HEAD, OPTIONS) and did not write itself, and the visitor
  sent no write of their own within REPLICA_READ_YOUR_WRITES_SECONDS (a signed
  cookie set on the answer to every POST, and to any request that wrote: an editor,
  a juror, a voter, a submitter or an applicant reads the primary for that long
  after, and so never misses what they just did);
- nobody is signed in (editors see drafts and their own edits, jurors their scores);
- no transaction is open on the primary (what runs inside `transaction.atomic` reads
  what it writes);
- the catalogue did not change within the last REPLICA_MAX_LAG_SECONDS: pages and
  facet counts are cached under the catalogue version (core.pagecache) until the
  next change, so what is built just after a change must not come from a copy that
  may not have it yet (a usable replica has it once the allowed lag has passed);
- the model is not one whose reads must be current: sessions, users and groups, the
  login lockouts, the database cache;
- a replica is usable (below). One request keeps to one replica.

A replica is usable when its last health check, made at most once per
REPLICA_HEALTH_SECONDS in each process (by the first request that needs it, never
per request), found it in recovery (a hot standby, not a promoted copy) and either
caught up (it had replayed all the WAL the primary had flushed when the check began)
or lagging by at most REPLICA_MAX_LAG_SECONDS (_check says how that is measured). A
check that cannot connect within two seconds marks it down until the next check.

A safe request whose replica fails while it runs (the replica stopped) is answered
by running it again, once, on the primary; the replica is marked down at once.
"""

from __future__ import annotations

import logging
import random
import threading
import time
from contextvars import ContextVar
from dataclasses import dataclass, field

import psycopg
from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, DatabaseError, OperationalError, connections

logger = logging.getLogger(__name__)

REPLICA_PREFIX = "replica_"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
RECENT_WRITE_COOKIE = "recent_write"
RECENT_WRITE_SALT = "core.replicas.recent-write"
# Reads of these apps always go to the primary: who is signed in and whose ballot a
# session holds must be current, a login lockout must count every failure, and the
# database cache (DJANGO_CACHE=database) holds the catalogue version itself.
PRIMARY_ONLY_APPS = frozenset({"sessions", "auth", "axes", "django_cache"})
# libpq's smallest meaningful connect timeout, in seconds.
HEALTH_CONNECT_TIMEOUT = 2


def replica_aliases() -> list[str]:
    return [alias for alias in settings.DATABASES if alias.startswith(REPLICA_PREFIX)]


# --- health -------------------------------------------------------------------------


@dataclass
class _Health:
    checked_at: float = float("-inf")
    usable: bool = False
    # When a check last found it had replayed everything the primary had: it has
    # missed nothing committed before then.
    caught_up_at: float = float("-inf")


_health: dict[str, _Health] = {}
_checking = threading.Lock()


def usable_replicas() -> list[str]:
    """The replicas whose last check passed; checks those not checked for an interval.

    Only one thread of a process checks at a time; the others meanwhile go by the
    last results (none yet: the primary).
    """
    aliases = replica_aliases()
    now = time.monotonic()
    due = [
        alias
        for alias in aliases
        if now - _health.setdefault(alias, _Health()).checked_at >= settings.REPLICA_HEALTH_SECONDS
    ]
    if due and _checking.acquire(blocking=False):
        try:
            asked_at = time.monotonic()
            primary_lsn = _primary_flushed_lsn()
            for alias in due:
                _check(alias, primary_lsn, asked_at)
        finally:
            _checking.release()
    return [alias for alias in aliases if _health[alias].usable]


def mark_down(alias: str) -> None:
    """Stop reading from `alias` until its next health check."""
    _health[alias] = _Health(time.monotonic(), False, _health[alias].caught_up_at)


def _primary_flushed_lsn() -> str | None:
    """The primary's WAL position now; a replica that replayed it has every commit so far."""
    try:
        with connections[DEFAULT_DB_ALIAS].cursor() as cursor:
            cursor.execute("SELECT pg_current_wal_flush_lsn()::text")
            return cursor.fetchone()[0]
    except DatabaseError:
        return None


def _check(alias: str, primary_lsn: str | None, asked_at: float) -> None:
    """Record whether `alias` is usable now; `primary_lsn` is the primary's at `asked_at`.

    Its lag is how old the oldest commit it may be missing can be, the smaller of two
    bounds: the time since the last commit it replayed (on a quiet primary that
    commit may be old though nothing newer is missing), and the time since a check
    last found it caught up. The log hears of each change of state, not of each check.
    """
    started = time.monotonic()
    previous = _health[alias]
    params = connections[alias].get_connection_params()
    params.pop("cursor_factory", None)
    params.pop("context", None)
    params["connect_timeout"] = HEALTH_CONNECT_TIMEOUT
    caught_up_at = previous.caught_up_at
    try:
        with psycopg.connect(**params, autocommit=True) as replica:
            in_recovery, caught_up, replay_age = replica.execute(
                "SELECT pg_is_in_recovery(), "
                "coalesce(pg_last_wal_replay_lsn() >= %s::pg_lsn, false), "
                "extract(epoch FROM now() - pg_last_xact_replay_timestamp())::float",
                [primary_lsn],
            ).fetchone()
    except psycopg.Error as error:
        problem = f"is down: {error}"
    else:
        if not in_recovery:
            problem, caught_up_at = "is not a standby (promoted?)", float("-inf")
        elif caught_up:
            problem, caught_up_at = None, asked_at
        else:
            since_caught_up = started - caught_up_at
            lag = since_caught_up if replay_age is None else min(replay_age, since_caught_up)
            over = lag > settings.REPLICA_MAX_LAG_SECONDS
            problem = f"lags {lag:.1f} s behind the primary" if over else None
    _health[alias] = _Health(started, problem is None, caught_up_at)
    if problem and (previous.usable or previous.checked_at == float("-inf")):
        logger.warning("read replica %s %s; reading the primary instead", alias, problem)
    elif not problem and not previous.usable and previous.checked_at != float("-inf"):
        logger.warning("read replica %s is usable again", alias)


# --- the request ------------------------------------------------------------------------


@dataclass
class _RequestReads:
    """What the router must know of the request being answered."""

    request: object
    primary: bool  # every read of this request goes to the primary
    replica: str | None = None  # the replica this request reads, once chosen
    replica_failed: bool = False
    wrote: bool = False
    _signed_in: bool | None = field(default=None, repr=False)
    _catalogue_settled: bool | None = field(default=None, repr=False)

    def signed_in(self) -> bool:
        if self._signed_in is None:
            user = getattr(self.request, "user", None)
            self._signed_in = bool(user is not None and user.is_authenticated)
        return self._signed_in

    def catalogue_settled(self) -> bool:
        """Whether the last catalogue change is older than any usable replica's lag."""
        if self._catalogue_settled is None:
            from core.pagecache import catalogue_version

            version = catalogue_version()  # milliseconds since the epoch, or None
            age = time.time() - version / 1000 if version is not None else None
            # Without the shared cache nothing is cached under a version: any copy will do.
            self._catalogue_settled = age is None or age >= settings.REPLICA_MAX_LAG_SECONDS
        return self._catalogue_settled


_current: ContextVar[_RequestReads | None] = ContextVar("replica_reads", default=None)


def _wrote_recently(request) -> bool:
    value = request.get_signed_cookie(
        RECENT_WRITE_COOKIE,
        default=None,
        salt=RECENT_WRITE_SALT,
        max_age=settings.REPLICA_READ_YOUR_WRITES_SECONDS,
    )
    return value is not None


class ReplicaReadsMiddleware:
    """Tell the router about the request; remember a visitor's writes; retry on a failure.

    Goes after AuthenticationMiddleware (the router asks whether someone is signed in).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        safe = request.method in SAFE_METHODS
        reads = _RequestReads(request, primary=not safe or _wrote_recently(request))
        token = _current.set(reads)
        try:
            response = self.get_response(request)
            if reads.replica_failed and safe and not response.streaming:
                logger.warning("read replica %s failed; answering from the primary", reads.replica)
                reads = _RequestReads(request, primary=True, wrote=reads.wrote)
                _current.set(reads)
                response = self.get_response(request)
        finally:
            _current.reset(token)
        if not safe or reads.wrote:
            response.set_signed_cookie(
                RECENT_WRITE_COOKIE,
                "1",
                salt=RECENT_WRITE_SALT,
                max_age=settings.REPLICA_READ_YOUR_WRITES_SECONDS,
                secure=settings.SESSION_COOKIE_SECURE,
                httponly=True,
                samesite="Lax",
            )
        return response

    def process_exception(self, request, exception):
        reads = _current.get()
        if reads is not None and reads.replica and isinstance(exception, OperationalError):
            mark_down(reads.replica)
            reads.replica_failed = True
        return None


# --- the router ---------------------------------------------------------------------------


class ReplicaRouter:
    """Writes and migrations on the primary; reads as the module docstring says."""

    def db_for_read(self, model, **hints):
        if model._meta.app_label in PRIMARY_ONLY_APPS:
            return DEFAULT_DB_ALIAS
        instance = hints.get("instance")
        if instance is not None and instance._state.db == DEFAULT_DB_ALIAS:
            return DEFAULT_DB_ALIAS  # related rows of a row read from the primary
        reads = _current.get()
        if (
            reads is None
            or reads.primary
            or reads.wrote
            or connections[DEFAULT_DB_ALIAS].in_atomic_block
            or reads.signed_in()
            or not reads.catalogue_settled()
        ):
            return DEFAULT_DB_ALIAS
        if reads.replica is None:
            usable = usable_replicas()
            if not usable:
                return DEFAULT_DB_ALIAS
            reads.replica = random.choice(usable)
        return reads.replica

    def db_for_write(self, model, **hints):
        reads = _current.get()
        if reads is not None and model._meta.app_label not in PRIMARY_ONLY_APPS:
            reads.wrote = True  # its later reads, and the visitor's next ones, see it
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1, obj2, **hints):
        return True  # every database holds the same rows

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == DEFAULT_DB_ALIAS
