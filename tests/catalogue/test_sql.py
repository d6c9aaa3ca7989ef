"""Each named SQL template of catalogue.sql, run alone and compared with the ORM's answer.

(`ranked_window_page` is pinned in test_rank_window.py to the order computed
the obvious way, and `sample_probe` with `sampled_rows` in
test_sampled_counts.py to the ORM's counts of each sample level.)
"""

import json
from collections import Counter

import pytest
from django.db import connection
from django.db.models import BooleanField, Q
from django.db.models.expressions import RawSQL

from catalogue import sql
from catalogue.index.rows import index_rows
from practices.dimensions import FACETS, FACETS_BY_NAME
from practices.models import Practice, Topic

pytestmark = pytest.mark.django_db


def rows(statement: str, params=()) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(statement, params)
        return cursor.fetchall() if cursor.description else []


def orm_counts(queryset, dimension) -> dict[str, int]:
    """A dimension's counts over `queryset`, by the ORM and Python."""
    values = queryset.values_list(dimension.count_column, flat=True)
    counter = Counter()
    for value in values:
        for key in value if isinstance(value, list) else [value]:
            counter[str(key)] += 1
    return dict(counter)


def test_kept_counts_are_the_orm_counts_of_the_published_practices(catalogue):
    names = [d.name for d in FACETS]

    found = rows(sql.KEPT_COUNTS, [[*names, "total"]])

    by_dimension = {name: {} for name in names}
    total = None
    for dimension, key, count in found:
        if dimension == "total":
            total = count
        else:
            by_dimension[dimension][key] = count
    published = Practice.objects.published()
    assert total == published.count() == 81
    for dimension in FACETS:
        assert by_dimension[dimension.name] == orm_counts(published, dimension), dimension.name


@pytest.mark.parametrize(
    ("given", "keys"), [("country", ["UA"]), ("type", ["it", "social"]), ("award", ["winner"])]
)
def test_pair_counts_are_the_orm_counts_given_a_value(catalogue, given, keys):
    counted = ["topic", "org_kind", "edition"]

    found = rows(sql.PAIR_COUNTS, [given, keys, counted])

    column = FACETS_BY_NAME[given].column
    subset = Practice.objects.published().filter(**{f"{column}__overlap": keys})
    assert subset.exists()
    expected = {
        (name, key): count
        for name in counted
        for key, count in orm_counts(subset, FACETS_BY_NAME[name]).items()
    }
    assert {(d, k): c for d, k, c in found} == expected


def test_kept_total_is_the_orm_count_of_practices_with_a_value(catalogue):
    (found,) = rows(sql.KEPT_TOTAL, ["country", ["UA", "LT"]])

    expected = Practice.objects.published().filter(countries__overlap=["UA", "LT"]).count()
    assert found == ("total", "", expected)
    assert expected > 0


def test_grouped_counts_group_one_set_by_every_column_as_the_orm_counts(catalogue):
    dimensions = [FACETS_BY_NAME[name] for name in ("type", "country", "award")]
    rows_qs = Practice.objects.published().filter(topic_ids__len__gt=0)
    rows_sql, params = rows_qs.values(*(d.count_column for d in dimensions)).query.sql_with_params()
    columns = {d.name: (d.count_column, d.one_per_practice) for d in dimensions}

    cte, reads = sql.grouped_counts("g", rows_sql, columns, total=True, weight="1")
    found = rows(f"WITH {cte} " + " UNION ALL ".join(reads), params)

    expected = {("total", ""): rows_qs.count()}
    for dimension in dimensions:
        for key, count in orm_counts(rows_qs, dimension).items():
            expected[(dimension.name, key)] = count
    assert {(d, k): c for d, k, c in found} == expected


def test_grouped_counts_count_the_flagged_results_within_a_larger_set(catalogue):
    """The results folded into a scan of a larger set (catalogue.counting.fold_results):
    its own dimension over every row, the results' dimensions and total over the rows
    flagged as results."""
    country = FACETS_BY_NAME["country"]
    within = [FACETS_BY_NAME[name] for name in ("type", "topic", "award")]
    larger = Practice.objects.published().filter(topic_ids__len__gt=0)
    results = larger.filter(countries__overlap=["PL"])
    rows_sql, params = (
        larger.annotate(
            **{sql.RESULTS_FLAG: RawSQL("countries && %s", (["PL"],), output_field=BooleanField())}
        )
        .values(country.count_column, *(d.count_column for d in within), sql.RESULTS_FLAG)
        .query.sql_with_params()
    )

    cte, reads = sql.grouped_counts(
        "g",
        rows_sql,
        {"country": (country.count_column, country.one_per_practice)},
        total=False,
        weight="2",
        results={d.name: (d.count_column, d.one_per_practice) for d in within},
    )
    found = rows(f"WITH {cte} " + " UNION ALL ".join(reads), params)

    expected = {("total", ""): 2 * results.count()}
    expected |= {("country", k): 2 * c for k, c in orm_counts(larger, country).items()}
    for dimension in within:
        for key, count in orm_counts(results, dimension).items():
            expected[(dimension.name, key)] = 2 * count
    assert sorted((d, k, c) for d, k, c in found) == sorted(
        (d, k, c) for (d, k), c in expected.items()
    )
    assert 0 < results.count() < larger.count()  # some rows are not flagged


def test_a_weight_multiplies_every_grouped_count(catalogue):
    dimension = FACETS_BY_NAME["country"]
    rows_qs = Practice.objects.published()
    rows_sql, params = rows_qs.values(dimension.count_column).query.sql_with_params()

    cte, reads = sql.grouped_counts(
        "g", rows_sql, {"country": (dimension.count_column, False)}, total=False, weight="4"
    )
    found = rows(f"WITH {cte} " + " UNION ALL ".join(reads), params)

    assert {k: c for _d, k, c in found} == {
        k: 4 * c for k, c in orm_counts(rows_qs, dimension).items()
    }


def test_index_drift_names_the_columns_that_differ_and_update_writes_only_those(catalogue):
    practice = Practice.objects.published().filter(countries__len__gt=0).first()
    built = index_rows([practice.pk])
    payload = json.dumps([built[0].__dict__])
    assert rows(sql.INDEX_DRIFT, [payload]) == []
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE practices_practice SET countries = '{XX}', topic_ids = '{}' WHERE id = %s",
            [practice.pk],
        )

    assert rows(sql.INDEX_DRIFT, [payload]) == [(practice.pk, ["countries", "topic_ids"])]
    with connection.cursor() as cursor:
        cursor.execute(sql.INDEX_UPDATE, [payload])
        assert cursor.rowcount == 1
        cursor.execute(sql.INDEX_UPDATE, [payload])
        assert cursor.rowcount == 0  # nothing differs: nothing is written
    practice.refresh_from_db()
    assert practice.countries == built[0].countries
    assert practice.topic_ids == built[0].topic_ids


def test_stale_marks_are_claimed_once(db):
    rows(sql.STALE_MARK, [[3, 1, 2, 2]])
    rows(sql.STALE_MARK, [[1]])

    assert rows(sql.STALE_COUNT) == [(3,)]
    assert sorted(r[0] for r in rows(sql.STALE_CLAIM, [2])) == [1, 2]
    assert [r[0] for r in rows(sql.STALE_CLAIM, [10])] == [3]
    assert rows(sql.STALE_CLAIM, [10]) == []


def test_scan_rows_are_the_orm_rows_with_the_scans_conditions(catalogue):
    from catalogue.counting import _scan_template
    from catalogue.filters import overlap_sql

    base = Practice.objects.published().filter(search_vector__isnull=False, countries__len__gt=0)
    topics = list(Topic.objects.order_by("pk").values_list("pk", flat=True)[:5])
    conditions = [Q(countries__overlap=["PL", "UA"]), Q(topic_ids__overlap=topics)]
    template, params = _scan_template(base).query.sql_with_params()
    compiled = [
        (overlap_sql("default", "country", 2), ["PL", "UA"]),
        (overlap_sql("default", "topic", len(topics)), topics),
    ]

    scan_sql, scan_params = sql.scan_rows(
        template, list(params), compiled, ['"practices_practice"."id"']
    )
    found = sorted(row[0] for row in rows(scan_sql, scan_params))

    expected = sorted(base.filter(*conditions).values_list("pk", flat=True))
    assert found == expected
    assert 0 < len(expected) < base.count()


def test_scan_rows_refuse_rows_with_a_parameter_after_the_marker():
    template = (
        f'SELECT ({sql.SCAN_COLUMNS}) AS "{sql.SCAN_COLUMNS}" FROM t '
        f"WHERE a = %s AND ({sql.SCAN_MARKER}) AND b = %s"
    )

    with pytest.raises(AssertionError, match="follows the scan marker"):
        sql.scan_rows(template, [1, 2], [], [])


@pytest.mark.parametrize("dimension", [d.name for d in FACETS])
def test_a_facet_condition_compiled_once_selects_what_the_orm_selects(catalogue, dimension):
    from catalogue.filters import overlap_sql

    column = FACETS_BY_NAME[dimension].column
    present = Counter(
        value for values in Practice.objects.values_list(column, flat=True) for value in values
    )
    chosen = [value for value, _count in present.most_common(2)]
    assert chosen, f"the fixtures name no {dimension}"

    text = overlap_sql("default", dimension, len(chosen))
    compiled = Practice.objects.filter(
        RawSQL(text, chosen, output_field=BooleanField())
    ).values_list("pk", flat=True)

    # The values are parameters, never part of the statement.
    assert all(str(value) not in text for value in chosen if len(str(value)) > 1)
    assert set(compiled) == set(
        Practice.objects.filter(**{f"{column}__overlap": chosen}).values_list("pk", flat=True)
    )
    assert overlap_sql("default", dimension, len(chosen)) is text  # compiled once


def test_a_statement_compiled_for_one_id_takes_nothing_else():
    from catalogue.selectors.cards import statement_for_one_id

    statement, params = statement_for_one_id(
        Practice.objects.filter(lead_organisation=0, pk=0), "default", "a test"
    )
    assert params == (0, 0) and statement.count("%s") == 2

    # Any other value would be fixed into every page's statement: refused.
    with pytest.raises(ValueError, match="unexpected parameters for a test"):
        statement_for_one_id(Practice.objects.filter(pk=0, title="x"), "default", "a test")
    with pytest.raises(ValueError, match="unexpected parameters"):
        statement_for_one_id(Practice.objects.all(), "default", "a test")
