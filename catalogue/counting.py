"""Facet counts: how many results each option of each facet dimension would give.

One interface, `count_facets(filterset, queryset) -> FacetCounts`, and two
strategies behind it, chosen per request:

* exact (`ExactCounting`): every set is counted whole. The sets are ORM
  querysets (the FilterSet's conditions); what the ORM cannot say — group one
  set by every facet column in one scan — is a named template in catalogue.sql.
* sampled (`SampledCounting`): in a large catalogue, a set of more than
  `CATALOGUE_EXACT_COUNT_LIMIT` practices is counted over a uniform sample of
  it (practices.models.SampleLevels) and scaled up, so a page reads a bounded
  number of rows at any catalogue size.

Both first take what PostgreSQL already keeps (`plan_counts`): with nothing but
facets narrowing the catalogue, a dimension with no other filter on it reads
the whole catalogue's counts (`FacetCount`), and one whose only other filter
selects one value reads the counts given that value (`FacetPairCount`). The
rest is counted from the rows: the dimensions nobody filters on and the total
share one scan of the results; each dimension filtered on gets a scan of its
own set (every filter but its own), so choosing "IT" does not make "social"
show 0. Everything is one statement; where sets are sampled, a small probe
statement runs first to choose each set's sample level, so that PostgreSQL plans
only the rows each scan reads (bench/README.md, the fifth run), and the results
are counted in the scan of a dimension filtered on that is read at their level,
flagged among its rows (`fold_results`), rather than in a scan of their own.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field

from django.conf import settings
from django.core.cache import cache
from django.db import connections
from django.db.models import BooleanField, QuerySet
from django.db.models.expressions import RawSQL

from catalogue import sql
from core.pagecache import versioned_key
from practices.dimensions import FACETS, FACETS_BY_NAME
from practices.models import SAMPLE_INDEX_LEVELS, SAMPLE_LEVELS, Practice

# How many rows the sample that sizes each set reads, at most about.
PROBE_ROWS = 1000
# Sampling starts with catalogues of more than this many times the exact-count limit.
SAMPLING_FROM = 10


@dataclass(frozen=True)
class FacetCounts:
    """What `count_facets` found.

    `options[dimension][key]` is the number of results an option would give (keys
    as the rows store them: type codes, country codes, topic and edition ids…);
    `total` the number of results. `levels` names every count made over a sample
    ("total" or a dimension) with its sample level k: one practice in 2**k, so
    its counts are estimates in steps of 2**k. Counts not named are exact.
    """

    options: dict[str, dict[str, int]]
    total: int
    levels: dict[str, int] = field(default_factory=dict)

    def level(self, name: str) -> int:
        return self.levels.get(name, 0)

    @property
    def approximate(self) -> frozenset[str]:
        return frozenset(name for name, level in self.levels.items() if level)


@dataclass(frozen=True)
class Scan:
    """A set of practices to count: the facet filters whose conditions select it (by name;
    besides the filters that are not facets), the dimensions counted over it, and
    whether it is the results (then its size is the total)."""

    filtered: tuple[str, ...]
    dimensions: tuple[str, ...]
    is_results: bool
    # The results folded into this scan (`fold_results`): the dimension whose filter
    # the results add to this scan's, and the dimensions counted over them.
    results: tuple[str, tuple[str, ...]] | None = None


@dataclass
class CountPlan:
    """Where each count comes from: kept counts, pair counts, or a scan of rows."""

    from_kept: list[str] = field(default_factory=list)  # dimensions, and perhaps "total"
    # given dimension → (its selected keys, the dimensions read given them)
    from_pairs: dict[str, tuple[list[str], list[str]]] = field(default_factory=dict)
    total_given: tuple[str, list[str]] | None = None
    scans: list[Scan] = field(default_factory=list)


def plan_counts(filterset) -> CountPlan:
    active = [d.name for d in FACETS if filterset.facet_values(d.name) is not None]
    whole_catalogue = not filterset.narrows_beyond_facets()

    def given(dimensions) -> tuple[str, list[str]] | None:
        """The one filter `dimensions` leave, if kept counts hold the counts given it."""
        if not whole_catalogue or len(dimensions) != 1:
            return None
        (name,) = dimensions
        keys = [str(value) for value in filterset.facet_values(name)]  # as the counts key them
        return (name, keys) if FACETS_BY_NAME[name].one_per_practice or len(keys) <= 1 else None

    plan = CountPlan()
    for d in FACETS:
        others = set(active) - {d.name}
        if whole_catalogue and not others:
            plan.from_kept.append(d.name)
        elif pair := given(others):
            plan.from_pairs.setdefault(pair[0], (pair[1], []))[1].append(d.name)
    if whole_catalogue and not active:
        plan.from_kept.append("total")
    else:
        plan.total_given = given(active)

    counted_elsewhere = set(plan.from_kept) | {
        d for _keys, dimensions in plan.from_pairs.values() for d in dimensions
    }
    unfiltered_on = [
        d.name for d in FACETS if d.name not in active and d.name not in counted_elsewhere
    ]
    if unfiltered_on or ("total" not in plan.from_kept and plan.total_given is None):
        plan.scans.append(Scan(tuple(active), tuple(unfiltered_on), True))
        plan.total_given = None  # the scan of the results counts them
    for name in active:
        if name not in counted_elsewhere:
            others = tuple(other for other in active if other != name)
            plan.scans.append(Scan(others, (name,), False))
    return plan


def fold_results(
    scans: list[Scan], levels: list[int], sizes: list[int]
) -> tuple[list[Scan], list[int]]:
    """`scans` (with their sample `levels`) with the results' own scan folded into the
    scan of a dimension filtered on that is read at the same level: of those, the one
    whose set the probe found smallest (`sizes`, as many as `scans`).

    That scan reads every filter but its dimension's: a larger set that holds the
    results, which are its rows that also meet that one filter. Counted in the same
    pass, with a flag per row (sql.grouped_counts), the results cost no index scan and
    no visit of their rows of their own; at the same level, they are the very rows
    their own scan would read. (A catalogue counted whole is not folded: there the
    results' scan reads a few rows through its index, and grouping every row of the
    larger set by the results' columns too cost more than it saved.)
    """
    results = next((number for number, scan in enumerate(scans) if scan.is_results), None)
    if results is None:
        return scans, levels
    own = scans[results]
    candidates = [
        number
        for number, scan in enumerate(scans)
        if not scan.is_results
        and levels[number] == levels[results]
        # a filtered dimension's scan counts it alone, over every other filter
        and set(own.filtered) == {*scan.filtered, *scan.dimensions}
    ]
    if not candidates:
        return scans, levels
    into = min(candidates, key=lambda number: sizes[number])
    scan = scans[into]
    folded = Scan(
        scan.filtered, scan.dimensions, False, results=(scan.dimensions[0], own.dimensions)
    )
    kept = [number for number in range(len(scans)) if number != results]
    return (
        [folded if number == into else scans[number] for number in kept],
        [levels[number] for number in kept],
    )


def _count_columns(dimensions) -> dict[str, tuple[str, bool]]:
    return {
        name: (FACETS_BY_NAME[name].count_column, FACETS_BY_NAME[name].one_per_practice)
        for name in dimensions
    }


def _sql_condition(text: str) -> RawSQL:
    """A WHERE condition in SQL, without parameters (the sampled branches' marker)."""
    return RawSQL(text, [], output_field=BooleanField())


def _all_of(conditions: list[tuple[str, list]]) -> tuple[str, list]:
    """A condition that a row meets all of the compiled `conditions` (true without any)."""
    text = " AND ".join(f"({condition})" for condition, _params in conditions) or "TRUE"
    params = [param for _condition, condition_params in conditions for param in condition_params]
    return text, params


def _scan_template(rows: QuerySet[Practice]) -> QuerySet:
    """`rows` with the markers of sql.scan_rows: a scan's columns and conditions."""
    columns = RawSQL(sql.SCAN_COLUMNS, [], output_field=BooleanField())
    marked = rows.annotate(**{sql.SCAN_COLUMNS: columns}).filter(_sql_condition(sql.SCAN_MARKER))
    return marked.values(sql.SCAN_COLUMNS)


def _rows(base: QuerySet[Practice]) -> QuerySet:
    """`base` with the markers of sql.scan_rows (a scan's columns and facet conditions)
    and of sql.sampled_rows (a sample level's conditions, TRUE for every row)."""
    return _scan_template(base.filter(_sql_condition(sql.BRANCH_MARKER)))


def rows_template(filterset) -> tuple[str, list]:
    """The SQL (and parameters) of the rows the filterset's page reads, every filter but
    the facets' in place, with the markers of `_rows`: compiled once for a request, for
    the counts' scans and the page's ids (catalogue.selectors.listing.PageStatement)."""
    found = filterset.__dict__.get("_rows_template")
    if found is None:
        base = filterset.filter_queryset_without_facets(filterset.queryset).order_by()
        template, params = _rows(base).query.sql_with_params()
        found = filterset.__dict__["_rows_template"] = (template, list(params))
    return found


def _column_sql(name: str) -> str:
    """A dimension's count column as the ORM writes it in the practices' SELECT list."""
    quote = connections["default"].ops.quote_name
    return f"{quote(Practice._meta.db_table)}.{quote(FACETS_BY_NAME[name].count_column)}"


class ExactCounting:
    """Every set counted whole."""

    # Each scan's sample level, once prepared (None: no scan is sampled), and how many
    # practices of the probe each scan's set holds.
    levels: list[int] | None = None
    found: list[int] | None = None

    def prepare(
        self,
        rows: tuple[str, list],
        database: str,
        plan: CountPlan,
        conditions: dict[str, tuple[str, list]],
    ) -> None:
        """Whatever the scans need to know before the statement: `rows` is what `rows_template`
        compiled (SQL and parameters), `conditions` the facet filters' conditions,
        compiled (`PracticeFilterSet.facet_condition`)."""

    def scan(self, rows_sql: str, number: int) -> tuple[str, str]:
        """(the SQL of scan `number`'s rows, the weight of a row): every row of its set."""
        return sql.sampled_rows(rows_sql, 0, index_levels=list(SAMPLE_INDEX_LEVELS)), "1"


def sample_level(found: int, *, probe_level: int, lowest: int, top: int, limit: int) -> int:
    """The sample level of a set of which the probe (sample level `probe_level` of the
    whole catalogue) found `found` practices: 0 (read whole) for an estimated size up to
    `limit`, else the lowest level that leaves no more than `limit` of it, never under
    `lowest` nor over `top`."""
    size = found * 2**probe_level
    if size <= limit:
        return 0
    return max(lowest, min(top, math.ceil(math.log2(size / limit))))


class SampledCounting(ExactCounting):
    """Sets larger than the limit counted over a sample of their level (module doc).

    The level each set needs is chosen from a probe of about PROBE_ROWS practices of
    the whole catalogue (`sql.sample_probe`, a statement of its own, before the counts),
    and each sampled scan reads the GIN index of its level (`sql.sampled_rows`), whose
    keys are the search words, the filters and the level.
    """

    def __init__(self, *, published: int, limit: int):
        self.limit = limit
        self.probe_level = min(SAMPLE_LEVELS, max(1, math.ceil(math.log2(published / PROBE_ROWS))))

    def prepare(self, rows, database, plan, conditions):
        # The rows the scans read, at the probe's level, with a flag per scan: the
        # template the ORM compiled once for the scans, not the rows compiled again.
        flags = {
            f"c{number}": _all_of([conditions[name] for name in scan.filtered])
            for number, scan in enumerate(plan.scans)
        }
        rows_sql, params = sql.scan_rows(*rows, [], [], flags=flags)
        probe_sql = sql.sampled_rows(
            rows_sql, self.probe_level, index_levels=list(SAMPLE_INDEX_LEVELS)
        )
        with connections[database].cursor() as cursor:
            cursor.execute(sql.sample_probe(probe_sql, len(plan.scans)), params)
            found = cursor.fetchone()
        self.found = list(found)
        self.levels = [
            sample_level(
                count,
                probe_level=self.probe_level,
                lowest=SAMPLE_INDEX_LEVELS[0],
                top=SAMPLE_LEVELS,
                limit=self.limit,
            )
            for count in found
        ]

    def scan(self, rows_sql, number):
        level = self.levels[number]
        rows = sql.sampled_rows(rows_sql, level, index_levels=list(SAMPLE_INDEX_LEVELS))
        return rows, str(2**level)


def counting_strategy(published: int) -> ExactCounting:
    """Sampling only pays where most sets could be over the limit: a catalogue of up to
    SAMPLING_FROM × the limit (or any, with the limit 0) is always counted exactly."""
    limit = settings.CATALOGUE_EXACT_COUNT_LIMIT
    if limit > 0 and published > SAMPLING_FROM * limit:
        return SampledCounting(published=published, limit=limit)
    return ExactCounting()


def count_facets(filterset, queryset: QuerySet[Practice]) -> FacetCounts:
    """Counts of every facet option, and the total of the filtered set, in one statement
    (after the probe of a sampled catalogue, SampledCounting.prepare).

    `queryset` is the published practices (the filterset's own queryset).
    """
    base = filterset.filter_queryset_without_facets(queryset).order_by()
    plan = plan_counts(filterset)
    strategy = (
        counting_strategy(filterset.vocabulary.published_total) if plan.scans else ExactCounting()
    )
    ctes, params, selects = [], [], []
    if plan.scans:
        # The ORM compiles the rows once and each facet condition once; each scan is
        # the rows with its conditions in place of the marker.
        conditions = {
            name: filterset.facet_condition(name)
            for name in dict.fromkeys(name for scan in plan.scans for name in scan.filtered)
        }
        if queryset is filterset.queryset:
            template, template_params = rows_template(filterset)
        else:
            template, template_params = _rows(base).query.sql_with_params()
        strategy.prepare((template, list(template_params)), base.db, plan, conditions)
    scans = plan.scans
    if strategy.levels is not None:
        scans, strategy.levels = fold_results(scans, strategy.levels, strategy.found)
    for number, scan in enumerate(scans):
        results = scan.results[1] if scan.results else ()
        scan_sql, scan_params = sql.scan_rows(
            template,
            list(template_params),
            [conditions[name] for name in scan.filtered],
            [_column_sql(name) for name in (*scan.dimensions, *results)],
            flags={sql.RESULTS_FLAG: conditions[scan.results[0]]} if scan.results else None,
        )
        rows_sql, weight = strategy.scan(scan_sql, number)
        cte, reads = sql.grouped_counts(
            f"g{number}",
            rows_sql,
            _count_columns(scan.dimensions),
            total=scan.is_results,
            weight=weight,
            results=_count_columns(results) if scan.results else None,
        )
        ctes.append(cte)
        selects += reads
        params += scan_params
    if plan.from_kept:
        selects.append(sql.KEPT_COUNTS)
        params.append(plan.from_kept)
    for given_dimension, (keys, dimensions) in plan.from_pairs.items():
        selects.append(sql.PAIR_COUNTS)
        params += [given_dimension, keys, dimensions]
    if plan.total_given is not None:
        selects.append(sql.KEPT_TOTAL)
        params += list(plan.total_given)

    options: dict[str, dict[str, int]] = {d.name: {} for d in FACETS}
    total, levels = 0, {}
    if strategy.levels is not None:
        for scan, level in zip(scans, strategy.levels, strict=True):
            counted = [*scan.dimensions, *(scan.results[1] if scan.results else ())]
            for name in [*counted, *(["total"] if scan.is_results or scan.results else [])]:
                levels[name] = level
    with_clause = f"WITH {', '.join(ctes)} " if ctes else ""
    # The database the rest of the page reads (a replica for anonymous visitors).
    with connections[queryset.db].cursor() as cursor:
        cursor.execute(with_clause + " UNION ALL ".join(selects), params)
        for dimension, key, count in cursor.fetchall():
            if dimension == "total":
                total = count
            else:
                options[dimension][key] = count
    return FacetCounts(options=options, total=total, levels=levels)


# Bumped when FacetCounts changes shape: counts cached by an older release are not read.
CACHE_SCHEMA = 2


def practice_facet_counts(
    filterset, queryset: QuerySet[Practice], *, before_counting: Callable[[], None] | None = None
) -> FacetCounts:
    """Facet counts for the filterset's filters, from the shared cache when already counted;
    `before_counting` is called first when they are counted (the catalogue page starts
    reading its practices aside then, catalogue.views.practices.FirstPage).

    The key is the catalogue version and the filters (not the page or the
    order): paging through results or re-sorting them counts nothing again,
    and any write to the catalogue makes every stored count stale. The key
    holds only the form's validated values, so input the form drops or refuses
    stores nothing new; while the shared cache is unavailable the counts are
    counted, not kept.
    """
    data = filterset.form.cleaned_data
    filters = sorted(
        (name, str(value))
        for name, value in data.items()
        if value not in (None, "", []) and name != "sort"
    )
    seconds = settings.CATALOGUE_FACET_CACHE_SECONDS
    version_key = versioned_key(repr(filters)) if seconds else None
    key = f"facets{CACHE_SCHEMA}:{version_key}" if version_key is not None else None
    counts = cache.get(key) if key else None
    if counts is None:
        if before_counting is not None:
            before_counting()
        counts = count_facets(filterset, queryset)
        if key:
            cache.set(key, counts, seconds)
    return counts
