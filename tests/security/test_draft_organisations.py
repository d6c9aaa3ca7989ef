"""Finding 4: an organisation typed by an anonymous visitor (or made by an import or an
entry form) was live at once in /organizacje/, its own page, sitemap.xml and the home
counter. It is a draft now, public only once its first practice is published."""

import pytest
import tablib

from organisations.models import Organisation
from organisations.services import organisation_get_or_create
from practices.imports import PracticeResource
from practices.models import Practice
from practices.services import practice_change_status
from tests.factories import OrganisationFactory, PracticeFactory, PracticeTypeFactory, TopicFactory
from tests.practices.admin.conftest import staff_in

pytestmark = pytest.mark.django_db

NAME = "Gmina Zgłoszona Przez Gościa"
SLUG = "gmina-zgloszona-przez-goscia"


@pytest.fixture
def submitted(client):
    """A practice sent through "Zgłoś praktykę" by an anonymous visitor, with a new
    organisation in a region nobody else has."""
    OrganisationFactory(name="Gmina Opublikowana", slug="gmina-opublikowana")
    response = client.post(
        "/praktyki/zglos/",
        {
            "title": "Telefon do seniora",
            "practice_type": PracticeTypeFactory(code="social", name="Społeczne").pk,
            "topics": [TopicFactory(name="Seniorzy").pk],
            "summary": "Codzienne rozmowy z samotnymi seniorami.",
            "description": "Wolontariusze dzwonią codziennie.",
            "started_year": "2020",
            "ended_year": "",
            "total_value": "",
            "currency": "PLN",
            "organisation_name": NAME,
            "organisation_kind": "municipality",
            "organisation_country": "PL",
            "organisation_locality": "Zgłoszonowo",
            "contact_name": "Anna Kowalska",
            "contact_email": "anna@example.org",
            "contact_phone": "",
            "consent": "on",
            "website": "",
        },
    )
    assert response.status_code == 302
    return Practice.objects.get(title="Telefon do seniora")


def public_traces(client) -> dict[str, bool]:
    """Where the submitted organisation shows on the public site."""
    listed = client.get("/organizacje/")
    found = client.get("/organizacje/", {"q": "zgłoszona"})
    kinds = {
        option.value: option.count
        for group in listed.context["facet_groups"]
        if group.name == "kind"
        for option in group.options
    }
    return {
        "list": NAME in listed.content.decode(),
        "search": NAME in found.content.decode(),
        "facet": kinds.get("municipality", 0) > 1,
        "page": client.get(f"/organizacje/{SLUG}/").status_code == 200,
        "sitemap": f"/organizacje/{SLUG}/" in client.get("/sitemap.xml").content.decode(),
        "home counter": client.get("/").context["counts"]["organisations"] == 2,
    }


def test_a_submitted_organisation_is_public_only_once_its_practice_is_published(client, submitted):
    organisation = submitted.lead_organisation
    assert organisation.slug == SLUG

    before = public_traces(client)

    practice_change_status(
        practice=submitted, to_status="published", by=staff_in("Redaktorzy", username="red")
    )
    after = public_traces(client)

    assert before == dict.fromkeys(before, False)
    assert after == dict.fromkeys(after, True)


def test_an_editor_may_publish_a_submitted_organisation_on_its_own(client, submitted):
    editor = staff_in("Redaktorzy", username="red")
    client.force_login(editor)

    response = client.post(
        "/admin/organisations/organisation/",
        {"action": "publish", "_selected_action": [submitted.lead_organisation.pk]},
        follow=True,
    )

    assert "Opublikowano organizacje: 1." in response.content.decode()
    client.logout()
    assert client.get(f"/organizacje/{SLUG}/").status_code == 200
    assert Practice.objects.get(pk=submitted.pk).status == "draft"


def test_imported_and_entry_form_organisations_are_drafts_until_published(client):
    PracticeTypeFactory(code="it", name="IT")
    data = tablib.Dataset(
        ["Cyfrowy urząd", "it", "Gmina Z Arkusza", "Opis.", "Stowarzyszenie Z Arkusza (partner)"],
        headers=["tytul", "typ", "lider", "streszczenie", "partnerzy"],
    )
    result = PracticeResource().import_data(data, dry_run=False, raise_errors=True)
    # The entry form of a competition matches or creates its organisation the same way.
    _organisation, created = organisation_get_or_create(name="Fundacja Ze Zgłoszenia")

    assert not result.has_errors()
    assert created
    drafts = {o.name: o.is_published for o in Organisation.objects.all()}
    assert drafts == {
        "Gmina Z Arkusza": False,
        "Stowarzyszenie Z Arkusza": False,
        "Fundacja Ze Zgłoszenia": False,
    }
    practice = Practice.objects.get(title="Cyfrowy urząd")
    practice_change_status(practice=practice, to_status="published", by=None)
    published = {o.name: o.is_published for o in Organisation.objects.all()}
    assert published == {
        "Gmina Z Arkusza": True,
        "Stowarzyszenie Z Arkusza": True,
        "Fundacja Ze Zgłoszenia": False,
    }


def test_a_draft_partner_added_to_a_published_practice_is_published_with_it():
    practice = PracticeFactory()
    draft, _created = organisation_get_or_create(name="Partner Ze Zgłoszenia")

    practice.partnerships.create(organisation=draft, role="partner", order=1)

    draft.refresh_from_db()
    assert draft.is_published
