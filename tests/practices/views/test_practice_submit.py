"""The public form "Zgłoś dobrą praktykę": drafts for the editors, never spam or a 500."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from organisations.models import Organisation
from practices.models import Practice
from tests.factories import OrganisationFactory, PracticeTypeFactory, TopicFactory
from tests.practices.admin.conftest import staff_in

pytestmark = pytest.mark.django_db

URL = "/praktyki/zglos/"
PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def form_data():
    practice_type = PracticeTypeFactory(code="social", name="Społeczne")
    topic = TopicFactory(name="Seniorzy")
    return {
        "title": "Telefon do seniora",
        "practice_type": practice_type.pk,
        "topics": [topic.pk],
        "summary": "Codzienne rozmowy z samotnymi seniorami.",
        "description": "Wolontariusze dzwonią codziennie.",
        "started_year": "2020",
        "ended_year": "",
        "total_value": "",
        "currency": "PLN",
        "organisation_name": "Gmina Testowo",
        "organisation_kind": "municipality",
        "organisation_country": "PL",
        "organisation_locality": "Testowo",
        "contact_name": "Anna Kowalska",
        "contact_email": "anna@example.org",
        "contact_phone": "",
        "consent": "on",
        "website": "",
    }


def test_form_page_answers_with_labelled_fields(client, form_data):
    html = client.get(URL).content.decode()

    assert "<h1>Zgłoś dobrą praktykę</h1>" in html
    assert '<label for="id_title">Nazwa praktyki</label>' in html
    assert 'name="csrfmiddlewaretoken"' in html


def test_valid_submission_creates_a_draft_and_tells_the_editors(
    client, form_data, mailoutbox, django_capture_on_commit_callbacks
):
    staff_in("Redaktorzy", username="red", email="red@example.org")
    OrganisationFactory(name="Gmina Testowo", country="PL")

    # The e-mail goes once the submission is committed.
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(URL, form_data)

    practice = Practice.objects.get(title="Telefon do seniora")
    assert response.status_code == 302
    assert response["Location"] == "/praktyki/zglos/dziekujemy/"
    assert (practice.status, practice.origin) == ("draft", "form")
    assert practice.lead_organisation.name == "Gmina Testowo"
    assert Organisation.objects.count() == 1  # matched, not duplicated
    assert (practice.contact_name, practice.contact_email) == ("Anna Kowalska", "anna@example.org")
    assert str(practice.started_on) == "2020-01-01"
    assert [m.to for m in mailoutbox] == [["red@example.org"]]
    assert "Telefon do seniora" in mailoutbox[0].subject
    assert client.get(f"/praktyki/{practice.slug}/").status_code == 404


def test_missing_fields_are_listed_and_nothing_is_saved(client, form_data):
    del form_data["title"]
    form_data["contact_email"] = "to nie e-mail"
    form_data.pop("consent")

    response = client.post(URL, form_data)
    html = response.content.decode()

    assert response.status_code == 200
    assert "Popraw zaznaczone pola" in html
    assert '<a href="#id_title">Nazwa praktyki: To pole jest wymagane.</a>' in html
    assert "Wprowadź poprawny adres email." in html
    assert not Practice.objects.exists()


def test_end_year_before_start_year_is_refused(client, form_data):
    form_data.update(started_year="2021", ended_year="2019")

    html = client.post(URL, form_data).content.decode()

    assert "Rok zakończenia nie może być wcześniejszy niż rok rozpoczęcia." in html
    assert not Practice.objects.exists()


def test_honeypot_looks_successful_but_stores_nothing(client, form_data, mailoutbox):
    form_data["website"] = "http://spam.example"

    response = client.post(URL, form_data)

    assert response.status_code == 302
    assert not Practice.objects.exists()
    assert mailoutbox == []


def test_too_many_submissions_from_one_address_are_refused(client, form_data, settings):
    settings.SUBMISSIONS_PER_HOUR = 2
    for n in range(2):
        client.post(URL, {**form_data, "title": f"Zgłoszenie {n}"})

    response = client.post(URL, {**form_data, "title": "Trzecie"})

    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0
    assert "Zbyt wiele zgłoszeń z tego adresu" in response.content.decode()
    assert Practice.objects.count() == 2


def test_a_pdf_attachment_is_stored_with_its_real_type(client, form_data):
    form_data["attachment"] = SimpleUploadedFile("opis.pdf", PDF, content_type="application/pdf")

    client.post(URL, form_data)

    attachment = Practice.objects.get().attachments.get()
    assert (attachment.content_type, attachment.size) == ("application/pdf", len(PDF))


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("duzy.pdf", PDF + b"0" * (6 * 1024 * 1024), "największy dopuszczalny to 5,0\xa0MB"),
        ("program.pdf", b"MZ\x90\x00" + b"\x00" * 100, "nie jest dokumentem PDF, DOCX, ODT"),
        ("skrypt.html", b"<script>alert(1)</script>", "nie jest dokumentem PDF, DOCX, ODT"),
    ],
)
def test_oversized_or_wrong_type_attachment_is_refused(client, form_data, name, content, message):
    form_data["attachment"] = SimpleUploadedFile(name, content)

    response = client.post(URL, form_data)

    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Practice.objects.exists()
