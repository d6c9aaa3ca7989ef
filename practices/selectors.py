"""Reads of practices: QuerySets with the joins and prefetches each use needs."""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass
from functools import cached_property

from django.conf import settings
from django.contrib.postgres.search import SearchQuery, SearchRank
from django.db import connection
from django.db.models import (
    BooleanField,
    ExpressionWrapper,
    F,
    FloatField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.expressions import RawSQL

from competitions.models import Competition, Edition, Entry
from core.text import polish_sort_key, query_groups, tsquery_source
from practices.filters import PracticeFilterSet
from practices.models import (
    SAMPLE_INDEX_LEVELS,
    SAMPLE_LEVELS,
    FacetCount,
    Partnership,
    Practice,
    PracticeType,
    Topic,
)


def practice_index_prefetches(queryset: QuerySet[Practice]) -> QuerySet[Practice]:
    """What `practices.services.practice_index_values()` reads, in a fixed number of queries."""
    return queryset.select_related("lead_organisation", "practice_type").prefetch_related(
        Prefetch(
            "partnerships",
            queryset=Partnership.objects.select_related("organisation"),
        ),
        "topics",
        "funding_sources",
        Prefetch(
            "entries",
            queryset=Entry.objects.select_related("category__edition"),
        ),
    )


def practice_list_published() -> QuerySet[Practice]:
    """Published practices, newest first, with what a list row shows."""
    return (
        Practice.objects.published()
        .select_related("lead_organisation", "practice_type")
        .order_by("-published_at", "-id")
    )


# --- the catalogue ------------------------------------------------------------


@dataclass
class CatalogueVocabulary:
    """The small tables the catalogue's filters name by slug: loaded once per request."""

    topics: list[Topic]
    practice_types: list[PracticeType]
    editions: list[Edition]

    @cached_property
    def published_total(self) -> int:
        """How many practices are published (each type's kept count, read with the types)."""
        return sum(getattr(t, "published_count", 0) or 0 for t in self.practice_types)

    @cached_property
    def competitions(self) -> list[Competition]:
        unique = {edition.competition_id: edition.competition for edition in self.editions}
        return sorted(unique.values(), key=lambda c: polish_sort_key(c.name))

    def items(self, kind: str) -> list:
        return {
            "topic": self.topics,
            "competition": self.competitions,
            "edition": self.editions,
        }[kind]

    def ids(self, kind: str) -> dict[str, int]:
        return {item.slug: item.pk for item in self.items(kind)}

    def by_id(self, kind: str) -> dict:
        return {item.pk: item for item in self.items(kind)}

    def choices(self, kind: str) -> list[tuple[str, str]]:
        return [(item.slug, str(item)) for item in self.items(kind)]


_vocabulary_memo: dict[str, tuple[int, CatalogueVocabulary]] = {}


def catalogue_vocabulary() -> CatalogueVocabulary:
    """Topics, types and editions; kept in this process until the catalogue changes."""
    from core.pagecache import catalogue_version

    version = catalogue_version()
    remembered = _vocabulary_memo.get("current")
    if remembered and remembered[0] == version:
        return remembered[1]
    vocabulary = _load_vocabulary()
    _vocabulary_memo["current"] = (version, vocabulary)
    return vocabulary


def _load_vocabulary() -> CatalogueVocabulary:
    return CatalogueVocabulary(
        topics=list(Topic.objects.order_by("order", "name")),
        practice_types=list(
            PracticeType.objects.annotate(
                published_count=Subquery(
                    FacetCount.objects.filter(dimension="type", key=OuterRef("code")).values(
                        "count"
                    )[:1]
                )
            ).order_by("order")
        ),
        editions=list(
            Edition.objects.select_related("competition").order_by("competition__name", "-year")
        ),
    )


def practice_search(queryset: QuerySet[Practice], *, query: str) -> QuerySet[Practice]:
    """Practices matching `query` (Polish-aware, see core.text), with a `rank` annotation.

    A query with no searchable word leaves the queryset as it is.
    """
    groups = query_groups(query)
    if not groups:
        return queryset
    search_query = SearchQuery(tsquery_source(groups), search_type="raw", config="simple")
    return queryset.filter(search_vector=search_query).annotate(
        rank=SearchRank(F("search_vector"), search_query, weights=SEARCH_RANK_WEIGHTS)
    )


# Weights of the D, C, B and A parts of the search vector (see practices.services).
SEARCH_RANK_WEIGHTS = [0.1, 0.3, 0.6, 1.0]

SORTINGS = {
    "relevance": ("-rank", "-published_at", "-id"),
    "newest": ("-published_at", "-id"),
    "title": ("sort_title", "id"),
    "value": (F("total_value").desc(nulls_last=True), "-id"),
}


# What a practice card reads (templates/includes/cards/practice_card.html, and the
# snippet of practices.views.PracticeListView): the other long texts stay unread.
CARD_FIELDS = (
    "title",
    "slug",
    "summary",
    "description",
    "countries",
    "award_levels",
    "started_on",
    "started_precision",
    "ended_on",
    "ended_precision",
    "total_value",
    "currency",
    "lead_organisation__name",
    "practice_type__name",
    "practice_type__name_en",
)


def practice_catalogue(queryset: QuerySet[Practice], *, sort: str) -> QuerySet[Practice]:
    """The rows of a catalogue page: what a practice card shows, in the asked order."""
    ordering = SORTINGS.get(sort, SORTINGS["newest"])
    return (
        queryset.select_related("lead_organisation", "practice_type")
        .only(*CARD_FIELDS)
        .order_by(*ordering)
    )


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
    sql, params = window.query.sql_with_params()
    if stop > rank_window:
        later = newest.annotate(
            w_id=F("pk"), w_rank=Value(None, output_field=FloatField()), w_at=F("published_at")
        ).values_list("w_id", "w_rank", "w_at")[rank_window:stop]
        later_sql, later_params = later.query.sql_with_params()
        sql, params = f"({sql}) UNION ALL ({later_sql})", (*params, *later_params)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT u.w_id FROM ({sql}) AS u "  # the ORM compiled {sql}, params apart
            "ORDER BY u.w_rank DESC NULLS LAST, u.w_at DESC, u.w_id DESC OFFSET %s LIMIT %s",
            (*params, start, stop - start),
        )
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


# The facet dimensions: the filter's name → the practice column it counts.
FACET_COLUMNS = PracticeFilterSet.FACET_COLUMNS


def practice_facet_counts(filterset, queryset: QuerySet[Practice]) -> FacetCounts:
    """Facet counts for the filterset's filters, from the shared cache when already counted.

    The key is the catalogue version and the filters (not the page or the
    order): paging through results or re-sorting them counts nothing again,
    and any write to the catalogue makes every stored count stale.
    """
    from django.core.cache import cache

    from core.pagecache import versioned_key

    data = filterset.form.cleaned_data
    filters = sorted(
        (name, str(value))
        for name, value in data.items()
        if value not in (None, "", []) and name != "sort"
    )
    seconds = settings.CATALOGUE_FACET_CACHE_SECONDS
    if not seconds:
        return count_facets(filterset, queryset)
    key = "facets:" + versioned_key(repr(filters))
    counts = cache.get(key)
    if counts is None:
        counts = count_facets(filterset, queryset)
        cache.set(key, counts, seconds)
    return counts


class FacetCounts(dict):
    """Facet counts: each dimension's {key: count}, and "total": {"": results}.

    `levels` gives, for every dimension (and "total") counted over a sample, the
    sample level it was counted at: level k holds one practice in 2**k, so each of
    its counts is an estimate in steps of 2**k. Counts of other dimensions are exact.
    """

    def __init__(self, *args, levels: dict[str, int] | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.levels = dict(levels or {})

    @property
    def approximate(self) -> frozenset[str]:
        return frozenset(name for name, level in self.levels.items() if level)


# How many rows the sample that sizes each set reads, at most about (count_facets).
PROBE_ROWS = 1000
# Sampling starts with catalogues of more than this many times the exact-count limit.
SAMPLING_FROM = 10


def count_facets(filterset, queryset: QuerySet[Practice]) -> FacetCounts:
    """Counts of every facet option, plus the "total" of the filtered set, in one query.

    `queryset` is the published practices (the filterset's own queryset). Each
    dimension is counted over the results filtered by every *other* filter, so
    the options of a dimension the visitor has chosen from keep their counts
    (choosing "IT" does not make "social" show 0).

    Where nothing narrows the catalogue but facets, PostgreSQL's kept counts
    answer without counting practices: a dimension with no other filter on it
    reads `FacetCount` (the whole catalogue's), and one whose only other filter
    selects one value (or any types: a practice has one) reads `FacetPairCount`
    (the counts given that value). The rest are counted from the rows: the
    dimensions nobody filters on, and the total, share one scan of the filtered
    results; each dimension filtered on gets a scan of its own set (every filter
    but its own). Every scan groups by the facet columns (GROUPING SETS).

    A set of up to `CATALOGUE_EXACT_COUNT_LIMIT` practices is counted exactly; a
    larger one over a uniform sample of it (practices.models.SampleLevels) of
    between about a quarter of that and that many practices, each count scaled
    up (see `FacetCounts.levels`), so a page reads a bounded number of rows at
    any catalogue size. The level each set needs is chosen in the same statement
    (`_sample_plan`), and each sampled scan reads the GIN index of its level
    (`_sampled_rows`), whose keys are the search words, the filters and the level.
    A catalogue of up to SAMPLING_FROM times the limit is always counted exactly.
    """
    base = filterset.filter_queryset_without_facets(queryset).order_by()
    active = {
        dimension: condition
        for dimension in FACET_COLUMNS
        if (condition := filterset.facet_condition(dimension)) is not None
    }
    whole_catalogue = not filterset.narrows_beyond_facets()

    def given(dimensions) -> tuple[str, list[str]] | None:
        """The one filter `dimensions` leave, if kept counts hold the counts given it."""
        if not whole_catalogue or len(dimensions) != 1:
            return None
        (name,) = dimensions
        keys = [str(value) for value in filterset.facet_values(name)]  # as the counts key them
        return (name, keys) if name == "type" or len(keys) <= 1 else None

    from_summary, from_pairs = [], {}
    for dimension in FACET_COLUMNS:
        others = active.keys() - {dimension}
        if whole_catalogue and not others:
            from_summary.append(dimension)
        elif pair := given(others):
            from_pairs.setdefault(pair[0], (pair[1], []))[1].append(dimension)
    total_given = None
    if whole_catalogue and not active:
        from_summary.append("total")
    else:
        total_given = given(active.keys())

    # (the facet conditions of the rows, the dimensions counted over them, whether
    # they are the results)
    scans = []
    counted_elsewhere = set(from_summary) | {d for _k, ds in from_pairs.values() for d in ds}
    unfiltered_on = [d for d in FACET_COLUMNS if d not in active and d not in counted_elsewhere]
    if unfiltered_on or ("total" not in from_summary and total_given is None):
        scans.append((list(active.values()), unfiltered_on, True))
        total_given = None  # the scan of the results counts them
    for dimension in active:
        if dimension not in counted_elsewhere:
            others = [condition for name, condition in active.items() if name != dimension]
            scans.append((others, [dimension], False))

    limit = settings.CATALOGUE_EXACT_COUNT_LIMIT
    published = filterset.vocabulary.published_total
    # No set is larger than the whole catalogue, and sizing the sets costs more than it
    # saves until most of them could be over the limit: a catalogue of up to
    # SAMPLING_FROM × the limit is always counted exactly.
    sampling = bool(scans) and limit > 0 and published > SAMPLING_FROM * limit
    ctes, selects, params = [], [], []
    if sampling:
        probe_level = min(SAMPLE_LEVELS, max(1, math.ceil(math.log2(published / PROBE_ROWS))))
        # No set needs a sample sparser than the whole catalogue would.
        top_level = min(SAMPLE_LEVELS, math.ceil(math.log2(published / limit)))
        plan, plan_params = _sample_plan(
            base, [conditions for conditions, _d, _t in scans], limit, probe_level
        )
        ctes += plan
        params += plan_params
    for number, (conditions, dimensions, is_total) in enumerate(scans):
        rows = base.filter(*conditions)
        columns = [FACET_COLUMNS[d] for d in dimensions] or ["pk"]
        if sampling:
            sql, sub_params = _sampled_rows(rows.values(*columns), number, top_level)
            weight = f"(SELECT w{number} FROM sample_plan)"
            selects.append(f"SELECT 'level', '{number}', k{number}::bigint FROM sample_plan")
        else:
            sql, sub_params = rows.values(*columns).query.sql_with_params()
            weight = "1"
        cte, reads = _grouped_counts(f"g{number}", sql, dimensions, total=is_total, weight=weight)
        ctes.append(cte)
        selects += reads
        params += sub_params
    if from_summary:
        selects.append(
            "SELECT dimension, key, count FROM practices_facetcount "
            "WHERE dimension = ANY(%s) AND count > 0"
        )
        params.append(from_summary)
    for given_dimension, (keys, dimensions) in from_pairs.items():
        # Summing over several keys is exact only for types (a practice has one).
        selects.append(
            "SELECT dimension, key, sum(count)::bigint FROM practices_facetpaircount "
            "WHERE given_dimension = %s AND given_key = ANY(%s) AND dimension = ANY(%s) "
            "AND count > 0 GROUP BY dimension, key"
        )
        params += [given_dimension, keys, dimensions]
    if total_given is not None:
        selects.append(
            "SELECT 'total', '', sum(count)::bigint FROM practices_facetcount "
            "WHERE dimension = %s AND key = ANY(%s) HAVING sum(count) > 0"
        )
        params += list(total_given)

    counts = FacetCounts({dimension: {} for dimension in [*FACET_COLUMNS, "total"]})
    with_clause = f"WITH {', '.join(ctes)} " if ctes else ""
    with connection.cursor() as cursor:
        cursor.execute(with_clause + " UNION ALL ".join(selects), params)
        for dimension, key, count in cursor.fetchall():
            if dimension == "level":
                _conditions, dimensions, is_total = scans[int(key)]
                for name in [*dimensions, *(["total"] if is_total else [])]:
                    counts.levels[name] = count
            else:
                counts[dimension][key] = count
    return counts


# Stands in a scan's SQL, compiled once, for the conditions of each of its branches.
_BRANCH_CONDITIONS = "practices_sample_branch_conditions"


def _sampled_rows(rows: QuerySet, number: int, top_level: int) -> tuple[str, list]:
    """Scan `number`'s rows, read at the sample level the plan chose for it (k{number}).

    One branch per index the level can use, of which PostgreSQL runs only the one
    whose condition on the level holds (a one-time filter): level 0 reads every
    row of the set; any other level (never under the lowest indexed one) the index
    of the highest indexed level not above it (its literal condition is the partial
    index's own). The branches differ only in those conditions, so the scan is
    compiled once and each branch puts its own in place of a marker: the ORM would
    take a millisecond per branch, four to six branches per scan.
    """
    sql, params = rows.filter(_sql_condition(_BRANCH_CONDITIONS)).query.sql_with_params()
    if sql.count(_BRANCH_CONDITIONS) != 1:
        raise AssertionError(f"the marker of the branch conditions is not once in {sql}")
    level = f"(SELECT k{number} FROM sample_plan)"
    bounds = [0, *(t for t in SAMPLE_INDEX_LEVELS if t <= top_level), SAMPLE_LEVELS + 1]
    branches = []
    for low, high in itertools.pairwise(bounds):
        conditions = [f"{level} BETWEEN {low} AND {high - 1}"]
        if low:
            conditions.append(f'"practices_practice"."sample_levels" @> ARRAY[{level}]')
        if low in SAMPLE_INDEX_LEVELS:
            # As the ORM writes sample_levels__contains=[low], the partial index's predicate.
            conditions.append(f'"practices_practice"."sample_levels" @> (ARRAY[{low}])::integer[]')
        branches.append(f"({sql.replace(_BRANCH_CONDITIONS, ' AND '.join(conditions))})")
    return " UNION ALL ".join(branches), list(params) * len(branches)


def _sql_condition(sql: str) -> RawSQL:
    """A WHERE condition in SQL (for the sampling subqueries; no parameters)."""
    return RawSQL(sql, [], output_field=BooleanField())


def _sample_plan(base: QuerySet[Practice], scans: list[list[Q]], limit: int, probe_level: int):
    """The CTEs that choose each scan's sample level (k0, k1…) and its weight (w0 = 2**k0…).

    One probe reads the practices of `base` in sample level `probe_level` (about
    PROBE_ROWS of the whole catalogue, or fewer) and counts how many of them each
    scan's conditions select: n_i × 2**probe_level estimates the size of scan i's
    set. A set estimated at no more than `limit` practices is counted whole (level
    0); a larger one at the lowest level that leaves no more than `limit` of it,
    and never under the lowest level with an index of its own (so a sample holds
    between about a quarter of the limit and the limit).
    """
    flags = {
        f"c{number}": ExpressionWrapper(Q(*conditions), output_field=BooleanField())
        if conditions
        else Value(True, output_field=BooleanField())
        for number, conditions in enumerate(scans)
    }
    probe_sql, probe_params = (
        base.filter(sample_levels__contains=[probe_level]).values(**flags).query.sql_with_params()
    )
    numbers = range(len(scans))
    scale = 2**probe_level
    lowest = SAMPLE_INDEX_LEVELS[0]
    levels = ", ".join(
        f"CASE WHEN n{i} * {scale} <= {limit} THEN 0 ELSE greatest({lowest}, least("
        f"{SAMPLE_LEVELS}, ceil(log(2.0, n{i} * {scale}.0 / {limit}))))::int END AS k{i}"
        for i in numbers
    )
    ctes = [
        "sample_probe AS MATERIALIZED (SELECT "
        + ", ".join(f"count(*) FILTER (WHERE s.c{i}) AS n{i}" for i in numbers)
        + f" FROM ({probe_sql}) AS s)",
        "sample_plan AS MATERIALIZED (SELECT "
        + ", ".join(f"k{i}, power(2, k{i})::bigint AS w{i}" for i in numbers)
        + f" FROM (SELECT {levels} FROM sample_probe) AS chosen)",
    ]
    return ctes, probe_params


def _grouped_counts(name: str, sql: str, dimensions: list[str], *, total: bool, weight: str):
    """A CTE grouping `sql`'s rows by each dimension's column (GROUPING SETS), and its reads.

    Array columns are grouped as whole arrays first (few distinct ones) and only
    those groups are unnested. The empty grouping set, if asked, is the total.
    Each group's count is multiplied by `weight` (SQL: the sample's scale, or 1).
    """
    selected, sets, reads = [], [], []
    for dimension in dimensions:
        column = FACET_COLUMNS[dimension]
        selected += [f"GROUPING(s.{column}) AS g_{dimension}", f"s.{column}"]
        sets.append(f"(s.{column})")
        if column == "practice_type_id":
            reads.append(
                f"SELECT '{dimension}', {name}.{column}::text, {name}.n FROM {name} "
                f"WHERE {name}.g_{dimension} = 0 AND {name}.{column} IS NOT NULL"
            )
        else:
            reads.append(
                f"SELECT '{dimension}', k::text, sum({name}.n)::bigint "
                f"FROM {name} CROSS JOIN LATERAL unnest({name}.{column}) AS k "
                f"WHERE {name}.g_{dimension} = 0 GROUP BY 2"
            )
    if total:
        sets.append("()")
        whole = " AND ".join(f"{name}.g_{d} = 1" for d in dimensions) or "TRUE"
        reads.append(f"SELECT 'total', '', {name}.n FROM {name} WHERE {whole} AND {name}.n > 0")
    selected.append(f"count(*) * {weight} AS n")
    cte = (
        f"{name} AS (SELECT {', '.join(selected)} FROM ({sql}) AS s "
        f"GROUP BY GROUPING SETS ({', '.join(sets)}))"
    )
    return cte, reads


def practice_detail_queryset(*, include_unpublished: bool = False) -> QuerySet[Practice]:
    """A practice with everything its page shows, in a fixed number of queries."""
    queryset = Practice.objects.all() if include_unpublished else Practice.objects.published()
    return queryset.select_related("lead_organisation", "practice_type").prefetch_related(
        Prefetch("partnerships", queryset=Partnership.objects.select_related("organisation")),
        Prefetch("topics", queryset=Topic.objects.order_by("order", "name")),
        "funding_sources",
        "links",
        Prefetch(
            "entries",
            queryset=Entry.objects.exclude(status="withdrawn")
            .select_related("category__edition__competition")
            .order_by("-category__edition__year", "category__order"),
        ),
    )


RELATED_CANDIDATES = 200


def practice_related(practice: Practice, *, limit: int = 4) -> list[Practice]:
    """Published practices that share a topic or the type, those sharing most topics first.

    Picked from the newest RELATED_CANDIDATES that share anything, so the page reads a
    few hundred index entries (practice_newest_idx, in order, until enough match)
    rather than ranking every practice of the type: constant work at any catalogue size.
    """
    from django.db.models import Case, IntegerField, When

    shared_topics = RawSQL(
        "cardinality(ARRAY(SELECT unnest(topic_ids) INTERSECT SELECT unnest(%s::bigint[])))",
        [practice.topic_ids],
        output_field=IntegerField(),
    )
    candidates = (
        Practice.objects.published()
        .exclude(pk=practice.pk)
        .filter(
            Q(topic_ids__overlap=practice.topic_ids) | Q(practice_type=practice.practice_type_id)
        )
        .order_by("-published_at", "-id")
        .values("pk")[:RELATED_CANDIDATES]
    )
    return list(
        Practice.objects.filter(pk__in=candidates)
        .annotate(
            shared=shared_topics,
            same_type=Case(
                When(practice_type=practice.practice_type_id, then=Value(1)),
                default=Value(0),
                output_field=IntegerField(),
            ),
        )
        .select_related("lead_organisation", "practice_type")
        .order_by("-shared", "-same_type", "-published_at", "-id")[:limit]
    )
