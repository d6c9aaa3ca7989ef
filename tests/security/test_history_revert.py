"""Finding 10: reverting a practice to a published version in its history published it
again, with no line in the moderation log. A revert now brings back the content and
keeps the status; only the moderation service changes it, and logs it."""

import pytest

from practices.models import PracticeStatusChange
from practices.services import practice_change_status
from tests.admin_forms import admin_post
from tests.factories import PracticeFactory
from tests.practices.admin.conftest import staff_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor():
    return staff_in("Redaktorzy", username="redaktorka")


@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor)
    return client


@pytest.fixture
def withdrawn(editor):
    """A practice that was published, then edited, then withdrawn by an editor."""
    practice = PracticeFactory(title="Wersja opublikowana", slug="wersja")
    published_version = practice.history.latest()
    practice.title = "Wersja poprawiona"
    practice.save()
    practice_change_status(practice=practice, to_status="draft", by=editor, note="do poprawy")
    return practice, published_version


def test_reverting_to_a_published_version_keeps_the_practice_unpublished(editor_client, withdrawn):
    practice, published_version = withdrawn
    log_before = list(PracticeStatusChange.objects.values_list("to_status", flat=True))

    response = admin_post(
        editor_client,
        f"/admin/practices/practice/{practice.pk}/history/{published_version.history_id}/",
    )
    page = editor_client.get(response["Location"]).content.decode()

    practice.refresh_from_db()
    assert practice.title == "Wersja opublikowana"  # the content came back
    assert practice.status == "draft"  # the status did not
    assert list(PracticeStatusChange.objects.values_list("to_status", flat=True)) == log_before
    assert "status pozostał „szkic”" in page
    assert editor_client.get("/praktyki/wersja/").status_code == 200  # staff preview
    editor_client.logout()
    assert editor_client.get("/praktyki/wersja/").status_code == 404


def test_a_forged_status_in_the_change_form_is_ignored(editor_client, withdrawn):
    practice, _version = withdrawn

    admin_post(
        editor_client,
        f"/admin/practices/practice/{practice.pk}/change/",
        status="published",
        published_at="2020-01-01 00:00:00",
    )

    practice.refresh_from_db()
    assert practice.status == "draft"
    assert not PracticeStatusChange.objects.filter(to_status="published").exists()


def test_the_moderation_queue_reverts_through_the_practices_history(editor_client, withdrawn):
    practice, version = withdrawn
    queue = f"/admin/practices/submission/{practice.pk}/history/"

    pages = [editor_client.get(queue), editor_client.get(f"{queue}{version.history_id}/")]

    assert [page["Location"] for page in pages] == [
        f"/admin/practices/practice/{practice.pk}/history/",
        f"/admin/practices/practice/{practice.pk}/history/{version.history_id}/",
    ]
