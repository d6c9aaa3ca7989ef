"""The catalogue page's order and its pages of ids."""

from __future__ import annotations

from django.db import connections
from django.db.models import F, FloatField, QuerySet, Value

from catalogue import sql
from practices.models import Practice

SORTINGS = {
    "relevance": ("-rank", "-published_at", "-id"),
    "newest": ("-published_at", "-id"),
    "title": ("sort_title", "id"),
    "value": (F("total_value").desc(nulls_last=True), "-id"),
}


def practice_catalogue(queryset: QuerySet[Practice], *, sort: str) -> QuerySet[Practice]:
    """The catalogue's practices in the asked order. A page reads its ids from it
    (practice_page_ids), then the cards of those ids (practice_cards)."""
    return queryset.order_by(*SORTINGS.get(sort, SORTINGS["newest"]))


def practice_page_ids(
    queryset: QuerySet[Practice],
    *,
    start: int,
    stop: int,
    rank_window: int = 0,
    count: int | None = None,
) -> list[int]:
    """The ids at positions [start, stop) of `queryset`, in its order.

    Given the exact `count` of its rows, a page in the second half is read from the
    other end, in the reverse order (the same index, read backwards): the last page
    of a million practices skips nothing instead of 999,980 index entries.

    With a `rank_window` (a search sorted by relevance that matches more practices
    than that), the order is instead: the `rank_window` newest matches by relevance,
    then the later matches newest first. Ranking reads every ranked practice's search
    vector, so ranking all of a broad search's matches (a third of a million-practice
    catalogue for "seniorów") would take half a second; the window bounds that work,
    and a narrower search (or a filter) ranks every match again. Past the window both
    orders are the same, so a deep page reads the newest order alone.
    """
    if not rank_window:
        return _ids_between(queryset, start, stop, count)
    newest = queryset.order_by(*SORTINGS["newest"])
    if start >= rank_window:
        return _ids_between(newest, start, stop, count)
    # One statement: the window, read in the newest order (an index) with its rank
    # computed for those rows only, and (for the page that crosses its end) the
    # matches after it, rankless, so that they sort after it and newest first.
    window = newest.annotate(w_id=F("pk"), w_rank=F("rank"), w_at=F("published_at"))
    window = window.values_list("w_id", "w_rank", "w_at")[:rank_window]
    window_sql, params = window.query.sql_with_params()
    if stop > rank_window:
        later = newest.annotate(
            w_id=F("pk"), w_rank=Value(None, output_field=FloatField()), w_at=F("published_at")
        ).values_list("w_id", "w_rank", "w_at")[rank_window:stop]
        later_sql, later_params = later.query.sql_with_params()
        window_sql, params = f"({window_sql}) UNION ALL ({later_sql})", (*params, *later_params)
    # The database the rest of the page reads (a replica for anonymous visitors).
    with connections[newest.db].cursor() as cursor:
        cursor.execute(sql.ranked_window_page(window_sql), (*params, start, stop - start))
        return [row[0] for row in cursor.fetchall()]


def _ids_between(queryset: QuerySet, start: int, stop: int, count: int | None) -> list[int]:
    if count is None or start <= count // 2:
        return list(queryset.values_list("pk", flat=True)[start:stop])
    if start >= count:
        return []
    # Positions [start, stop) are, in the reverse order, [count - stop, count - start).
    ids = list(
        queryset.reverse().values_list("pk", flat=True)[max(0, count - stop) : count - start]
    )
    ids.reverse()
    return ids
