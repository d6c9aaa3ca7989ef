"""Draft and published organisations: who publishes them, and what may not withdraw them."""

import pytest

from organisations.models import Organisation
from organisations.services import (
    organisation_get_or_create,
    organisation_publish,
    organisation_unpublish,
)
from practices.models import Partnership, Practice
from practices.services import practice_change_status
from tests.admin_forms import admin_post
from tests.factories import OrganisationFactory, PracticeFactory
from tests.practices.admin.conftest import staff_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor_client(client):
    client.force_login(staff_in("Redaktorzy", username="redaktorka"))
    return client


def test_get_or_create_makes_drafts_and_returns_a_match_as_it_is():
    published = OrganisationFactory(name="Gmina Lublin", country="PL")

    matched, matched_created = organisation_get_or_create(name="gmina  lublin", country="PL")
    draft, draft_created = organisation_get_or_create(name="Gmina Nowa", country="PL")

    assert (matched, matched_created, matched.is_published) == (published, False, True)
    assert (draft_created, draft.is_published) == (True, False)


def test_publishing_a_practice_publishes_its_lead_and_partners_only():
    lead, _ = organisation_get_or_create(name="Lider")
    partner, _ = organisation_get_or_create(name="Partner")
    organisation_get_or_create(name="Ktoś obok")
    practice = PracticeFactory(status="draft", published_at=None, lead_organisation=lead)
    Partnership.objects.create(practice=practice, organisation=partner, order=1)

    practice_change_status(practice=practice, to_status="published", by=None)

    assert dict(Organisation.objects.values_list("name", "is_published")) == {
        "Lider": True,
        "Partner": True,
        "Ktoś obok": False,
    }


def test_a_bulk_update_that_publishes_practices_publishes_their_organisations():
    lead, _ = organisation_get_or_create(name="Lider z aktualizacji")
    practice = PracticeFactory(status="draft", published_at=None, lead_organisation=lead)

    Practice.objects.filter(pk=practice.pk).update(
        status="published", published_at=practice.created_at
    )

    lead.refresh_from_db()
    assert lead.is_published


def test_changing_the_lead_of_a_published_practice_publishes_the_new_lead(editor_client):
    practice = PracticeFactory()
    new_lead, _ = organisation_get_or_create(name="Nowy lider")

    admin_post(
        editor_client,
        f"/admin/practices/practice/{practice.pk}/change/",
        lead_organisation=str(new_lead.pk),
    )

    new_lead.refresh_from_db()
    assert new_lead.is_published


def test_withdrawing_refuses_organisations_of_published_practices():
    lead = PracticeFactory(lead_organisation__name="Lider opublikowanej").lead_organisation
    partner = OrganisationFactory(name="Partner opublikowanej")
    Partnership.objects.create(practice=lead.led_practices.get(), organisation=partner, order=1)
    loose = OrganisationFactory(name="Bez praktyk")

    withdrawn, refusals = organisation_unpublish(
        organisations=Organisation.objects.filter(pk__in=[lead.pk, partner.pk, loose.pk])
    )

    assert withdrawn == 1
    assert refusals == [
        "„Lider opublikowanej” prowadzi opublikowaną praktykę albo jest jej partnerem: "
        "zostaje opublikowana, dopóki ta praktyka jest publiczna.",
        "„Partner opublikowanej” prowadzi opublikowaną praktykę albo jest jej partnerem: "
        "zostaje opublikowana, dopóki ta praktyka jest publiczna.",
    ]
    assert dict(Organisation.objects.values_list("name", "is_published")) == {
        "Lider opublikowanej": True,
        "Partner opublikowanej": True,
        "Bez praktyk": False,
    }


def test_publish_counts_only_drafts():
    OrganisationFactory()
    organisation_get_or_create(name="Szkic")

    assert organisation_publish(organisations=Organisation.objects.all()) == 1
    assert organisation_publish(organisations=Organisation.objects.all()) == 0


def test_the_admin_lists_drafts_and_withdraws_through_the_service(editor_client):
    organisation_get_or_create(name="Szkic ze zgłoszenia")
    shown = PracticeFactory(lead_organisation__name="Lider praktyki").lead_organisation

    drafts_page = editor_client.get(
        "/admin/organisations/organisation/", {"is_published__exact": "0"}
    )
    response = editor_client.post(
        "/admin/organisations/organisation/",
        {"action": "unpublish", "_selected_action": [shown.pk]},
        follow=True,
    )

    assert [o.name for o in drafts_page.context["cl"].result_list] == ["Szkic ze zgłoszenia"]
    assert "„Lider praktyki” prowadzi opublikowaną praktykę" in response.content.decode()
    shown.refresh_from_db()
    assert shown.is_published


def test_a_history_revert_keeps_the_publication(editor_client):
    organisation = OrganisationFactory(name="Wersja pierwsza")
    first = organisation.history.latest()
    organisation.name = "Wersja druga"
    organisation.save()
    organisation_unpublish(organisations=Organisation.objects.filter(pk=organisation.pk))

    response = admin_post(
        editor_client,
        f"/admin/organisations/organisation/{organisation.pk}/history/{first.history_id}/",
    )
    page = editor_client.get(response["Location"]).content.decode()

    organisation.refresh_from_db()
    assert (organisation.name, organisation.is_published) == ("Wersja pierwsza", False)
    assert "publikacja organizacji się nie zmieniła" in page


def test_an_editor_without_the_publish_permission_gets_no_publish_action(client):
    from django.contrib.auth.models import Permission

    clerk = staff_in("Jury", username="bez-publikacji")
    clerk.user_permissions.add(
        *Permission.objects.filter(codename__in=["view_organisation", "change_organisation"])
    )
    client.force_login(clerk)

    page = client.get("/admin/organisations/organisation/")

    assert page.status_code == 200
    assert page.context["action_form"] is None  # no action at all: not publish, not withdraw
