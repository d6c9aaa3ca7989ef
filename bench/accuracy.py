"""How close the estimated facet counts of a page are to the exact ones, measured in-process.

    DJANGO_SETTINGS_MODULE=bench.settings python bench/accuracy.py QUERY [QUERY …]

For each catalogue query string: the facet counts as the page shows them (with the
configured CATALOGUE_EXACT_COUNT_LIMIT, sampling the large sets) and counted exactly
(the limit off), and how far apart they are. Prints one JSON object per query: the
total both ways, and per estimated dimension its sample level and the relative error
of its options, over the options holding at least 1% of the set and at least 50
practices (smaller ones are shown as estimates of their order, not read as figures).
"""

from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")

import django

django.setup()

from django.conf import settings  # noqa: E402
from django.http import QueryDict  # noqa: E402

from practices.filters import PracticeFilterSet  # noqa: E402
from practices.models import Practice  # noqa: E402
from practices.selectors import catalogue_vocabulary, count_facets  # noqa: E402


def counted(query: str, limit: int):
    settings.CATALOGUE_EXACT_COUNT_LIMIT = limit
    filterset = PracticeFilterSet(
        QueryDict(query), queryset=Practice.objects.published(), vocabulary=catalogue_vocabulary()
    )
    filterset.is_valid()
    started = time.perf_counter()
    counts = count_facets(filterset, filterset.queryset)
    return counts, (time.perf_counter() - started) * 1000


def compare(query: str) -> dict:
    limit = settings.CATALOGUE_EXACT_COUNT_LIMIT
    estimated, estimated_ms = counted(query, limit)
    exact, exact_ms = counted(query, 0)
    settings.CATALOGUE_EXACT_COUNT_LIMIT = limit
    dimensions = {}
    for dimension, level in estimated.levels.items():
        if not level or dimension == "total":
            continue
        whole = sum(exact[dimension].values()) or 1
        errors = [
            abs(estimated[dimension].get(key, 0) - n) / n
            for key, n in exact[dimension].items()
            if n >= 50 and n >= whole / 100
        ]
        dimensions[dimension] = {
            "level": level,
            "options": len(errors),
            "median_error": sorted(errors)[len(errors) // 2] if errors else None,
            "max_error": max(errors) if errors else None,
        }
    total, true_total = estimated["total"].get("", 0), exact["total"].get("", 0)
    return {
        "query": query,
        "limit": limit,
        "total": total,
        "true_total": true_total,
        "total_level": estimated.levels.get("total", 0),
        "total_error": abs(total - true_total) / true_total if true_total else 0.0,
        "dimensions": dimensions,
        "estimated_ms": round(estimated_ms, 1),
        "exact_ms": round(exact_ms, 1),
    }


def main(queries: list[str]) -> None:
    for query in queries:
        compare(query)  # warm the connection and the vocabulary
        print(json.dumps(compare(query), ensure_ascii=False))


if __name__ == "__main__":
    main(sys.argv[1:])
