"""SQL-looking input is only ever data: no error, no delay, nothing deleted or added.

Each input goes in as the search query, as the value of every filter, into the
organisation search, the voting code, the sign-in and submission forms, and as
the path segments that name a practice, an organisation, a competition or a
jury's edition. Every answer must be an ordinary one (200, 302, 400 or 404),
quick (pg_sleep(5) never ran), and the rows stay as they were.
"""

from __future__ import annotations

import re
import time
from urllib.parse import quote, urlencode

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from competitions.models import Ballot, Entry, Vote
from organisations.models import Organisation
from practices.models import Practice
from tests.competitions.conftest import open_vote
from tests.factories import UserFactory
from tests.security.names import ORGANISATION_FILTERS, PRACTICE_FILTERS

pytestmark = pytest.mark.django_db

SQL_INPUTS = [
    "' OR 1=1 --",
    "1; DROP TABLE practices_practice",
    "%' AND pg_sleep(5) --",
    "\\x00",
    "$$",
    "'); DELETE FROM organisations_organisation; --",
    "1' AND (SELECT pg_sleep(5)) IS NULL --",
    "' UNION SELECT username, password FROM auth_user --",
    "$$; SELECT pg_sleep(5); $$",
    "a') | ('b' & !'c':* <-> 'd",  # tsquery operators
    "\\'; SELECT pg_sleep(5); --",
    "%_%",
]
ANSWERS = {200, 302, 400, 404}
SLOW = 4.5  # seconds: any injected pg_sleep(5) takes longer; a loaded CI machine may not


def row_counts() -> dict[str, int]:
    return {
        "practices": Practice.objects.count(),
        "organisations": Organisation.objects.count(),
        "entries": Entry.objects.count(),
        "ballots": Ballot.objects.count(),
        "votes": Vote.objects.count(),
        "users": get_user_model().objects.count(),
    }


class Timed:
    """Sends requests and keeps (what, status, seconds) of each answer."""

    def __init__(self, client: Client):
        self.client = client
        self.answers: list[tuple[str, int, float]] = []

    def send(self, what: str, method: str, path: str, data=None, **extra):
        started = time.monotonic()
        response = getattr(self.client, method)(path, data, **extra)
        if response.streaming:
            b"".join(response.streaming_content)
        self.answers.append((what, response.status_code, time.monotonic() - started))
        return response

    def unusual(self) -> list[tuple[str, int, float]]:
        return [a for a in self.answers if a[1] not in ANSWERS or a[2] >= SLOW]


@pytest.fixture
def timed(client, settings) -> Timed:
    # A sign-in hashes the password even for an unknown user; a fast hasher keeps that
    # from counting against the time limit, which is there to catch pg_sleep(5).
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    return Timed(client)


@pytest.mark.parametrize("value", SQL_INPUTS)
def test_sql_in_every_catalogue_filter_is_harmless(timed, catalogue, value):
    before = row_counts()

    for name in PRACTICE_FILTERS:
        query = "?" + urlencode({name: value})
        timed.send(f"list {name}", "get", "/praktyki/" + query)
        timed.send(f"list en {name}", "get", "/en/practices/" + query)
    everything = "?" + urlencode([(name, value) for name in PRACTICE_FILTERS])
    for path in ("/praktyki/", "/praktyki/eksport.csv", "/praktyki/eksport.json"):
        timed.send(f"{path} all filters", "get", path + everything)
    timed.send("feed all filters", "get", "/praktyki/kanal.atom" + everything)

    assert timed.unusual() == []
    assert row_counts() == before


@pytest.mark.parametrize("value", SQL_INPUTS)
def test_sql_search_is_a_search_for_its_words_only(client, catalogue, value):
    words_only = " ".join(re.findall(r"\w+", value))

    response = client.get("/praktyki/?" + urlencode({"q": value}))
    plain = client.get("/praktyki/?" + urlencode({"q": words_only}))

    # The quotes, dashes and operators change nothing: "OR 1=1" finds what "OR 1 1" finds.
    assert response.status_code == 200
    assert [p.pk for p in response.context["practices"]] == [
        p.pk for p in plain.context["practices"]
    ]
    assert response.context["result_count"] == plain.context["result_count"]


@pytest.mark.parametrize("value", SQL_INPUTS)
def test_sql_in_the_organisation_search_and_filters_is_harmless(timed, catalogue, value):
    before = row_counts()

    for name in ORGANISATION_FILTERS:
        query = "?" + urlencode({name: value})
        timed.send(f"organisations {name}", "get", "/organizacje/" + query)
        timed.send(f"organisations en {name}", "get", "/en/organisations/" + query)

    assert timed.unusual() == []
    assert row_counts() == before


@pytest.mark.parametrize("value", SQL_INPUTS)
def test_sql_in_path_segments_is_not_found(timed, catalogue, value):
    segment = quote(value, safe="")
    signed_in = UserFactory()
    before = row_counts()

    for template in [
        "/praktyki/{}/",
        "/en/practices/{}/",
        "/organizacje/{}/",
        "/konkursy/{}/",
        "/konkursy/{}/2020/",
        "/konkursy/konkurs-dobrych-praktyk-kongresu/{}/",
        "/konkursy/{}/2020/glosowanie/",
        "/konkursy/{}/2020/wyniki.csv",
    ]:
        response = timed.send(template, "get", template.format(segment))
        assert response.status_code == 404, template
    timed.client.force_login(signed_in)
    timed.send("jury edition", "get", f"/konkursy/jury/{segment}/")
    timed.send("jury entry", "get", f"/konkursy/jury/{segment}/zgloszenia/1/")

    assert timed.unusual() == []
    assert row_counts() == before


@pytest.mark.parametrize("value", SQL_INPUTS)
def test_sql_in_the_forms_is_harmless(timed, catalogue, value):
    vote = open_vote()
    code_url = vote.edition.get_absolute_url() + "glosowanie/"
    before = row_counts()

    # Each from its own address, so the wrong-code throttle does not answer for the form.
    for number, code in enumerate([value, value[:40], f"ABCD-{value}"]):
        timed.send("vote code", "post", code_url, {"code": code}, REMOTE_ADDR=f"10.0.0.{number}")
    timed.send("sign-in", "post", "/konto/logowanie/", {"username": value, "password": value})
    timed.send("admin sign-in", "post", "/admin/login/", {"username": value, "password": value})
    submission = {
        "title": value,
        "summary": value,
        "organisation_name": value,
        "organisation_country": value,
        "practice_type": value,
        "topics": [value],
        "contact_name": value,
        "contact_email": value,
        "started_year": value,
        "total_value": value,
        "currency": value,
    }
    timed.send("submission", "post", "/praktyki/zglos/", submission)

    assert timed.unusual() == []
    assert row_counts() == before


@pytest.mark.parametrize("value", SQL_INPUTS)
def test_sql_looking_code_is_refused_before_any_ballot_is_looked_up(client, value):
    vote = open_vote()
    code_url = vote.edition.get_absolute_url() + "glosowanie/"

    with CaptureQueriesContext(connection) as queries:
        response = client.post(code_url, {"code": value})

    assert response.status_code == 400
    assert response.context["form"].errors["code"]  # too long, or not shaped like a code
    assert not [q for q in queries if "competitions_ballot" in q["sql"]]


# --- a NUL byte (%00): PostgreSQL refuses it in text, so it must never reach a query ------


def nul(path: str, name: str):
    return pytest.param(path, name, id=f"{path}?{name}")


@pytest.mark.parametrize(
    ("path", "name"),
    [
        *(nul("/praktyki/", name) for name in PRACTICE_FILTERS),
        nul("/praktyki/eksport.csv", "region"),
        nul("/praktyki/eksport.json", "organisation"),
        nul("/praktyki/kanal.atom", "region"),
        nul("/organizacje/", "q"),
        nul("/organizacje/", "kind"),
        nul("/organizacje/", "region"),
    ],
)
def test_nul_byte_in_a_filter_is_ignored(catalogue, path, name):
    client = Client(raise_request_exception=False)

    response = client.get(f"{path}?{name}=a%00b")
    if response.streaming:
        b"".join(response.streaming_content)

    assert response.status_code == 200


@pytest.mark.parametrize(
    ("path", "data"),
    [
        ("/praktyki/zglos/", {"title": "a\x00b", "organisation_name": "\x00"}),
        ("/konto/logowanie/", {"username": "a\x00b", "password": "\x00"}),
        ("/admin/login/", {"username": "a\x00b", "password": "\x00"}),
    ],
)
def test_nul_byte_in_a_form_is_refused_by_the_form(catalogue, path, data):
    client = Client(raise_request_exception=False)
    before = row_counts()

    response = client.post(path, data)

    assert response.status_code == 200  # the form again, with its errors
    assert row_counts() == before


def test_nul_byte_in_a_vote_code_is_refused_by_the_form(catalogue):
    vote = open_vote()
    client = Client(raise_request_exception=False)

    response = client.post(vote.edition.get_absolute_url() + "glosowanie/", {"code": "\x00"})

    assert response.status_code == 400
    assert not Vote.objects.exists()
