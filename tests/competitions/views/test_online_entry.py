"""Online entry during the call: from the edition page to a private form, saved and
resumed through the e-mailed link, sent before the deadline, landing as a draft
practice and an entry in the organiser's queue and then the jury's list."""

from __future__ import annotations

import datetime
import re

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from competitions.models import Application, Entry, EntryAnswer
from competitions.services.applications import token_hash
from competitions.services.phases import edition_advance_phase
from core.roles import ADMINISTRATORS
from practices.models import Practice, PracticeAttachment
from tests.conftest import after_commit
from tests.factories import (
    CategoryFactory,
    CriterionFactory,
    EditionFactory,
    JuryMemberFactory,
    PracticeTypeFactory,
    TopicFactory,
)
from tests.practices.admin.conftest import staff_in

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
DAY = datetime.timedelta(days=1)


@pytest.fixture
def call():
    """An edition in its call for entries, closing tomorrow, with two categories and a
    question of its own."""
    edition = EditionFactory(
        phase="submissions",
        submissions_open_at=timezone.now() - DAY,
        submissions_close_at=timezone.now() + DAY,
    )
    CategoryFactory(edition=edition, name="Usługi publiczne", order=1)
    CategoryFactory(edition=edition, name="Partycypacja", order=2)
    edition.questions.create(text="Jakie były rezultaty w liczbach?", required=True, order=1)
    return edition


def base(edition) -> str:
    return f"/konkursy/{edition.competition.slug}/{edition.year}/zgloszenie/"


def start(client, edition, email="anna@example.org") -> str:
    """Start an application as the applicant does; returns its private form's path."""
    with after_commit():
        response = client.post(
            base(edition),
            {"contact_name": "Anna Kowalska", "email": email, "consent": "on", "website": ""},
        )
    assert response.status_code == 302, response.content.decode()[:2000]
    return response["Location"]


def full_form(edition) -> dict:
    practice_type = PracticeTypeFactory(code="social", name="Społeczne")
    topic = TopicFactory(name="Seniorzy")
    question = edition.questions.get()
    return {
        "category": edition.categories.get(name="Partycypacja").pk,
        "title": "Budżet obywatelski dla seniorów",
        "practice_type": practice_type.pk,
        "topics": [topic.pk],
        "summary": "Seniorzy sami decydują o części budżetu.",
        "description": "Spotkania w klubach seniora, głosowanie papierowe.",
        "started_year": "2021",
        "ended_year": "",
        "total_value": "150000",
        "currency": "PLN",
        "organisation_name": "Gmina Testowo",
        "organisation_kind": "municipality",
        "organisation_country": "PL",
        "organisation_locality": "Testowo",
        f"question_{question.pk}": "412 seniorów zagłosowało, 9 projektów.",
        "contact_phone": "",
        "website": "",
    }


def test_the_edition_page_invites_entries_only_during_the_call(client, call):
    page = client.get(call.get_absolute_url()).content.decode()
    assert "Zgłoś się do konkursu" in page
    assert base(call) in page

    type(call).objects.filter(pk=call.pk).update(submissions_close_at=timezone.now() - DAY)
    assert base(call) not in client.get(call.get_absolute_url()).content.decode()


def test_starting_opens_the_form_and_emails_its_private_link(client, call, mailoutbox):
    path = start(client, call)

    application = Application.objects.get()
    token = path.rstrip("/").rsplit("/", 1)[1]
    assert len(token) >= 43
    assert application.token_hash == token_hash(token) != token  # only the hash is kept
    assert [m.to for m in mailoutbox] == [["anna@example.org"]]
    assert f"{settings.SITE_URL}{path}" in mailoutbox[0].body
    page = client.get(path)
    assert page.status_code == 200
    assert page["Referrer-Policy"] == "same-origin"  # the key never reaches another site
    assert "no-cache" in page["Cache-Control"] or "max-age=0" in page["Cache-Control"]
    assert "Wyślij zgłoszenie" in page.content.decode()


def test_a_draft_is_saved_and_comes_back_through_the_link_from_another_browser(client, call):
    path = start(client, call)
    form = full_form(call)
    partial = {key: form[key] for key in ("title", "summary", "category")}

    response = client.post(path, {**partial, "save": "1"})

    assert response.status_code == 302
    assert Application.objects.get().data["title"] == "Budżet obywatelski dla seniorów"
    assert not Practice.objects.exists() and not Entry.objects.exists()
    client.cookies.clear()  # the link alone is enough
    page = client.get(path).content.decode()
    assert 'value="Budżet obywatelski dla seniorów"' in page
    assert "Seniorzy sami decydują" in page


def test_sending_an_incomplete_form_lists_what_is_missing_and_creates_nothing(client, call):
    path = start(client, call)

    response = client.post(path, {"title": "Tylko tytuł", "submit": "1"})

    html = response.content.decode()
    assert response.status_code == 400
    assert "Popraw zaznaczone pola" in html
    assert "Kategoria konkursu: To pole jest wymagane." in html
    assert "Jakie były rezultaty w liczbach?: To pole jest wymagane." in html
    assert not Entry.objects.exists() and not Practice.objects.exists()


def test_sending_makes_a_draft_practice_and_an_entry_and_confirms_by_email(
    client, call, mailoutbox
):
    staff_in(ADMINISTRATORS, username="org", email="organizator@example.org")
    path = start(client, call)
    mailoutbox.clear()
    data = {**full_form(call), "confirm": "on", "submit": "1"}
    data["new_attachment"] = SimpleUploadedFile("wyniki.pdf", PDF, "application/pdf")

    with after_commit():
        response = client.post(path, data)

    assert response.status_code == 302
    entry = Entry.objects.select_related("practice", "category").get()
    practice = entry.practice
    assert (entry.category.name, entry.status) == ("Partycypacja", "submitted")
    assert entry.submitted_at is not None
    assert (practice.title, practice.status, practice.origin) == (
        "Budżet obywatelski dla seniorów",
        "draft",
        "form",
    )
    assert practice.contact_email == "anna@example.org"
    assert [a.text for a in EntryAnswer.objects.filter(entry=entry)] == [
        "412 seniorów zagłosowało, 9 projektów."
    ]
    attachment = PracticeAttachment.objects.get(practice=practice)
    assert attachment.title == "wyniki.pdf"
    with attachment.file.open("rb") as stored:
        assert stored.read() == PDF
    assert sorted(m.to[0] for m in mailoutbox) == ["anna@example.org", "organizator@example.org"]
    confirmation = next(m for m in mailoutbox if m.to == ["anna@example.org"])
    assert "Budżet obywatelski dla seniorów" in confirmation.subject
    assert "Partycypacja" in confirmation.body
    page = client.get(path).content.decode()
    assert "Zgłoszenie wysłane" in page and "Wyślij zgłoszenie" not in page
    # Nothing public until an editor publishes it.
    assert client.get(f"/praktyki/{practice.slug}/").status_code == 404
    assert "Budżet obywatelski" not in client.get("/praktyki/?q=budżet").content.decode()


def test_a_second_send_is_refused_and_makes_no_duplicate(client, call):
    path = start(client, call)
    data = {**full_form(call), "confirm": "on", "submit": "1"}
    assert client.post(path, data).status_code == 302

    again = client.post(path, data, follow=True)

    assert "zostało już wysłane" in again.content.decode()
    assert "Zgłoszenie wysłane" in again.content.decode()
    assert Entry.objects.count() == 1 and Practice.objects.count() == 1


def test_sending_needs_the_confirmation(client, call):
    path = start(client, call)

    response = client.post(path, {**full_form(call), "submit": "1"})

    assert response.status_code == 400
    assert "Potwierdzam, że dane są prawdziwe" in response.content.decode()
    assert not Entry.objects.exists()


def test_after_the_deadline_nothing_is_saved_or_sent_and_the_page_says_why(client, call):
    path = start(client, call)
    client.post(path, {"title": "Szkic", "save": "1"})
    closes = timezone.now() - datetime.timedelta(minutes=1)
    type(call).objects.filter(pk=call.pk).update(submissions_close_at=closes)

    sent = client.post(path, {**full_form(call), "confirm": "on", "submit": "1"})
    saved = client.post(path, {"title": "Zmieniony szkic", "save": "1"})

    assert sent.status_code == saved.status_code == 403
    local = timezone.localtime(closes)
    assert f"Nabór zakończył się {local:%-d}" in sent.content.decode()
    assert f"{local:%H:%M} (czasu polskiego)" in sent.content.decode()
    assert Application.objects.get().data["title"] == "Szkic"
    assert not Entry.objects.exists()
    assert "Nabór zakończył się" in client.get(path).content.decode()
    refused = client.post(
        base(call), {"contact_name": "B", "email": "b@example.org", "consent": "on"}
    )
    assert refused.status_code == 403
    assert "Nabór zakończył się" in refused.content.decode()
    assert Application.objects.count() == 1


def test_outside_the_call_stage_the_form_refuses(client, call):
    path = start(client, call)
    type(call).objects.filter(pk=call.pk).update(phase="jury_review")

    response = client.post(path, {"title": "Spóźniony", "save": "1"})

    assert response.status_code == 403
    assert "nie przyjmuje teraz zgłoszeń" in response.content.decode()


def test_a_wrong_link_is_not_found(client, call):
    start(client, call)
    assert client.get(f"{base(call)}{'x' * 43}/").status_code == 404


def test_a_bot_filling_the_hidden_field_starts_nothing(client, call, mailoutbox):
    response = client.post(
        base(call),
        {"contact_name": "Bot", "email": "bot@example.org", "consent": "on", "website": "x"},
    )

    assert response.status_code == 302
    assert not Application.objects.exists() and not mailoutbox


def test_a_lost_link_is_sent_again_and_the_old_one_stops_working(client, call, mailoutbox):
    old = start(client, call)
    mailoutbox.clear()

    with after_commit():
        response = client.post(f"{base(call)}nowy-link/", {"email": "ANNA@example.org"})
        unknown = client.post(f"{base(call)}nowy-link/", {"email": "kto@example.org"})

    assert response["Location"] == unknown["Location"]  # the same answer for both
    assert [m.to for m in mailoutbox] == [["anna@example.org"]]
    new = re.search(r"http://\S+/zgloszenie/\S+/", mailoutbox[0].body).group(0)
    assert client.get(old).status_code == 404
    assert client.get(new.replace("http://127.0.0.1:8000", "")).status_code == 200


def test_a_file_that_is_not_a_document_is_refused_in_words(client, call):
    path = start(client, call)
    fake = SimpleUploadedFile("raport.pdf", b"MZ\x90\x00 not a pdf", "application/pdf")

    response = client.post(path, {"title": "Szkic", "save": "1", "new_attachment": fake})

    assert response.status_code == 400
    assert "nie jest dokumentem PDF" in response.content.decode()
    assert not Application.objects.get().attachments.exists()


def test_a_sixth_file_is_refused_and_a_file_can_be_removed(client, call):
    path = start(client, call)
    for n in range(5):
        upload = SimpleUploadedFile(f"plik-{n}.pdf", PDF, "application/pdf")
        assert client.post(path, {"save": "1", "new_attachment": upload}).status_code == 302
    sixth = SimpleUploadedFile("plik-5.pdf", PDF, "application/pdf")

    refused = client.post(path, {"save": "1", "new_attachment": sixth})

    application = Application.objects.get()
    assert refused.status_code == 403
    assert "najwyżej 5 załączników" in refused.content.decode()
    assert application.attachments.count() == 5
    first = application.attachments.first()
    client.post(path, {"save": "1", "remove_attachments": [first.pk]})
    assert application.attachments.count() == 4


def test_a_long_file_name_is_kept_shortened_not_a_server_error(client, call):
    path = start(client, call)
    upload = SimpleUploadedFile(f"{'a' * 240}.pdf", PDF, "application/pdf")

    response = client.post(path, {"save": "1", "new_attachment": upload})

    assert response.status_code == 302
    attachment = Application.objects.get().attachments.get()
    assert len(attachment.title) <= 200 and len(attachment.file.name) <= 255
    with attachment.file.open("rb") as stored:
        assert stored.read() == PDF


def test_the_sent_entry_reaches_the_jury_with_its_answers_and_files(client, call):
    path = start(client, call)
    upload = SimpleUploadedFile("wyniki.pdf", PDF, "application/pdf")
    client.post(path, {**full_form(call), "confirm": "on", "submit": "1", "new_attachment": upload})
    CriterionFactory(edition=call)
    juror = JuryMemberFactory(edition=call)
    edition_advance_phase(edition=call, actor=None)
    entry = Entry.objects.get()

    client.force_login(juror.user)
    listing = client.get(f"/konkursy/jury/{call.slug}/").content.decode()
    page = client.get(f"/konkursy/jury/{call.slug}/zgloszenia/{entry.pk}/").content.decode()

    assert "Budżet obywatelski dla seniorów" in listing
    assert "Jakie były rezultaty w liczbach?" in page
    assert "412 seniorów zagłosowało, 9 projektów." in page
    assert "Spotkania w klubach seniora" in page  # the full description of the draft
    assert ">wyniki.pdf</a>" in page


def test_an_edition_without_categories_takes_entries_for_the_whole_edition(client, call):
    data = {**full_form(call), "confirm": "on", "submit": "1"}
    # Like Samorządowy Lider Zarządzania 2022: a theme, no categories to choose from.
    call.categories.all().delete()
    whole = CategoryFactory(edition=call, name="", slug="cala-edycja", is_whole_edition=True)
    data["category"] = whole.pk
    path = start(client, call)

    page = client.get(path).content.decode()
    assert "Kategoria konkursu" not in page
    assert f'type="hidden" name="category" value="{whole.pk}"' in page
    with after_commit():
        response = client.post(path, data)

    assert response.status_code == 302
    entry = Entry.objects.select_related("practice__lead_organisation").get()
    assert entry.category == whole
    # The award of an entry belongs to its entrant: the organisation that sent it.
    assert entry.entrant is not None
    assert entry.entrant == entry.practice.lead_organisation
