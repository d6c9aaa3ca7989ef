"""A broad search ranks its newest CATALOGUE_RANK_WINDOW matches; the rest follow newest first."""

import datetime

import pytest
from django.utils import timezone

from catalogue.search import practice_search
from catalogue.selectors import SORTINGS, practice_page_ids
from practices.models import Practice
from tests.factories import PracticeFactory, bicycle_practices

pytestmark = pytest.mark.django_db

LIST = "/praktyki/"
MATCHES = 25  # more than a page of 20, so that a page crosses the window's end


@pytest.fixture
def bicycles(db):
    """25 practices about bicycles (tests.factories.bicycle_practices), and one other."""
    bicycle_practices(MATCHES)


def matches():
    return practice_search(Practice.objects.published(), query="rower")


def ranked_ids(queryset) -> list[int]:
    return list(queryset.order_by(*SORTINGS["relevance"]).values_list("pk", flat=True))


def windowed(window: int) -> list[int]:
    """The order the window promises, computed the slow, obvious way."""
    newest = list(matches().order_by(*SORTINGS["newest"]).values_list("pk", flat=True))
    inside = matches().filter(pk__in=newest[:window])
    return ranked_ids(inside) + newest[window:]


def test_every_slice_of_the_order_is_the_window_ranked_then_the_rest_newest_first(bicycles):
    window = 10
    expected = windowed(window)
    assert len(expected) == MATCHES
    assert expected != ranked_ids(matches()), "the fixture must tell the two orders apart"
    queryset = matches().order_by(*SORTINGS["relevance"])
    for start, stop in [(0, 21), (0, 10), (5, 15), (9, 11), (10, 21), (20, 26), (24, 30)]:
        got = practice_page_ids(queryset, start=start, stop=stop, rank_window=window)
        assert got == expected[start:stop], (start, stop)


def test_no_window_ranks_every_match(bicycles):
    queryset = matches().order_by(*SORTINGS["relevance"])
    assert practice_page_ids(queryset, start=0, stop=30) == ranked_ids(matches())


def test_a_broad_search_says_it_ranks_the_newest_matches(client, settings, bicycles):
    settings.CATALOGUE_RANK_WINDOW = 10
    response = client.get(LIST, {"q": "rower"})

    assert response.status_code == 200
    assert [p.pk for p in response.context["practices"]] == windowed(10)[:20]
    assert response.context["rank_window"] == 10
    assert "według trafności układamy 10 najnowszych z nich" in response.content.decode()

    second = client.get(LIST, {"q": "rower", "page": 2})
    assert [p.pk for p in second.context["practices"]] == windowed(10)[20:]


def test_a_search_within_the_window_ranks_every_match_and_says_nothing(client, settings, bicycles):
    settings.CATALOGUE_RANK_WINDOW = MATCHES
    response = client.get(LIST, {"q": "rower"})

    assert [p.pk for p in response.context["practices"]] == ranked_ids(matches())[:20]
    assert response.context["rank_window"] == 0
    assert 'id="rank-note"' not in response.content.decode()


def test_other_orders_ignore_the_window(client, settings, bicycles):
    settings.CATALOGUE_RANK_WINDOW = 10
    response = client.get(LIST, {"q": "rower", "sort": "newest"})

    newest = list(matches().order_by(*SORTINGS["newest"]).values_list("pk", flat=True))
    assert [p.pk for p in response.context["practices"]] == newest[:20]
    assert 'id="rank-note"' not in response.content.decode()


@pytest.mark.parametrize("page", [1, 2])
def test_the_window_keeps_the_query_count(client, settings, django_assert_num_queries, page):
    from tests.catalogue.views.test_practice_list import QUERIES_PER_PAGE

    start = timezone.now() - datetime.timedelta(days=30)
    for n in range(MATCHES):
        PracticeFactory(title=f"Rower {n}", published_at=start + datetime.timedelta(days=n))
    settings.CATALOGUE_RANK_WINDOW = 10
    with django_assert_num_queries(QUERIES_PER_PAGE):
        response = client.get(LIST, {"q": "rower", "page": page})
    assert response.context["rank_window"] == 10
