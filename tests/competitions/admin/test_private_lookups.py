"""Hand-typed admin lookups cannot rebuild the secret tally, the scores or the conflicts."""

import pytest
from django.contrib import admin

from core.admin import PrivateLookupsMixin
from core.roles import ADMINISTRATORS, EDITORS
from tests.competitions.conftest import open_vote
from tests.factories import UserFactory
from tests.practices.admin.conftest import staff_in

pytestmark = pytest.mark.django_db

PROBES = [
    "/admin/competitions/entry/?votes__id={vote}",
    "/admin/competitions/entry/?votes__isnull=False",
    "/admin/competitions/entry/?conflicts__isnull=False",
    "/admin/competitions/entry/?scores__value=10",
    "/admin/competitions/entry/?jury_submissions__isnull=False",
    "/admin/competitions/category/?votes__isnull=False",
    "/admin/competitions/edition/?ballots__votes__isnull=False",
    "/admin/competitions/ballot/?votes__isnull=False",
    "/admin/practices/practice/?entries__votes__isnull=False",
    "/admin/organisations/organisation/?led_practices__entries__votes__isnull=False",
    "/admin/auth/user/?jury_seats__scores__isnull=False",
]


@pytest.fixture
def cast():
    vote = open_vote(categories=1, ballots=1)
    ballot, _code = vote.ballots[0]
    category = vote.categories[0]
    return ballot.votes.create(category=category, entry=vote.laureates[category.pk][0])


@pytest.mark.parametrize("probe", PROBES)
def test_an_administrator_cannot_filter_by_votes_scores_or_conflicts(client, cast, probe):
    client.force_login(staff_in(ADMINISTRATORS))

    response = client.get(probe.format(vote=cast.pk))

    assert response.status_code == 400, probe


@pytest.mark.parametrize("probe", PROBES[:2])
def test_a_superuser_still_can(client, cast, probe):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))

    response = client.get(probe.format(vote=cast.pk))

    assert response.status_code == 200


def test_the_lists_themselves_still_filter_as_offered(client, cast):
    client.force_login(staff_in(ADMINISTRATORS))

    assert client.get("/admin/competitions/entry/?status__exact=laureate").status_code == 200
    client.force_login(staff_in(EDITORS))
    assert client.get("/admin/practices/practice/?status__exact=published").status_code == 200


def test_every_admin_of_the_project_refuses_private_lookups():
    ours = {"practices", "organisations", "competitions", "auth", "catalogue"}
    admins = [
        model_admin
        for model, model_admin in admin.site._registry.items()
        if model._meta.app_label in ours and model._meta.model_name != "group"
    ]

    assert len(admins) > 15
    assert all(isinstance(model_admin, PrivateLookupsMixin) for model_admin in admins), [
        type(a).__name__ for a in admins if not isinstance(a, PrivateLookupsMixin)
    ]
