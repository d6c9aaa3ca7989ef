"""The site keeps serving when Redis or PostgreSQL fails, and its page cache cannot be
abused: one test per finding of the black-box attack (issue 23, points 1–3 and 9).

The outages are real: the cache points at a loopback port nothing listens on,
the database connection at another. Each test failed on the code before the fix.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from django.core.cache import caches
from django.core.cache.backends.redis import RedisCache
from django.test import Client
from django.urls import reverse

from practices.models import Practice
from tests.competitions.conftest import open_vote
from tests.deploy.support import database_url, free_port
from tests.factories import (
    OrganisationFactory,
    PracticeFactory,
    PracticeTypeFactory,
    TopicFactory,
)

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def redis_down(settings):
    """The shared cache is Redis on a port where nothing listens."""
    settings.CACHES = {
        **settings.CACHES,
        "default": {
            "BACKEND": "core.cache.RedisCache",
            "LOCATION": f"redis://127.0.0.1:{free_port()}/0",
            "KEY_PREFIX": "nobody-listens",
        },
    }
    yield


def _submission(title: str, practice_type, topic) -> dict:
    return {
        "title": title,
        "practice_type": practice_type.pk,
        "topics": [topic.pk],
        "summary": "Codzienne rozmowy z samotnymi seniorami.",
        "description": "Wolontariusze dzwonią codziennie.",
        "started_year": "2020",
        "currency": "PLN",
        "organisation_name": "Gmina Testowo",
        "organisation_kind": "municipality",
        "organisation_country": "PL",
        "contact_name": "Anna Kowalska",
        "contact_email": "anna@example.org",
        "consent": "on",
        "website": "",
    }


# --- 1. Redis down takes the site down ------------------------------------------------


@pytest.mark.django_db
def test_cache_down_every_public_page_is_served_from_the_database(client, redis_down):
    practice = PracticeFactory(title="Telefon do seniora")
    organisation = practice.lead_organisation
    pages = [
        "/",
        "/praktyki/",
        "/praktyki/?q=seniora",
        practice.get_absolute_url(),
        "/organizacje/",
        organisation.get_absolute_url(),
        "/konkursy/",
        "/praktyki/kanal.atom",
        "/praktyki/zglos/",
        "/przeglad/",
    ]

    answers = {path: client.get(path) for path in pages}
    export = client.get("/praktyki/eksport.csv")
    export_body = b"".join(export.streaming_content).decode("utf-8-sig")
    health = client.get("/healthz")

    assert {path: r.status_code for path, r in answers.items()} == dict.fromkeys(pages, 200)
    assert "Telefon do seniora" in answers["/praktyki/"].content.decode()
    assert "Telefon do seniora" in answers["/praktyki/?q=seniora"].content.decode()
    assert "Telefon do seniora" in answers["/praktyki/kanal.atom"].content.decode()
    assert export.status_code == 200
    assert "Telefon do seniora" in export_body
    assert export_body.count("\n") == 2  # the header and the one practice, not cut off
    assert health.status_code == 200
    assert json.loads(health.content) == {
        "status": "degraded",
        "database": "ok",
        "cache": "degraded",
    }


@pytest.mark.django_db
def test_cache_down_submissions_are_stored_and_still_limited_per_process(
    client, redis_down, settings
):
    settings.SUBMISSIONS_PER_HOUR = 2
    practice_type, topic = PracticeTypeFactory(), TopicFactory()

    answers = [
        client.post("/praktyki/zglos/", _submission(f"Zgłoszenie {n}", practice_type, topic))
        for n in range(3)
    ]

    assert [a.status_code for a in answers] == [302, 302, 429]
    assert answers[2]["Retry-After"]
    assert set(Practice.objects.values_list("title", flat=True)) == {"Zgłoszenie 0", "Zgłoszenie 1"}


@pytest.mark.django_db
def test_cache_down_a_voter_enters_a_code_and_votes(client, redis_down):
    vote = open_vote(categories=1, places=3, ballots=1)
    place = {"competition_slug": vote.edition.competition.slug, "year": vote.edition.year}
    code_url = reverse("competitions:vote-code", kwargs=place)
    ballot_url = reverse("competitions:vote-ballot", kwargs=place)
    (ballot, code), category = vote.ballots[0], vote.categories[0]

    form = client.get(code_url)
    wrong = client.post(code_url, {"code": "2222-3333-4444"})
    right = client.post(code_url, {"code": code})
    cast = client.post(
        ballot_url, {"category": category.pk, "entry": vote.laureates[category.pk][0].pk}
    )

    assert (form.status_code, wrong.status_code, right.status_code) == (200, 400, 302)
    assert "Nie znamy takiego kodu" in wrong.content.decode()
    assert cast.status_code == 302
    assert ballot.votes.count() == 1


@pytest.mark.django_db
def test_a_change_made_while_redis_is_down_retires_cached_pages_when_it_is_back(client, settings):
    if not settings.CACHES["default"]["BACKEND"].endswith("RedisCache"):
        pytest.skip("needs the Redis server REDIS_URL names")
    live = {
        **settings.CACHES,
        "default": {**settings.CACHES["default"], "KEY_PREFIX": f"test-{uuid.uuid4().hex}"},
    }
    settings.CACHES = live
    PracticeFactory(title="Stara praktyka")
    before = client.get("/praktyki/").content.decode()  # now in Redis

    settings.CACHES = {
        **live,
        "default": {**live["default"], "LOCATION": f"redis://127.0.0.1:{free_port()}/0"},
    }
    PracticeFactory(title="Nowa praktyka")  # the version cannot be bumped now
    settings.CACHES = live  # Redis answers again, with the page stored before
    after = client.get("/praktyki/").content.decode()

    assert "Nowa praktyka" not in before
    assert "Nowa praktyka" in after


# --- 2. Anyone can fill the shared cache ----------------------------------------------


def _stored_pages() -> int | None:
    """How many pages the shared cache holds for this test (Redis only)."""
    backend = caches["default"]
    if not isinstance(backend, RedisCache):
        return None
    client = backend._cache.get_client()
    return sum(1 for _ in client.scan_iter(match=f"{backend.key_prefix}:*:page:*", count=1000))


@pytest.mark.django_db
def test_utm_flood_stores_one_page_and_serves_it_to_all(client, django_assert_num_queries):
    PracticeFactory(title="Telefon do seniora")
    first = client.get("/praktyki/?utm_source=0")

    with django_assert_num_queries(0):
        flood = [client.get(f"/praktyki/?utm_source={n}&fbclid=x{n}") for n in range(1, 300)]

    assert {response.content for response in flood} == {first.content}
    assert "utm_source" not in first.content.decode()
    assert _stored_pages() in (None, 1)


@pytest.mark.django_db
def test_filters_in_any_order_share_one_cached_page(client, django_assert_num_queries):
    PracticeFactory(title="Telefon do seniora")
    first = client.get("/praktyki/?type=social&country=PL&q=seniora")

    with django_assert_num_queries(0):
        reordered = client.get("/praktyki/?q=seniora&country=PL&type=social&utm_medium=mail")

    assert reordered.content == first.content
    assert _stored_pages() in (None, 1)


# --- 3. One request rewrites everyone's canonical links -------------------------------


@pytest.mark.django_db
def test_host_header_never_reaches_canonical_og_url_or_json_ld(client, settings):
    settings.SITE_URL = "https://katalog.example.org"
    settings.ALLOWED_HOSTS = ["katalog.example.org", "localhost"]
    practice = PracticeFactory()
    OrganisationFactory()
    path = practice.get_absolute_url()
    address = f"https://katalog.example.org{path}"

    spoofed = client.get(path, HTTP_HOST="localhost").content.decode()
    regular = client.get(path, HTTP_HOST="katalog.example.org").content.decode()
    organisation = client.get(
        practice.lead_organisation.get_absolute_url(), HTTP_HOST="localhost"
    ).content.decode()
    feed = client.get("/praktyki/kanal.atom", HTTP_HOST="localhost").content.decode()
    sitemap = client.get("/sitemap.xml", HTTP_HOST="localhost").content.decode()
    robots = client.get("/robots.txt", HTTP_HOST="localhost").content.decode()

    for page in (spoofed, regular):
        assert f'<link rel="canonical" href="{address}">' in page
        assert f'<meta property="og:url" content="{address}">' in page
        assert f'"url": "{address}"' in page
        assert "localhost" not in page
    assert "https://katalog.example.org/organizacje/" in organisation
    assert "localhost" not in organisation
    assert f'<link href="{address}"' in feed
    assert "localhost" not in feed
    assert f"<loc>{address}</loc>" in sitemap
    assert "localhost" not in sitemap
    assert "Sitemap: https://katalog.example.org/sitemap.xml" in robots


# --- 9. Out of database connections is a 500 ------------------------------------------


def test_database_down_answers_503_with_retry_after_and_the_error_page(
    django_db_blocker, monkeypatch
):
    from django.db import connection

    from core import views

    client = Client(raise_request_exception=False)
    # This process has not seen the database answer (so /healthz gives no grace).
    monkeypatch.setattr(views, "_database_answered", {"at": None}, raising=False)
    with django_db_blocker.unblock():
        saved = dict(connection.settings_dict)
        connection.close()
        connection.settings_dict.update(HOST="127.0.0.1", PORT=str(free_port()))
        try:
            page = client.get("/organizacje/")
            english = client.get("/en/organisations/")
            health = client.get("/healthz")
        finally:
            connection.close()
            connection.settings_dict.clear()
            connection.settings_dict.update(saved)

    assert page.status_code == 503
    assert page["Retry-After"] == "10"
    assert page["Cache-Control"] == "no-store"
    assert "<h1>Serwis chwilowo niedostępny</h1>" in page.content.decode()
    assert english.status_code == 503
    assert '<html lang="en">' in english.content.decode()
    assert health.status_code == 503
    assert json.loads(health.content)["database"] == "error: OperationalError"


def test_psycopg_pool_serves_queries_when_database_pool_is_set(django_db_blocker):
    """DATABASE_POOL=1 turns on psycopg's pool (tests/deploy/test_resilience.py serves
    pages through it under load); connections return to it between requests."""
    script = (
        "import django, json; django.setup()\n"
        "from django.db import connection, close_old_connections\n"
        "for _ in range(3):\n"
        "    with connection.cursor() as c: c.execute('SELECT 1')\n"
        "    close_old_connections(); connection.close()\n"
        "print(json.dumps({'pool': connection.pool is not None,"
        " 'stats': connection.pool.get_stats() if connection.pool else None}))\n"
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "PYTEST_"))}
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings",
        DATABASE_POOL="1",
        DATABASE_POOL_MAX_SIZE="2",
    )
    with django_db_blocker.unblock():  # database_url() reads the test connection's settings
        env["DATABASE_URL"] = database_url("postgres")
    completed = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True
    )

    assert completed.returncode == 0, (env["DATABASE_URL"], completed.stderr[-600:])
    result = json.loads(completed.stdout.strip().splitlines()[-1])
    assert result["pool"] is True
    assert result["stats"]["pool_max"] == 2
    assert result["stats"]["requests_num"] == 3  # three connections asked of the pool
    assert result["stats"]["connections_num"] <= 2  # and at most its size opened
