"""Spreadsheet import in the admin: dry run, confirmation, and bad files that change nothing."""

import csv
import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from organisations.models import Organisation
from practices.models import Practice
from tests.conftest import after_commit
from tests.factories import OrganisationFactory, PracticeTypeFactory, TopicFactory

pytestmark = pytest.mark.django_db

IMPORT = "/admin/practices/practice/import/"
CONFIRM = "/admin/practices/practice/process_import/"
COLUMNS = ["tytul", "typ", "obszary", "lider", "lider_rodzaj", "lider_kraj", "partnerzy",
           "poczatek", "koniec", "wartosc", "waluta"]  # fmt: skip


def csv_file(rows: list[dict], *, columns=COLUMNS, encoding="utf-8", name="praktyki.csv"):
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=columns)
    writer.writeheader()
    writer.writerows(rows)
    return SimpleUploadedFile(name, buffer.getvalue().encode(encoding), content_type="text/csv")


def row(**values) -> dict:
    base = {
        "tytul": "Cyfrowy urząd",
        "typ": "IT",
        "obszary": "Usługi cyfrowe",
        "lider": "Gmina Jastków",
        "lider_rodzaj": "gmina",
        "lider_kraj": "PL",
        "partnerzy": "",
        "poczatek": "2019",
        "koniec": "06.2021",
        "wartosc": "1 250 000,50",
        "waluta": "PLN",
    }
    return {**base, **values}


@pytest.fixture
def vocabulary():
    PracticeTypeFactory(code="it", name="IT")
    TopicFactory(name="Usługi cyfrowe", slug="uslugi-cyfrowe")


def dry_run(client, upload, fmt="0"):
    return client.post(IMPORT, {"import_file": upload, "format": fmt, "resource": "0"})


def page_text(response) -> str:
    return response.content.decode()


def test_dry_run_shows_what_would_change_and_saves_nothing(editor_client, vocabulary):
    existing = OrganisationFactory(name="Gmina Jastków", country="PL")

    response = dry_run(editor_client, csv_file([row(), row(tytul="Drugi", lider="gmina JASTKÓW")]))

    assert response.status_code == 200
    result = response.context["result"]
    assert (result.totals["new"], result.totals["error"], result.totals["invalid"]) == (2, 0, 0)
    assert response.context["confirm_form"] is not None
    assert not Practice.objects.exists()
    assert list(Organisation.objects.all()) == [existing]


def test_confirming_imports_drafts_and_matches_organisations(editor_client, vocabulary):
    jastkow = OrganisationFactory(name="Gmina Jastków", country="PL")
    upload = csv_file(
        [
            row(partnerzy="Gmina Strzyżewice (partner); Gmina Jastków"),
            row(tytul="Drugi", lider="gmina jastkow", wartosc="", waluta=""),
        ]
    )
    confirm_form = dry_run(editor_client, upload).context["confirm_form"]

    with after_commit():
        response = editor_client.post(CONFIRM, confirm_form.initial, follow=True)

    first = Practice.objects.get(title="Cyfrowy urząd")
    assert response.status_code == 200
    assert Practice.objects.count() == 2
    assert set(Practice.objects.values_list("status", "origin")) == {("draft", "import")}
    assert first.lead_organisation == jastkow
    assert Practice.objects.get(title="Drugi").lead_organisation == jastkow
    assert list(first.partners.values_list("name", flat=True)) == ["Gmina Strzyżewice"]
    assert Organisation.objects.count() == 2  # Jastków matched, Strzyżewice created once
    assert (first.total_value, first.currency) == (Decimal("1250000.50"), "PLN")
    assert (str(first.started_on), first.started_precision) == ("2019-01-01", "year")
    assert (str(first.ended_on), first.ended_precision) == ("2021-06-30", "month")
    assert first.topic_ids and first.search_vector  # indexed for the public catalogue


def test_the_sample_file_updates_the_catalogue_without_duplicates(editor_client, catalogue):
    before = (Practice.objects.count(), Organisation.objects.count())
    with open("fixtures/import/przyklad-import.csv", "rb") as sample:
        upload = SimpleUploadedFile("przyklad-import.csv", sample.read())

    result = dry_run(editor_client, upload).context["result"]

    assert (result.totals["update"], result.totals["new"], result.totals["invalid"]) == (2, 0, 0)
    assert (Practice.objects.count(), Organisation.objects.count()) == before


def test_xlsx_files_import_too(editor_client, vocabulary):
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.append(COLUMNS)
    sheet.append(list(row().values()))
    buffer = io.BytesIO()
    workbook.save(buffer)
    upload = SimpleUploadedFile("praktyki.xlsx", buffer.getvalue())

    result = dry_run(editor_client, upload, fmt="1").context["result"]

    assert (result.totals["new"], result.totals["invalid"], result.totals["error"]) == (1, 0, 0)


@pytest.mark.parametrize(
    ("bad", "message"),
    [
        ({"poczatek": "31.02.2020"}, "Kolumna „poczatek”: „31.02.2020” nie jest prawidłową datą"),
        ({"koniec": "kiedyś"}, "Kolumna „koniec”: „kiedyś” nie jest datą"),
        ({"wartosc": "-5 000"}, "Kolumna „wartosc”: kwota nie może być ujemna"),
        ({"wartosc": "dużo"}, "Kolumna „wartosc”: „dużo” nie jest kwotą."),
        ({"typ": "kosmiczna"}, "Kolumna „typ”: nieznany typ „kosmiczna”"),
        ({"lider_kraj": "Atlantyda"}, "Kolumna „lider_kraj”: nieznany kraj „Atlantyda”"),
        ({"waluta": "BTC"}, "Kolumna „waluta”: nieznana waluta „BTC”"),
        ({"lider": ""}, "Kolumna „lider”: podaj nazwę organizacji"),
    ],
)
def test_a_bad_cell_is_reported_with_row_and_column_and_nothing_is_saved(
    editor_client, vocabulary, bad, message
):
    response = dry_run(editor_client, csv_file([row(tytul="Dobry wiersz"), row(**bad)]))
    text = page_text(response)

    assert message in text
    assert response.context.get("confirm_form") is None
    assert not Practice.objects.exists()
    assert not Organisation.objects.exists()


def test_a_practice_whose_source_names_no_lead_imports_with_its_organisations(
    editor_client, vocabulary
):
    """Sources name a lead only sometimes (Practice.lead_organisation): a row without
    one imports, its organisations taken from `partnerzy`; a file without the lead
    columns at all imports too. Details of a lead without its name are refused."""
    no_lead = row(
        tytul="Wspólna praktyka",
        lider="",
        lider_rodzaj="",
        lider_kraj="",
        partnerzy="Gmina Jastków (partner); Gmina Strzyżewice",
    )
    confirm_form = dry_run(editor_client, csv_file([no_lead])).context["confirm_form"]
    with after_commit():
        editor_client.post(CONFIRM, confirm_form.initial)

    practice = Practice.objects.get(title="Wspólna praktyka")
    assert practice.lead_organisation is None
    assert sorted(practice.partners.values_list("name", flat=True)) == [
        "Gmina Jastków",
        "Gmina Strzyżewice",
    ]
    assert practice.organisation_ids  # indexed: the organisations' pages list it

    bare = csv_file([{"tytul": "Bez lidera", "typ": "IT"}], columns=["tytul", "typ"])
    confirm_form = dry_run(editor_client, bare).context["confirm_form"]
    with after_commit():
        editor_client.post(CONFIRM, confirm_form.initial)
    assert Practice.objects.get(title="Bez lidera").lead_organisation is None

    half = row(tytul="Pół lidera", lider="", lider_rodzaj="gmina", lider_kraj="PL")
    text = page_text(dry_run(editor_client, csv_file([half])))
    assert (
        "Kolumna „lider”: podaj nazwę organizacji prowadzącej praktykę, którą opisują "
        "kolumny lider_rodzaj, lider_kraj"
    ) in text
    assert not Practice.objects.filter(title="Pół lidera").exists()


def test_missing_and_unknown_columns_refuse_the_file(editor_client, vocabulary):
    upload = csv_file([{"tytul": "X", "kolor": "zielony"}], columns=["tytul", "kolor"])

    text = page_text(dry_run(editor_client, upload))

    assert "Pliku nie zaimportowano: brak wymaganych kolumn: typ; nieznane kolumny: kolor" in text
    assert not Practice.objects.exists()


def test_ten_thousand_rows_are_refused_before_any_row_is_read(editor_client, vocabulary):
    upload = csv_file([row(tytul=f"Praktyka {n}") for n in range(10_000)])

    response = dry_run(editor_client, upload)

    assert "Pliku nie zaimportowano: ma więcej niż 1000 wierszy" in page_text(response)
    assert response.context.get("confirm_form") is None
    assert not Organisation.objects.exists()


def test_a_file_in_the_wrong_encoding_gets_a_clear_message(editor_client, vocabulary):
    upload = csv_file([row(lider="Gmina Łódź")], encoding="cp1250")

    text = page_text(dry_run(editor_client, upload))

    assert "Pliku nie da się odczytać jako tekstu w kodowaniu UTF-8" in text
    assert not Practice.objects.exists()


def test_a_six_megabyte_file_is_refused_with_the_import_limit(editor_client, vocabulary):
    upload = SimpleUploadedFile("duzy.csv", b"tytul,typ,lider\n" + b"x" * (6 * 1024 * 1024))

    text = page_text(dry_run(editor_client, upload))

    assert "Plik ma 6.0 MB, a największy dopuszczalny to 5 MB." in text
    assert not Practice.objects.exists()


def test_a_twenty_megabyte_file_is_refused_before_it_is_read(editor_client, vocabulary):
    upload = SimpleUploadedFile("duzy.csv", b"tytul,typ,lider\n" + b"x" * (20 * 1024 * 1024))

    response = dry_run(editor_client, upload)

    assert response.status_code == 413  # MAX_UPLOAD_BYTES, core.requestsize
    assert "Wysłane dane są za duże" in page_text(response)
    assert not Practice.objects.exists()


def test_a_file_that_is_not_a_spreadsheet_is_refused(editor_client, vocabulary):
    upload = SimpleUploadedFile("obrazek.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 100)

    text = page_text(dry_run(editor_client, upload))

    assert "Wyślij plik CSV albo XLSX." in text


def test_the_import_page_lists_the_columns(editor_client):
    text = page_text(editor_client.get(IMPORT))

    assert "tytul, typ, obszary, lider" in text
    assert "najwyżej 1000 wierszy i 5 MB" in text


def test_a_polish_region_must_be_a_voivodeship_and_is_stored_as_one(editor_client, vocabulary):
    columns = [*COLUMNS, "lider_region"]
    bad = dry_run(
        editor_client,
        csv_file([row(lider="Gmina Nowa", lider_region="Mazowsze")], columns=columns),
    )
    assert "Kolumna „lider_region”: „Mazowsze” nie jest województwem" in page_text(bad)
    assert bad.context.get("confirm_form") is None

    upload = csv_file(
        [
            row(lider="Gmina Nowa", lider_region="woj. Mazowieckie"),
            row(tytul="Za granicą", lider="Hromada", lider_kraj="UA", lider_region="obwód lwowski"),
        ],
        columns=columns,
    )
    confirm_form = dry_run(editor_client, upload).context["confirm_form"]
    with after_commit():
        editor_client.post(CONFIRM, confirm_form.initial)

    assert Organisation.objects.get(name="Gmina Nowa").region == "mazowieckie"
    assert Organisation.objects.get(name="Hromada").region == "obwód lwowski"


def test_translation_columns_import_beside_the_original(editor_client, vocabulary):
    columns = [*COLUMNS, "tytul_en", "streszczenie_en", "tytul_uk"]
    upload = csv_file(
        [row(tytul_en="Digital town hall", streszczenie_en="Forms online.", tytul_uk="Цифрова")],
        columns=columns,
    )
    confirm_form = dry_run(editor_client, upload).context["confirm_form"]

    with after_commit():
        editor_client.post(CONFIRM, confirm_form.initial, follow=True)

    practice = Practice.objects.get()
    assert (practice.title, practice.title_en, practice.title_uk) == (
        "Cyfrowy urząd",
        "Digital town hall",
        "Цифрова",
    )
    assert practice.summary_en == "Forms online."


def test_import_page_lists_the_translation_columns(editor_client):
    html = page_text(editor_client.get(IMPORT))
    assert "tytul_en" in html and "streszczenie_uk" in html


AMOUNT_COLUMNS = [*COLUMNS, "identyfikator", "inne_kwoty", "daty", "zrodla_finansowania"]


def test_other_amounts_and_dated_steps_import_and_an_empty_cell_keeps_them(
    editor_client, vocabulary
):
    """`inne_kwoty` and `daty` carry what the practice's page shows besides its value and
    period ("name: value (note)", separated by ";"); a later file with an empty cell
    keeps them, a filled one replaces them."""
    first = row(
        identyfikator="",
        inne_kwoty="dotacja: 150 000 PLN; wartość przekazanych dóbr: ok. 20 000,50 EUR (sprzęt)",
        daty="złożenie wniosku: 15.03.2016; podpisanie umowy: 06.2016 (aneks)",
    )
    confirm_form = dry_run(editor_client, csv_file([first], columns=AMOUNT_COLUMNS)).context[
        "confirm_form"
    ]
    with after_commit():
        editor_client.post(CONFIRM, confirm_form.initial)

    practice = Practice.objects.get()
    amounts = [
        (a.measure, a.amount, a.currency, a.approximate, a.note) for a in practice.amounts.all()
    ]
    assert amounts == [
        ("grant", Decimal("150000.00"), "PLN", False, ""),
        ("goods", Decimal("20000.50"), "EUR", True, "sprzęt"),
    ]
    steps = [(m.kind, str(m.date), m.precision, m.note) for m in practice.milestones.all()]
    assert steps == [
        ("application", "2016-03-15", "day", ""),
        ("agreement", "2016-06-01", "month", "aneks"),
    ]

    later = row(identyfikator=practice.slug, inne_kwoty="", daty="inne zdarzenie: 2018")
    confirm_form = dry_run(editor_client, csv_file([later], columns=AMOUNT_COLUMNS)).context[
        "confirm_form"
    ]
    with after_commit():
        editor_client.post(CONFIRM, confirm_form.initial)

    assert practice.amounts.count() == 2
    assert [(m.kind, str(m.date)) for m in practice.milestones.all()] == [("other", "2018-01-01")]


@pytest.mark.parametrize(
    ("bad", "message"),
    [
        ({"inne_kwoty": "dotacja: 100"}, "Kolumna „inne_kwoty”: „100”: podaj kwotę z walutą"),
        ({"inne_kwoty": "dotacja 100 PLN"}, "Kolumna „inne_kwoty”: „dotacja 100 PLN”: napisz"),
        ({"inne_kwoty": "pożyczka: 100 PLN"}, "Kolumna „inne_kwoty”: nieznane „pożyczka”"),
        ({"daty": "ślub: 2016"}, "Kolumna „daty”: nieznane „ślub”"),
        # Names longer than their column holds, refused in words before anything is written.
        ({"lider": "L" * 256}, "Kolumna „lider”: nazwa „LLLL"),
        ({"partnerzy": "P" * 256}, "Kolumna „partnerzy”: nazwa „PPPP"),
        ({"zrodla_finansowania": "F" * 256}, "jest za długa (długość 256, najwyżej 255 znaków)"),
        ({"daty": "ogłoszenie: 31.02.2016"}, "Kolumna „daty”: „31.02.2016” nie jest prawidłową"),
        # Held to the model's rules before anything is written: no database error.
        (
            {"inne_kwoty": f"dotacja: 100 PLN ({'x' * 301})"},
            "Kolumna „inne_kwoty”: opis kwoty: Upewnij się, że ta wartość ma co najwyżej 300",
        ),
        (
            {"daty": f"ogłoszenie: 2016 ({'y' * 301})"},
            "Kolumna „daty”: opis: Upewnij się, że ta wartość ma co najwyżej 300",
        ),
    ],
)
def test_a_bad_amount_date_or_name_is_reported_and_nothing_is_saved(
    editor_client, vocabulary, bad, message
):
    cells = {"identyfikator": "", "inne_kwoty": "", "daty": "", "zrodla_finansowania": "", **bad}
    upload = csv_file([row(**cells)], columns=AMOUNT_COLUMNS)

    response = dry_run(editor_client, upload)

    assert message in page_text(response)
    assert response.context.get("confirm_form") is None
    assert not Practice.objects.exists()
