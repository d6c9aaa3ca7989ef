"""Production mode: refuses to start half-configured, passes check --deploy, sends the headers."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SECRET = "x" * 20 + "-production-only-test-key-0123456789-abcdefghij"


def manage(*args: str, **env: str) -> subprocess.CompletedProcess:
    environment = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "PYTEST_")) and key != "DATABASE_URL"
    }
    environment.update(env)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=180,
    )


PRODUCTION = {
    "DJANGO_PRODUCTION": "1",
    "DJANGO_SECRET_KEY": SECRET,
    "DJANGO_ALLOWED_HOSTS": "katalog.example.org",
    "DATABASE_URL": "postgres://postgres@127.0.0.1:5432/unused",
}


@pytest.mark.slow
@pytest.mark.parametrize(
    ("missing", "message"),
    [
        ("DJANGO_SECRET_KEY", "DJANGO_SECRET_KEY must be set in production"),
        ("DJANGO_ALLOWED_HOSTS", "DJANGO_ALLOWED_HOSTS must be set in production"),
        ("DATABASE_URL", "DATABASE_URL must be set in production"),
    ],
)
def test_production_refuses_to_start_without_what_it_needs(missing, message):
    env = {key: value for key, value in PRODUCTION.items() if key != missing}

    completed = manage("check", **env)

    assert completed.returncode != 0
    assert message in completed.stderr


@pytest.mark.slow
def test_production_settings_pass_check_deploy_with_no_warnings():
    completed = manage("check", "--deploy", "--fail-level", "WARNING", **PRODUCTION)

    assert completed.returncode == 0, completed.stdout + completed.stderr
    assert "System check identified no issues (0 silenced)." in completed.stdout


@pytest.mark.django_db
def test_every_page_sends_the_security_headers(client):
    response = client.get("/")

    policy = {part.strip() for part in response["Content-Security-Policy"].split(";")}

    assert policy == {
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    }
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "strict-origin-when-cross-origin"


@pytest.mark.django_db
def test_healthz_reports_database_and_cache(client):
    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "cache": "ok"}
    assert response["Cache-Control"] == "no-store"


def test_client_address_comes_from_the_trusted_proxy_only(rf, settings):
    from core.middleware import ClientAddressMiddleware

    seen = {}
    middleware = ClientAddressMiddleware(
        lambda request: seen.setdefault("ip", request.META["REMOTE_ADDR"])
    )
    settings.TRUSTED_PROXIES = ["10.0.0.1"]
    middleware.trusted = {"10.0.0.1"}

    middleware(rf.get("/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.9"))
    through_proxy = seen.pop("ip")
    middleware(rf.get("/", REMOTE_ADDR="198.51.100.7", HTTP_X_FORWARDED_FOR="1.2.3.4"))
    direct = seen.pop("ip")

    assert through_proxy == "203.0.113.9"  # the hop our proxy saw, not the forged first one
    assert direct == "198.51.100.7"  # a client cannot claim another address


@pytest.mark.parametrize(
    ("hop", "seen_address"),
    [
        ("203.0.113.9:8080", "203.0.113.9"),
        ("[2001:db8::1]:443", "2001:db8::1"),
        ("2001:db8::1", "2001:db8::1"),
        ("unknown", "10.0.0.1"),
        ("1.2.3.4 5.6.7.8", "10.0.0.1"),
        ("", "10.0.0.1"),
    ],
)
def test_a_forwarded_hop_counts_only_when_it_is_an_ip_address(rf, hop, seen_address):
    from core.middleware import ClientAddressMiddleware

    seen = {}
    middleware = ClientAddressMiddleware(
        lambda request: seen.setdefault("ip", request.META["REMOTE_ADDR"])
    )
    middleware.trusted = {"10.0.0.1"}

    middleware(rf.get("/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR=hop))

    assert seen["ip"] == seen_address


def _example_variables() -> dict[str, str]:
    """Every variable of .env.example, as it stands there (most of them empty)."""
    values = {}
    for line in (ROOT / ".env.example").read_text().splitlines():
        if line and not line.startswith("#"):
            name, _, value = line.partition("=")
            values[name] = value
    return values


@pytest.mark.slow
def test_the_example_environment_as_written_starts_the_production_settings():
    """Empty values in .env.example mean the defaults, never an empty path or a crash."""
    example = _example_variables()
    assert len(example) > 30  # the file lists the variables, not a handful

    result = manage(
        "shell",
        "--no-imports",
        "-c",
        "from django.conf import settings as s; "
        "print(s.STATIC_ROOT.name, s.MEDIA_ROOT.name, s.LOG_FORMAT, "
        "s.CATALOGUE_EXACT_COUNT_LIMIT, s.SECURE_HSTS_SECONDS)",
        **{**example, **PRODUCTION, "DJANGO_DEBUG": "0"},
    )

    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["staticfiles", "media", "json", "2000", "31536000"]
