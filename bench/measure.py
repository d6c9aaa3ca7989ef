"""Queries per page and the page's own SQL time, measured in-process.

    DJANGO_SETTINGS_MODULE=bench.settings python bench/measure.py URL [URL …]

For each URL: request it once with Django's test client (no page cache: every
URL gets a fresh nonce), capture its SQL, then run EXPLAIN (ANALYZE, FORMAT
JSON) on every statement and add up PostgreSQL's execution times. Prints one
JSON object per URL. Sequential scans on the practice table are listed.
"""

from __future__ import annotations

import json
import os
import sys
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")

import django

django.setup()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402


def seq_scans(plan: dict) -> list[str]:
    found = []
    if plan.get("Node Type") == "Seq Scan":
        found.append(plan.get("Relation Name", "?"))
    for child in plan.get("Plans", []):
        found += seq_scans(child)
    return found


def measure(client: Client, url: str) -> dict:
    from django.core.cache import cache

    from core.pagecache import forget_local_pages

    # Count everything afresh (facets too): this measures the page's own work. (The
    # nonce alone no longer does: the page cache drops parameters a page does not read.)
    cache.clear()
    forget_local_pages()
    separator = "&" if "?" in url else "?"
    fresh = f"{url}{separator}nonce={uuid.uuid4().hex}"
    started = time.perf_counter()
    with CaptureQueriesContext(connection) as captured:
        # secure: production settings redirect plain HTTP (the proxy would say https).
        response = client.get(fresh, HTTP_HOST="127.0.0.1", secure=True)
        if response.streaming:
            b"".join(response.streaming_content)
    wall_ms = (time.perf_counter() - started) * 1000
    sql_ms, plans, scans = 0.0, [], []
    with connection.cursor() as cursor:
        for query in captured.captured_queries:
            sql = query["sql"]
            if not sql.lstrip().upper().startswith(("SELECT", "WITH")):
                continue
            cursor.execute(f"EXPLAIN (ANALYZE, FORMAT JSON) {sql}")
            plan = cursor.fetchone()[0][0]
            sql_ms += plan["Execution Time"] + plan.get("Planning Time", 0)
            scans += [s for s in seq_scans(plan["Plan"]) if s.startswith("practices_")]
            plans.append(
                {
                    "ms": round(plan["Execution Time"] + plan.get("Planning Time", 0), 2),
                    "sql": sql[:300],
                }
            )
    context = getattr(response, "context", None)
    return {
        "url": url,
        "status": response.status_code,
        # How many practices the page's filters select (catalogue pages only).
        "results": context.get("result_count") if context else None,
        "queries": len(captured.captured_queries),
        "sql_ms": round(sql_ms, 2),
        "wall_ms": round(wall_ms, 2),
        "seq_scans_on_practices": sorted(set(scans)),
        "slowest": sorted(plans, key=lambda p: -p["ms"])[:3],
    }


def main(urls: list[str]) -> None:
    setup_test_environment()
    client = Client()
    for url in urls:
        measure(client, url)  # warm the connection and Python caches
        print(json.dumps(measure(client, url), ensure_ascii=False))


if __name__ == "__main__":
    main(sys.argv[1:])
