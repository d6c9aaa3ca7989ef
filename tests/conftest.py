from contextlib import contextmanager

import pytest
from django.db import IntegrityError, transaction

# Tables PostgreSQL's own triggers fill from the practices (migrations 0005, 0007).
KEPT_BY_TRIGGERS = {"practices.FacetCount", "practices.FacetPairCount"}


@contextmanager
def after_commit():
    """Run, at the end of the block, what its writes left for after their commit.

    A test's transaction never commits, so `transaction.on_commit` callbacks (the
    catalogue's index flush, e-mails) would never run; this runs them as the
    commit would, callbacks added by callbacks included.
    """
    from django.test import TestCase

    with TestCase.captureOnCommitCallbacks(execute=True) as callbacks:
        yield callbacks


@contextmanager
def refused_by_database(constraint: str):
    """Assert that the database itself refuses the write, naming `constraint`.

    The write runs in a savepoint, so the test can go on using the database.
    """
    with pytest.raises(IntegrityError) as refusal, transaction.atomic():
        yield
    cause = refusal.value.__cause__
    named = getattr(getattr(cause, "diag", None), "constraint_name", None)
    assert named == constraint, f"refused, but not by {constraint}: {named}: {refusal.value}"


def _catalogue_tables() -> list[tuple[str, str | None]]:
    """(table, id sequence column) of every table the catalogue fills, parents first."""
    from django.apps import apps
    from django.core.serializers import sort_dependencies

    app_list = [
        (apps.get_app_config(label), None)
        for label in ("organisations", "practices", "competitions")
    ]
    tables = []
    for model in sort_dependencies(app_list):
        if model._meta.proxy or model._meta.label in KEPT_BY_TRIGGERS:
            continue  # PostgreSQL's triggers count the practices copied back
        tables.append((model._meta.db_table, model._meta.pk.column))
        for field in model._meta.local_many_to_many:
            through = field.remote_field.through
            if through._meta.auto_created:
                tables.append((through._meta.db_table, "id"))
    return tables


def copy_from_snapshot(cursor, table: str) -> None:
    """Copy a table's rows back from its snapshot; PostgreSQL computes generated columns."""
    cursor.execute(
        "SELECT string_agg(quote_ident(column_name), ', ' ORDER BY ordinal_position) "
        "FROM information_schema.columns "
        "WHERE table_schema = current_schema() AND table_name = %s AND is_generated = 'NEVER'",
        [table],
    )
    columns = cursor.fetchone()[0]
    cursor.execute(f'INSERT INTO "{table}" ({columns}) SELECT {columns} FROM "snapshot_{table}"')


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup):
    """pytest-django's test databases, and before they are dropped, the connections
    that the threads reading aside hold (core.aside) closed: PostgreSQL refuses to drop
    a database while a connection to it is open."""
    from core.aside import close_threads

    yield
    close_threads()


@pytest.fixture(scope="session")
def catalogue_snapshot(django_db_setup, django_db_blocker):
    """The real catalogue, loaded once per test session into snapshot tables.

    Loading through the services takes seconds; copying the rows back takes
    milliseconds. The snapshot tables are not Django models, so a transactional
    test's flush leaves them alone.
    """
    from django.db import connection, transaction

    from catalogue.fixtures import load_catalogue, read_catalogue
    from catalogue.index.refresh import index_flush

    tables = _catalogue_tables()
    with django_db_blocker.unblock(), transaction.atomic(), connection.cursor() as cursor:
        load_catalogue(read_catalogue())
        index_flush()  # what the load's commit would do; the snapshot never commits
        for table, _pk in tables:
            cursor.execute(f'DROP TABLE IF EXISTS "snapshot_{table}"')
            cursor.execute(f'CREATE TABLE "snapshot_{table}" AS TABLE "{table}"')
        names = ", ".join(f'"{table}"' for table, _pk in tables)
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute(f"TRUNCATE {names} CASCADE")
    return tables


@pytest.fixture
def catalogue(db, catalogue_snapshot):
    """The real catalogue from fixtures/catalogue/, in this test's transaction."""
    from django.db import connection

    from core.pagecache import catalogue_changed

    with connection.cursor() as cursor:
        for table, pk in catalogue_snapshot:
            copy_from_snapshot(cursor, table)
            if pk == "id":
                # Keep the id sequence ahead of the copied rows, for rows a test adds.
                cursor.execute(
                    f"SELECT setval(pg_get_serial_sequence('\"{table}\"', 'id'), "
                    f'(SELECT coalesce(max(id), 0) + 1 FROM "{table}"), false)'
                )
    # A write in raw SQL, like the services' bulk writes: what was read of the catalogue
    # before it (the vocabulary a process keeps, cached pages) is out of date.
    catalogue_changed()


@pytest.fixture(scope="session", autouse=True)
def _cache_prefix_per_worker(worker_id):
    """Each test worker's live servers get cache keys of their own.

    A live server answers in its own thread, which builds its own cache backend from
    settings (not the per-test prefix below). With Redis shared by the workers, two
    workers' servers serving the same address from two different test databases (the
    training edition's page, at different stages) would otherwise serve each other's
    cached pages.
    """
    from django.conf import settings

    default = settings.CACHES["default"]
    default["KEY_PREFIX"] = f"{default.get('KEY_PREFIX', '')}-{worker_id}"
    yield


@pytest.fixture(scope="session", autouse=True)
def _jinja2_pages_report_their_context():
    """`response.context` of a Jinja2 page (catalogue/jinja2.py), as of a Django template's.

    Django's test environment sends `template_rendered` for its own template language
    only (django.test.utils.instrumented_test_render); the test client collects the
    context from that signal. This sends it for a page the Jinja2 backend renders too.
    """
    from django.template.backends.jinja2 import Template
    from django.test.signals import template_rendered

    render = Template.render

    def render_and_report(self, context=None, request=None):
        content = render(self, context, request)
        template_rendered.send(sender=self, template=self, context=context or {})
        return content

    Template.render = render_and_report
    yield
    Template.render = render


@pytest.fixture(autouse=True)
def _default_language():
    """Each test starts in the site's default language, and leaves it so.

    A test-client request to /en/ or /uk/ activates that language in the test's
    thread (LocaleMiddleware never deactivates it), so without this the next test
    on the same worker would reverse() English addresses.
    """
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.deactivate()


def forget_cache() -> None:
    """Start the cache afresh (cached pages, counts, rate limits), also within a test.

    With Redis (REDIS_URL, as in CI) the cache is shared by every test worker, so the
    test gets keys of its own instead of flushing everybody's.
    """
    import uuid

    from django.core.cache import caches
    from django.core.cache.backends.redis import RedisCache

    from core.pagecache import forget_local_pages

    forget_local_pages()
    backend = caches["default"]
    if isinstance(backend, RedisCache):
        backend.key_prefix = f"test-{uuid.uuid4().hex}"
    else:
        backend.clear()


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Each test starts with an empty cache (forget_cache) and leaves it as it found it:
    Redis under the prefix it had, a local cache emptied."""
    from django.core.cache import caches
    from django.core.cache.backends.redis import RedisCache

    backend = caches["default"]
    original = backend.key_prefix
    forget_cache()
    yield
    if isinstance(backend, RedisCache):
        backend.key_prefix = original
    else:
        backend.clear()


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    """Uploads written by a test go to its own temporary folder."""
    settings.MEDIA_ROOT = tmp_path / "media"
