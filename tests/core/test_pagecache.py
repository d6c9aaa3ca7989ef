"""Anonymous pages come from the shared cache until the catalogue changes."""

import pytest

from practices.services import practice_change_status
from tests.factories import PracticeFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_second_anonymous_request_is_served_without_touching_the_database(
    client, django_assert_num_queries
):
    PracticeFactory(title="Pierwsza")
    first = client.get("/praktyki/")

    with django_assert_num_queries(0):
        second = client.get("/praktyki/")

    assert second.content == first.content
    assert second["Cache-Control"] == "public, max-age=60"
    assert second["ETag"] == first["ETag"]
    assert second["Last-Modified"] == first["Last-Modified"]


def test_matching_etag_gets_304_not_modified(client):
    PracticeFactory()
    etag = client.get("/").headers["ETag"]

    response = client.get("/", HTTP_IF_NONE_MATCH=etag)

    assert response.status_code == 304
    assert response.content == b""


def test_publishing_a_practice_refreshes_the_cached_pages(
    client, django_capture_on_commit_callbacks
):
    PracticeFactory(title="Stara")
    draft = PracticeFactory(title="Nowa", status="draft", published_at=None)
    before = client.get("/praktyki/").content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        practice_change_status(practice=draft, to_status="published", by=None)
    after = client.get("/praktyki/").content.decode()

    assert "Nowa" not in before
    assert "Nowa" in after


def test_editing_an_organisation_refreshes_pages_that_show_it(client):
    practice = PracticeFactory()
    client.get(f"/praktyki/{practice.slug}/")

    practice.lead_organisation.name = "Gmina Po Zmianie Nazwy"
    practice.lead_organisation.save()

    assert "Gmina Po Zmianie Nazwy" in client.get(f"/praktyki/{practice.slug}/").content.decode()


def test_signed_in_people_get_fresh_private_pages(client):
    PracticeFactory()
    client.force_login(UserFactory())

    response = client.get("/praktyki/")

    assert "private" in response["Cache-Control"]
    assert "no-cache" in response["Cache-Control"]


def _count_shared_cache_calls(monkeypatch) -> list[str]:
    """The shared cache's calls from here on, counting only the outermost ones
    (the local-memory backend's get_many calls get)."""
    from django.core.cache import cache

    calls, depth = [], [0]

    def counted(name, real):
        def call(*args, **kwargs):
            if not depth[0]:
                calls.append(name)
            depth[0] += 1
            try:
                return real(*args, **kwargs)
            finally:
                depth[0] -= 1

        return call

    for name in ("get", "get_many", "set", "add", "incr"):
        monkeypatch.setattr(cache, name, counted(name, getattr(cache, name)))
    return calls


def test_a_page_this_process_holds_is_served_without_asking_the_shared_cache(client, monkeypatch):
    PracticeFactory()
    first = client.get("/praktyki/")
    calls = _count_shared_cache_calls(monkeypatch)

    second = client.get("/praktyki/")

    assert second.status_code == 200
    assert second.content == first.content
    assert calls == []


def test_after_the_recheck_window_a_cached_page_costs_one_round_trip(client, monkeypatch, settings):
    """The version and the page are read together (one MGET on Redis), nothing else."""
    from core import pagecache

    settings.CATALOGUE_VERSION_RECHECK_SECONDS = 0
    PracticeFactory()
    client.get("/praktyki/")
    pagecache.caches["pages"].clear()  # as in another process that never served it
    calls = _count_shared_cache_calls(monkeypatch)

    response = client.get("/praktyki/")
    again = client.get("/praktyki/")

    assert response.status_code == again.status_code == 200
    assert calls == ["get_many", "get_many"]


def _written_elsewhere(practice, *, title: str) -> None:
    """A write this process hears nothing of (another instance's, or plain SQL)."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE practices_practice SET title = %s WHERE id = %s", [title, practice.pk]
        )


def test_another_instance_s_write_reaches_this_process_after_the_recheck_window(client, settings):
    """A bump made elsewhere (only the shared version changes) is seen once the
    window this process trusts its version for has passed."""
    from django.core.cache import cache

    from core import pagecache

    practice = PracticeFactory(title="Przed zmianą")
    client.get("/praktyki/")
    _written_elsewhere(practice, title="Po zmianie")
    cache.set(pagecache.VERSION_KEY, cache.get(pagecache.VERSION_KEY) + 1, timeout=None)

    within_window = client.get("/praktyki/").content.decode()
    settings.CATALOGUE_VERSION_RECHECK_SECONDS = 0  # the window has passed
    after_window = client.get("/praktyki/").content.decode()

    assert "Przed zmianą" in within_window
    assert "Po zmianie" in after_window


def test_a_page_stored_under_an_older_version_is_not_served(client):
    from core.pagecache import catalogue_changed

    practice = PracticeFactory(title="Przed zmianą")
    client.get("/praktyki/")
    _written_elsewhere(practice, title="Po zmianie")  # no signal here: no bump
    assert "Przed zmianą" in client.get("/praktyki/").content.decode()

    catalogue_changed()

    assert "Po zmianie" in client.get("/praktyki/").content.decode()
