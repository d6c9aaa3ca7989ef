"""The catalogue page reads its practices on a second connection while it counts its
facets (catalogue.views.practices.FirstPage, core.aside), and shows the same page as
when it reads them after the counts on its own connection.

The requests commit (a transactional test): a second connection sees only what is
committed, so inside a test case's transaction the page reads on its own connection.
"""

import threading

import pytest

from catalogue.views import practices as views
from tests.conftest import forget_cache
from tests.factories import bicycle_practices

pytestmark = pytest.mark.django_db(transaction=True)

LIST = "/praktyki/"
MATCHES = 45  # more than two pages


@pytest.fixture
def bicycles():
    """45 practices about bicycles (tests.factories.bicycle_practices), and one other."""
    bicycle_practices(MATCHES)


@pytest.fixture
def reads(monkeypatch):
    """The threads the catalogue's pages were read aside in, one per read."""
    threads = []
    read_page = views.read_page

    def recorded(*args, **kwargs):
        threads.append(threading.current_thread().name)
        return read_page(*args, **kwargs)

    monkeypatch.setattr(views, "read_page", recorded)
    return threads


def page(client, **params) -> list[str]:
    """The titles a visitor is shown, answered afresh (no cached page)."""
    forget_cache()
    response = client.get(LIST, params)
    assert response.status_code == 200
    return [practice.title for practice in response.context["practices"]]


@pytest.mark.parametrize(
    "params",
    [
        {"q": "rower"},
        {"q": "rower", "page": "2"},
        {"q": "rower", "page": "3"},
        {"q": "rower", "sort": "title", "page": "2"},
        {},
        {"page": "2"},
    ],
)
@pytest.mark.parametrize("rank_window", [0, 30, 10_000])
def test_a_page_read_aside_is_the_page_read_after_the_counts(
    client, settings, bicycles, reads, params, rank_window
):
    # 45 matches and a window of 30: the first page is ranked within the window either
    # way; a window of 10 000 holds every match, and 0 ranks every match.
    settings.CATALOGUE_RANK_WINDOW = rank_window
    settings.DATABASE_SIDE_THREADS = 0
    after_the_counts = page(client, **params)
    assert reads == []
    settings.DATABASE_SIDE_THREADS = 2
    aside = page(client, **params)
    # A relevance order's page that ends past the window is not read aside (below).
    stop = 20 * int(params.get("page", 1)) + 1
    past_window = "q" in params and "sort" not in params and 0 < rank_window < stop
    assert reads == ([] if past_window else [reads[0]])
    assert past_window or reads[0].startswith("db-aside")
    assert aside == after_the_counts
    assert aside, "every page asked for holds practices"


def test_the_first_page_of_a_search_is_ranked(client, bicycles, reads):
    titles = page(client, q="rower")
    assert reads, "read aside"
    assert len(titles) == 20
    # The 15 with the word in the title first, newest first among equals.
    assert titles[:15] == [f"Rower w gminie {n}" for n in range(42, -1, -3)]


@pytest.mark.parametrize("number", ["abc", "0", "51", "-1"])
def test_a_page_the_visitor_wrote_oddly_or_a_deep_one_is_read_after_the_counts(
    client, bicycles, reads, number
):
    # 51 is past the pages read aside; the others are not page numbers (page 1 or the
    # nearest real page is shown, as page_or_nearest says).
    titles = page(client, page=number)
    assert reads == []
    assert titles


def test_a_page_past_the_window_is_read_after_the_counts(client, settings, bicycles, reads):
    settings.CATALOGUE_RANK_WINDOW = 30
    titles = page(client, q="rower", page="2")  # positions 20–40 cross the window's end
    assert reads == []
    assert len(titles) == 20


def test_with_the_counts_in_the_cache_the_page_is_read_on_its_own_connection(
    client, settings, bicycles, reads
):
    settings.CATALOGUE_FACET_CACHE_SECONDS = 3600
    first = page(client, q="rower")
    assert len(reads) == 1
    # The second page has a page of its own in the page cache, not counts of its own:
    # nothing to wait for beside the read.
    response = client.get(LIST, {"q": "rower", "page": "2"})
    assert response.status_code == 200
    assert len(reads) == 1
    second = [practice.title for practice in response.context["practices"]]
    assert len(second) == 20 and not set(first) & set(second)
