from contextlib import contextmanager

import pytest
from django.db import IntegrityError, transaction


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


@pytest.fixture
def catalogue(db):
    """The real catalogue from fixtures/catalogue/, loaded into this test's transaction."""
    from core.catalogue_fixtures import load_catalogue, read_catalogue

    return load_catalogue(read_catalogue())
