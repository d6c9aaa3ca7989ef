"""The public forms (a practice's submission, a competition entry) against hostile or
unlucky input: line breaks and control characters, a mail server that is down, long
file names, a request body larger than the site takes, and the per-address limit."""

import logging
import socket

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from competitions.models import Application
from practices.models import Practice, PracticeAttachment
from tests.competitions.views.test_online_entry import DAY, full_form, start
from tests.conftest import after_commit
from tests.factories import CategoryFactory, EditionFactory
from tests.practices.admin.conftest import staff_in
from tests.practices.views.test_practice_submit import PDF, URL
from tests.practices.views.test_practice_submit import form_data as form_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def editors():
    return staff_in("Redaktorzy", username="red", email="red@example.org")


@pytest.fixture
def call():
    edition = EditionFactory(
        phase="submissions",
        submissions_open_at=timezone.now() - DAY,
        submissions_close_at=timezone.now() + DAY,
    )
    CategoryFactory(edition=edition, name="Partycypacja", order=1)
    edition.questions.create(text="Jakie były rezultaty?", required=True, order=1)
    return edition


def test_line_breaks_in_one_line_fields_are_collapsed_before_saving_and_mailing(
    client, form_data, editors, mailoutbox
):
    form_data.update(
        title="Telefon\r\ndo seniora",
        contact_name="Anna Kowalska\r\nBcc: ktos@example.org",
        organisation_name="Gmina\nTestowo",
        contact_phone="+48 600\r\n100 200",
    )

    with after_commit():
        response = client.post(URL, form_data)

    practice = Practice.objects.get()
    assert response.status_code == 302
    assert (practice.title, practice.contact_name, practice.contact_phone) == (
        "Telefon do seniora",
        "Anna Kowalska Bcc: ktos@example.org",
        "+48 600 100 200",
    )
    assert practice.lead_organisation.name == "Gmina Testowo"
    assert mailoutbox[0].subject == "Nowe zgłoszenie praktyki: Telefon do seniora"
    assert "Zgłaszający: Anna Kowalska Bcc: ktos@example.org <anna@example.org>" in (
        mailoutbox[0].body
    )


@pytest.mark.parametrize("hostile", ["Raport\x1b[31m", "Raport\x00", "Raport\x7f"])
def test_control_characters_in_a_title_are_refused_in_words(client, form_data, hostile):
    form_data["title"] = hostile

    response = client.post(URL, form_data)

    assert response.status_code == 200
    assert "Usuń z pola znaki sterujące" in response.content.decode()
    assert not Practice.objects.exists()


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_a_mail_server_that_is_down_keeps_one_draft_and_thanks_the_visitor(
    client, form_data, editors, settings, caplog
):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", closed_port(), 2

    with caplog.at_level(logging.ERROR), after_commit():
        response = client.post(URL, form_data)

    assert response.status_code == 302
    assert response["Location"] == "/praktyki/zglos/dziekujemy/"
    assert Practice.objects.count() == 1
    failures = [r for r in caplog.records if r.name == "core.mail"]
    assert failures and "Nowe zgłoszenie praktyki: Telefon do seniora" in failures[0].getMessage()


def test_a_255_character_attachment_name_is_shortened_keeping_its_extension(client, form_data):
    name = "ą" * 251 + ".pdf"
    form_data["attachment"] = SimpleUploadedFile(name, PDF, content_type="application/pdf")

    response = client.post(URL, form_data)

    assert response.status_code == 302
    attachment = PracticeAttachment.objects.get()
    stored = attachment.file.name.rsplit("/", 1)[-1]
    assert attachment.title.endswith(".pdf") and len(attachment.title) <= 100
    assert stored.endswith(".pdf") and len(stored.encode()) <= 160
    with attachment.file.open("rb") as saved:
        assert saved.read() == PDF


def test_a_long_file_name_survives_sending_a_competition_entry(client, call):
    path = start(client, call)
    upload = SimpleUploadedFile("sprawozdanie-" + "b" * 150 + ".pdf", PDF, "application/pdf")
    data = full_form(call)

    response = client.post(path, {**data, "confirm": "on", "submit": "1", "new_attachment": upload})

    assert response.status_code == 302
    attachment = Practice.objects.get().attachments.get()
    assert attachment.title.endswith(".pdf")
    with attachment.file.open("rb") as saved:
        assert saved.read() == PDF


def test_a_request_body_over_the_limit_is_refused_before_it_is_read(client, form_data, settings):
    settings.MAX_UPLOAD_BYTES = 1024 * 1024
    # The body claims 50 MB but holds a few bytes: reading it would fail loudly.
    response = client.post(URL, form_data, CONTENT_LENGTH=str(50 * 1024 * 1024))

    assert response.status_code == 413
    html = response.content.decode()
    assert "Wysłane dane są za duże" in html
    assert "najwyżej 1,0\xa0MB" in html
    assert not Practice.objects.exists()


def test_a_file_over_the_limit_gets_the_sites_page_in_the_visitors_language(
    client, form_data, settings
):
    settings.MAX_UPLOAD_BYTES = 1024 * 1024

    def big():
        return SimpleUploadedFile("duzy.pdf", PDF + b"0" * (2 * 1024 * 1024))

    polish = client.post(URL, {**form_data, "attachment": big()})
    english = client.post("/en/practices/submit/", {**form_data, "attachment": big()})

    assert polish.status_code == english.status_code == 413
    assert "Wysłane dane są za duże" in polish.content.decode()
    assert '<html lang="en">' in english.content.decode()
    assert not Practice.objects.exists()


def test_forms_refused_for_errors_do_not_count_against_the_limit(client, form_data, settings):
    settings.SUBMISSIONS_PER_HOUR = 2
    for _ in range(3):
        assert client.post(URL, {**form_data, "title": ""}).status_code == 200

    accepted = [client.post(URL, {**form_data, "title": f"Zgłoszenie {n}"}) for n in range(2)]

    assert [r.status_code for r in accepted] == [302, 302]
    assert Practice.objects.count() == 2


def test_when_the_limit_trips_the_form_keeps_what_was_typed(client, form_data, settings):
    settings.SUBMISSIONS_PER_HOUR = 1
    assert client.post(URL, form_data).status_code == 302

    response = client.post(URL, {**form_data, "title": "Drugie zgłoszenie tego dnia"})

    html = response.content.decode()
    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0
    assert "Zbyt wiele zgłoszeń z tego adresu" in html
    assert 'value="Drugie zgłoszenie tego dnia"' in html
    assert "Codzienne rozmowy z samotnymi seniorami." in html
    assert Practice.objects.count() == 1


def test_the_entry_start_form_counts_only_accepted_starts_and_keeps_the_name(
    client, call, settings
):
    settings.SUBMISSIONS_PER_HOUR = 1
    url = f"/konkursy/{call.competition.slug}/{call.year}/zgloszenie/"
    assert client.post(url, {"contact_name": "Anna", "email": "nie-email"}).status_code == 400

    start(client, call)
    refused = client.post(
        url, {"contact_name": "Jan Nowak", "email": "jan@example.org", "consent": "on"}
    )

    assert refused.status_code == 429
    assert 'value="Jan Nowak"' in refused.content.decode()
    assert Application.objects.count() == 1
