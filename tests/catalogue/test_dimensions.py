"""One list of facet dimensions (practices.dimensions.FACETS), and everything agrees with it."""

import pytest
from django.db import connection
from django.http import QueryDict

from catalogue.counting import practice_facet_counts
from catalogue.facets import facet_groups
from catalogue.filters import PracticeFilterSet
from catalogue.vocabulary import catalogue_vocabulary
from practices.dimensions import FACETS
from practices.models import Practice

pytestmark = pytest.mark.django_db

NAMES = [dimension.name for dimension in FACETS]


def test_every_dimension_is_a_facet_filter_of_the_catalogue():
    filters = PracticeFilterSet.base_filters

    assert list(PracticeFilterSet.FACETS) == NAMES
    for dimension in FACETS:
        assert filters[dimension.name].method == "filter_facet", dimension.name
        assert filters[dimension.name].label == dimension.label


def test_postgresql_keeps_counts_of_exactly_these_dimensions(catalogue):
    with connection.cursor() as cursor:
        cursor.execute("SELECT DISTINCT dimension FROM practices_facetcount")
        kept = {row[0] for row in cursor.fetchall()}
        cursor.execute("SELECT DISTINCT given_dimension FROM practices_facetpaircount")
        given = {row[0] for row in cursor.fetchall()}

    assert kept == {*NAMES, "total"}
    assert given == set(NAMES)


def test_the_catalogue_indexes_hold_every_dimension_s_column():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 'practices_practice' "
            "AND (indexname LIKE 'practice_catalogue%%' OR indexname LIKE 'catalogue_%%')"
        )
        indexes = dict(cursor.fetchall())

    assert len(indexes) == 1 + 6 + 7  # all, one per sample level, one per type
    for name, definition in indexes.items():
        for dimension in FACETS:
            if dimension.name == "type" and name.startswith("catalogue_"):
                continue  # a type's own index has the type as its condition
            assert dimension.column in definition, (name, dimension.column)


def test_the_page_shows_one_group_per_dimension_in_its_order(catalogue):
    vocabulary = catalogue_vocabulary()
    filterset = PracticeFilterSet(
        QueryDict(), queryset=Practice.objects.published(), vocabulary=vocabulary
    )
    filterset.is_valid()
    counts = practice_facet_counts(filterset, filterset.queryset)

    groups = facet_groups(filterset, counts, vocabulary)

    assert [group.name for group in groups] == NAMES
    assert [group.label for group in groups] == [str(d.label) for d in FACETS]
    assert all(group.options for group in groups)
