"""Queries per page, the page's own SQL time and its Python share, measured in-process.

    DJANGO_SETTINGS_MODULE=bench.settings python bench/measure.py URL [URL …]

For each URL, as a running server meets a page it has not answered before: the
shared and local caches are emptied (the page cache and the facet counts: facets
are counted afresh) but for the catalogue's version, so the process keeps what a
server that has been up for a minute holds (its vocabulary, compiled templates).
The pages are requested in turns, ROUNDS times each (every page once, then every page
again…), with Django's test client, so that a burst of load from outside (another
machine on the same host) slows every page alike rather than all of one page's
requests; the median wall time is reported, and the time the request waited on
PostgreSQL (every cursor call, timed around it). One more request captures its SQL,
which then runs under EXPLAIN (ANALYZE, FORMAT JSON) EXPLAIN_RUNS times to add up
PostgreSQL's own times (the median of the runs).

The Python share is the wall time minus the page's SQL. Both measures of the SQL
are kept: PostgreSQL's own time (EXPLAIN) and the time the request waited on its
cursor calls (also loopback and row decoding); the share reported is the larger,
wall minus the smaller of the two. Prints one JSON object per URL. Sequential
scans on the practice table are listed.
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

# The server's own entry point: Django set up as gunicorn's workers have it (config.wsgi
# also tunes the garbage collector for a long-running process).
importlib.import_module("config.wsgi")

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402


def seq_scans(plan: dict) -> list[str]:
    found = []
    if plan.get("Node Type") == "Seq Scan":
        found.append(plan.get("Relation Name", "?"))
    for child in plan.get("Plans", []):
        found += seq_scans(child)
    return found


ROUNDS = 9
# Each page's SQL is EXPLAINed this many times and the median kept, as the wall time is
# the median of ROUNDS requests: one run alone was as often the fast tail as the slow one
# (the key page's statements at 1M took 30 to 67 ms from one run to the next).
EXPLAIN_RUNS = 5


def uncached() -> None:
    """Forget every cached page and count, not the catalogue version (see the docstring)."""
    from django.core.cache import cache

    from core.pagecache import VERSION_KEY, forget_local_pages

    version = cache.get(VERSION_KEY)
    cache.clear()
    forget_local_pages()
    if version is not None:
        cache.set(VERSION_KEY, version, timeout=None)


def timed_request(client: Client, url: str) -> tuple[object, float, float]:
    """(response, wall ms, ms waiting on PostgreSQL) of one uncached request."""
    waited = [0.0]

    def timer(execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            waited[0] += time.perf_counter() - started

    uncached()
    separator = "&" if "?" in url else "?"
    fresh = f"{url}{separator}nonce={uuid.uuid4().hex}"
    started = time.perf_counter()
    with connection.execute_wrapper(timer):
        # secure: production settings redirect plain HTTP (the proxy would say https).
        response = client.get(fresh, HTTP_HOST="127.0.0.1", secure=True)
        if response.streaming:
            b"".join(response.streaming_content)
    return response, (time.perf_counter() - started) * 1000, waited[0] * 1000


def result_count(response) -> int | None:
    """How many practices the page's filters select, as its heading says (catalogue pages)."""
    if response.streaming:
        return None
    found = re.search(r'id="results-count"[^>]*>([^<]*)<', response.content.decode())
    if not found:
        return None
    digits = re.sub(r"\D", "", found.group(1).split("praktyk")[0])
    return int(digits) if digits else None


def measure(client: Client, url: str, runs: list[tuple[object, float, float]]) -> dict:
    """The figures of `url` from its timed `runs`, and its SQL, run again under EXPLAIN."""
    wall_ms = statistics.median(wall for _r, wall, _w in runs)
    waited_ms = statistics.median(waited for _r, _wall, waited in runs)
    uncached()
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, HTTP_HOST="127.0.0.1", secure=True)
        if response.streaming:
            b"".join(response.streaming_content)
    statements = [
        query["sql"]
        for query in captured.captured_queries
        if query["sql"].lstrip().upper().startswith(("SELECT", "WITH"))
    ]
    timings, scans = [], []  # timings: per run, each statement's ms
    with connection.cursor() as cursor:
        for run in range(EXPLAIN_RUNS):
            timings.append([])
            for sql in statements:
                cursor.execute(f"EXPLAIN (ANALYZE, FORMAT JSON) {sql}")
                plan = cursor.fetchone()[0][0]
                timings[-1].append(plan["Execution Time"] + plan.get("Planning Time", 0))
                if run == 0:
                    scans += [s for s in seq_scans(plan["Plan"]) if s.startswith("practices_")]
    sql_ms = statistics.median(sum(run) for run in timings) if statements else 0.0
    plans = [
        {"ms": round(statistics.median(run[number] for run in timings), 2), "sql": sql[:300]}
        for number, sql in enumerate(statements)
    ]
    return {
        "url": url,
        "status": response.status_code,
        "results": result_count(response),
        "queries": len(captured.captured_queries),
        "sql_ms": round(sql_ms, 2),
        "db_wait_ms": round(waited_ms, 2),
        "wall_ms": round(wall_ms, 2),
        "python_ms": round(wall_ms - min(sql_ms, waited_ms), 2),
        "seq_scans_on_practices": sorted(set(scans)),
        "slowest": sorted(plans, key=lambda p: -p["ms"])[:3],
    }


def main(urls: list[str]) -> None:
    client = Client()
    for url in urls:
        timed_request(client, url)  # warm the connection and the process
    runs = {url: [] for url in urls}
    for _round in range(ROUNDS):
        for url in urls:
            runs[url].append(timed_request(client, url))
    for url in urls:
        print(json.dumps(measure(client, url, runs[url]), ensure_ascii=False))


if __name__ == "__main__":
    main(sys.argv[1:])
