"""Every state-changing form refuses a POST without a valid CSRF token, and stores nothing.

Each form is tried the way a forged cross-site request arrives: the victim's
browser holds the CSRF cookie (it has opened the page before), but the POST
carries no token, or the attacker's own token from another visit. Each must be
refused with 403 and leave the database (and the session) as it was. The same
POST with the page's own token goes through, so the refusal is the token's doing.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from importlib import import_module

import pytest
from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.test import Client

from competitions.models import ConflictOfInterest, Entry, Score, TieResolution, Vote
from core.roles import EDITORS
from practices.models import Practice
from tests.competitions.conftest import closed_vote, jury_review, open_vote
from tests.factories import (
    JuryMemberFactory,
    PracticeFactory,
    PracticeTypeFactory,
    TopicFactory,
    UserFactory,
)
from tests.practices.admin.conftest import staff_in

pytestmark = pytest.mark.django_db

PASSWORD = "Bardzo-tajne-haslo-2024"
TOKEN_INPUT = re.compile(
    r'<input type="hidden" name="csrfmiddlewaretoken" value="([A-Za-z0-9]{64})">'
)
STORED_APPS = {"auth", "sessions", "axes", "organisations", "practices", "competitions"}


def row_counts() -> dict[str, int]:
    """Rows of every table a form could write to (users, sessions, catalogue, competitions)."""
    return {
        model._meta.label: model._default_manager.count()
        for model in apps.get_models()
        if model._meta.app_label in STORED_APPS
    }


@dataclass
class Form:
    """A form as a visitor meets it: the page showing it, where it posts, a valid POST."""

    page: str
    action: str
    data: dict
    # What a successful POST changes besides row counts (a title, a status, the session).
    state: Callable[[], object]


def session_value(client: Client, key: str):
    """A value of the client's session, read without creating one (client.session would)."""
    cookie = client.cookies.get(settings.SESSION_COOKIE_NAME)
    if cookie is None or not cookie.value:
        return None
    return import_module(settings.SESSION_ENGINE).SessionStore(session_key=cookie.value).get(key)


def ballot_key(edition) -> str:
    return f"competitions:ballot:{edition.pk}"


def post_with_token(client: Client, page: str, action: str, data: dict):
    """POST as the page's own form would: with the token the page rendered."""
    html = client.get(page).content.decode()
    token = TOKEN_INPUT.search(html).group(1)
    return client.post(action, {**data, "csrfmiddlewaretoken": token})


# --- the forms ----------------------------------------------------------------------------


def submission_form(client: Client) -> Form:
    practice_type = PracticeTypeFactory(code="social", name="Społeczne")
    topic = TopicFactory(name="Seniorzy")
    data = {
        "title": "Telefon do seniora",
        "practice_type": practice_type.pk,
        "topics": [topic.pk],
        "summary": "Codzienne rozmowy z samotnymi seniorami.",
        "currency": "PLN",
        "organisation_name": "Gmina Testowo",
        "organisation_kind": "municipality",
        "organisation_country": "PL",
        "contact_name": "Anna Kowalska",
        "contact_email": "anna@example.org",
        "consent": "on",
    }
    return Form("/praktyki/zglos/", "/praktyki/zglos/", data, lambda: None)


def sign_in_form(client: Client, page: str = "/konto/logowanie/") -> Form:
    user = UserFactory(username="anna", is_staff=True)
    user.set_password(PASSWORD)
    user.save()
    data = {"username": "anna", "password": PASSWORD}
    return Form(page, page, data, lambda: (get_user_model().objects.get(pk=user.pk).last_login,))


def admin_login_form(client: Client) -> Form:
    return sign_in_form(client, page="/admin/login/")


def admin_logout_form(client: Client) -> Form:
    client.force_login(staff_in(EDITORS, username="redaktorka"))
    return Form("/admin/", "/admin/logout/", {}, lambda: session_value(client, "_auth_user_id"))


def admin_change_form(client: Client) -> Form:
    client.force_login(staff_in(EDITORS, username="redaktorka"))
    practice = PracticeFactory(title="Stary tytuł", status="draft", published_at=None)
    url = f"/admin/practices/practice/{practice.pk}/change/"
    data = {"title": "Nowy tytuł", "slug": practice.slug, "_save": "Zapisz"}
    return Form(url, url, data, lambda: Practice.objects.get(pk=practice.pk).title)


def admin_action_form(client: Client) -> Form:
    client.force_login(staff_in(EDITORS, username="redaktorka"))
    practice = PracticeFactory(status="draft", published_at=None)
    data = {"action": "send_for_review", "_selected_action": [practice.pk], "index": "0"}
    url = "/admin/practices/practice/"
    return Form(url, url, data, lambda: Practice.objects.get(pk=practice.pk).status)


def vote_code_form(client: Client) -> Form:
    vote = open_vote()
    url = vote.edition.get_absolute_url() + "glosowanie/"
    data = {"code": vote.ballots[0][1]}
    return Form(url, url, data, lambda: session_value(client, ballot_key(vote.edition)))


def _signed_in_ballot(client: Client):
    vote = open_vote()
    code_url = vote.edition.get_absolute_url() + "glosowanie/"
    signed_in = post_with_token(client, code_url, code_url, {"code": vote.ballots[0][1]})
    assert signed_in.status_code == 302
    return vote, code_url + "karta/"


def ballot_vote_form(client: Client) -> Form:
    vote, ballot_url = _signed_in_ballot(client)
    category = vote.categories[0]
    data = {"category": category.pk, "entry": vote.laureates[category.pk][0].pk}
    return Form(ballot_url, ballot_url, data, lambda: list(Vote.objects.values_list("entry")))


def ballot_forget_form(client: Client) -> Form:
    vote, ballot_url = _signed_in_ballot(client)
    forget_url = ballot_url.replace("karta/", "zakoncz/")
    key = ballot_key(vote.edition)
    return Form(ballot_url, forget_url, {}, lambda: session_value(client, key))


def _jury_url(edition, suffix: str) -> str:
    return f"/konkursy/jury/{edition.slug}/{suffix}"


def jury_score_form(client: Client) -> Form:
    jury = jury_review()
    client.force_login(jury.members[1].user)
    url = _jury_url(jury.edition, f"zgloszenia/{jury.entries[0].pk}/")
    # the final submit, as posted from the confirmation step
    data = {f"value_{c.pk}": 7 for c in jury.criteria} | {"confirm": "1"}
    return Form(url, url, data, lambda: list(Score.objects.values_list("value")))


def jury_conflict_form(client: Client) -> Form:
    jury = jury_review()
    client.force_login(jury.members[1].user)
    url = _jury_url(jury.edition, f"zgloszenia/{jury.entries[0].pk}/")
    data = {"reason": "Pracuję w tej gminie"}
    return Form(url, url + "konflikt/", data, lambda: list(ConflictOfInterest.objects.all()))


def chair_decision_form(client: Client) -> Form:
    jury = jury_review()
    client.force_login(jury.chair.user)
    entry = jury.entries[0]
    url = _jury_url(jury.edition, f"zgloszenia/{entry.pk}/decyzja/")
    data = {"status": "laureate", "laureate_place": 1, "reason": "Najlepsza"}
    return Form(url, url, data, lambda: Entry.objects.get(pk=entry.pk).status)


def tie_resolution_form(client: Client) -> Form:
    tie = closed_vote(choices=[0, 1])
    category = tie.categories[0]
    client.force_login(JuryMemberFactory(edition=tie.edition, is_chair=True).user)
    url = _jury_url(tie.edition, f"kategorie/{category.pk}/remis/")
    data = {"entry": tie.laureates[category.pk][1].pk, "reason": "Wyższa ocena jury"}
    return Form(url, url, data, lambda: list(TieResolution.objects.values_list("entry")))


FORMS = {
    "submission": submission_form,
    "sign-in": sign_in_form,
    "admin-login": admin_login_form,
    "admin-logout": admin_logout_form,
    "admin-change-form": admin_change_form,
    "admin-action": admin_action_form,
    "vote-code": vote_code_form,
    "ballot-vote": ballot_vote_form,
    "ballot-forget": ballot_forget_form,
    "jury-score": jury_score_form,
    "jury-conflict": jury_conflict_form,
    "chair-decision": chair_decision_form,
    "tie-resolution": tie_resolution_form,
}
# The admin change form's valid POST needs every inline's management form; its
# refusal is shown by the CSRF failure page itself, without a control POST.
WITH_CONTROL = [name for name in FORMS if name != "admin-change-form"]


@pytest.fixture
def csrf_client() -> Client:
    return Client(enforce_csrf_checks=True)


def assert_refused_by_csrf(response, caplog) -> None:
    """403, and Django's CSRF check is what refused (it logs why; the page is translated)."""
    assert response.status_code == 403
    reasons = [r.getMessage() for r in caplog.records if r.name == "django.security.csrf"]
    assert len(reasons) == 1
    assert reasons[0].startswith("Forbidden (CSRF")


# --- the tests --------------------------------------------------------------------------------


@pytest.mark.parametrize("name", FORMS)
def test_form_page_renders_a_csrf_token(csrf_client, name):
    form = FORMS[name](csrf_client)

    response = csrf_client.get(form.page)

    assert response.status_code == 200
    assert TOKEN_INPUT.search(response.content.decode())


@pytest.mark.parametrize(
    "page",
    ["/praktyki/zglos/", "/en/practices/submit/", "/konto/logowanie/", "/en/account/sign-in/"],
)
def test_public_form_page_renders_a_csrf_token_in_both_languages(csrf_client, page):
    PracticeTypeFactory()

    html = csrf_client.get(page).content.decode()

    assert len(TOKEN_INPUT.findall(html)) == 1


@pytest.mark.parametrize("name", FORMS)
def test_form_refuses_a_post_without_a_token(csrf_client, caplog, name):
    form = FORMS[name](csrf_client)
    csrf_client.get(form.page)  # the victim has been here: the CSRF cookie is set
    before = (row_counts(), form.state())

    response = csrf_client.post(form.action, form.data)

    assert_refused_by_csrf(response, caplog)
    assert (row_counts(), form.state()) == before


@pytest.mark.parametrize("name", FORMS)
def test_form_refuses_a_post_with_someone_elses_token(csrf_client, caplog, name):
    form = FORMS[name](csrf_client)
    csrf_client.get(form.page)
    # The attacker's own visit gives a well-formed token, but for another cookie.
    attacker = Client(enforce_csrf_checks=True)
    attacker_token = TOKEN_INPUT.search(attacker.get("/konto/logowanie/").content.decode())[1]
    before = (row_counts(), form.state())

    response = csrf_client.post(form.action, {**form.data, "csrfmiddlewaretoken": attacker_token})

    assert_refused_by_csrf(response, caplog)
    assert (row_counts(), form.state()) == before


@pytest.mark.parametrize("name", FORMS)
def test_form_refuses_a_post_without_the_csrf_cookie(csrf_client, caplog, name):
    form = FORMS[name](csrf_client)
    token = TOKEN_INPUT.search(csrf_client.get(form.page).content.decode())[1]
    del csrf_client.cookies["csrftoken"]
    before = (row_counts(), form.state())

    response = csrf_client.post(form.action, {**form.data, "csrfmiddlewaretoken": token})

    assert_refused_by_csrf(response, caplog)
    assert (row_counts(), form.state()) == before


@pytest.mark.parametrize("name", WITH_CONTROL)
def test_form_accepts_the_same_post_with_its_own_token(csrf_client, name):
    form = FORMS[name](csrf_client)
    before = (row_counts(), form.state())

    response = post_with_token(csrf_client, form.page, form.action, form.data)

    assert response.status_code == 302
    assert (row_counts(), form.state()) != before
