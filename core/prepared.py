"""Statements prepared on the server: parsed once per connection, planned once when
their plan cannot depend on their values.

Django binds parameters on the client (its default with psycopg 3): PostgreSQL parses,
analyses and plans every statement afresh. Most of a page's statements need that, since
their best plan depends on their values (a filter that selects a tenth of the catalogue
or half of it). A few do not: the statements the catalogue compiles once per process and
runs on every page with other ids or another slug (the cards of a page, a practice, an
organisation), each reading rows through a unique index whatever the values. For them
the parsing and the planning were most of PostgreSQL's work (a card statement: 0.3 ms
to parse and 0.8 ms to plan the table's 38 indexes, 0.9 ms to run; bench/README.md).

`prepared_cursor(alias)` is a cursor of Django's connection `alias` (its health checks,
its thread checks, its query log and execute wrappers: a test that counts queries counts
these) whose statements psycopg prepares on the server, each under a name of its own,
with its parameters bound there. After five runs PostgreSQL keeps a generic plan where
it costs no more than the plans made for the values (plan_cache_mode = auto).

Use it only for a statement whose text is the same from one request to the next and
whose plan is one for every value; the rest stay on Django's cursors. With
DATABASE_PREPARED_STATEMENTS=0 (a connection pooler that cannot keep prepared
statements: PgBouncer before 1.21, or in transaction mode without
max_prepared_statements) it is Django's cursor.
"""

from __future__ import annotations

from contextlib import contextmanager

from django.conf import settings
from django.db import connections
from django.db.backends.postgresql.base import CursorDebugWrapper, ServerBindingCursor
from django.db.backends.postgresql.psycopg_any import register_tzloader
from django.db.backends.utils import CursorWrapper
from psycopg.postgres import types
from psycopg.pq import Format


class PreparingCursor(ServerBindingCursor):
    """Django's server-binding cursor, preparing every statement it runs."""

    def execute(self, query, params=None, *, prepare=None, binary=None):
        prepare = True if prepare is None else prepare
        return super().execute(query, params, prepare=prepare, binary=binary)


class LoggedPreparedCursor(CursorDebugWrapper):
    """Django's logging cursor (DEBUG, a test's CaptureQueriesContext) for a preparing
    one: it logs each statement with its values in place, as it logs its own. (Django
    reads them from the cursor as a client-binding cursor keeps them; a statement bound
    on the server keeps none, and would be logged as None.)"""

    def execute(self, sql, params=None):
        logged = sql if params is None else self.db.ops.compose_sql(sql, params)
        with self.debug_sql(logged, params):
            return CursorWrapper.execute(self, sql, params)


_TIMESTAMPTZ = types["timestamptz"].oid


@contextmanager
def prepared_cursor(alias: str):
    """A cursor of Django's connection `alias` (module doc) whose statements are prepared
    on the server, or Django's own cursor with DATABASE_PREPARED_STATEMENTS off."""
    connection = connections[alias]
    with connection.cursor() as cursor:
        if not settings.DATABASE_PREPARED_STATEMENTS:
            yield cursor
            return
        raw = PreparingCursor(connection.connection)
        # As Django's own cursors: its time zone where the connection's loader differs.
        loader = connection.connection.adapters.get_loader(_TIMESTAMPTZ, Format.TEXT)
        if getattr(loader, "timezone", None) != connection.timezone:
            register_tzloader(connection.timezone, raw)
        logged = isinstance(cursor, CursorDebugWrapper)
        with (LoggedPreparedCursor if logged else CursorWrapper)(raw, connection) as prepared:
            yield prepared
