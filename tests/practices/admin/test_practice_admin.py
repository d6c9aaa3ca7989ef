"""Editors at work in the admin: add a practice with partners, moderate, see history."""

import pytest

from practices.models import Partnership, Practice, PracticeStatusChange
from tests.conftest import after_commit
from tests.factories import OrganisationFactory, PracticeFactory, PracticeTypeFactory, TopicFactory

pytestmark = pytest.mark.django_db


def inline_management(prefix: str, total: int) -> dict:
    return {
        f"{prefix}-TOTAL_FORMS": str(total),
        f"{prefix}-INITIAL_FORMS": "0",
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }


def test_editor_adds_a_practice_with_partners_through_the_admin_form(editor_client):
    practice_type = PracticeTypeFactory(code="it")
    topic = TopicFactory(name="Usługi cyfrowe")
    lead = OrganisationFactory(name="Lubelski Obszar Funkcjonalny", kind="functional_area")
    jastkow, strzyzewice = (
        OrganisationFactory(name="Gmina Jastków"),
        OrganisationFactory(name="Gmina Strzyżewice"),
    )
    data = {
        "title": "Informatyzacja procesów administracyjnych",
        "slug": "informatyzacja-lof",
        "practice_type": practice_type.pk,
        "topics": [topic.pk],
        "lead_organisation": lead.pk,
        "summary": "Wspólny projekt gmin LOF.",
        "started_on": "2017-06-15",
        "started_precision": "day",
        "ended_on": "2021-06-30",
        "ended_precision": "day",
        "total_value": "4061351.04",
        "currency": "PLN",
        "partnerships-0-organisation": jastkow.pk,
        "partnerships-0-role": "partner",
        "partnerships-0-note": "system dziedzinowy dla edukacji",
        "partnerships-0-order": "1",
        "partnerships-1-organisation": strzyzewice.pk,
        "partnerships-1-role": "partner",
        "partnerships-1-order": "2",
        **inline_management("partnerships", 2),
        **inline_management("links", 0),
        **inline_management("attachments", 0),
        **inline_management("status_changes", 0),
    }

    with after_commit():
        response = editor_client.post("/admin/practices/practice/add/", data)

    assert response.status_code == 302, [
        (i.formset.prefix, i.formset.errors, i.formset.non_form_errors())
        for i in response.context["inline_admin_formsets"]
    ]
    practice = Practice.objects.get(slug="informatyzacja-lof")
    assert practice.status == "draft"
    assert list(practice.partners.order_by("name").values_list("name", flat=True)) == [
        "Gmina Jastków",
        "Gmina Strzyżewice",
    ]
    assert Partnership.objects.get(organisation=jastkow).note == "system dziedzinowy dla edukacji"
    # Saving refreshed what the public search and filters read.
    assert set(practice.organisation_ids) == {lead.pk, jastkow.pk, strzyzewice.pk}
    created = practice.history.get(history_type="+")
    assert created.history_user.username == "redaktorka"


def test_admin_form_refuses_a_period_ending_before_it_starts(editor_client):
    data = {
        "title": "Odwrócony okres",
        "slug": "odwrocony",
        "practice_type": PracticeTypeFactory().pk,
        "lead_organisation": OrganisationFactory().pk,
        "started_on": "2021-06-30",
        "started_precision": "day",
        "ended_on": "2017-06-15",
        "ended_precision": "day",
        **inline_management("partnerships", 0),
        **inline_management("links", 0),
        **inline_management("attachments", 0),
        **inline_management("status_changes", 0),
    }

    response = editor_client.post("/admin/practices/practice/add/", data)

    assert response.status_code == 200
    assert "Koniec realizacji nie może być przed jej początkiem." in response.content.decode()
    assert not Practice.objects.filter(slug="odwrocony").exists()


def test_bulk_publish_publishes_drafts_and_logs_who_did_it(editor_client, editor):
    drafts = [PracticeFactory(status="draft", published_at=None) for _ in range(3)]
    archived = PracticeFactory(status="archived")

    response = editor_client.post(
        "/admin/practices/practice/",
        {"action": "publish", "_selected_action": [p.pk for p in [*drafts, archived]]},
        follow=True,
    )

    published = Practice.objects.filter(pk__in=[p.pk for p in drafts])
    assert set(published.values_list("status", flat=True)) == {"published"}
    assert all(p.published_at for p in published)
    assert (
        PracticeStatusChange.objects.filter(to_status="published", changed_by=editor).count() == 4
    )
    assert "Opublikowano: 4." in response.content.decode()


def test_bulk_archive_refuses_what_the_workflow_does_not_allow(editor_client):
    archived = PracticeFactory(status="archived", title="Już w archiwum")

    response = editor_client.post(
        "/admin/practices/practice/",
        {"action": "archive", "_selected_action": [archived.pk]},
        follow=True,
    )

    assert (
        "„Już w archiwum”: nie można zmienić statusu z „zarchiwizowana” na „zarchiwizowana”."
        in (response.content.decode())
    )


def test_unpublished_practice_is_hidden_from_the_public_and_previewed_by_staff(client, editor):
    practice = PracticeFactory(slug="w-recenzji", status="in_review", published_at=None)

    anonymous = client.get("/praktyki/w-recenzji/")
    client.force_login(editor)
    preview = client.get("/praktyki/w-recenzji/")

    assert anonymous.status_code == 404
    assert preview.status_code == 200
    assert "Podgląd dla redakcji" in preview.content.decode()
    assert '<meta name="robots" content="noindex, nofollow">' in preview.content.decode()
    assert practice not in client.get("/praktyki/").context["practices"]


def change_form_data(response) -> dict:
    """What the browser would send back from an admin change form, unchanged."""
    form = response.context["adminform"].form
    data = {}
    for name, field in form.fields.items():
        value = form.initial.get(name, field.initial)
        if value is None:
            continue
        if hasattr(value, "pk"):
            value = value.pk
        if isinstance(value, list | tuple):
            value = [getattr(v, "pk", v) for v in value]
        data[name] = value
    for inline in response.context["inline_admin_formsets"]:
        management = inline.formset.management_form
        for name in management.fields:
            data[f"{management.prefix}-{name}"] = management.initial.get(name, 0)
        # Leave out the blank extra forms, as a browser's unchanged ones are ignored.
        data[f"{management.prefix}-TOTAL_FORMS"] = management.initial["INITIAL_FORMS"]
    return data


def test_moderation_buttons_on_the_change_form(editor_client):
    practice = PracticeFactory(status="draft", published_at=None)
    url = f"/admin/practices/practice/{practice.pk}/change/"
    page = editor_client.get(url)

    response = editor_client.post(
        url, {**change_form_data(page), "_status_in_review": "Wyślij do recenzji"}
    )
    practice.refresh_from_db()

    assert response.status_code == 302, [
        (i.formset.prefix, i.formset.errors, i.formset.non_form_errors())
        for i in response.context["inline_admin_formsets"]
    ]

    assert 'name="_status_published"' in page.content.decode()
    assert practice.status == "in_review"
    assert practice.status_changes.get().to_status == "in_review"


def test_history_page_shows_who_changed_what(editor_client):
    practice = PracticeFactory(title="Stary tytuł")
    practice.title = "Nowy tytuł"
    practice.save()

    page = editor_client.get(f"/admin/practices/practice/{practice.pk}/history/").content.decode()

    assert "Nowy tytuł" in page
    assert "Stary tytuł" in page


def test_practice_list_filters_have_facet_counts(editor_client):
    PracticeFactory(status="draft", published_at=None)
    PracticeFactory()

    page = editor_client.get("/admin/practices/practice/").content.decode()

    assert "szkic" in page and "(1)" in page


def test_admin_titles_read_as_polish_for_a_feminine_model_name(editor_client):
    practice = PracticeFactory(title="Kalkulator wymiany pieców")

    listing = editor_client.get("/admin/practices/practice/").content.decode()
    adding = editor_client.get("/admin/practices/practice/add/").content.decode()
    changing = editor_client.get(f"/admin/practices/practice/{practice.pk}/change/")

    assert "<h1>Wybierz do zmiany: dobra praktyka</h1>" in listing
    assert "Dodaj: dobra praktyka" in listing  # the button above the list
    assert "<h1>Dodaj: dobra praktyka</h1>" in adding
    assert "Dodaj kolejny wiersz: Partner" in adding  # the inline's button
    assert "<h1>Zmień: dobra praktyka</h1>" in changing.content.decode()
    assert "Wybierz dobra praktyka" not in listing
