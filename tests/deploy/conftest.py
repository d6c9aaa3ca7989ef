import pytest


@pytest.fixture
def database_name(django_db_setup) -> str:
    """The test database's name: the deployment databases are named after it."""
    from django.db import connection

    return connection.settings_dict["NAME"]
