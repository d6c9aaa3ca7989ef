"""Reads of practices: QuerySets with the joins and prefetches each use needs."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

from django.conf import settings
from django.contrib.postgres.search import SearchQuery, SearchRank
from django.db import connection
from django.db.models import F, Prefetch, Q, QuerySet

from competitions.models import Competition, Edition, Entry
from core.text import polish_sort_key, query_groups, tsquery_source
from practices.filters import PracticeFilterSet
from practices.models import Partnership, Practice, PracticeType, Topic


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
        practice_types=list(PracticeType.objects.order_by("order")),
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


def practice_catalogue(queryset: QuerySet[Practice], *, sort: str) -> QuerySet[Practice]:
    """The rows of a catalogue page: what a practice card shows, in the asked order."""
    ordering = SORTINGS.get(sort, SORTINGS["newest"])
    return queryset.select_related("lead_organisation", "practice_type").order_by(*ordering)


# The facet dimensions: the filter's name → the practice column it counts.
FACET_COLUMNS = PracticeFilterSet.FACET_COLUMNS


def practice_facet_counts(filterset, queryset: QuerySet[Practice]) -> dict[str, dict[str, int]]:
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


def count_facets(filterset, queryset: QuerySet[Practice]) -> dict[str, dict[str, int]]:
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
    but its own). Every scan groups by the facet columns (GROUPING SETS),
    reading them from an index alone where it can (practice_facets_idx).
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

    # (the rows, the dimensions counted over them, whether they are the results)
    scans = []
    counted_elsewhere = set(from_summary) | {d for _k, ds in from_pairs.values() for d in ds}
    unfiltered_on = [d for d in FACET_COLUMNS if d not in active and d not in counted_elsewhere]
    if unfiltered_on or ("total" not in from_summary and total_given is None):
        scans.append((base.filter(*active.values()), unfiltered_on, True))
        total_given = None  # the scan of the results counts them
    for dimension in active:
        if dimension not in counted_elsewhere:
            others = [condition for name, condition in active.items() if name != dimension]
            scans.append((base.filter(*others), [dimension], False))

    ctes, selects, params = [], [], []
    for number, (rows, dimensions, is_total) in enumerate(scans):
        columns = [FACET_COLUMNS[d] for d in dimensions]
        sql, sub_params = rows.values(*columns or ["pk"]).query.sql_with_params()
        cte, reads = _grouped_counts(f"g{number}", sql, dimensions, total=is_total)
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

    counts: dict[str, dict[str, int]] = {dimension: {} for dimension in FACET_COLUMNS}
    counts["total"] = {}
    with_clause = f"WITH {', '.join(ctes)} " if ctes else ""
    with connection.cursor() as cursor:
        cursor.execute(with_clause + " UNION ALL ".join(selects), params)
        for dimension, key, count in cursor.fetchall():
            counts[dimension][key] = count
    return counts


def _grouped_counts(name: str, sql: str, dimensions: list[str], *, total: bool):
    """A CTE grouping `sql`'s rows by each dimension's column (GROUPING SETS), and its reads.

    Array columns are grouped as whole arrays first (few distinct ones) and only
    those groups are unnested. The empty grouping set, if asked, is the total.
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
    selected.append("count(*) AS n")
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
    from django.db.models import Case, IntegerField, Value, When
    from django.db.models.expressions import RawSQL

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
