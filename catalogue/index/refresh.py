"""Writing catalogue rows: rebuild, drift check, stale marks and the flush after commit."""

from __future__ import annotations

import threading
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from django.apps import apps
from django.db import connections, transaction

from catalogue import sql
from catalogue.index.rows import index_rows, rows_json
from core.pagecache import catalogue_changed


def index_refresh(*, practice_ids: Iterable[int], using: str = "default") -> int:
    """Rebuild the catalogue rows of these practices from the data as it is now.

    Writes only the rows that differ; returns how many did. Call it inside a
    transaction that has claimed the practices (index_flush does), or from a
    command; application code marks practices stale instead (see the module doc).
    """
    rows = index_rows(practice_ids, using=using)
    if not rows:
        return 0
    with connections[using].cursor() as cursor:
        cursor.execute(sql.INDEX_UPDATE, [rows_json(rows)])
        changed = cursor.rowcount
    if changed:
        # A raw UPDATE sends no signal: the public pages go stale ourselves.
        transaction.on_commit(catalogue_changed, using=using)
    return changed


@dataclass(frozen=True)
class Drift:
    practice_id: int
    columns: tuple[str, ...]


def index_drift(*, practice_ids: Iterable[int] | None = None, batch: int = 1000) -> Iterator[Drift]:
    """Practices whose stored row differs from a fresh build, and in which columns."""
    Practice = apps.get_model("practices", "Practice")
    ids = (
        list(practice_ids)
        if practice_ids is not None
        else list(Practice.objects.order_by("id").values_list("id", flat=True))
    )
    for start in range(0, len(ids), batch):
        rows = index_rows(ids[start : start + batch])
        if not rows:
            continue
        with connections["default"].cursor() as cursor:
            cursor.execute(sql.INDEX_DRIFT, [rows_json(rows)])
            for practice_id, columns in cursor.fetchall():
                yield Drift(practice_id, tuple(columns))


# --- marking practices stale, and the flush after commit -------------------------------

FLUSH_BATCH = 500
_flushing = threading.local()
# How many flushes this thread has started, per database (connections are per thread).
_flushes_started = threading.local()


def mark_stale(practice_ids: Iterable[int | None], *, using: str = "default") -> None:
    """Mark practices whose catalogue rows must be rebuilt once this transaction commits."""
    ids = sorted({int(pk) for pk in practice_ids if pk is not None})
    if not ids:
        return
    with connections[using].cursor() as cursor:
        cursor.execute(sql.STALE_MARK, [ids])
    seen = _flush_count(using)

    def flush_after_commit() -> None:
        _flush_unless_done(using, seen)

    transaction.on_commit(flush_after_commit, using=using, robust=True)


def _flush_count(using: str) -> int:
    return getattr(_flushes_started, using, 0)


def _flush_unless_done(using: str, seen: int) -> None:
    """The flush a mark asked for, unless one has started since the mark (it took the
    mark then: a flush takes every practice marked; a mark made after it asked again)."""
    if _flush_count(using) == seen:
        index_flush(using=using)


def index_flush(*, using: str = "default") -> int:
    """Rebuild the rows of every practice marked stale; returns how many were rebuilt.

    Each batch is claimed (FOR UPDATE SKIP LOCKED), rebuilt and unmarked in one
    transaction: two processes flushing at once share the work, and a batch
    whose rebuild fails stays marked. The rebuild reads the data as committed
    after the claim, so a later write to the same practice, which must wait for
    the claim to mark it again, is always rebuilt after it.
    """
    if getattr(_flushing, using, False):
        return 0  # a flush's own commit does not start another
    setattr(_flushing, using, True)
    setattr(_flushes_started, using, _flush_count(using) + 1)
    rebuilt = 0
    try:
        while True:
            with transaction.atomic(using=using), connections[using].cursor() as cursor:
                cursor.execute(sql.STALE_CLAIM, [FLUSH_BATCH])
                ids = [row[0] for row in cursor.fetchall()]
                if not ids:
                    return rebuilt
                index_refresh(practice_ids=ids, using=using)
                rebuilt += len(ids)
    finally:
        setattr(_flushing, using, False)


def stale_count() -> int:
    with connections["default"].cursor() as cursor:
        cursor.execute(sql.STALE_COUNT)
        return cursor.fetchone()[0]
