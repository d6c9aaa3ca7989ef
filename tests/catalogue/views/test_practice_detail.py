import datetime
import json
import re

import pytest

from catalogue.selectors import related_statement
from practices.models import Partnership, PracticeAmount, PracticeLink, PracticeMilestone
from tests.conftest import after_commit
from tests.factories import (
    CategoryFactory,
    EntryFactory,
    OrganisationFactory,
    PracticeFactory,
    TopicFactory,
)

pytestmark = pytest.mark.django_db


def test_practice_page_shows_everything_the_record_holds(client, catalogue):
    response = client.get("/praktyki/lof-informatyzacja-procesow-administracyjnych/")
    html = response.content.decode()

    assert response.status_code == 200
    assert (
        "<h1>Lubelski Obszar Funkcjonalny – informatyzacja procesów administracyjnych</h1>" in html
    )
    assert "Gmina Jastków" in html and "Gmina Strzyżewice" in html
    assert "15.06.2017–30.06.2021" in html
    assert "4\xa0061\xa0351,04 PLN" in html
    assert "Typ praktyki: IT" in html
    assert "działania polegające na wykorzystaniu nowych technologii" in html.lower()


def test_practice_page_links_its_awards_to_the_edition(client, catalogue):
    html = client.get("/praktyki/kijow-symulator-dom-dobrodzieja/").content.decode()

    assert "Zwycięzca" in html
    assert 'href="/konkursy/konkurs-dobrych-praktyk-kongresu/2020/"' in html
    assert "kategoria Edukacja" in html


def test_practice_page_has_canonical_open_graph_and_json_ld(client, catalogue, settings):
    settings.SITE_URL = "https://katalog.example.org"  # never the request's host
    html = client.get("/praktyki/gdynia-gdynskie-centrum-kontaktu/").content.decode()
    data = json.loads(
        re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S).group(1)
    )

    assert (
        '<link rel="canonical" href="https://katalog.example.org/praktyki/gdynia-gdynskie-centrum-kontaktu/">'
        in html
    )
    title = "Przeorganizowanie pracy Gdyńskiego Centrum Kontaktu (GCK)"
    assert f'<meta property="og:title" content="{title}">' in html
    assert data["@type"] == "CreativeWork"
    assert data["creator"]["name"] == "Gmina Miasta Gdynia"
    assert data["award"] == ["Konkurs Dobrych Praktyk 2020 – Samorząd: laureat"]


def json_ld(html: str) -> dict:
    return json.loads(
        re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S).group(1)
    )


def test_json_ld_speaks_the_pages_language_where_the_practice_has_a_translation(client):
    topic = TopicFactory(name="Seniorzy", name_en="Older people")
    PracticeFactory(
        slug="p",
        title="Klub seniora",
        title_en="Seniors' club",
        summary="Spotkania w bibliotece.",
        summary_en="Meetings in the library.",
        topics=[topic],
    )
    PracticeFactory(slug="tylko-po-polsku", title="Tylko po polsku", summary="Opis.")

    english = json_ld(client.get("/en/practices/p/").content.decode())
    assert english["name"] == "Seniors' club"
    assert english["description"] == "Meetings in the library."
    assert english["keywords"] == "Older people"
    assert english["inLanguage"] == "en"

    polish = json_ld(client.get("/praktyki/p/").content.decode())
    assert (polish["name"], polish["keywords"], polish["inLanguage"]) == (
        "Klub seniora",
        "Seniorzy",
        "pl",
    )

    # No translation: the original, and said to be Polish, on the English page too.
    untranslated = json_ld(client.get("/en/practices/tylko-po-polsku/").content.decode())
    assert (untranslated["name"], untranslated["description"], untranslated["inLanguage"]) == (
        "Tylko po polsku",
        "Opis.",
        "pl",
    )


def test_json_ld_cannot_close_its_script_tag(client):
    PracticeFactory(slug="zlosliwa", title="</script><script>alert(1)</script>")

    html = client.get("/praktyki/zlosliwa/").content.decode()

    assert "</script><script>alert(1)" not in html
    assert "\\u003c/script>" in html


def test_unpublished_practice_is_not_found(client):
    PracticeFactory(slug="szkic", status="draft", published_at=None)

    assert client.get("/praktyki/szkic/").status_code == 404


def test_related_practices_share_topics_first(client):
    topic, other = TopicFactory(), TopicFactory()
    practice = PracticeFactory(slug="glowna", topics=[topic, other])
    PracticeFactory(title="Jeden wspólny temat", topics=[topic])
    PracticeFactory(title="Dwa wspólne tematy", topics=[topic, other])
    PracticeFactory(title="Tylko ten sam typ")

    related = client.get("/praktyki/glowna/").context["related"]

    assert [p.title for p in related][:2] == ["Dwa wspólne tematy", "Jeden wspólny temat"]
    assert practice.pk not in [p.pk for p in related]


def test_related_practices_statement_serves_any_number_of_topics(client):
    """The statement is compiled once (catalogue.selectors.related_statement): a practice
    with three topics and one with none get their own related practices from it."""
    related_statement.cache_clear()
    topics = [TopicFactory() for _ in range(3)]
    with_three = PracticeFactory(slug="trzy", topics=topics)
    PracticeFactory(slug="bez", topics=[])  # related by its type alone
    two = PracticeFactory(title="Wspólne tematy", topics=topics[:2])
    one = PracticeFactory(title="Jeden temat", topics=topics[2:])

    three = client.get("/praktyki/trzy/").context["related"]
    none = client.get("/praktyki/bez/").context["related"]

    assert [p.title for p in three][:2] == ["Wspólne tematy", "Jeden temat"]
    assert "trzy" not in [p.slug for p in three]
    assert sorted(p.pk for p in none) == sorted([with_three.pk, two.pk, one.pk])
    assert related_statement.cache_info().misses == 1


def test_practice_page_query_count_is_fixed(client, django_assert_num_queries):
    """Everything the page shows (its lead and partners, an award, a related practice)
    comes in a fixed number of queries: the columns each query leaves unread
    (catalogue.selectors) are never read by the page, one row at a time."""
    topic = TopicFactory()
    practice = PracticeFactory(
        slug="p",
        topics=[topic, TopicFactory()],
        lead_organisation=OrganisationFactory(name="Gmina Liderów", country="PL"),
    )
    for name in ("Partner Pierwszy", "Partner Drugi", "Partner Trzeci"):
        Partnership.objects.create(
            practice=practice, organisation=OrganisationFactory(name=name), role="partner"
        )
    EntryFactory(
        practice=practice,
        category=CategoryFactory(name="Usługi cyfrowe", edition__phase="results"),
        status="laureate",
        laureate_place=2,
    )
    PracticeFactory(title="Praktyka podobna", topics=[topic])
    # Two of each row the page reads by a compiled statement (catalogue.selectors.
    # practice_details), in their order.
    for order, label in ((2, "Relacja w prasie"), (1, "Strona projektu")):
        PracticeLink.objects.create(
            practice=practice, url=f"https://example.org/{order}", label=label, order=order
        )
        PracticeAmount.objects.create(
            practice=practice, measure="grant", amount=1000 * order, currency="EUR", order=order
        )
        PracticeMilestone.objects.create(
            practice=practice, kind="agreement", date=datetime.date(2020, order, 1),
            precision="month", order=order,
        )  # fmt: skip

    client.get("/praktyki/")  # a running server holds the catalogue's vocabulary

    # practice, partners, funding, links, other amounts, milestones, entries, related
    # (its topics are the vocabulary's)
    with django_assert_num_queries(8):
        response = client.get("/praktyki/p/")
    assert response.context["topics"] == list(practice.topics.order_by("order", "name"))
    page = response.content.decode()
    for shown in (
        "Gmina Liderów",
        "Partner Trzeci",
        "Laureat – 2. miejsce",
        "kategoria Usługi cyfrowe",
        "Praktyka podobna",
    ):
        assert shown in page
    assert page.index("Strona projektu") < page.index("Relacja w prasie")
    assert page.index("1\xa0000 EUR") < page.index("2\xa0000 EUR")
    assert page.index("01.2020") < page.index("02.2020")


def test_practice_page_shows_its_topics_as_they_are_now(client):
    """The page's topics come from the index kept with the practice: changing them (as
    the admin's form does) shows at once, renamed topics by their new names."""
    old, new = TopicFactory(name="Stary temat"), TopicFactory(name="Nowy temat")
    practice = PracticeFactory(slug="p", topics=[old])
    assert "Stary temat" in client.get("/praktyki/p/").content.decode()

    with after_commit():  # the index is kept when the admin's transaction commits
        practice.topics.set([new])
        new.name = "Nowy temat, przemianowany"
        new.save()

    page = client.get("/praktyki/p/").content.decode()
    assert "Nowy temat, przemianowany" in page
    assert "Stary temat" not in page
