"""The organiser's side of online entry in the admin: the edition's own questions, the
forms as applicants fill them (organisers only), the answers kept with the entry."""

import pytest

from competitions.models import Application, EntryAnswer
from core.roles import ADMINISTRATORS, JURY
from tests.admin_forms import admin_post
from tests.factories import EditionFactory, EntryFactory, JuryMemberFactory
from tests.practices.admin.conftest import staff_in

pytestmark = pytest.mark.django_db


def test_an_organiser_adds_the_editions_own_question(client):
    client.force_login(staff_in(ADMINISTRATORS))
    edition = EditionFactory(phase="announced")

    admin_post(
        client,
        f"/admin/competitions/edition/{edition.pk}/change/",
        extra_forms={"questions": 1},
        **{
            "questions-0-text": "Ile osób skorzystało?",
            "questions-0-required": "on",
            "questions-0-max_length": "1500",
            "questions-0-order": "1",
        },
    )

    question = edition.questions.get()
    assert (question.text, question.required, question.max_length) == (
        "Ile osób skorzystało?",
        True,
        1500,
    )


def test_application_forms_are_for_organisers_not_the_jury(client):
    edition = EditionFactory(phase="submissions")
    application = Application.objects.create(
        edition=edition,
        contact_name="Anna Kowalska",
        email="anna@example.org",
        token_hash="0" * 64,
        folder="f" * 32,
    )
    juror = staff_in(JURY)
    JuryMemberFactory(edition=edition, user=juror)

    client.force_login(juror)
    assert client.get("/admin/competitions/application/").status_code == 403
    client.force_login(staff_in(ADMINISTRATORS, username="org"))
    listing = client.get("/admin/competitions/application/").content.decode()
    assert "anna@example.org" in listing
    page = client.get(f"/admin/competitions/application/{application.pk}/change/")
    assert page.status_code == 200 and "0" * 64 not in page.content.decode()


def test_the_entry_page_shows_the_applicants_answers(client):
    edition = EditionFactory(phase="jury_review")
    question = edition.questions.create(text="Jakie były rezultaty?", order=1)
    entry = EntryFactory(category__edition=edition)
    EntryAnswer.objects.create(entry=entry, question=question, text="412 seniorów")
    client.force_login(staff_in(ADMINISTRATORS))

    page = client.get(f"/admin/competitions/entry/{entry.pk}/change/").content.decode()

    assert "Jakie były rezultaty?" in page and "412 seniorów" in page
