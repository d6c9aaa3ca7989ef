"""Finding 11: a NUL byte in 12 admin list filters was a 500 (PostgreSQL refuses NUL in
text). Every registered changelist, every parameter of its filters, its search, its
date drill-down and its ordering, with NUL and other malformed values, as a superuser:
a 400 with the site's error page for a NUL, the admin's own handling for the rest, never
a 500."""

import pytest
from django.contrib import admin
from django.urls import reverse

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

MALFORMED = ["\x00", "a\x00", "abc", "9" * 25, "2020-02-30", "1,x"]


def changelists() -> list[str]:
    return sorted(
        f"{model._meta.app_label}.{model._meta.model_name}" for model in admin.site._registry
    )


@pytest.fixture
def superuser_client(client, catalogue):
    client.force_login(UserFactory(username="root", is_staff=True, is_superuser=True))
    client.raise_request_exception = False  # a server error is a 500 in the list, not a stop
    return client


def parameters(client, url: str) -> list[str]:
    """The query parameters the changelist's filters, search and drill-down read."""
    response = client.get(url)
    assert response.status_code == 200, url
    changelist = response.context["cl"]
    names = {name for spec in changelist.filter_specs for name in spec.expected_parameters()}
    if changelist.search_fields:
        names.add("q")
    if changelist.date_hierarchy:
        field = changelist.date_hierarchy
        names.update({f"{field}__year", f"{field}__month", f"{field}__day"})
    return sorted(names | {"o", "p"})


@pytest.mark.parametrize("label", changelists())
def test_malformed_filter_values_are_never_a_server_error(superuser_client, label):
    app_label, model_name = label.split(".")
    url = reverse(f"admin:{app_label}_{model_name}_changelist")
    failures = []

    for name in parameters(superuser_client, url):
        for value in MALFORMED:
            response = superuser_client.get(url, {name: value})
            expected = {400} if "\x00" in value else {200, 302}
            if response.status_code not in expected:
                failures.append((name, value, response.status_code))

    assert failures == []


def test_a_nul_byte_gets_the_sites_error_page(superuser_client):
    response = superuser_client.get("/admin/practices/practice/", {"q": "a\x00b"})

    assert response.status_code == 400
    assert "<h1>Nieprawidłowe zapytanie</h1>" in response.content.decode()


def test_a_nul_byte_in_an_autocomplete_search_is_refused(superuser_client):
    response = superuser_client.get(
        "/admin/autocomplete/",
        {
            "term": "Gmina\x00",
            "app_label": "practices",
            "model_name": "practice",
            "field_name": "lead_organisation",
        },
    )

    assert response.status_code == 400
