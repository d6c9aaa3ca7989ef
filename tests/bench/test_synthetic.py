"""The benchmark's generator builds the same catalogue rows as production would."""

import pytest

from bench.synthetic import generate_catalogue
from catalogue.fixtures import load_catalogue, read_catalogue
from catalogue.index.refresh import index_drift
from practices.models import Practice

pytestmark = pytest.mark.django_db


def test_generated_rows_equal_what_the_catalogue_builds_from_the_same_data(db):
    load_catalogue(read_catalogue(taxonomy_only=True))

    generate_catalogue(practices=400, seed=7)

    assert Practice.objects.count() == 400
    assert Practice.objects.filter(edition_ids__len__gt=0).exists()  # entries too
    assert Practice.objects.exclude(countries__contains=["PL"]).exists()  # foreign partners
    assert list(index_drift()) == []
