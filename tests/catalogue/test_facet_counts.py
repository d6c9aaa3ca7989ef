"""Facet counts: the whole catalogue's, and those given one value, kept by PostgreSQL;
the rest counted in one pass.

Both are checked against counts made another way: in Python, from the rows the
filters select (each dimension with every filter but its own).
"""

import itertools
from collections import Counter

import pytest
from django.db import connection
from django.http import QueryDict
from django.test.utils import CaptureQueriesContext

from catalogue.counting import FacetCounts, count_facets
from catalogue.filters import PracticeFilterSet
from catalogue.index.refresh import index_flush
from catalogue.vocabulary import catalogue_vocabulary
from practices.dimensions import FACETS
from practices.models import FacetCount, FacetPairCount, Practice
from practices.services import practice_change_status
from tests.factories import OrganisationFactory, PracticeFactory, TopicFactory

pytestmark = pytest.mark.django_db

# The column each dimension is counted by (practices.dimensions).
FACET_COLUMNS = {dimension.name: dimension.count_column for dimension in FACETS}


def _keys(value) -> list[str]:
    if value is None:
        return []
    values = value if isinstance(value, list) else [value]
    return [str(item) for item in values]


def recounted() -> dict[tuple[str, str], int]:
    """The whole catalogue's counts, counted in Python from the published rows."""
    counts: Counter = Counter()
    for row in Practice.objects.published().values(*FACET_COLUMNS.values()):
        counts[("total", "")] += 1
        for dimension, column in FACET_COLUMNS.items():
            for key in _keys(row[column]):
                counts[(dimension, key)] += 1
    return dict(counts)


def kept() -> dict[tuple[str, str], int]:
    return {(f.dimension, f.key): f.count for f in FacetCount.objects.filter(count__gt=0)}


def recounted_pairs() -> dict[tuple[str, str, str, str], int]:
    """Per pair of values of two different dimensions, the published practices with both."""
    counts: Counter = Counter()
    for row in Practice.objects.published().values(*FACET_COLUMNS.values()):
        values = [(d, key) for d, column in FACET_COLUMNS.items() for key in _keys(row[column])]
        for (given, given_key), (dimension, key) in itertools.permutations(values, 2):
            if given != dimension:
                counts[(given, given_key, dimension, key)] += 1
    return dict(counts)


def kept_pairs() -> dict[tuple[str, str, str, str], int]:
    return {
        (f.given_dimension, f.given_key, f.dimension, f.key): f.count
        for f in FacetPairCount.objects.filter(count__gt=0)
    }


def assert_kept_exact():
    assert kept() == recounted()
    assert kept_pairs() == recounted_pairs()


def test_the_real_catalogue_is_counted_exactly(catalogue):
    counts = kept()

    assert counts == recounted()
    assert counts[("total", "")] == Practice.objects.published().count() == 81
    assert kept_pairs() == recounted_pairs()
    assert len(kept_pairs()) > 900  # the comparison is not of two empty tables


def test_every_kind_of_write_keeps_the_counts_exact(catalogue):
    practice = PracticeFactory(title="Nowa", status="draft", published_at=None)
    assert_kept_exact()

    practice_change_status(practice=practice, to_status="published", by=None)
    assert_kept_exact()

    practice.topics.set([TopicFactory(), TopicFactory()])
    practice.lead_organisation = OrganisationFactory(country="UA", region="Lwowski")
    practice.save()
    index_flush()  # what the commit would do
    assert_kept_exact()

    practice_change_status(practice=practice, to_status="archived", by=None)
    assert_kept_exact()

    Practice.objects.filter(countries__contains=["UA"]).update(status="archived")
    assert_kept_exact()

    germany = kept().get(("country", "DE"), 0)
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE practices_practice SET countries = countries || '{DE}' "
            "WHERE id IN (SELECT id FROM practices_practice WHERE status = 'published' LIMIT 5)"
        )
    assert kept()[("country", "DE")] == germany + 5
    assert_kept_exact()

    unentered = Practice.objects.published().filter(entries__isnull=True)
    Practice.objects.filter(pk__in=unentered.values("pk")[:3]).delete()
    assert_kept_exact()
    assert kept()[("total", "")] == Practice.objects.published().count()


def test_an_edit_that_changes_no_facet_writes_no_count(catalogue):
    def versions():
        with connection.cursor() as cursor:
            cursor.execute("SELECT id, ctid FROM practices_facetcount ORDER BY id")
            counts = cursor.fetchall()
            cursor.execute("SELECT id, ctid FROM practices_facetpaircount ORDER BY id")
            return counts, cursor.fetchall()

    before = versions()
    Practice.objects.published().update(title="Ten sam tytuł")

    assert versions() == before


def test_emptying_the_practices_empties_the_counts(catalogue):
    assert kept()
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # no deferred checks pending
        cursor.execute("TRUNCATE practices_practice CASCADE")

    assert kept() == {}
    assert kept_pairs() == {}


def counted_another_way(filterset) -> FacetCounts:
    """Each dimension over the practices every other filter selects, counted in Python."""
    options = {}
    for dimension, column in FACET_COLUMNS.items():
        rows = filterset.filter_queryset_except(filterset.queryset, dimension)
        values = rows.values_list(column, flat=True)
        options[dimension] = dict(Counter(key for value in values for key in _keys(value)))
    return FacetCounts(options=options, total=filterset.qs.count())


def _filter_choices(vocabulary) -> dict[str, list[str]]:
    topic = next(t.slug for t in vocabulary.topics if kept().get(("topic", str(t.pk))))
    edition = next(e.slug for e in vocabulary.editions if kept().get(("edition", str(e.pk))))
    region = max((k for d, k in kept() if d == "region"), key=lambda r: kept()[("region", r)])
    return {
        "type": ["type=it", "type=it&type=social"],
        "country": ["country=UA", "country=PL&country=UA"],
        "topic": [f"topic={topic}"],
        "org_kind": ["org_kind=city"],
        "region": [f"region={region}"],
        "award": ["award=laureate"],
        "edition": [f"edition={edition}"],
    }


def _combinations(vocabulary):
    choices = _filter_choices(vocabulary)
    for size in range(4):
        for dimensions in itertools.combinations(choices, size):
            for picked in itertools.product(*(choices[d] for d in dimensions)):
                for extra in ("", "q=gmina", "year_from=2019", "q=%21%21"):
                    yield "&".join(part for part in (*picked, extra) if part)


def test_counts_equal_the_rows_every_other_filter_selects(catalogue):
    vocabulary = catalogue_vocabulary()
    combinations = list(_combinations(vocabulary))
    nonempty = 0

    for query in combinations:
        filterset = PracticeFilterSet(
            QueryDict(query), queryset=Practice.objects.published(), vocabulary=vocabulary
        )
        assert filterset.is_valid()
        counts = count_facets(filterset, filterset.queryset)

        assert counts == counted_another_way(filterset), query
        nonempty += bool(counts.total)

    assert len(combinations) > 400
    assert nonempty > len(combinations) / 4  # the comparisons are not all of empty sets


def _sql_of_counting(query: str) -> str:
    vocabulary = catalogue_vocabulary()
    filterset = PracticeFilterSet(
        QueryDict(query), queryset=Practice.objects.published(), vocabulary=vocabulary
    )
    filterset.is_valid()
    with CaptureQueriesContext(connection) as queries:
        count_facets(filterset, filterset.queryset)
    assert len(queries) == 1
    return queries[0]["sql"]


@pytest.mark.parametrize("query", ["", "sort=title&currency=EUR"])
def test_the_unfiltered_catalogue_counts_no_practice_rows(catalogue, query):
    sql = _sql_of_counting(query)  # sorting and a currency alone narrow nothing

    assert "practices_facetcount" in sql
    assert "practices_practice" not in sql.replace("practices_practice_", "")


@pytest.mark.parametrize("query", ["type=it", "type=it&type=social", "country=UA"])
def test_one_facet_filter_of_one_value_or_of_types_counts_no_practice_rows(catalogue, query):
    sql = _sql_of_counting(query)

    assert "practices_facetcount" in sql  # its own options and the total
    assert "practices_facetpaircount" in sql  # every other dimension, given its value
    assert "practices_practice" not in sql.replace("practices_practice_", "")


def test_several_values_of_a_list_dimension_are_counted_from_the_rows(catalogue):
    """A practice can be in Poland and Ukraine: counts given each would count it twice."""
    sql = _sql_of_counting("country=PL&country=UA")

    assert "practices_facetpaircount" not in sql
    assert "practices_practice" in sql.replace("practices_practice_", "")


def test_two_facet_filters_take_each_other_s_options_from_the_pair_counts(catalogue):
    sql = _sql_of_counting("type=it&country=UA")

    assert sql.count("FROM practices_facetpaircount") == 2  # given UA, and given IT
    assert sql.count('FROM "practices_practice"') == 1  # one scan: the rest, and the total


def test_a_search_counts_every_dimension_from_the_rows(catalogue):
    sql = _sql_of_counting("q=gmina&type=it")

    assert "practices_facetcount" not in sql
    assert "practices_facetpaircount" not in sql
