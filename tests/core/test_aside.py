"""Reads on a second connection while the request goes on (core.aside)."""

import contextvars
import threading

import pytest
from django.db import ProgrammingError, connection, connections

from core.aside import run_aside


def backend_pid() -> int:
    with connections["default"].cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        return cursor.fetchone()[0]


@pytest.mark.django_db
def test_inside_a_transaction_the_work_stays_on_the_request_connection():
    # A test case's transaction, like an atomic block: another connection would not
    # see what it has not committed.
    assert connection.in_atomic_block
    assert run_aside(["default"], backend_pid) is None


@pytest.mark.django_db(transaction=True)
def test_the_work_runs_in_another_thread_on_another_connection():
    future = run_aside(["default"], lambda: (threading.current_thread().name, backend_pid()))
    assert future is not None
    name, pid = future.result(timeout=30)
    assert name.startswith("db-aside")
    assert pid != backend_pid()


@pytest.mark.django_db(transaction=True)
def test_the_work_sees_the_request_context():
    # The replica router reads the request's reads from a context variable.
    request = contextvars.ContextVar("request")
    request.set("this request")
    assert run_aside(["default"], request.get).result(timeout=30) == "this request"


@pytest.mark.django_db(transaction=True)
def test_an_error_is_raised_in_the_request_and_the_next_work_runs(settings):
    def broken():
        with connections["default"].cursor() as cursor:
            cursor.execute("SELECT * FROM no_such_table")

    with pytest.raises(ProgrammingError, match="no_such_table"):
        run_aside(["default"], broken).result(timeout=30)
    # The threads' connections are looked after as a request's: after the error, each
    # thread reads again (one work per thread at a time, all of them busy at once).
    started = threading.Barrier(settings.DATABASE_SIDE_THREADS, timeout=30)

    def read_once_all_started():
        started.wait()
        return backend_pid()

    futures = [
        run_aside(["default"], read_once_all_started) for _ in range(settings.DATABASE_SIDE_THREADS)
    ]
    assert None not in futures
    assert all(future.result(timeout=30) > 0 for future in futures)


@pytest.mark.django_db(transaction=True)
def test_with_every_thread_busy_the_request_does_the_work_itself(settings):
    release = threading.Event()
    busy = [run_aside(["default"], release.wait, 30) for _ in range(settings.DATABASE_SIDE_THREADS)]
    try:
        assert None not in busy
        assert run_aside(["default"], backend_pid) is None
    finally:
        release.set()
    assert all(future.result(timeout=30) for future in busy)
    assert run_aside(["default"], backend_pid).result(timeout=30) > 0


@pytest.mark.django_db(transaction=True)
def test_no_threads_no_work_aside(settings):
    settings.DATABASE_SIDE_THREADS = 0
    assert run_aside(["default"], backend_pid) is None
