"""Facet counts of large sets, estimated over a uniform sample of the set.

A synthetic catalogue of 3,000 practices (the benchmark's generator, seeded, so every
figure here is the same on every run) with an exact-count limit of 60: the catalogue
is large enough to sample, and most sets a page counts are over the limit.
"""

import math
from collections import Counter

import pytest
from django.db import connection
from django.http import QueryDict
from django.test.utils import CaptureQueriesContext

from bench.synthetic import generate_catalogue
from catalogue import counting
from catalogue.counting import FacetCounts, count_facets, practice_facet_counts, sample_level
from catalogue.filters import PracticeFilterSet
from catalogue.fixtures import load_catalogue, read_catalogue
from catalogue.vocabulary import catalogue_vocabulary
from practices.dimensions import FACETS
from practices.models import SAMPLE_INDEX_LEVELS, Practice, PracticeType

pytestmark = pytest.mark.django_db

# The column each dimension is counted by (practices.dimensions).
FACET_COLUMNS = {dimension.name: dimension.count_column for dimension in FACETS}

PRACTICES = 3000
LIMIT = 60
QUERIES = [
    "type=it&country=PL",
    "q=szkoły",
    "q=szkoły&type=it&country=PL&topic=edukacja",
    "type=social&country=PL&topic=seniorzy&org_kind=municipality",
    "year_from=2010&country=UA",
]


@pytest.fixture
def synthetic(db, settings):
    load_catalogue(read_catalogue(taxonomy_only=True))
    generate_catalogue(practices=PRACTICES)
    settings.CATALOGUE_EXACT_COUNT_LIMIT = LIMIT
    settings.CATALOGUE_FACET_CACHE_SECONDS = 0


def _filterset(query: str) -> PracticeFilterSet:
    filterset = PracticeFilterSet(
        QueryDict(query), queryset=Practice.objects.published(), vocabulary=catalogue_vocabulary()
    )
    assert filterset.is_valid()
    return filterset


def _keys(value) -> list[str]:
    values = value if isinstance(value, list) else [value]
    return [str(item) for item in values]


def _counted(rows, dimension: str) -> dict[str, int]:
    values = rows.values_list(FACET_COLUMNS[dimension], flat=True)
    return dict(Counter(key for value in values for key in _keys(value)))


def test_each_sample_level_holds_about_one_practice_in_two_to_the_level(synthetic):
    published = Practice.objects.published()
    total = published.count()

    for level in range(1, 7):
        in_level = published.filter(sample_levels__contains=[level])
        expected = total / 2**level
        # Five standard deviations of a binomial count: the sample is uniform.
        assert abs(in_level.count() - expected) < 5 * math.sqrt(expected), level
        # Each level is inside the one below it.
        below = [level - 1] if level > 1 else []
        assert not in_level.exclude(sample_levels__contains=below).exists()
    # The levels do not follow the ids the generator gives the types by turns (id % 7).
    at_level_two = Counter(
        published.filter(sample_levels__contains=[2]).values_list("practice_type_id", flat=True)
    )
    assert set(at_level_two) == set(PracticeType.objects.values_list("code", flat=True))
    share = total / 4 / 7
    assert all(abs(n - share) < 5 * math.sqrt(share) for n in at_level_two.values())


def test_a_large_set_is_counted_over_its_sample_and_scaled(synthetic):
    for query in QUERIES:
        filterset = _filterset(query)

        counts = count_facets(filterset, filterset.queryset)

        assert counts.approximate, query  # the comparison is of estimates, not exact counts
        for dimension in FACET_COLUMNS:
            level = counts.levels.get(dimension)
            if level is None:
                continue  # read from the kept counts
            rows = filterset.filter_queryset_except(filterset.queryset, dimension)
            if level:
                rows = rows.filter(sample_levels__contains=[level])
            expected = {key: n * 2**level for key, n in _counted(rows, dimension).items()}
            assert counts.options[dimension] == expected, (query, dimension, level)


def test_each_sample_holds_no_more_than_the_limit_and_not_too_few(synthetic):
    """The level is chosen from a first, sparser sample: never a sample over the limit's
    worth of rows that could have been sparser, never one too thin to count."""
    levels = Counter()
    for query in QUERIES:
        filterset = _filterset(query)

        counts = count_facets(filterset, filterset.queryset)

        for dimension, level in counts.levels.items():
            if dimension == "total":
                rows = filterset.qs
            else:
                rows = filterset.filter_queryset_except(filterset.queryset, dimension)
            size = rows.count()
            sampled = rows.filter(sample_levels__contains=[level]).count() if level else size
            levels[level] += 1
            assert sampled <= 2 * LIMIT, (query, dimension, level, size)
            if level:
                assert sampled >= LIMIT / 8, (query, dimension, level, size)
            else:
                assert size <= 4 * LIMIT, (query, dimension, size)
    assert len(levels) >= 3  # the queries' sets are sampled at several levels


def test_the_estimated_total_is_close_to_the_true_one(synthetic):
    for query in QUERIES:
        filterset = _filterset(query)
        true_total = filterset.qs.count()

        counts = count_facets(filterset, filterset.queryset)

        estimate = counts.total
        if counts.levels.get("total"):
            # A sample of at least LIMIT / 8 rows: within four standard errors of it.
            assert abs(estimate - true_total) <= 4 * true_total / math.sqrt(LIMIT / 8), query
        else:
            assert estimate == true_total, query


def test_small_sets_of_a_large_catalogue_are_counted_exactly(synthetic):
    filterset = _filterset("q=szkoły&type=it&country=UA&topic=edukacja")

    counts = count_facets(filterset, filterset.queryset)

    assert 0 < filterset.qs.count() <= LIMIT
    assert counts.levels["total"] == 0
    assert counts.total == filterset.qs.count()


def test_a_catalogue_of_up_to_ten_times_the_limit_is_never_sampled(synthetic, settings):
    settings.CATALOGUE_EXACT_COUNT_LIMIT = PRACTICES // 10  # published < 10 × limit
    filterset = _filterset("type=it&country=PL")

    with CaptureQueriesContext(connection) as queries:
        counts = count_facets(filterset, filterset.queryset)

    assert not counts.approximate
    assert "sample_" not in queries[0]["sql"]
    assert counts.total == filterset.qs.count()


def test_sampled_scans_read_the_index_of_their_level(synthetic):
    """A scan at level k reads the GIN index of the highest indexed level not above k,
    whose posting lists hold only that level's practices."""
    filterset = _filterset("q=szkoły")
    counts = count_facets(filterset, filterset.queryset)
    level = counts.levels["total"]
    indexed = max(t for t in (0, *SAMPLE_INDEX_LEVELS) if t <= level)
    assert indexed >= 2  # this query's sample is read from a level's own index

    with CaptureQueriesContext(connection) as queries:
        count_facets(filterset, filterset.queryset)
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        # The probe that chose the level first, then the counts.
        cursor.execute("EXPLAIN (ANALYZE, FORMAT JSON) " + queries[-1]["sql"])
        plan = cursor.fetchone()[0][0]["Plan"]
        cursor.execute("RESET enable_seqscan")

    def scans(node):
        if node.get("Index Name") and node.get("Actual Loops"):
            yield node["Index Name"]
        for child in node.get("Plans", []):
            yield from scans(child)

    assert f"practice_catalogue_l{indexed}_idx" in set(scans(plan))


def test_counts_keep_their_sample_levels_through_the_cache(synthetic, settings):
    settings.CATALOGUE_FACET_CACHE_SECONDS = 60
    filterset = _filterset("type=it&country=PL")

    counted = practice_facet_counts(filterset, filterset.queryset)
    with CaptureQueriesContext(connection) as queries:
        cached = practice_facet_counts(filterset, filterset.queryset)

    assert len(queries) == 0
    assert isinstance(cached, FacetCounts)
    assert cached == counted
    assert cached.levels == counted.levels
    assert cached.approximate


def test_what_the_page_shows_of_an_estimate_holds_for_the_true_count(synthetic):
    """An option shown as "ok. N" is within four standard errors of its true count, and
    one shown as "poniżej N" (or left out, when the sample held none) is under N."""
    from catalogue.facets import estimate_upper_bound, shown_as_number

    shown_as = Counter()
    for query in QUERIES:
        filterset = _filterset(query)
        counts = count_facets(filterset, filterset.queryset)
        for dimension, level in counts.levels.items():
            if not level or dimension == "total":
                continue
            rows = filterset.filter_queryset_except(filterset.queryset, dimension)
            true_counts = _counted(rows, dimension)
            for key in true_counts.keys() | counts.options[dimension].keys():
                shown, true = counts.options[dimension].get(key, 0), true_counts.get(key, 0)
                if shown_as_number(shown, level):
                    shown_as["estimate"] += 1
                    hits = shown >> level
                    assert abs(shown - true) <= 4 * math.sqrt(hits) * 2**level, (query, key)
                else:
                    shown_as["bound"] += 1
                    assert true < estimate_upper_bound(shown, level), (query, key)
    assert shown_as["estimate"] > 20 and shown_as["bound"] > 20


def _indexes_read(sql: str, params=()) -> set[str]:
    """The indexes `sql`'s plan reads (sequential scans priced out, as at size)."""
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("EXPLAIN (FORMAT JSON) " + sql, params)
        plan = cursor.fetchone()[0][0]["Plan"]
        cursor.execute("RESET enable_seqscan")

    def scans(node):
        if node.get("Index Name"):
            yield node["Index Name"]
        for child in node.get("Plans", []):
            yield from scans(child)

    return set(scans(plan))


@pytest.mark.parametrize("type_code", ["it", "social"])
def test_a_page_of_one_type_reads_that_types_index(synthetic, type_code):
    """Its filter is the index's condition: the index holds a seventh of the catalogue."""
    filterset = _filterset(f"q=szkoły&type={type_code}&country=PL&topic=edukacja")
    sql, params = filterset.qs.values("pk").query.sql_with_params()

    assert _indexes_read(sql, params) == {f"catalogue_{type_code}_idx"}
    assert filterset.qs.count() > 0
    assert filterset.qs.count() == (
        Practice.objects.published()
        .filter(practice_type=type_code, countries__contains=["PL"], topics__slug="edukacja")
        .filter(pk__in=_filterset("q=szkoły").qs.values("pk"))
        .count()
    )


@pytest.mark.parametrize("type_code", ["it", "social"])
def test_a_sample_of_one_type_at_level_two_or_three_reads_that_types_sample_index(
    synthetic, type_code
):
    """type_<code>_l2_idx: its condition is the type and level 2, so its keys hold only
    that level's practices of the type (a quarter of the type's index)."""
    filterset = _filterset(f"type={type_code}&country=PL&org_kind=municipality")
    with CaptureQueriesContext(connection) as queries:
        counts = count_facets(filterset, filterset.queryset)
    assert counts.levels["total"] in (2, 3)  # the results are read at level 2 or 3

    indexes = _indexes_read(queries.captured_queries[-1]["sql"])

    assert f"type_{type_code}_l2_idx" in indexes
    assert f"catalogue_{type_code}_idx" not in indexes


def test_a_page_of_several_types_reads_the_index_of_every_type(synthetic):
    filterset = _filterset("q=szkoły&type=it&type=social&country=PL")
    sql, params = filterset.qs.values("pk").query.sql_with_params()

    assert _indexes_read(sql, params) == {"practice_catalogue_idx"}
    assert filterset.qs.count() == sum(
        _filterset(f"q=szkoły&type={code}&country=PL").qs.count() for code in ("it", "social")
    )


def test_a_sampled_page_plans_only_the_level_each_set_is_read_at(synthetic):
    """The probe runs first and the counts after it, each sampled scan naming its one
    level: PostgreSQL plans no branch for a level nobody reads."""
    filterset = _filterset("q=szkoły&type=it")
    with CaptureQueriesContext(connection) as queries:
        counts = count_facets(filterset, filterset.queryset)
    probe, statement = (query["sql"] for query in queries.captured_queries)
    assert "count(*) FILTER (WHERE s.c0)" in probe
    sampled = {level for level in counts.levels.values() if level}
    assert sampled  # this page's sets are large enough to be sampled
    for level in sampled:
        assert f'"sample_levels" @> (ARRAY[{level}])::integer[]' in statement
    assert "BETWEEN" not in statement and "sample_plan" not in statement


def test_the_probe_counts_each_scans_set_at_its_level_as_the_orm_does(synthetic):
    """SampledCounting.prepare: the practices of the probe's level in each scan's set
    (every filter but the scan's own dimension), from the scans' compiled rows."""
    for query in QUERIES:
        filterset = _filterset(query)
        plan = counting.plan_counts(filterset)
        strategy = counting.counting_strategy(filterset.vocabulary.published_total)
        base = filterset.filter_queryset_without_facets(filterset.queryset).order_by()
        conditions = {d.name: filterset.facet_condition(d.name) for d in FACETS}
        conditions = {name: found for name, found in conditions.items() if found is not None}

        rows = counting.rows_template(filterset)
        strategy.prepare((rows[0], list(rows[1])), base.db, plan, conditions)

        expected = []
        for scan in plan.scans:
            if scan.is_results:
                rows_of_set = filterset.qs
            else:
                (dimension,) = scan.dimensions
                rows_of_set = filterset.filter_queryset_except(filterset.queryset, dimension)
            level = rows_of_set.filter(sample_levels__contains=[strategy.probe_level])
            expected.append(level.count())
        assert strategy.found == expected, query
        assert any(expected), query  # not a comparison of empty sets


@pytest.mark.parametrize("found", [0, 1, 2, 3, 5, 40, 393, 1000])
def test_the_level_chosen_from_the_probe_keeps_a_set_within_the_limit(found):
    """Read whole up to the limit; else the lowest level (never under 2) whose sample of
    the estimated set holds no more than the limit, so no sparser than it needs."""
    level = sample_level(found, probe_level=10, lowest=2, top=16, limit=2000)
    size = found * 2**10
    if size <= 2000:
        assert level == 0
    else:
        assert 2 <= level <= 16
        assert size / 2**level <= 2000
        assert level == 2 or size / 2 ** (level - 1) > 2000


def test_results_folded_into_a_larger_scan_count_what_their_own_scan_counts(synthetic, monkeypatch):
    """catalogue.counting.fold_results: the results, flagged among the rows of a set read
    at their sample level, give the very counts (and levels) their own scan gives."""
    real = counting.fold_results
    folds = []

    def spy(scans, levels, sizes):
        folded_scans, folded_levels = real(scans, levels, sizes)
        folds.extend(scan.results[0] for scan in folded_scans if scan.results)
        return folded_scans, folded_levels

    larger = 0
    for query in [*QUERIES, "q=szkoły&type=social&country=UA"]:
        filterset = _filterset(query)
        folds.clear()
        monkeypatch.setattr(counting, "fold_results", spy)
        with CaptureQueriesContext(connection) as queries:
            folded = count_facets(filterset, filterset.queryset)
        folded_sql = queries.captured_queries[-1]["sql"]
        monkeypatch.setattr(counting, "fold_results", lambda scans, levels, sizes: (scans, levels))
        with CaptureQueriesContext(connection) as queries:
            unfolded = count_facets(filterset, filterset.queryset)
        unfolded_sql = queries.captured_queries[-1]["sql"]

        assert folded == unfolded, query
        assert "in_results" not in unfolded_sql
        if folds:
            (dimension,) = folds
            # One scan fewer: the results' own is gone.
            assert folded_sql.count("GROUPING SETS") == unfolded_sql.count("GROUPING SETS") - 1
            # The scan they went into reads more than the results: some rows are not flagged.
            larger += (
                filterset.filter_queryset_except(filterset.queryset, dimension).count()
                > 2 * filterset.qs.count()
            )
    assert larger >= 1  # the comparison is of folds where the flag decides
