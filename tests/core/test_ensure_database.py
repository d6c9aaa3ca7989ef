from io import StringIO

import psycopg
import pytest
from django.core.management import call_command
from django.db import connection


@pytest.mark.django_db
def test_ensure_database_creates_a_missing_database_once():
    name = f"{connection.settings_dict['NAME']}_ensure_probe"
    original = connection.settings_dict["NAME"]
    params = {**connection.get_connection_params(), "dbname": "postgres"}
    first, second = StringIO(), StringIO()
    try:
        connection.settings_dict["NAME"] = name
        call_command("ensure_database", stdout=first)
        call_command("ensure_database", stdout=second)
    finally:
        connection.settings_dict["NAME"] = original
        with psycopg.connect(**params, autocommit=True) as server:
            server.execute(f'DROP DATABASE IF EXISTS "{name}"')

    assert f"Created database '{name}'." in first.getvalue()
    assert f"Database '{name}' is there." in second.getvalue()
