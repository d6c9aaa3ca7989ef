"""Queries per page, the page's own SQL time and its Python share, measured in-process.

    DJANGO_SETTINGS_MODULE=bench.settings python bench/measure.py URL [URL …]

For each URL, as a running server meets a page it has not answered before: the
shared and local caches are emptied (the page cache and the facet counts: facets
are counted afresh) but for the catalogue's version, so the process keeps what a
server that has been up for a minute holds (its vocabulary, compiled templates).
The pages are requested in turns, ROUNDS times each (every page once, then every page
again…), each through the WSGI application as gunicorn's worker calls it (the request's
environ built by Django's RequestFactory), so that a burst of load from outside (another
machine on the same host) slows every page alike rather than all of one page's
requests. Each request is timed (its wall time, and the time it waited on PostgreSQL:
every cursor call, timed around it), and right after it the statements it ran run
again under EXPLAIN (ANALYZE, TIMING OFF), which gives PostgreSQL's own time for them
(planning and execution; TIMING OFF leaves out the clock reads per row and node,
which would add to a statement that reads thousands of rows). A request and its SQL
are so measured a few milliseconds apart, in the same state of a shared machine:
taken minutes apart, on a machine whose speed varies from one minute to the next,
the two medians differed by several milliseconds either way.

The Python share of a request is its wall time minus its SQL; beside it, the CPU time
of the request's thread (time.thread_time: the process's own work, waits on PostgreSQL
and any time the thread was not running left out), which tells how much of the share
the process itself spent. Both measures of the
SQL are kept: PostgreSQL's own time (EXPLAIN) and the time the request waited on its
cursor calls (also loopback and row decoding); the share is the larger, wall minus
the smaller of the two. Each figure printed is the median over the ROUNDS requests
(the share's median is taken over its pairs). Prints one JSON object per URL.
Sequential scans on the practice table are listed. Every statement runs on the
request's own connection (DATABASE_SIDE_THREADS=0), where it is timed.
"""

from __future__ import annotations

import importlib
import json
import os
import re
import statistics
import sys
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
# Every statement on the request's own connection, where it is timed: the catalogue page
# otherwise reads its practices on a second one while it counts (core.aside). The Python
# work is the same either way; the load runs (bench/run.py) measure the page as served.
os.environ.setdefault("DATABASE_SIDE_THREADS", "0")

# The server's own entry point: Django set up as gunicorn's workers have it (config.wsgi
# also tunes the garbage collector for a long-running process), and the application they
# call. Not Django's test client: it wraps each request in work no server does (signals
# to record templates and exceptions, its cookie jar), and it never sets the script
# prefix, so every address a page builds took the slow path of a missing one (an
# AttributeError raised and caught inside asgiref for each).
application = importlib.import_module("config.wsgi").application

from django.db import connection  # noqa: E402
from django.test import RequestFactory  # noqa: E402

REQUESTS = RequestFactory()


class Served:
    """What the WSGI application answered: its status code and its body."""

    def __init__(self, status: str, content: bytes):
        self.status_code = int(status.split(" ", 1)[0])
        self.content = content


def serve(path: str) -> Served:
    """GET `path` from the WSGI application, as gunicorn would (its body read whole)."""
    # secure: production settings redirect plain HTTP (the proxy would say https).
    environ = REQUESTS.get(path, HTTP_HOST="127.0.0.1", secure=True).environ
    status = []
    body = application(environ, lambda line, headers, exc_info=None: status.append(line))
    try:
        content = b"".join(body)
    finally:
        body.close()  # request_finished: the connection is kept or closed, as served
    return Served(status[0], content)


def seq_scans(plan: dict) -> list[str]:
    found = []
    if plan.get("Node Type") == "Seq Scan":
        found.append(plan.get("Relation Name", "?"))
    for child in plan.get("Plans", []):
        found += seq_scans(child)
    return found


ROUNDS = 9


def uncached() -> None:
    """Forget every cached page and count, not the catalogue version (see the docstring)."""
    from django.core.cache import cache

    from core.pagecache import VERSION_KEY, forget_local_pages

    version = cache.get(VERSION_KEY)
    cache.clear()
    forget_local_pages()
    if version is not None:
        cache.set(VERSION_KEY, version, timeout=None)


def explained(statements: list[tuple[str, object]]) -> tuple[list[float], list[str]]:
    """PostgreSQL's own ms for each of `statements` ((sql, params), as the request ran
    them), run again under EXPLAIN, and the practice tables they scan sequentially."""
    timings, scans = [], []
    with connection.cursor() as cursor:
        for sql, params in statements:
            cursor.execute(f"EXPLAIN (ANALYZE, TIMING OFF, FORMAT JSON) {sql}", params)
            plan = cursor.fetchone()[0][0]
            timings.append(plan["Execution Time"] + plan.get("Planning Time", 0))
            scans += [s for s in seq_scans(plan["Plan"]) if s.startswith("practices_")]
    return timings, scans


def timed_request(url: str) -> dict:
    """One uncached request of `url`, then its statements under EXPLAIN: its response,
    wall ms, ms waiting on PostgreSQL, the SQL of each statement and its ms."""
    waited = [0.0]
    executed = [0]
    statements: list[tuple[str, object]] = []

    def timer(execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            waited[0] += time.perf_counter() - started
            executed[0] += 1
            if not many and sql.lstrip().upper().startswith(("SELECT", "WITH")):
                statements.append((sql, params))

    uncached()
    separator = "&" if "?" in url else "?"
    fresh = f"{url}{separator}nonce={uuid.uuid4().hex}"
    started, cpu_started = time.perf_counter(), time.thread_time()
    with connection.execute_wrapper(timer):
        response = serve(fresh)
    wall_ms = (time.perf_counter() - started) * 1000
    cpu_ms = (time.thread_time() - cpu_started) * 1000
    timings, scans = explained(statements)
    return {
        "response": response,
        "wall": wall_ms,
        "cpu": cpu_ms,
        "waited": waited[0] * 1000,
        "queries": executed[0],
        "sql": [sql for sql, _params in statements],
        "timings": timings,
        "scans": scans,
    }


def result_count(response) -> int | None:
    """How many practices the page's filters select, as its heading says (catalogue pages)."""
    found = re.search(r'id="results-count"[^>]*>([^<]*)<', response.content.decode())
    if not found:
        return None
    digits = re.sub(r"\D", "", found.group(1).split("praktyk")[0])
    return int(digits) if digits else None


def measure(url: str, runs: list[dict]) -> dict:
    """The figures of `url` from its timed `runs` (each paired with its EXPLAINed SQL)."""
    median = statistics.median
    sql_ms = [sum(run["timings"]) for run in runs]
    shares = [run["wall"] - min(sql, run["waited"]) for run, sql in zip(runs, sql_ms, strict=True)]
    last = runs[-1]
    # The statements of the last run, each with its median over the runs that ran it.
    plans = [
        {
            "ms": round(
                median(run["timings"][number] for run in runs if len(run["sql"]) > number), 2
            ),
            "sql": sql[:300],
        }
        for number, sql in enumerate(last["sql"])
    ]
    return {
        "url": url,
        "status": last["response"].status_code,
        "results": result_count(last["response"]),
        "queries": median(run["queries"] for run in runs),
        "sql_ms": round(median(sql_ms), 2),
        "db_wait_ms": round(median(run["waited"] for run in runs), 2),
        "wall_ms": round(median(run["wall"] for run in runs), 2),
        "python_ms": round(median(shares), 2),
        "python_cpu_ms": round(median(run["cpu"] for run in runs), 2),
        "seq_scans_on_practices": sorted({scan for run in runs for scan in run["scans"]}),
        "slowest": sorted(plans, key=lambda p: -p["ms"])[:3],
    }


def main(urls: list[str]) -> None:
    for url in urls:
        timed_request(url)  # warm the connection and the process
    runs = {url: [] for url in urls}
    for _round in range(ROUNDS):
        for url in urls:
            runs[url].append(timed_request(url))
    for url in urls:
        print(json.dumps(measure(url, runs[url]), ensure_ascii=False))


if __name__ == "__main__":
    main(sys.argv[1:])
