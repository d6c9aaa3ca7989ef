"""The jury's permission, declared once: a seat on the jury, the chair's for some pages."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ImproperlyConfigured
from django.urls import reverse
from django.views import View

from competitions.permissions import JurySeatRefused, JurySeatRequiredMixin, jury_seat_for
from tests.competitions.conftest import jury_review
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

# Every jury page of an edition, with the seat it needs.
JURY_PAGES = {
    "jury-edition": "member",
    "jury-entry": "member",
    "jury-conflict": "member",
    "jury-ranking": "chair",
    "jury-decision": "chair",
    "jury-tie": "chair",
    "jury-log": "chair",
}


def page_url(jury, name):
    kwargs = {"edition_slug": jury.edition.slug}
    if name in ("jury-entry", "jury-conflict", "jury-decision"):
        kwargs["entry_id"] = jury.entries[0].pk
    if name == "jury-tie":
        kwargs["category_id"] = jury.category.pk
    return reverse(f"competitions:{name}", kwargs=kwargs)


def test_jury_seat_for_gives_a_member_their_seat(jury):
    member = jury.members[1]

    seat = jury_seat_for(member.user, edition_slug=jury.edition.slug)

    assert (seat.pk, seat.edition) == (member.pk, jury.edition)


def test_jury_seat_for_gives_the_chair_the_chair_seat(jury):
    seat = jury_seat_for(jury.chair.user, edition_slug=jury.edition.slug, chair=True)

    assert seat.pk == jury.chair.pk


@pytest.mark.parametrize("who", ["anonymous", "user without a seat", "juror of another edition"])
def test_jury_seat_for_refuses_without_a_seat_on_this_jury(jury, who):
    user = {
        "anonymous": AnonymousUser,
        "user without a seat": UserFactory,
        "juror of another edition": lambda: jury_review().chair.user,
    }[who]()

    with pytest.raises(JurySeatRefused) as refusal:
        jury_seat_for(user, edition_slug=jury.edition.slug)

    assert str(refusal.value) == "Nie zasiadasz w jury tej edycji."


def test_jury_seat_for_refuses_the_chair_seat_to_a_member(jury):
    with pytest.raises(JurySeatRefused) as refusal:
        jury_seat_for(jury.members[1].user, edition_slug=jury.edition.slug, chair=True)

    assert str(refusal.value) == "Tę stronę widzi tylko przewodniczący jury."


@pytest.mark.parametrize("name", JURY_PAGES)
def test_jury_page_sends_an_anonymous_visitor_to_sign_in(client, jury, name):
    url = page_url(jury, name)

    response = client.get(url)

    assert (response.status_code, response["Location"]) == (302, f"/konto/logowanie/?next={url}")


@pytest.mark.parametrize("name", JURY_PAGES)
def test_jury_page_refuses_a_signed_in_user_without_a_seat(client, jury, name):
    client.force_login(UserFactory())

    response = client.get(page_url(jury, name))

    assert response.status_code == 403
    assert "Nie zasiadasz w jury tej edycji." in response.content.decode()


@pytest.mark.parametrize(
    ("name", "status"),
    [("jury-edition", 200), ("jury-entry", 200), ("jury-conflict", 405)],  # conflict: POST only
)
def test_jury_member_page_lets_in_a_member_who_is_not_the_chair(client, jury, name, status):
    client.force_login(jury.members[1].user)

    response = client.get(page_url(jury, name))

    assert response.status_code == status


def test_jury_page_with_an_unknown_seat_is_a_configuration_error(rf, jury):
    class MisspeltSeatView(JurySeatRequiredMixin, View):
        seat_required = "chiar"

    request = rf.get("/")
    request.user = jury.chair.user

    with pytest.raises(ImproperlyConfigured, match="seat_required"):
        MisspeltSeatView.as_view()(request, edition_slug=jury.edition.slug)
