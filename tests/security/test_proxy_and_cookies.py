"""The smaller findings of the attack (issue 23, point 12): the scheme is believed only
from the trusted proxy, the language cookie is HttpOnly (and Secure in production), and
static files carry the same framing and sniffing headers as the pages."""

from __future__ import annotations

import pytest

from core.middleware import ClientAddressMiddleware
from tests.security.test_production_settings import PRODUCTION, manage


def _is_secure(rf, **meta) -> bool:
    seen = {}
    middleware = ClientAddressMiddleware(
        lambda request: seen.setdefault("secure", request.is_secure())
    )
    middleware.trusted = {"10.0.0.1"}
    middleware(rf.get("/", **meta))
    return seen["secure"]


def test_https_is_believed_from_the_trusted_proxy_only(rf):
    assert _is_secure(rf, REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_PROTO="https")
    # A visitor talking to the instance directly cannot claim HTTPS (so no "secure"
    # request over plain HTTP, and no skipped SSL redirect).
    assert not _is_secure(rf, REMOTE_ADDR="198.51.100.7", HTTP_X_FORWARDED_PROTO="https")


def test_the_language_cookie_is_http_only(rf, settings):
    # The site switches language by address; should anything set the cookie
    # (Django's set_language does), no script may read it.
    from django.views.i18n import set_language

    request = rf.post("/i18n/setlang/", {"language": "en", "next": "/"})
    response = set_language(request)

    cookie = response.cookies[settings.LANGUAGE_COOKIE_NAME]
    assert cookie.value == "en"
    assert cookie["httponly"] is True
    assert cookie["samesite"] == "Lax"


@pytest.mark.slow
def test_the_language_cookie_is_secure_in_production():
    completed = manage(
        "shell",
        "-c",
        "from django.conf import settings; print(settings.LANGUAGE_COOKIE_SECURE)",
        **PRODUCTION,
    )

    assert completed.stdout.strip().splitlines()[-1] == "True", completed.stderr


@pytest.mark.django_db
def test_static_files_cannot_be_framed_or_sniffed(client):
    response = client.get("/static/css/site.css")
    body = b"".join(response.streaming_content)  # read, so whitenoise's file is closed

    assert body.startswith(b"/* Katalog dobrych praktyk")

    assert response.status_code == 200
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
