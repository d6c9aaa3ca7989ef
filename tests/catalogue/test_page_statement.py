"""A catalogue page reads its ids with a statement put together from parts compiled
before (catalogue.selectors.listing.PageStatement): every page of it must be the page of
the ORM's queryset, the same ids in the same order, whatever the filters, the search,
the order, the language and the page."""

import pytest
from django.db import connection
from django.http import QueryDict
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from catalogue.counting import rows_template
from catalogue.filters import PracticeFilterSet
from catalogue.selectors import page_statement, practice_catalogue, practice_page_ids
from catalogue.vocabulary import catalogue_vocabulary
from practices.models import Practice

pytestmark = pytest.mark.django_db

FILTERS = [
    "",
    "type=social",
    "type=social&type=it&country=PL",
    "country=PL&country=UA&topic=edukacja",
    "q=szkoły",
    "q=szkoły&type=it&country=PL&topic=edukacja",
    "q=Kamieniec-Podolski rower",
    "q=masks",  # an English word: ranked twice on the English pages
    "q=kryzys&award=laureate",
    "year_from=2015&year_to=2022&type=social",
    "value_min=1000&value_max=5000000&currency=PLN",
    "award=laureate&org_kind=municipality",
    "region=mazowieckie&country=PL",
    "q=",  # no searchable word
]
SORTS = ["relevance", "newest", "title", "value"]


def page_of(query: str, sort: str):
    """The filtered, ordered queryset of the catalogue page for `query`, and its
    PageStatement, as the page builds them."""
    filterset = PracticeFilterSet(
        QueryDict(query),
        queryset=Practice.objects.published(),
        vocabulary=catalogue_vocabulary(),
    )
    filterset.is_valid()
    if sort == "relevance" and not filterset.search_groups:
        sort = "newest"  # as the page orders a list without a search
    queryset = practice_catalogue(filterset.qs, sort=sort)
    statement = page_statement(
        queryset.db,
        rows_template(filterset),
        [
            condition
            for name in PracticeFilterSet.FACETS
            if (condition := filterset.facet_condition(name)) is not None
        ],
        sort=sort,
        groups=filterset.search_groups,
    )
    return queryset, statement


@pytest.mark.parametrize("language", ["pl", "en"])
@pytest.mark.parametrize("sort", SORTS)
def test_every_page_is_the_querysets_page(catalogue, sort, language):
    compared = 0
    with translation.override(language):
        for query in FILTERS:
            queryset, statement = page_of(query, sort)
            every = list(queryset.values_list("pk", flat=True))
            count = len(every)
            for start, stop in [(0, 21), (0, 5), (3, 9), (20, 41), (count - 4, count + 1)]:
                start = max(0, start)
                assert statement.ids_between(start, stop) == every[start:stop], (query, start)
                # Read as the page reads it: the second half of a known count backwards.
                read = practice_page_ids(
                    queryset, start=start, stop=stop, count=count, statement=statement
                )
                assert read == every[start:stop], (query, start, stop)
                compared += len(read)
    assert compared > 200  # the filters select practices: not a comparison of nothing


@pytest.mark.parametrize("language", ["pl", "en"])
@pytest.mark.parametrize("window", [2, 5, 12])
def test_a_ranked_windows_pages_are_the_querysets(catalogue, window, language):
    # A search broader than the window ranks only its newest matches (practice_page_ids);
    # a page inside the window (one read aside) is read by the statement too.
    compared, cut = 0, 0
    with translation.override(language):
        for query in ["q=miasto", "q=city", "q=projekt&country=PL", "q=masks", "q=kryzys"]:
            queryset, statement = page_of(query, "relevance")
            cut += queryset.count() > window  # matches beyond the window: it is ranked alone
            for start, stop in [(0, window), (0, 1), (1, window), (window - 1, window)]:
                orm = practice_page_ids(queryset, start=start, stop=stop, rank_window=window)
                read = practice_page_ids(
                    queryset, start=start, stop=stop, rank_window=window, statement=statement
                )
                assert read == orm, (query, window, start, stop)
                compared += len(read)
    assert cut >= 2
    assert compared >= 3 * window


def test_a_page_compiles_nothing_but_its_rows_once(catalogue):
    queryset, statement = page_of("q=szkoły&type=it&country=PL", "relevance")
    with CaptureQueriesContext(connection) as queries:
        ids = statement.ids_between(0, 21)
    (query,) = queries.captured_queries
    assert ids == list(queryset.values_list("pk", flat=True)[:21])
    assert ids
    # The order ranks by the page's own search, in its place (not the stand-in's).
    assert "standinterm" not in query["sql"]
    assert query["sql"].count("szkola") == 2  # the filter and the rank


def test_the_catalogue_page_shows_the_querysets_pages(client, catalogue):
    # Through the view: the cards shown on each page, in order.
    for query, sort in [("type=social", "title"), ("q=szkoły", "relevance"), ("", "value")]:
        queryset, _statement = page_of(query, sort)
        slugs = list(queryset.values_list("slug", flat=True))
        for page in (1, 2):
            response = client.get(
                "/praktyki/", {**QueryDict(query).dict(), "sort": sort, "page": page}
            )
            if not slugs[(page - 1) * 20 : page * 20]:
                continue
            assert response.status_code == 200
            html = response.content.decode()
            shown = [slug for slug in slugs if f'href="/praktyki/{slug}/"' in html]
            order = sorted(shown, key=lambda slug: html.index(f'href="/praktyki/{slug}/"'))
            assert order == slugs[(page - 1) * 20 : page * 20], (query, sort, page)
