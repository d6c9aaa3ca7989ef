"""Pages in the second half of a known count are read from the other end, and stay the same."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from catalogue.selectors import SORTINGS, practice_page_ids
from practices.models import Practice
from tests.factories import PracticeFactory

pytestmark = pytest.mark.django_db

LIST = "/praktyki/"
PRACTICES = 47  # three pages of 20: the last one short


@pytest.fixture
def practices(db):
    """Some share a publication time and a value, so the orders lean on their tie-breakers."""
    start = timezone.now() - datetime.timedelta(days=100)
    for n in range(PRACTICES):
        PracticeFactory(
            title=f"Praktyka {n % 7} {n}",
            published_at=start + datetime.timedelta(days=n // 3),
            total_value=None if n % 5 == 0 else Decimal(1000 * (n % 4)),
            currency="PLN",
        )


@pytest.mark.parametrize("sort", ["newest", "title", "value"])
def test_every_slice_read_from_the_end_is_the_same_slice(practices, sort):
    queryset = Practice.objects.published().order_by(*SORTINGS[sort])
    forward = list(queryset.values_list("pk", flat=True))
    assert len(forward) == PRACTICES
    for start, stop in [(0, 21), (20, 41), (23, 30), (40, 61), (46, 47), (30, 48)]:
        got = practice_page_ids(queryset, start=start, stop=stop, count=PRACTICES)
        assert got == forward[start:stop], (start, stop)


def test_a_late_page_is_read_backwards(practices):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    queryset = Practice.objects.published().order_by(*SORTINGS["newest"])
    with CaptureQueriesContext(connection) as captured:
        practice_page_ids(queryset, start=40, stop=61, count=PRACTICES)
    (query,) = captured.captured_queries
    assert '"published_at" ASC' in query["sql"]
    assert "OFFSET" not in query["sql"]  # the last page: nothing to skip from that end


@pytest.mark.parametrize("sort", ["newest", "title", "value"])
def test_the_pages_of_the_catalogue_hold_every_practice_once_in_order(client, practices, sort):
    expected = list(
        Practice.objects.published().order_by(*SORTINGS[sort]).values_list("pk", flat=True)
    )
    shown = []
    for page in (1, 2, 3):
        response = client.get(LIST, {"sort": sort, "page": page})
        assert response.status_code == 200
        shown += [practice.pk for practice in response.context["practices"]]
    assert shown == expected
    last = response.context["page_obj"]  # page 3
    assert (last.has_next(), last.has_previous(), last.paginator.count) == (False, True, 47)
