import pytest
from django.contrib.auth.models import Group

from core.roles import ADMINISTRATORS, EDITORS, JURY
from tests.factories import UserFactory


def staff_in(group_name: str, **fields):
    user = UserFactory(is_staff=True, **fields)
    user.groups.add(Group.objects.get(name=group_name))
    return user


@pytest.fixture
def editor(db):
    return staff_in(EDITORS, username="redaktorka", email="redakcja@example.org")


@pytest.fixture
def juror(db):
    return staff_in(JURY, username="jurorka")


@pytest.fixture
def administrator(db):
    return staff_in(ADMINISTRATORS, username="administratorka")


@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor)
    return client
