"""Statements the catalogue runs on every page with other values are prepared on the
server (core.prepared): parsed once per connection, and planned once where one plan
serves every value; still seen by Django as any query is."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from catalogue.selectors import card_statement, practice_cards
from core.prepared import prepared_cursor
from practices.models import Practice

pytestmark = pytest.mark.django_db


def prepared_statements() -> dict[str, tuple[int, int]]:
    """The statements prepared on this connection: SQL → (generic plans, custom plans)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement, generic_plans, custom_plans FROM pg_prepared_statements")
        found: dict[str, tuple[int, int]] = {}
        for statement, generic, custom in cursor:
            # One statement may be prepared once for each type of its parameters.
            was = found.get(statement, (0, 0))
            found[statement] = (was[0] + generic, was[1] + custom)
        return found


def card_statement_on_server() -> str:
    """The cards' statement as PostgreSQL keeps it (psycopg writes %s as $1, $2…)."""
    statement, constants = card_statement("default")
    for number in range(1, len(constants) + 2):
        statement = statement.replace("%s", f"${number}", 1)
    return statement


def runs(statement: str) -> int:
    """How many times this connection has run `statement` prepared (0: not prepared)."""
    return sum(prepared_statements().get(statement, (0, 0)))


def test_a_page_of_cards_is_read_by_a_statement_prepared_once(catalogue):
    ids = list(Practice.objects.published().order_by("pk").values_list("pk", flat=True))
    pages = [ids[start : start + 10] for start in range(0, 80, 10)]
    statement = card_statement_on_server()
    before = runs(statement)

    with CaptureQueriesContext(connection) as queries:
        read = [{card.pk for card in practice_cards(page)} for page in pages]

    # Each page still reads its own practices, in one query Django counts.
    assert read == [set(page) for page in pages]
    assert len(queries) == len(pages)
    # And logged as Django logs its own statements: with their values in place.
    for query, page in zip(queries, pages, strict=True):
        assert f"= ANY('{{{','.join(map(str, page))}}}'" in query["sql"]
    # One statement on the server, run for every page (not parsed again).
    assert runs(statement) == before + len(pages)
    # After five custom plans PostgreSQL plans it once for any ids (plan_cache_mode =
    # auto), as it may for rows read by their primary key.
    assert prepared_statements()[statement][0] >= 1


def test_its_parameters_are_bound_on_the_server_with_their_types(catalogue):
    # A text with quotes and a backslash, compared as PostgreSQL's text: no quoting.
    hostile = "O'Brien \\'; DROP TABLE practices_practice; --"
    with prepared_cursor("default") as cursor:
        cursor.execute("SELECT %s::text, %s::bigint[] @> ARRAY[%s]::bigint[]", [hostile, [7], 7])
        assert cursor.fetchone() == (hostile, True)
    assert Practice.objects.exists()


def test_without_prepared_statements_it_is_djangos_own_cursor(catalogue, settings):
    # For a pooler that cannot keep prepared statements (README, Deployment).
    settings.DATABASE_PREPARED_STATEMENTS = False
    before = prepared_statements()
    ids = list(Practice.objects.published().values_list("pk", flat=True)[:20])

    assert {card.pk for card in practice_cards(ids)} == set(ids)
    assert prepared_statements() == before


def test_a_practice_and_an_organisation_page_read_by_prepared_statements(catalogue):
    practice = Practice.objects.published().filter(partnerships__isnull=False).first()
    organisation = practice.lead_organisation
    client = Client()
    before = prepared_statements()

    assert client.get(practice.get_absolute_url()).status_code == 200
    assert client.get(organisation.get_absolute_url()).status_code == 200
    after = prepared_statements()
    added = {statement for statement, plans in after.items() if plans != before.get(statement)}
    # The practice by its address, its awards, partners and other details; the
    # organisation by its address, its members, groups, roles and awards.
    assert len(added) >= 8
    # Read by their addresses, each a parameter: one statement for every practice.
    assert any('"practices_practice"."slug" = $' in statement for statement in added)
    assert any('"organisations_organisation"."slug" = $' in statement for statement in added)
    assert not any(practice.slug in statement for statement in added)
