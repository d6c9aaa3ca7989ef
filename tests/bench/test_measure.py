"""bench/measure.py pairs each timed request with its own statements under EXPLAIN.

The Python share of a page is its wall time minus its SQL; the SQL is timed by
PostgreSQL (EXPLAIN, right after the request) and by the request itself (its cursor
calls), and the smaller of the two is taken off, request by request.
"""

import pytest
from django.core.signals import request_finished, request_started
from django.db import close_old_connections

from bench import measure
from practices.models import Practice

pytestmark = pytest.mark.django_db


@pytest.fixture
def connection_kept():
    """The test's transaction outlives each request, as under Django's test client: the
    WSGI application closes a connection inside a transaction when a request ends."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


def run(
    wall: float, waited: float, timings: list[float], status: int = 200, cpu: float = 1.0
) -> dict:
    class Response:
        status_code = status
        content = b'<p id="results-count">12 praktyk</p>'

    return {
        "response": Response(),
        "wall": wall,
        "cpu": cpu,
        "waited": waited,
        "queries": len(timings),
        "sql": [f"SELECT {n}" for n in range(len(timings))],
        "timings": timings,
        "scans": [],
    }


def test_share_is_taken_request_by_request_then_its_median():
    runs = [
        run(10.0, 4.0, [1.0, 2.0], cpu=6.0),  # EXPLAIN 3 < waited 4: share 7
        run(20.0, 5.0, [6.0, 2.0], cpu=9.0),  # waited 5 < EXPLAIN 8: share 15
        run(12.0, 3.0, [1.0, 1.0], cpu=8.0),  # EXPLAIN 2 < waited 3: share 10
    ]

    figures = measure.measure("/praktyki/", runs)

    assert figures["python_ms"] == 10.0  # median of 7, 15, 10
    assert figures["python_cpu_ms"] == 8.0  # the thread's CPU, its own median
    # Medians of each measure on its own, as reported beside the share.
    assert figures["wall_ms"] == 12.0
    assert figures["sql_ms"] == 3.0
    assert figures["db_wait_ms"] == 4.0
    assert figures["queries"] == 2
    assert figures["results"] == 12
    assert [plan["ms"] for plan in figures["slowest"]] == [2.0, 1.0]


def test_a_timed_request_explains_the_statements_it_ran(catalogue, connection_kept):
    measure.timed_request("/praktyki/")  # as measure.py warms the process first
    timed = measure.timed_request("/praktyki/?type=it")

    assert timed["response"].status_code == 200
    # The page itself, as the WSGI application served it: the heading counts the results.
    assert (
        measure.result_count(timed["response"])
        == Practice.objects.filter(status="published", practice_type__code="it").count()
    )
    # The catalogue page's three statements: the counts, the page's ids, its cards.
    assert timed["queries"] == 3
    assert len(timed["sql"]) == len(timed["timings"]) == 3
    assert all(sql.lstrip().upper().startswith(("SELECT", "WITH")) for sql in timed["sql"])
    assert all(ms > 0 for ms in timed["timings"])
    assert timed["wall"] > timed["waited"] > 0
    # The thread's CPU leaves out the waits on PostgreSQL (and is never more than the wall).
    assert 0 < timed["cpu"] < timed["wall"]
