"""Real-browser tests: Debian's Chromium, driven by Playwright, against a live server
that serves the real catalogue (fixtures/catalogue/) from the test database.

How the data reaches the server. The server answers in its own thread, which cannot
see a test's uncommitted transaction, and pytest-django's `live_server` fixture makes
every test that uses it transactional: the database is flushed after each test, so
the catalogue would be copied in again for every test and flushed after it. Instead
the `site` fixture below copies the catalogue in once per test module, committed,
starts a server for that module (the same `LiveServer` class pytest-django's fixture uses) and
flushes the database when the module is done, as a transactional test would. Browser
tests only read, so they cannot change what the next test sees; each test still gets
a fresh browser context (no cookies, no history) from pytest-playwright.

pytest_collection_modifyitems below gives every test in this folder the `django_db`
mark (without it pytest-django would not create the test database when only browser
tests run; the mark wraps each test in a transaction of the test's own thread, which
is harmless: the tests do not write, and the catalogue was committed before) and runs
them after all the other tests, as Django runs its live-server tests last.

Database connections while Playwright runs. Playwright's sync API keeps an asyncio
loop running in the test's thread, so Django keeps that thread's connections in a
separate, context-local store (and would refuse to use them without
DJANGO_ALLOW_ASYNC_UNSAFE). pytest-django's final teardown, after Playwright has
stopped, cannot see those connections, and an open one keeps it from dropping the
test database; `_connections_closed_before_playwright_stops` closes them first.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

# Set before any test runs: the fixtures below load and flush the catalogue from the
# test's thread while Playwright's event loop is running in it.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

HERE = Path(__file__).resolve().parent

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

PHONE = {"width": 390, "height": 844}


NO_BROWSER = pytest.mark.skip(
    reason=f"{CHROMIUM} is missing: install Debian's package (apt-get install chromium); "
    "python3 dev.py test does it when run as root, and CI always does"
)


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    browser, other = [], []
    have_browser = os.path.exists(CHROMIUM)
    for item in items:
        if HERE in item.path.parents:
            item.add_marker(pytest.mark.django_db)
            if not have_browser:
                item.add_marker(NO_BROWSER)
            browser.append(item)
        else:
            other.append(item)
    items[:] = other + browser


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict) -> dict:
    """Debian's Chromium (never a downloaded browser), headless and offline."""
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_ARGS}


@pytest.fixture(scope="session")
def base_url(pytestconfig) -> str | None:
    """The same value as pytest-playwright's own `base_url` fallback (used when
    pytest-base-url is not installed). That one is a session fixture defined as an
    instance method of a plugin object, which pytest 9 deprecates with a
    PytestRemovedIn10Warning, an error under `filterwarnings = error`; a plain
    function gives the same value without the warning."""
    return pytestconfig.getoption("--base-url", None) or pytestconfig.getini("base_url") or None


@pytest.fixture(scope="session")
def _connections_closed_before_playwright_stops(playwright, django_db_setup, django_db_blocker):
    """Set up after Playwright starts, so torn down before it stops (see the module
    docstring): closes the connections opened while its loop was running."""
    yield
    from django.db import connections

    with django_db_blocker.unblock():
        connections.close_all()


@pytest.fixture(scope="module")
def site(_connections_closed_before_playwright_stops, catalogue_snapshot, django_db_blocker):
    """The base URL (no trailing slash) of a live server showing the real catalogue.

    Copied once for the module from the session's snapshot (tests/conftest.py) and
    committed, so the server's thread sees it; the database is flushed afterwards, as
    after a transactional test, so no other test sees it.
    """
    from django.core.management import call_command
    from django.db import connection, transaction
    from pytest_django.live_server_helper import LiveServer

    from core.pagecache import catalogue_changed
    from tests.conftest import copy_from_snapshot

    with django_db_blocker.unblock():
        # Never fill (and then flush) anything but the test database.
        assert connection.settings_dict["NAME"].startswith("test_"), connection.settings_dict
        with transaction.atomic(), connection.cursor() as cursor:
            for table, pk in catalogue_snapshot:
                copy_from_snapshot(cursor, table)
                # The rows keep their ids; the next row a test's server (or a module's
                # fixture) adds must not reuse one after a flush reset the sequence.
                cursor.execute("SELECT pg_get_serial_sequence(%s, %s)", [table, pk or "id"])
                sequence = cursor.fetchone()[0]
                if sequence:
                    cursor.execute(
                        f'SELECT setval(%s, COALESCE((SELECT MAX("{pk}") FROM "{table}"), 0) + 1,'
                        " false)",
                        [sequence],
                    )
        catalogue_changed()
    server = LiveServer(os.environ.get("DJANGO_LIVE_TEST_SERVER_ADDRESS", "localhost"))
    server._live_server_modified_settings.enable()
    try:
        yield server.url
    finally:
        server._live_server_modified_settings.disable()
        server.stop()
        with django_db_blocker.unblock():
            call_command("flush", interactive=False, verbosity=0)


def _describe(violation: dict) -> str:
    lines = [f"- {violation['id']} ({violation['impact']}): {violation['help']}"]
    for node in violation["nodes"]:
        target = " ".join(
            ", ".join(part) if isinstance(part, list) else part for part in node["target"]
        )
        html = " ".join(node.get("html", "").split())
        if len(html) > 160:
            html = html[:157] + "..."
        lines.append(f"    {target}    {html}")
        summary = " ".join(node.get("failureSummary", "").split())
        if summary:
            lines.append(f"      {summary[:300]}")
    return "\n".join(lines)


def assert_no_axe_violations(page) -> None:
    """Run axe-core (every rule it runs by default, WCAG 2.1 AA included) on the page
    as it is now; fail listing each violation: rule, impact, the elements (selectors)."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    if results.violations_count:
        violations = results.response["violations"]
        report = "\n".join(_describe(violation) for violation in violations)
        pytest.fail(
            f"axe-core found {len(violations)} violation(s) on {page.url}:\n{report}",
            pytrace=False,
        )
