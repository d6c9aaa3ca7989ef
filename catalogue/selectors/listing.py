"""The catalogue page's order and its pages of ids."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from django.db import connections
from django.db.models import F, FloatField, QuerySet, Value

from catalogue import sql
from catalogue.search import practice_search, search_sources
from catalogue.selectors.cards import with_values
from practices.models import SAMPLE_INDEX_LEVELS, Practice

SORTINGS = {
    "relevance": ("-rank", "-published_at", "-id"),
    "newest": ("-published_at", "-id"),
    "title": ("sort_title", "id"),
    "value": (F("total_value").desc(nulls_last=True), "-id"),
}


# A search of one word standing in for a page's, in the compiled order of a relevance page
# (order_sql): by its Polish terms alone, or with an English one too (then ranked twice).
_STAND_IN_GROUPS = {
    1: [frozenset({"standinterm"})],
    2: [frozenset({"standinterm", "0enstandinterm"})],
}


@cache
def order_sql(
    alias: str, sort: str, *, reverse: bool, ranks: int
) -> tuple[str, tuple, tuple[int, ...]]:
    """The ORDER BY clause of `sort` (SORTINGS) as the ORM writes it on the database
    `alias` (`reverse`: as QuerySet.reverse() writes it), compiled once per process, and
    its parameters. A relevance order ranks by a search of `ranks` sources (1, or 2 with
    English terms: catalogue.search.search_sources), and the places of its stand-ins'
    sources among the parameters are given too: PageStatement puts a page's own there."""
    rows = Practice.objects.using(alias).all()
    stand_ins = search_sources(_STAND_IN_GROUPS[ranks]) if ranks else ()
    if ranks:
        rows = practice_search(rows, groups=_STAND_IN_GROUPS[ranks])
    rows = rows.order_by(*SORTINGS[sort])
    if reverse:
        rows = rows.reverse()
    statement, params = rows.values_list("pk").query.get_compiler(alias).as_sql()
    where, order = statement.split(" ORDER BY ")
    order_params = params[where.count("%s") :]
    places = _stand_in_places(order_params, stand_ins[:ranks])
    if order.count("%s") != len(order_params) or places is None:
        raise ValueError(f"unexpected SQL for the order {sort!r}: {statement} {params}")
    return order, order_params, places


def _stand_in_places(params: tuple, stand_ins: tuple) -> tuple[int, ...] | None:
    """Where the search sources `stand_ins` are among `params`, in their order, each
    once; None if they are not so (the compiled SQL is not what the caller expects)."""
    places = tuple(
        number
        for number, param in enumerate(params)
        if isinstance(param, str) and param in stand_ins
    )
    found = tuple(params[place] for place in places)
    return places if found == tuple(stand_ins) else None


@cache
def rank_sql(alias: str, ranks: int) -> tuple[str, tuple, tuple[int, ...]]:
    """The rank of a search of `ranks` sources (as order_sql's) as the ORM writes it in
    a SELECT list on the database `alias`, compiled once per process: the expression, its
    parameters, and the places of its stand-ins' sources among them."""
    stand_ins = search_sources(_STAND_IN_GROUPS[ranks])
    rows = practice_search(Practice.objects.using(alias).all(), groups=_STAND_IN_GROUPS[ranks])
    statement, params = rows.values_list("rank").query.get_compiler(alias).as_sql()
    select = statement.split(" FROM ", 1)[0]
    expression = select.removeprefix("SELECT ").removesuffix(' AS "rank"')
    select_params = params[: select.count("%s")]
    places = _stand_in_places(select_params, stand_ins[:ranks])
    if expression == select or " AS " in expression or places is None:
        raise ValueError(f"unexpected SQL for the rank: {statement} {params}")
    return expression, select_params, places


@dataclass(frozen=True)
class PageStatement:
    """A catalogue page's ids as one statement put together from parts compiled before:
    the rows every filter but the facets' selects, compiled once for the request's counts
    (catalogue.counting.rows_template), the facets' conditions (compiled once a process,
    catalogue.filters.overlap_sql), and the order (`order_sql`, once a process). Compiling
    the page's queryset again cost a page 0.3 to 0.5 ms of CPU at 100k practices
    (bench/README.md, the thirteenth run), and a relevance page read aside before its
    count is known as much in the ranked window's form (PageStatement.ranked_window_ids).

    Its pages are the pages of the ORM's queryset, the same ids in the same order
    (tests/catalogue/test_page_statement.py)."""

    alias: str
    rows: tuple[str, tuple]  # the template (counting.rows_template) and its parameters
    conditions: tuple[tuple[str, list], ...]  # the facets'
    sort: str
    sources: tuple[str, ...]  # the search's (search_sources), in a relevance order

    def _rows(self, columns: list[str], flags=None) -> tuple[str, list]:
        """The filtered rows selecting `columns` (and `flags`, see sql.scan_rows)."""
        rows_sql, params = sql.scan_rows(*self.rows, list(self.conditions), columns, flags=flags)
        return sql.sampled_rows(rows_sql, 0, index_levels=list(SAMPLE_INDEX_LEVELS)), params

    def _read(self, statement: str, params) -> list[int]:
        with connections[self.alias].cursor() as cursor:
            cursor.execute(statement, params)
            return [row[0] for row in cursor.fetchall()]

    def ids_between(self, start: int, stop: int, *, reverse: bool = False) -> list[int]:
        """The ids at [start, stop) of the order, or of the reverse order."""
        order, order_params, places = order_sql(
            self.alias, self.sort, reverse=reverse, ranks=len(self.sources)
        )
        rows_sql, params = self._rows([self._column("id")])
        statement = f"{rows_sql} ORDER BY {order} LIMIT {int(stop - start)}"
        if start:
            statement += f" OFFSET {int(start)}"
        return self._read(statement, (*params, *with_values(order_params, places, *self.sources)))

    def ranked_window_ids(self, start: int, stop: int, window: int) -> list[int]:
        """The ids at [start, stop) of a relevance order that ranks only its `window`
        newest matches (practice_page_ids), for a page inside the window."""
        if not self.sources or stop > window:
            raise ValueError("only a relevance page inside its window")
        rank, rank_params, places = rank_sql(self.alias, len(self.sources))
        newest, newest_params, _places = order_sql(self.alias, "newest", reverse=False, ranks=0)
        columns = [f"{self._column('id')} AS w_id", f"{self._column('published_at')} AS w_at"]
        flags = {"w_rank": (rank, with_values(rank_params, places, *self.sources))}
        rows_sql, params = self._rows(columns, flags)
        window_sql = f"{rows_sql} ORDER BY {newest} LIMIT {int(window)}"
        params = (*params, *newest_params, start, stop - start)
        return self._read(sql.ranked_window_page(window_sql), params)

    def _column(self, field: str) -> str:
        quote = connections[self.alias].ops.quote_name
        column = Practice._meta.get_field(field).column
        return f"{quote(Practice._meta.db_table)}.{quote(column)}"


def page_statement(
    alias: str,
    rows: tuple[str, list],
    conditions: list[tuple[str, list]],
    *,
    sort: str,
    groups: list[frozenset[str]],
) -> PageStatement:
    """The PageStatement of the rows `rows` (catalogue.counting.rows_template) with the
    facets' `conditions`, in the order `sort`, of a search of `groups` (none: no search;
    a relevance order ranks by it)."""
    if sort not in SORTINGS or (sort == "relevance" and not groups):
        sort = "newest"  # as practice_catalogue and the page's own choice of order
    sources = search_sources(groups) if sort == "relevance" else ()
    found = tuple(source for source in sources if source is not None)
    return PageStatement(alias, (rows[0], tuple(rows[1])), tuple(conditions), sort, found)


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
    statement: PageStatement | None = None,
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

    `statement`, the queryset's PageStatement, reads its ids without compiling it (but
    for the ranked window's page that crosses its end, which the ORM compiles).
    """
    if not rank_window:
        return _ids_between(queryset, start, stop, count, statement)
    newest = queryset.order_by(*SORTINGS["newest"])
    if start >= rank_window:
        return _ids_between(newest, start, stop, count, None)
    if statement is not None and statement.sources and stop <= rank_window:
        return statement.ranked_window_ids(start, stop, rank_window)
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


def _ids_between(
    queryset: QuerySet, start: int, stop: int, count: int | None, statement: PageStatement | None
) -> list[int]:
    """The ids at [start, stop) of `queryset`, read by its PageStatement where given."""
    if count is None or start <= count // 2:
        if statement is not None:
            return statement.ids_between(start, stop)
        return list(queryset.values_list("pk", flat=True)[start:stop])
    if start >= count:
        return []
    # Positions [start, stop) are, in the reverse order, [count - stop, count - start).
    if statement is not None:
        ids = statement.ids_between(max(0, count - stop), count - start, reverse=True)
    else:
        ids = list(
            queryset.reverse().values_list("pk", flat=True)[max(0, count - stop) : count - start]
        )
    ids.reverse()
    return ids
