"""Every admin edit to what the catalogue row is made from shows on the public list at once.

Each test edits one model of catalogue.index.SOURCES through the admin, as an
editor's browser would (the whole change form, inlines included), and then
reads the public catalogue as a visitor: the filter or the search finds the
practice, and the result count and the facet counts say so. The requests
really commit (a transactional test): the index is rebuilt by the same
after-commit flush as in production, and the page cache is really bypassed
or invalidated.
"""

import pytest

from competitions.models import Entry
from core.roles import ADMINISTRATORS
from organisations.models import Organisation
from practices.models import Partnership, Practice
from tests.admin_forms import admin_post
from tests.factories import (
    CategoryFactory,
    CompetitionFactory,
    EditionFactory,
    EntryFactory,
    OrganisationFactory,
    PracticeFactory,
    PracticeTypeFactory,
    TopicFactory,
)
from tests.practices.admin.conftest import staff_in

pytestmark = pytest.mark.django_db(transaction=True)

LIST = "/praktyki/"


@pytest.fixture
def admin_client(client):
    from django.test import Client

    staff = Client()
    staff.force_login(staff_in(ADMINISTRATORS, username="redakcja"))
    return staff


def public(client, **params) -> dict:
    """What a visitor sees of the list: titles, the result count, facet counts."""
    response = client.get(LIST, params)
    assert response.status_code == 200
    assert response.context is not None, "a cached page was served after a write"
    return {
        "titles": [p.title for p in response.context["practices"]],
        "count": response.context["result_count"],
        "facets": {
            group.name: {option.value: option.count for option in group.options}
            for group in response.context["facet_groups"]
        },
    }


def test_an_organisation_moved_to_another_country_moves_its_practices(client, admin_client):
    lead = OrganisationFactory(name="Miasto Winnica", country="PL")
    PracticeFactory(title="Pomoc dla szpitali", lead_organisation=lead)
    assert public(client, country="UA")["titles"] == []

    admin_post(admin_client, f"/admin/organisations/organisation/{lead.pk}/change/", country="UA")

    in_ukraine = public(client, country="UA")
    assert in_ukraine["titles"] == ["Pomoc dla szpitali"]
    assert in_ukraine["count"] == 1
    assert in_ukraine["facets"]["country"] == {"UA": 1}
    assert public(client, country="PL")["count"] == 0


def test_an_organisation_renamed_is_found_by_its_new_name(client, admin_client):
    lead = OrganisationFactory(name="Gmina Jastków")
    PracticeFactory(title="Informatyzacja", lead_organisation=lead)

    admin_post(
        admin_client, f"/admin/organisations/organisation/{lead.pk}/change/", name="Gmina Konopnica"
    )

    assert public(client, q="Konopnica")["titles"] == ["Informatyzacja"]
    assert public(client, q="Jastków")["count"] == 0


def test_an_organisation_of_another_kind_counts_under_it(client, admin_client):
    lead = OrganisationFactory(kind="municipality")
    PracticeFactory(title="Rada seniorów", lead_organisation=lead)

    admin_post(admin_client, f"/admin/organisations/organisation/{lead.pk}/change/", kind="ngo")

    found = public(client, org_kind="ngo")
    assert (found["titles"], found["count"]) == (["Rada seniorów"], 1)
    assert found["facets"]["org_kind"]["ngo"] == 1


def test_an_organisation_reverted_in_its_history_takes_its_country_back(client, admin_client):
    lead = OrganisationFactory(country="PL")
    PracticeFactory(title="Strefa Centralna", lead_organisation=lead)
    admin_post(admin_client, f"/admin/organisations/organisation/{lead.pk}/change/", country="UA")
    assert public(client, country="UA")["count"] == 1
    first = lead.history.earliest()

    admin_post(
        admin_client,
        f"/admin/organisations/organisation/{lead.pk}/history/{first.history_id}/",
    )

    assert Organisation.objects.get(pk=lead.pk).country == "PL"
    assert public(client, country="UA")["count"] == 0
    assert public(client, country="PL")["titles"] == ["Strefa Centralna"]


def test_a_partner_added_in_the_practice_form_brings_its_country(client, admin_client):
    practice = PracticeFactory(title="Wspólna promocja")
    partner = OrganisationFactory(name="Miasto Lwów", country="UA")

    admin_post(
        admin_client,
        f"/admin/practices/practice/{practice.pk}/change/",
        **{  # the form's blank partner row
            "partnerships-0-organisation": partner.pk,
            "partnerships-0-role": "partner",
            "partnerships-0-order": "1",
        },
    )

    found = public(client, country="UA")
    assert (found["titles"], found["count"]) == (["Wspólna promocja"], 1)
    assert found["facets"]["country"]["UA"] == 1
    assert public(client, organisation=partner.slug)["count"] == 1


def test_a_partner_removed_in_the_practice_form_takes_its_country_away(client, admin_client):
    practice = PracticeFactory(title="Wspólna promocja")
    partner = OrganisationFactory(country="UA")
    link = Partnership.objects.create(practice=practice, organisation=partner)
    assert public(client, country="UA")["count"] == 1

    admin_post(
        admin_client,
        f"/admin/practices/practice/{practice.pk}/change/",
        **{"partnerships-0-DELETE": "on"},
    )

    assert not Partnership.objects.filter(pk=link.pk).exists()
    assert public(client, country="UA")["count"] == 0


def test_topics_and_title_changed_in_the_practice_form(client, admin_client):
    practice = PracticeFactory(title="Stary tytuł")
    topic = TopicFactory(name="Seniorzy", slug="seniorzy")

    admin_post(
        admin_client,
        f"/admin/practices/practice/{practice.pk}/change/",
        title="Klub seniora online",
        topics=[str(topic.pk)],
    )

    by_topic = public(client, topic="seniorzy")
    assert (by_topic["titles"], by_topic["count"]) == (["Klub seniora online"], 1)
    assert by_topic["facets"]["topic"]["seniorzy"] == 1
    assert public(client, q="klub seniora")["count"] == 1
    assert public(client, q="stary")["count"] == 0


def test_a_topic_renamed_is_searched_by_its_new_name(client, admin_client):
    topic = TopicFactory(name="Zdrowie")
    PracticeFactory(title="Badania profilaktyczne", topics=[topic])

    admin_post(admin_client, f"/admin/practices/topic/{topic.pk}/change/", name="Profilaktyka")

    assert public(client, q="profilaktyka")["titles"] == ["Badania profilaktyczne"]
    assert public(client, q="zdrowie")["count"] == 0


def test_a_practice_type_renamed_is_searched_by_its_new_name(client, admin_client):
    practice_type = PracticeTypeFactory(code="it", name="IT")
    PracticeFactory(title="E-urząd", practice_type=practice_type)

    admin_post(
        admin_client, "/admin/practices/practicetype/it/change/", name="cyfrowa transformacja"
    )

    assert public(client, q="transformacja")["titles"] == ["E-urząd"]


def test_a_funding_source_renamed_is_searched_by_its_new_name(client, admin_client):
    practice = PracticeFactory(title="Szlak rowerowy")
    source = practice.funding_sources.create(name="Fundusz Wyszehradzki", slug="fw")
    assert public(client, q="wyszehradzki")["count"] == 1

    admin_post(
        admin_client,
        f"/admin/practices/fundingsource/{source.pk}/change/",
        name="Program Interreg",
    )

    assert public(client, q="interreg")["titles"] == ["Szlak rowerowy"]
    assert public(client, q="wyszehradzki")["count"] == 0


def test_an_entry_added_in_the_admin_puts_the_practice_in_its_edition(client, admin_client):
    practice = PracticeFactory(title="Kamenets Digital")
    category = CategoryFactory(name="Turystyka", edition__phase="archived")
    edition = category.edition
    assert public(client, edition=edition.slug)["count"] == 0

    admin_post(
        admin_client,
        "/admin/competitions/entry/add/",
        category=category.pk,
        practice=practice.pk,
    )

    in_edition = public(client, edition=edition.slug)
    assert (in_edition["titles"], in_edition["count"]) == (["Kamenets Digital"], 1)
    assert in_edition["facets"]["edition"][edition.slug] == 1
    assert public(client, competition=edition.competition.slug)["count"] == 1
    assert public(client, q="turystyka")["count"] == 1  # the category's name is searched


def test_an_entry_added_in_the_category_s_inline_puts_the_practice_in(client, admin_client):
    practice = PracticeFactory(title="Miasto poczeka")
    category = CategoryFactory(edition__phase="archived")

    admin_post(
        admin_client,
        f"/admin/competitions/category/{category.pk}/change/",
        extra_forms={"entries": 1},
        **{"entries-0-practice": practice.pk, "entries-0-category": category.pk},
    )

    assert Entry.objects.filter(practice=practice).count() == 1
    assert public(client, edition=category.edition.slug)["titles"] == ["Miasto poczeka"]


def test_an_entry_deleted_in_the_admin_takes_the_practice_out(client, admin_client):
    entry = EntryFactory(
        practice=PracticeFactory(title="Wycofana"), category__edition__phase="archived"
    )
    edition = entry.category.edition
    assert public(client, edition=edition.slug)["count"] == 1

    response = admin_client.post(f"/admin/competitions/entry/{entry.pk}/delete/", {"post": "yes"})

    assert response.status_code == 302
    assert public(client, edition=edition.slug)["count"] == 0


def test_a_category_moved_to_another_edition_moves_its_entries(client, admin_client):
    entry = EntryFactory(
        practice=PracticeFactory(title="Przeniesiona"), category__edition__phase="archived"
    )
    other = EditionFactory(year=2021, phase="archived")

    admin_post(
        admin_client,
        f"/admin/competitions/category/{entry.category_id}/change/",
        edition=other.pk,
    )

    assert public(client, edition=other.slug)["titles"] == ["Przeniesiona"]
    assert public(client, edition=entry.category.edition.slug)["count"] == 0


def test_an_edition_moved_to_another_competition_and_renamed(client, admin_client):
    entry = EntryFactory(
        practice=PracticeFactory(title="Lider zarządzania"), category__edition__phase="archived"
    )
    edition = entry.category.edition
    other = CompetitionFactory(name="Samorządowy Lider Zarządzania", slug="slz")

    admin_post(
        admin_client,
        f"/admin/competitions/edition/{edition.pk}/change/",
        competition=other.pk,
        name="Samorządowy Lider Zarządzania 2022",
    )

    found = public(client, competition="slz")
    assert (found["titles"], found["count"]) == (["Lider zarządzania"], 1)
    assert public(client, q="samorządowy lider")["count"] == 1


def test_a_practice_published_by_the_bulk_action_is_listed_and_counted(client, admin_client):
    draft = PracticeFactory(title="Szkic", status="draft", published_at=None)
    assert public(client)["count"] == 0

    response = admin_client.post(
        "/admin/practices/practice/",
        {"action": "publish", "_selected_action": [draft.pk]},
    )

    assert response.status_code == 302
    assert Practice.objects.get(pk=draft.pk).status == "published"
    shown = public(client, type=draft.practice_type_id)
    assert (shown["titles"], shown["count"]) == (["Szkic"], 1)
