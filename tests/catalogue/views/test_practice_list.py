"""The catalogue page: filters, facet counts, chips, sorting, pagination, bad input."""

import datetime
import re
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import translation

from tests.factories import (
    CategoryFactory,
    EntryFactory,
    OrganisationFactory,
    PracticeFactory,
    PracticeTypeFactory,
    TopicFactory,
)

pytestmark = pytest.mark.django_db

LIST = "/praktyki/"
# vocabulary (topics, practice types, editions, the regions' countries) + facet
# counts and total + the page's ids + its rows
QUERIES_PER_PAGE = 7


def titles(response) -> list[str]:
    return [practice.title for practice in response.context["practices"]]


def facet(response, name: str) -> dict[str, tuple[int, bool]]:
    group = next(g for g in response.context["facet_groups"] if g.name == name)
    return {option.value: (option.count, option.selected) for option in group.options}


@pytest.mark.parametrize("items", [1, 3])
def test_practice_list_query_count_does_not_grow_with_items(
    client, django_assert_num_queries, items
):
    topic = TopicFactory()
    for _ in range(items):
        # Every field a card shows is filled, so a field the list does not load (an
        # extra query per card) would show here.
        PracticeFactory(
            topics=[topic],
            lead_organisation=OrganisationFactory(country="UA"),
            total_value=Decimal("150000"),
            total_value_approximate=True,
            currency="PLN",
            started_on=datetime.date(2020, 1, 1),
        )

    with django_assert_num_queries(QUERIES_PER_PAGE):
        response = client.get(LIST)

    assert len(response.context["practices"]) == items


@pytest.mark.parametrize("items", [1, 3])
def test_practice_list_query_count_with_three_filters_and_search(
    client, django_assert_num_queries, items
):
    topic = TopicFactory(slug="edukacja")
    for n in range(items):
        PracticeFactory(
            title=f"Nowa szkoła {n}",
            topics=[topic],
            lead_organisation=OrganisationFactory(country="UA"),
        )

    with django_assert_num_queries(QUERIES_PER_PAGE):
        response = client.get(
            LIST, {"q": "szkoły", "type": "it", "country": "UA", "topic": "edukacja"}
        )

    assert response.context["result_count"] == items


def test_practice_list_shows_only_published_practices(client):
    PracticeFactory(title="Opublikowana")
    PracticeFactory(title="Szkic", status="draft", published_at=None)
    PracticeFactory(title="W archiwum", status="archived")

    response = client.get(LIST)

    assert titles(response) == ["Opublikowana"]


def test_type_filter_accepts_several_types_and_keeps_other_types_counted(client):
    social = PracticeTypeFactory(code="social", name="Społeczne")
    PracticeFactory(title="Aplikacja")
    PracticeFactory(title="Konsultacje", practice_type=social)
    PracticeFactory(title="Druga aplikacja")

    only_it = client.get(LIST, {"type": "it"})
    both = client.get(LIST, {"type": ["it", "social"]})

    assert sorted(titles(only_it)) == ["Aplikacja", "Druga aplikacja"]
    assert sorted(titles(both)) == ["Aplikacja", "Druga aplikacja", "Konsultacje"]
    # Choosing IT does not make the social option show 0: each facet ignores its own filter.
    assert facet(only_it, "type")["it"] == (2, True)
    assert facet(only_it, "type")["social"] == (1, False)


def test_facet_counts_apply_the_other_filters(client):
    PracticeFactory(title="Ukraina IT", lead_organisation=OrganisationFactory(country="UA"))
    PracticeFactory(title="Polska IT", lead_organisation=OrganisationFactory(country="PL"))
    social = PracticeTypeFactory(code="social", name="Społeczne")
    PracticeFactory(
        title="Ukraina społeczna",
        practice_type=social,
        lead_organisation=OrganisationFactory(country="UA"),
    )

    response = client.get(LIST, {"country": "UA"})

    assert facet(response, "type")["it"] == (1, False)
    assert facet(response, "type")["social"] == (1, False)
    assert facet(response, "country") == {"UA": (2, True), "PL": (1, False)}


def test_selected_option_with_no_results_stays_visible_with_zero(client):
    PracticeFactory(lead_organisation=OrganisationFactory(country="PL"))

    response = client.get(LIST, {"country": "PL", "type": "social"})

    assert response.context["result_count"] == 0
    assert facet(response, "type")["social"] == (0, True)
    assert "Nie znaleźliśmy praktyk spełniających te warunki." in response.content.decode()


def test_year_range_keeps_practices_running_in_those_years(client):
    PracticeFactory(
        title="2014–2015",
        started_on=datetime.date(2014, 1, 1),
        ended_on=datetime.date(2015, 12, 31),
    )
    PracticeFactory(title="od 2020", started_on=datetime.date(2020, 4, 1))
    PracticeFactory(title="bez dat")

    response = client.get(LIST, {"year_from": 2015, "year_to": 2016})
    later = client.get(LIST, {"year_from": 2021})

    assert titles(response) == ["2014–2015"]
    assert titles(later) == ["od 2020"]


def test_value_range_compares_within_the_chosen_currency(client):
    PracticeFactory(title="PLN duży", total_value=Decimal("6270000"), currency="PLN")
    PracticeFactory(title="PLN mały", total_value=Decimal("845000"), currency="PLN")
    PracticeFactory(title="EUR duży", total_value=Decimal("2900000"), currency="EUR")

    pln = client.get(LIST, {"value_min": "1000000"})
    eur = client.get(LIST, {"value_min": "1000000", "currency": "EUR"})

    assert titles(pln) == ["PLN duży"]
    assert titles(eur) == ["EUR duży"]


def test_award_and_edition_filters(client):
    category = CategoryFactory(edition__year=2020, edition__phase="results")  # announced
    laureate = PracticeFactory(title="Laureat")
    finalist = PracticeFactory(title="Finalista")
    PracticeFactory(title="Bez nagrody")
    EntryFactory(category=category, practice=laureate, status="laureate", laureate_place=1)
    EntryFactory(category=category, practice=finalist, status="finalist")
    from catalogue.index.refresh import index_flush

    index_flush()  # what the commit would do

    laureates = client.get(LIST, {"award": "laureate"})
    finalists = client.get(LIST, {"award": "finalist"})
    in_edition = client.get(LIST, {"edition": category.edition.slug})

    assert titles(laureates) == ["Laureat"]
    assert sorted(titles(finalists)) == ["Finalista", "Laureat"]
    assert sorted(titles(in_edition)) == ["Finalista", "Laureat"]


def test_chips_remove_one_value_and_keep_the_rest(client):
    PracticeFactory(lead_organisation=OrganisationFactory(country="UA"))

    response = client.get(LIST, {"type": "it", "country": ["UA", "PL"], "page": "1"})
    chips = {chip.label: chip.remove_url for chip in response.context["chips"]}

    # The query as the page cache normalised it: names and values in order.
    assert chips["Typ praktyki: IT"] == "?country=PL&country=UA"
    assert chips["Kraj: Ukraina"] == "?country=PL&type=it"
    assert "Wyczyść wszystko" in response.content.decode()


def test_sorting_by_title_follows_polish_alphabet(client):
    for title in ["Zielony budżet", "Łódzka inicjatywa", "Lubelska sieć", "Świdwin razem"]:
        PracticeFactory(title=title)

    response = client.get(LIST, {"sort": "title"})

    assert titles(response) == [
        "Lubelska sieć",
        "Łódzka inicjatywa",
        "Świdwin razem",
        "Zielony budżet",
    ]


def test_sorting_by_value_puts_practices_without_value_last(client):
    PracticeFactory(title="bez kwoty")
    PracticeFactory(title="mała", total_value=Decimal("10"), currency="PLN")
    PracticeFactory(title="duża", total_value=Decimal("1000"), currency="PLN")

    response = client.get(LIST, {"sort": "value"})

    assert titles(response) == ["duża", "mała", "bez kwoty"]


def test_pagination_keeps_every_filter(client):
    for n in range(25):
        PracticeFactory(
            title=f"Praktyka {n:02}", lead_organisation=OrganisationFactory(country="UA")
        )

    response = client.get(LIST, {"country": "UA", "type": "it", "sort": "title"})
    page_two = client.get(LIST, {"country": "UA", "type": "it", "sort": "title", "page": 2})

    assert 'href="?country=UA&amp;sort=title&amp;type=it&amp;page=2"' in response.content.decode()
    assert titles(page_two) == [f"Praktyka {n:02}" for n in range(20, 25)]
    # The page's own number is replaced, wherever the address had it.
    html = client.get(f"{LIST}?page=2&country=UA&sort=title").content.decode()
    assert 'href="?country=UA&amp;sort=title&amp;page=1" rel="prev"' in html
    assert not [link for link in re.findall(r'href="([^"]*)"', html) if link.count("page=") > 1]


@pytest.mark.parametrize(
    ("params", "label", "value"),
    [
        ({"type": "kosmiczna"}, "Typ praktyki", "kosmiczna"),
        ({"country": "XX"}, "Kraj", "XX"),
        ({"topic": "nie-ma-takiego"}, "Obszar tematyczny", "nie-ma-takiego"),
        ({"org_kind": "krolestwo"}, "Rodzaj organizacji", "krolestwo"),
        ({"award": "oscar"}, "Nagroda", "oscar"),
        ({"edition": "konkurs-1999"}, "Konkurs i edycja", "konkurs-1999"),
        ({"competition": "nie-ma"}, "Konkurs", "nie-ma"),
        ({"year_from": "abc"}, "Rok od", "abc"),
        ({"year_to": "99999"}, "Rok do", "99999"),
        ({"value_min": "-5"}, "Wartość od", "-5"),
        ({"value_max": "dużo"}, "Wartość do", "dużo"),
        ({"currency": "BTC"}, "Waluta", "BTC"),
        ({"sort": "random()"}, "Sortuj", "random()"),
    ],
)
def test_bad_filter_value_is_ignored_with_a_visible_message(client, params, label, value):
    PracticeFactory(title="Jedyna")

    response = client.get(LIST, params)

    assert response.status_code == 200
    assert titles(response) == ["Jedyna"]
    assert (label, value) in response.context["ignored"]
    assert (
        "Część adresu strony była nieprawidłowa, więc ją pominęliśmy:" in response.content.decode()
    )


def test_bad_value_among_good_ones_drops_only_the_bad_one(client):
    PracticeFactory(title="IT")

    response = client.get(LIST, {"type": ["it", "kosmiczna"]})

    assert titles(response) == ["IT"]
    assert facet(response, "type")["it"] == (1, True)
    assert response.context["ignored"] == [("Typ praktyki", "kosmiczna")]


@pytest.mark.parametrize("page", ["99", "abc", "0", "-1"])
def test_page_out_of_range_shows_a_real_page_and_says_so(client, page):
    PracticeFactory(title="Jedyna")

    response = client.get(LIST, {"page": page})

    assert response.status_code == 200
    assert titles(response) == ["Jedyna"]
    assert f"Nie ma strony „{page}”" in response.content.decode()


@pytest.mark.parametrize(
    "query",
    ["ą" * 5000, "\u202e\u0000odwrócony", "😀🏛️", "' OR 1=1 --", "a & b | !c:*", "<script>"],
)
def test_odd_or_huge_queries_never_break_the_page(client, query):
    PracticeFactory(title="Jedyna")

    response = client.get(LIST, {"q": query})

    assert response.status_code == 200
    assert "<script>" not in response.content.decode().split("<main", 1)[1]


def test_too_general_search_says_it_was_not_applied(client):
    PracticeFactory(title="Jedyna")

    response = client.get(LIST, {"q": "w"})

    assert titles(response) == ["Jedyna"]
    assert "Szukane słowa są zbyt krótkie" in response.content.decode()


def test_search_results_are_ranked_and_highlighted(client):
    PracticeFactory(title="Budżet obywatelski", summary="Mieszkańcy decydują o budżecie.")
    PracticeFactory(title="Inny tytuł", summary="Wspomina budżet raz.")
    PracticeFactory(title="Nic wspólnego", summary="Transport publiczny.")

    response = client.get(LIST, {"q": "budżetu"})
    snippets = [str(p.snippet) for p in response.context["practices"]]

    assert titles(response) == ["Budżet obywatelski", "Inny tytuł"]
    assert "<mark>budżecie</mark>" in snippets[0]
    assert "<mark>budżet</mark>" in snippets[1]


def test_search_finds_practices_by_organisation_name_and_place(client):
    gdynia = OrganisationFactory(name="Gmina Miasta Gdynia", locality="Gdynia")
    PracticeFactory(title="Centrum kontaktu", lead_organisation=gdynia)
    PracticeFactory(title="Gdzie indziej")

    response = client.get(LIST, {"q": "Gdyni"})

    assert titles(response) == ["Centrum kontaktu"]


def test_list_url_in_english_keeps_the_filters(client):
    PracticeFactory(title="IT")

    response = client.get(reverse("practices:practice-list"), {"type": "it"})

    assert response.status_code == 200


def test_paging_and_sorting_reuse_the_facet_counts(client, django_assert_num_queries):
    for n in range(25):
        PracticeFactory(title=f"Praktyka {n:02}")
    client.get(LIST, {"type": "it"})

    # Only the page's ids and rows: the vocabulary and the counts are already known.
    with django_assert_num_queries(2):
        response = client.get(LIST, {"type": "it", "page": 2, "sort": "title"})

    assert response.context["result_count"] == 25
    assert len(response.context["practices"]) == 5


def test_facet_counts_are_counted_on_every_request_when_their_cache_is_off(
    client, settings, django_assert_num_queries
):
    settings.CATALOGUE_FACET_CACHE_SECONDS = 0
    for n in range(25):
        PracticeFactory(title=f"Praktyka {n:02}")
    client.get(LIST, {"type": "it"})

    # The counts again (one query), then the page's ids and rows.
    with django_assert_num_queries(3):
        response = client.get(LIST, {"type": "it", "page": 2, "sort": "title"})

    assert response.context["result_count"] == 25


# --- estimated counts (catalogue.counting.count_facets samples large sets) --------


def results_heading(response) -> str:
    """The count above the results, as the page shows it ("12 praktyk", "ok. 4 300 praktyk")."""
    tag_and_text = response.content.decode().split('id="results-count"')[1]
    return tag_and_text.partition(">")[2].split("</h2>")[0]


ESTIMATE = ("ok. ", "poniżej ")


def test_estimated_counts_read_as_estimates_and_say_why(client, catalogue, settings):
    # 81 published practices, over ten times this limit: the sets over 4 are sampled.
    # Which practices a sample holds depends on their ids, so the set is most of them.
    settings.CATALOGUE_EXACT_COUNT_LIMIT = 4

    response = client.get(LIST, {"year_from": "1990"})

    html = response.content.decode()
    assert results_heading(response).startswith(ESTIMATE)
    estimated = [g for g in response.context["facet_groups"] if g.approximate]
    assert estimated  # some dimensions were counted over a sample
    for group in estimated:
        for option in group.options:
            assert option.count_label.startswith(("ok. ", "poniżej "))
            assert f"({option.count_label})" in html
    assert "„ok.” przy liczbie oznacza szacunek" in html


def test_the_real_catalogue_is_counted_exactly_at_the_default_limit(client, catalogue):
    response = client.get(LIST, {"country": "PL", "type": "it"})

    html = response.content.decode()
    assert not results_heading(response).startswith(ESTIMATE)
    assert not any(group.approximate for group in response.context["facet_groups"])
    assert "ok. " not in html
    assert "oznacza szacunek" not in html


def test_an_estimate_shows_two_significant_digits_or_an_upper_bound():
    from catalogue.facets import estimate_label

    assert estimate_label(12312, 6) == "ok. 12\xa0000"  # 192 of the sample, one in 64
    assert estimate_label(1359 * 8, 3) == "ok. 11\xa0000"
    assert estimate_label(88, 3) == "ok. 88"  # 11 of the sample: enough to say a number
    # Fewer than ten of the sample: the 99.9% upper bound, rounded up, not a number.
    assert estimate_label(0, 4) == "poniżej 120"  # none in a sample of one in 16: < 110.6
    assert estimate_label(256, 8) == "poniżej 2\xa0400"  # one, at one in 256: under 2363
    assert estimate_label(9 * 4, 2) == "poniżej 91"  # nine, at one in 4: under 90.64


def _paginator(count: int, rows: int = 45):
    from catalogue.views.practices import KnownCountPaginator
    from practices.models import Practice

    for n in range(rows):
        PracticeFactory(title=f"Praktyka {n:02}")
    queryset = Practice.objects.published().order_by("title")
    return KnownCountPaginator(queryset, 20, count=count, approximate=True)


def test_pages_past_an_estimate_that_was_too_low_stay_reachable(db):
    paginator = _paginator(count=30)  # 45 practices, estimated at 30: "2 pages"

    page = paginator.page(3)

    assert [p.title for p in page.object_list] == [f"Praktyka {n}" for n in range(40, 45)]
    assert not page.has_next()
    assert paginator.count == 45  # the last page made the count exact
    assert paginator.num_pages == 3


def test_an_estimate_too_high_ends_at_the_last_real_page(db):
    from django.core.paginator import EmptyPage

    paginator = _paginator(count=90)  # 45 practices, estimated at 90: "5 pages"

    page = paginator.page(2)
    assert page.has_next()  # one id past the page says a page follows
    with pytest.raises(EmptyPage):
        paginator.page(4)
    assert paginator.count == 45
    assert paginator.num_pages == 3


def test_a_page_past_an_estimated_end_shows_the_last_real_page(client, catalogue, settings):
    settings.CATALOGUE_EXACT_COUNT_LIMIT = 4
    query = {"year_from": "1990"}  # narrows beyond the facets: counted from the rows
    first = client.get(LIST, query)
    assert results_heading(first).startswith(ESTIMATE)
    real_pages = -(-first.context["filterset"].qs.count() // 20)

    response = client.get(LIST, {**query, "page": 40})

    assert response.status_code == 200
    assert response.context["page_obj"].number == real_pages
    assert response.context["practices"]
    assert "Nie ma strony „40”" in response.content.decode()


def test_the_one_value_chosen_in_an_estimated_dimension_counts_the_results(
    client, catalogue, settings
):
    settings.CATALOGUE_EXACT_COUNT_LIMIT = 4

    response = client.get(LIST, {"year_from": "1990", "type": "it", "country": "PL"})

    groups = {g.name: g for g in response.context["facet_groups"]}
    # The types are counted over the practices of Poland since 1990: most of the 81.
    assert groups["type"].approximate
    (chosen,) = [option for option in groups["type"].options if option.selected]
    assert chosen.count == response.context["result_count"]
    assert chosen.approximate == results_heading(response).startswith(ESTIMATE)


@pytest.mark.parametrize(
    ("language", "total", "level", "heading"),
    [
        ("pl", 1, 0, "1 praktyka"),
        ("pl", 1384, 0, "1384 praktyki"),
        ("pl", 1385, 0, "1385 praktyk"),
        # 40 962 estimated from a sample of one in 8 reads "ok. 41 000": the noun agrees
        # with the number shown, not with the one counted (…62 would take "praktyki").
        ("pl", 40_962, 3, "ok. 41 000 praktyk"),
        ("en", 40_962, 3, "about 41,000 practices"),
        ("uk", 40_962, 3, "бл. 41 000 практик"),
        ("uk", 1384, 0, "1384 практики"),
    ],
)
def test_result_count_heading_agrees_with_the_number_shown(language, total, level, heading):
    from catalogue.counting import FacetCounts
    from catalogue.views.practices import PracticeListView

    view = PracticeListView()
    view.counts = FacetCounts(options={}, total=total, levels={"total": level} if level else {})
    with translation.override(language):
        assert view.result_count_heading().replace("\xa0", " ") == heading
