"""The organiser's dashboard of an edition: its stage, the next one's checklist, the steps."""

import datetime

import pytest
from django.utils import timezone

from competitions.models import DecisionLog, Edition
from core.roles import ADMINISTRATORS, JURY
from tests.competitions.conftest import jury_review
from tests.practices.admin.conftest import staff_in

pytestmark = pytest.mark.django_db


def dashboard(edition) -> str:
    return f"/admin/competitions/edition/{edition.pk}/pulpit/"


@pytest.fixture
def organiser(client):
    client.force_login(staff_in(ADMINISTRATORS))
    return client


def test_the_checklist_says_what_the_vote_still_needs_and_the_step_waits(organiser, jury):
    page = organiser.get(dashboard(jury.edition)).content.decode()

    assert "Następny etap: głosowanie" in page
    assert "Okno głosowania (początek i koniec)" in page
    assert "Laureaci w każdej kategorii" in page
    assert "Brak laureatów w kategoriach" in page
    assert 'name="advance"' in page and "disabled" in page
    assert page.count('alt="brakuje"') == 2  # the window, the laureates
    assert page.count('alt="gotowe"') == 2  # categories, and no laureate left unpublished


def test_the_step_is_taken_from_the_dashboard_when_ready(organiser):
    jury = jury_review(entries=1)
    entry = jury.entries[0]
    type(entry).objects.filter(pk=entry.pk).update(status="laureate", laureate_place=1)
    now = timezone.now()
    Edition.objects.filter(pk=jury.edition.pk).update(
        vote_opens_at=now - datetime.timedelta(minutes=5),
        vote_closes_at=now + datetime.timedelta(hours=1),
    )

    response = organiser.post(
        dashboard(jury.edition), {"advance": "1", "expected_phase": "jury_review"}, follow=True
    )

    assert Edition.objects.get(pk=jury.edition.pk).phase == "public_vote"
    assert "teraz „głosowanie”" in response.content.decode()


def test_the_vote_is_closed_early_from_the_dashboard_with_a_reason(organiser, vote):
    response = organiser.post(
        dashboard(vote.edition),
        {"close_now": "on", "reason": "Koniec obrad", "closes_at": ""},
        follow=True,
    )

    edition = Edition.objects.get(pk=vote.edition.pk)
    assert edition.vote_closes_at <= timezone.now()
    assert "Termin głosowania zmieniony." in response.content.decode()
    assert "Koniec obrad" in response.content.decode()  # the dashboard's decision list
    assert DecisionLog.objects.get(edition=edition, action="window").reason == "Koniec obrad"


def test_a_change_without_a_reason_says_so_and_changes_nothing(organiser, vote):
    before = vote.edition.vote_closes_at

    response = organiser.post(dashboard(vote.edition), {"close_now": "on", "reason": ""})

    assert response.status_code == 200
    assert "To pole jest wymagane." in response.content.decode()
    assert Edition.objects.get(pk=vote.edition.pk).vote_closes_at == before


def test_a_juror_sees_the_dashboard_of_their_edition_without_any_button(client, jury):
    juror = staff_in(JURY)
    jury.members[1].user = juror
    jury.members[1].save()
    client.force_login(juror)

    page = client.get(dashboard(jury.edition))

    assert page.status_code == 200
    assert 'name="advance"' not in page.content.decode()
    assert client.post(dashboard(jury.edition), {"advance": "1"}).status_code == 403
