"""Each role is refused, outside the admin, what it may not do; a refusal stores nothing.

The admin's own role matrix (which admin page each group may open) lives in
tests/practices/admin/test_roles.py; here are the jury's pages, the staff
preview of unpublished practices, and the object-level admin pages and POSTs
of the competitions that an editor must not reach.
"""

from __future__ import annotations

import pytest
from django.apps import apps
from django.contrib.auth.models import Permission
from django.test import Client

from competitions.models import Ballot, Entry, TieResolution, Vote
from core.roles import EDITORS, JURY
from tests.competitions.conftest import Jury, closed_vote, jury_review
from tests.factories import JuryMemberFactory, PracticeFactory, UserFactory
from tests.practices.admin.conftest import staff_in

pytestmark = pytest.mark.django_db

STORED_APPS = {"organisations", "practices", "competitions"}


@pytest.fixture
def jury(db) -> Jury:
    return jury_review()


def stored() -> dict[str, int]:
    return {
        model._meta.label: model._default_manager.count()
        for model in apps.get_models()
        if model._meta.app_label in STORED_APPS
    }


def entry_states(jury: Jury) -> list[tuple]:
    return sorted(
        (e.pk, e.status, e.laureate_place, e.distinction)
        for e in Entry.objects.filter(category__edition=jury.edition)
    )


def chair_only_requests(jury: Jury) -> list[tuple[str, str, dict]]:
    """(method, path, data) of the chair's pages and forms of the edition."""
    base = f"/konkursy/jury/{jury.edition.slug}/"
    entry_page = f"{base}zgloszenia/{jury.entries[0].pk}/"
    tie = f"{base}kategorie/{jury.category.pk}/remis/"
    decision = {"status": "laureate", "laureate_place": 1, "reason": "Najlepsza"}
    return [
        ("get", f"{base}ranking/", {}),
        ("get", f"{entry_page}decyzja/", {}),
        ("post", f"{entry_page}decyzja/", decision),
        ("get", tie, {}),
        ("post", tie, {"entry": jury.entries[0].pk, "reason": "Remis"}),
        ("get", f"{base}dziennik/", {}),
    ]


def jury_requests(jury: Jury) -> list[tuple[str, str, dict]]:
    """(method, path, data) of every jury page and form of the edition, the chair's included."""
    base = f"/konkursy/jury/{jury.edition.slug}/"
    entry_page = f"{base}zgloszenia/{jury.entries[0].pk}/"
    scores = {f"value_{c.pk}": 5 for c in jury.criteria} | {"submit": "1"}
    return [
        ("get", base, {}),
        ("get", entry_page, {}),
        ("post", entry_page, scores),
        ("post", f"{entry_page}konflikt/", {"reason": "Moja gmina"}),
        *chair_only_requests(jury),
    ]


def answers(client, requests) -> list[tuple[str, str, int]]:
    return [
        (method, path, getattr(client, method)(path, data).status_code)
        for method, path, data in requests
    ]


# --- the jury's pages --------------------------------------------------------------------


def test_jury_pages_send_an_anonymous_visitor_to_sign_in_and_store_nothing(client, jury):
    requests = jury_requests(jury)
    before = stored()

    responses = [getattr(client, method)(path, data) for method, path, data in requests]

    assert [(r.status_code, r["Location"]) for r in responses] == [
        (302, f"/konto/logowanie/?next={path}") for _method, path, _data in requests
    ]
    assert stored() == before


def test_jury_pages_in_english_send_an_anonymous_visitor_to_the_english_sign_in(client, jury):
    path = f"/en/competitions/jury/{jury.edition.slug}/"

    response = client.get(path)

    assert response.status_code == 302
    assert response["Location"] == f"/en/account/sign-in/?next={path}"


def test_jury_home_sends_an_anonymous_visitor_to_sign_in(client):
    response = client.get("/konkursy/jury/")

    assert (response.status_code, response["Location"]) == (
        302,
        "/konto/logowanie/?next=/konkursy/jury/",
    )


@pytest.mark.parametrize(
    "who",
    [
        "user without a seat",
        "editor",
        "jury group member without a seat",
        "juror of another edition",
        "chair of another edition",
    ],
)
def test_jury_pages_refuse_everyone_without_a_seat_in_this_edition(client, jury, who):
    other = jury_review()
    user = {
        "user without a seat": lambda: UserFactory(),
        "editor": lambda: staff_in(EDITORS, username="redaktorka"),
        "jury group member without a seat": lambda: staff_in(JURY, username="jurorka"),
        "juror of another edition": lambda: other.members[1].user,
        "chair of another edition": lambda: other.chair.user,
    }[who]()
    client.force_login(user)
    requests = jury_requests(jury)
    states, before = entry_states(jury), stored()

    refused = answers(client, requests)

    assert refused == [(method, path, 403) for method, path, _data in requests]
    assert (entry_states(jury), stored()) == (states, before)


def test_jury_refusal_says_why_without_showing_the_edition(client, jury):
    client.force_login(UserFactory())

    html = client.get(f"/konkursy/jury/{jury.edition.slug}/").content.decode()

    assert "Nie zasiadasz w jury tej edycji." in html
    assert jury.entries[0].practice.title not in html


def test_chair_pages_refuse_a_member_who_is_not_the_chair_and_store_nothing(client, jury):
    client.force_login(jury.members[1].user)
    requests = chair_only_requests(jury)
    states, before = entry_states(jury), stored()

    refused = answers(client, requests)

    assert refused == [(method, path, 403) for method, path, _data in requests]
    assert (entry_states(jury), stored()) == (states, before)


def test_tie_resolution_refuses_a_member_who_is_not_the_chair(client):
    tie = closed_vote(choices=[0, 1])
    category = tie.categories[0]
    member = JuryMemberFactory(edition=tie.edition, is_chair=False)
    client.force_login(member.user)
    url = f"/konkursy/jury/{tie.edition.slug}/kategorie/{category.pk}/remis/"

    page = client.get(url)
    post = client.post(url, {"entry": tie.laureates[category.pk][1].pk, "reason": "Ja wybieram"})

    assert (page.status_code, post.status_code) == (403, 403)
    assert not TieResolution.objects.exists()


def test_jury_member_cannot_reach_an_entry_of_another_edition_through_their_own(client, jury):
    other = jury_review()
    client.force_login(jury.chair.user)
    foreign = other.entries[0]
    base = f"/konkursy/jury/{jury.edition.slug}/zgloszenia/{foreign.pk}/"
    before = stored()

    statuses = [
        client.get(base).status_code,
        client.post(base, {f"value_{c.pk}": 5 for c in other.criteria}).status_code,
        client.post(base + "konflikt/", {"reason": "x"}).status_code,
        client.get(base + "decyzja/").status_code,
        client.post(base + "decyzja/", {"status": "laureate", "laureate_place": 1}).status_code,
    ]

    assert statuses == [404, 404, 404, 404, 404]
    assert stored() == before


# --- competitions in the admin: what an editor must not reach ------------------------------


@pytest.fixture
def voted(db):
    """A closed vote with its ballots and votes, as the admin would list them."""
    return closed_vote(choices=[0, 1])


def test_editor_cannot_open_ballots_votes_or_scores_one_by_one(client, voted):
    client.force_login(staff_in(EDITORS, username="redaktorka"))
    ballot = voted.ballots[0][0]
    vote = Vote.objects.filter(ballot=ballot).first()
    urls = [
        f"/admin/competitions/ballot/{ballot.pk}/change/",
        f"/admin/competitions/ballot/{ballot.pk}/delete/",
        f"/admin/competitions/vote/{vote.pk}/change/",
        f"/admin/competitions/vote/{vote.pk}/delete/",
        "/admin/competitions/score/add/",
        "/admin/competitions/edition/",
        f"/admin/competitions/edition/{voted.edition.pk}/change/",
        "/admin/competitions/jurymember/",
        "/admin/competitions/tieresolution/",
    ]

    assert [(url, client.get(url).status_code) for url in urls] == [(url, 403) for url in urls]


def test_editor_cannot_delete_a_ballot_or_issue_codes(client, voted):
    client.force_login(staff_in(EDITORS, username="redaktorka"))
    unused = Ballot.objects.create(edition=voted.edition, code_hash="f" * 64)
    ballots, votes = Ballot.objects.count(), Vote.objects.count()

    delete = client.post(f"/admin/competitions/ballot/{unused.pk}/delete/", {"post": "yes"})
    issue = client.post(
        "/admin/competitions/edition/",
        {
            "action": "issue_ballots",
            "_selected_action": [voted.edition.pk],
            "apply": "1",
            "count": "5",
        },
    )

    assert (delete.status_code, issue.status_code) == (403, 403)
    assert (Ballot.objects.count(), Vote.objects.count()) == (ballots, votes)


def test_editor_cannot_add_a_vote_through_the_admin(client, voted):
    client.force_login(staff_in(EDITORS, username="redaktorka"))
    category = voted.categories[0]
    votes = Vote.objects.count()

    response = client.post(
        "/admin/competitions/vote/add/",
        {
            "ballot": voted.ballots[0][0].pk,
            "category": category.pk,
            "entry": voted.laureates[category.pk][2].pk,
        },
    )

    assert response.status_code == 403
    assert Vote.objects.count() == votes


# --- the staff preview of unpublished practices -------------------------------------------


@pytest.fixture
def draft(db):
    return PracticeFactory(
        title="Praktyka w przygotowaniu", status="draft", published_at=None, slug="w-przygotowaniu"
    )


@pytest.mark.parametrize("status", ["draft", "in_review", "archived"])
def test_editor_previews_an_unpublished_practice_at_its_address(client, status):
    practice = PracticeFactory(title="Praktyka w przygotowaniu", status=status, published_at=None)
    client.force_login(staff_in(EDITORS, username="redaktorka"))

    response = client.get(practice.get_absolute_url())
    html = response.content.decode()

    assert response.status_code == 200
    assert "Podgląd dla redakcji: ta praktyka nie jest opublikowana" in html
    assert '<meta name="robots" content="noindex, nofollow">' in html
    assert "private" in response["Cache-Control"]


def test_preview_needs_only_the_view_permission(client, draft):
    user = UserFactory()  # not staff, in no group
    user.user_permissions.add(Permission.objects.get(codename="view_practice"))
    client.force_login(user)

    response = client.get(draft.get_absolute_url())

    assert response.status_code == 200
    assert "Praktyka w przygotowaniu" in response.content.decode()


@pytest.mark.parametrize(
    "who", ["anonymous", "signed-in user", "juror", "staff without a group", "user with add only"]
)
def test_unpublished_practice_is_not_found_for_anyone_without_the_view_permission(
    client, draft, who
):
    if who == "signed-in user":
        client.force_login(UserFactory())
    elif who == "juror":
        client.force_login(staff_in(JURY, username="jurorka"))
    elif who == "staff without a group":
        client.force_login(UserFactory(is_staff=True))
    elif who == "user with add only":
        user = UserFactory()
        user.user_permissions.add(Permission.objects.get(codename="add_practice"))
        client.force_login(user)

    response = client.get(draft.get_absolute_url())

    assert response.status_code == 404
    assert "Praktyka w przygotowaniu" not in response.content.decode()


def test_editors_preview_is_never_served_to_the_public_from_the_page_cache(client, draft):
    client.force_login(staff_in(EDITORS, username="redaktorka"))
    assert client.get(draft.get_absolute_url()).status_code == 200

    public = Client().get(draft.get_absolute_url())

    assert public.status_code == 404
    assert "Praktyka w przygotowaniu" not in public.content.decode()


def test_public_page_cached_for_visitors_is_not_what_a_signed_in_editor_gets(client, draft):
    published = PracticeFactory(title="Opublikowana", slug="opublikowana")
    Client().get(published.get_absolute_url())  # now in the page cache
    client.force_login(staff_in(EDITORS, username="redaktorka"))

    response = client.get(published.get_absolute_url())

    assert response.status_code == 200
    assert response.context is not None  # rendered for the editor, not the visitors' copy
    assert "private" in response["Cache-Control"]
    assert "public" not in response["Cache-Control"]
