"""What each staff role may and may not do in the admin."""

import pytest
from django.contrib.auth.models import Group

from core.roles import ADMINISTRATORS, EDITORS, JURY, roles_sync

pytestmark = pytest.mark.django_db

EDITOR_ALLOWED = [
    "/admin/practices/practice/",
    "/admin/practices/practice/add/",
    "/admin/practices/practice/import/",
    "/admin/practices/submission/",
    "/admin/practices/topic/",
    "/admin/practices/fundingsource/",
    "/admin/organisations/organisation/",
    "/admin/organisations/organisation/add/",
]
EDITOR_REFUSED = [
    "/admin/competitions/vote/",
    "/admin/competitions/ballot/",
    "/admin/competitions/score/",
    "/admin/auth/user/",
    "/admin/auth/group/",
]
JURY_ALLOWED = ["/admin/competitions/entry/"]
JURY_REFUSED = [
    "/admin/practices/practice/",
    "/admin/practices/practice/add/",
    "/admin/practices/practice/import/",
    "/admin/organisations/organisation/",
    "/admin/competitions/vote/",
    "/admin/competitions/ballot/",
]


def test_roles_exist_after_migrate_and_sync_is_idempotent():
    before = {g.name: g.permissions.count() for g in Group.objects.all()}

    roles_sync()

    after = {g.name: g.permissions.count() for g in Group.objects.all()}
    assert set(after) >= {EDITORS, JURY, ADMINISTRATORS}
    assert before == after


@pytest.mark.parametrize("url", EDITOR_ALLOWED)
def test_editor_may_open(client, editor, url):
    client.force_login(editor)

    assert client.get(url).status_code == 200


@pytest.mark.parametrize("url", EDITOR_REFUSED)
def test_editor_is_refused(client, editor, url):
    client.force_login(editor)

    assert client.get(url).status_code == 403


def test_editor_cannot_delete_practices(client, editor):
    from tests.factories import PracticeFactory

    practice = PracticeFactory()
    client.force_login(editor)

    response = client.get(f"/admin/practices/practice/{practice.pk}/delete/")

    assert response.status_code == 403


@pytest.mark.parametrize("url", JURY_ALLOWED)
def test_juror_may_open(client, juror, url):
    client.force_login(juror)

    assert client.get(url).status_code == 200


@pytest.mark.parametrize("url", JURY_REFUSED)
def test_juror_is_refused(client, juror, url):
    client.force_login(juror)

    assert client.get(url).status_code == 403


@pytest.mark.parametrize("url", EDITOR_ALLOWED + EDITOR_REFUSED + JURY_ALLOWED)
def test_administrator_may_open_everything(client, administrator, url):
    client.force_login(administrator)

    assert client.get(url).status_code == 200


def test_anonymous_visitor_is_sent_to_the_admin_login(client):
    response = client.get("/admin/practices/practice/")

    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")
