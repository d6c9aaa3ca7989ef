"""The flush after commit when things go wrong: it fails, or two instances flush at once.

Real commits and real connections (a transactional test): the marks live in
PostgreSQL, a second connection holds a lock as another instance would, and
two threads flush the same marks at the same moment.
"""

import threading

import psycopg
import pytest
from django.db import OperationalError, connection, connections

from catalogue import sql
from catalogue.index.refresh import index_drift, index_flush, stale_count
from practices.models import Practice
from tests.factories import OrganisationFactory, PracticeFactory

pytestmark = pytest.mark.django_db(transaction=True)


def _mark(ids: list[int]) -> None:
    with connection.cursor() as cursor:
        cursor.execute(sql.STALE_MARK, [ids])


def _moved_by_hand(organisation, country: str) -> None:
    """A change the index hears nothing of (raw SQL), so the row is stale until a flush."""
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE organisations_organisation SET country = %s WHERE id = %s",
            [country, organisation.pk],
        )


def _other_connection() -> psycopg.Connection:
    params = connection.get_connection_params()
    return psycopg.connect(**{k: v for k, v in params.items() if k != "cursor_factory"})


def test_a_flush_that_fails_keeps_its_marks_and_the_next_one_rebuilds():
    lead = OrganisationFactory(country="PL")
    practice = PracticeFactory(lead_organisation=lead)
    _moved_by_hand(lead, "UA")
    _mark([practice.pk])

    other = _other_connection()  # another instance, writing the practice row
    try:
        other.execute("BEGIN")
        other.execute("SELECT id FROM practices_practice WHERE id = %s FOR UPDATE", [practice.pk])
        with connection.cursor() as cursor:
            cursor.execute("SET lock_timeout = '200ms'")
        with pytest.raises(OperationalError):
            index_flush()

        assert stale_count() == 1  # the failed claim rolled back: still marked
        assert Practice.objects.get(pk=practice.pk).countries == ["PL"]
    finally:
        other.rollback()
        other.close()
        with connection.cursor() as cursor:
            cursor.execute("RESET lock_timeout")

    assert index_flush() == 1
    assert Practice.objects.get(pk=practice.pk).countries == ["UA"]
    assert stale_count() == 0
    assert list(index_drift()) == []


def test_two_flushes_at_once_rebuild_each_mark_once():
    lead = OrganisationFactory(country="PL")
    practices = [PracticeFactory(lead_organisation=lead) for _ in range(120)]
    _moved_by_hand(lead, "LT")
    _mark([p.pk for p in practices])
    rebuilt: list[int] = []
    start = threading.Barrier(2)

    def flush():
        try:
            start.wait()
            rebuilt.append(index_flush())
        finally:
            connections.close_all()

    threads = [threading.Thread(target=flush) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sum(rebuilt) == 120  # every mark claimed once, by one of them
    assert stale_count() == 0
    assert Practice.objects.filter(countries=["LT"]).count() == 120
    assert list(index_drift()) == []
