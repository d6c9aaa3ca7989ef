"""Open data: CSV and JSON of the filtered list (all pages), the Atom feed."""

import csv
import io
import json
from decimal import Decimal

import pytest

from tests.factories import CategoryFactory, EntryFactory, OrganisationFactory, PracticeFactory

pytestmark = pytest.mark.django_db


def streamed(response) -> str:
    return b"".join(response.streaming_content).decode("utf-8")


def test_csv_export_has_every_documented_field_and_all_pages(client):
    from catalogue.exports import EXPORT_FIELDS

    for n in range(45):
        PracticeFactory(title=f"P{n}", lead_organisation=OrganisationFactory(country="UA"))
    PracticeFactory(title="Polska", lead_organisation=OrganisationFactory(country="PL"))

    response = client.get("/praktyki/eksport.csv", {"country": "UA"})
    rows = list(csv.DictReader(io.StringIO(streamed(response).lstrip("\ufeff"))))

    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert list(rows[0].keys()) == [name for name, _ in EXPORT_FIELDS]
    assert len(rows) == 45
    assert {row["countries"] for row in rows} == {"UA"}


def test_csv_export_neutralises_spreadsheet_formulas(client):
    PracticeFactory(title='=HYPERLINK("http://zle")', summary="+1 spróbuj")

    row = next(
        csv.DictReader(io.StringIO(streamed(client.get("/praktyki/eksport.csv")).lstrip("\ufeff")))
    )

    assert row["title"] == '\'=HYPERLINK("http://zle")'
    assert row["summary"] == "'+1 spróbuj"


def test_json_export_is_valid_json_with_lists_and_awards(client, catalogue):
    response = client.get("/praktyki/eksport.json", {"type": "it", "country": "UA", "q": "szkoły"})
    records = json.loads(streamed(response))

    assert [r["slug"] for r in records] == ["kijow-symulator-dom-dobrodzieja"]
    assert records[0]["countries"] == ["UA"]
    assert records[0]["awards"][0] == {
        "edition": "Konkurs Dobrych Praktyk 2020",
        "category": "Edukacja",
        "status": "laureate",
        "place": 1,
        "distinction": None,
        "winner": True,
    }


def test_json_export_keeps_amounts_exact(client):
    PracticeFactory(total_value=Decimal("4061351.04"), currency="PLN")

    record = json.loads(streamed(client.get("/praktyki/eksport.json")))[0]

    assert (record["total_value"], record["currency"]) == ("4061351.04", "PLN")


def test_export_query_count_is_fixed_per_chunk(client, django_assert_max_num_queries):
    for _ in range(30):
        PracticeFactory()

    # vocabulary ×2, the practices, and one query per prefetched relation
    with django_assert_max_num_queries(10):
        streamed(client.get("/praktyki/eksport.json"))


def test_export_lists_partners_sources_and_awards_in_their_order(client, settings):
    from practices.models import FundingSource, Partnership

    settings.SITE_URL = "https://katalog.example.org"  # never the request's host
    practice = PracticeFactory(slug="z-partnerami")
    second = OrganisationFactory(name="Drugi partner", slug="drugi")
    first = OrganisationFactory(name="Pierwszy partner", slug="pierwszy")
    Partnership.objects.create(practice=practice, organisation=second, role="patron", order=2)
    Partnership.objects.create(practice=practice, organisation=first, role="partner", order=1)
    practice.funding_sources.set(
        [
            FundingSource.objects.create(name="Zielony fundusz", slug="zielony"),
            FundingSource.objects.create(name="Agencja", slug="agencja"),
        ]
    )
    education = CategoryFactory(
        name="Edukacja", edition__name="Konkurs 2021", edition__phase="archived"
    )
    EntryFactory(
        practice=practice, category=education, status="laureate", laureate_place=1, is_winner=True
    )
    EntryFactory(
        practice=practice,
        category__name="Cyfryzacja",
        category__edition__phase="results",
        status="finalist",
    )
    EntryFactory(practice=practice, status="withdrawn")

    (record,) = json.loads(streamed(client.get("/praktyki/eksport.json")))

    assert record["url"] == "https://katalog.example.org/praktyki/z-partnerami/"
    assert record["partners"] == [
        {"name": "Pierwszy partner", "slug": "pierwszy", "role": "partner"},
        {"name": "Drugi partner", "slug": "drugi", "role": "patron"},
    ]
    assert record["funding_sources"] == ["Agencja", "Zielony fundusz"]
    # The withdrawn entry is not an award.
    awards = sorted(record["awards"], key=lambda award: award["category"])
    assert [(a["category"], a["status"], a["winner"]) for a in awards] == [
        ("Cyfryzacja", "finalist", False),
        ("Edukacja", "laureate", True),
    ]
    assert awards[1] == {
        "edition": "Konkurs 2021",
        "category": "Edukacja",
        "status": "laureate",
        "place": 1,
        "distinction": None,
        "winner": True,
    }


def test_each_chunk_of_an_export_reads_its_own_practices_relations(client, monkeypatch):
    from catalogue import exports
    from practices.models import Partnership

    monkeypatch.setattr(exports, "CHUNK", 2)
    for n in range(5):
        practice = PracticeFactory(slug=f"p{n}")
        partner = OrganisationFactory(name=f"Partner {n}", slug=f"partner-{n}")
        Partnership.objects.create(practice=practice, organisation=partner, role="partner")

    records = json.loads(streamed(client.get("/praktyki/eksport.json")))

    assert len(records) == 5
    assert {r["slug"]: [p["slug"] for p in r["partners"]] for r in records} == {
        f"p{n}": [f"partner-{n}"] for n in range(5)
    }


def test_atom_feed_lists_new_practices_of_the_filtered_view(client):
    PracticeFactory(title="Ukraińska", lead_organisation=OrganisationFactory(country="UA"))
    PracticeFactory(title="Polska", lead_organisation=OrganisationFactory(country="PL"))

    response = client.get("/praktyki/kanal.atom", {"country": "UA"})
    body = response.content.decode()

    assert response["Content-Type"].startswith("application/atom+xml")
    assert "<title>Ukraińska</title>" in body
    assert "<title>Polska</title>" not in body


def test_export_with_bad_filters_still_answers(client):
    PracticeFactory(title="Jedyna")

    response = client.get("/praktyki/eksport.csv", {"year_from": "abc", "type": "nope"})

    assert response.status_code == 200
    assert "Jedyna" in streamed(response)
