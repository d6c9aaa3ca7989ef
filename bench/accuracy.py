"""How close the estimated facet counts of a page are to the exact ones, measured in-process.

    DJANGO_SETTINGS_MODULE=bench.settings python bench/accuracy.py QUERY [QUERY …]

For each catalogue query string: the facet counts as the page shows them (with the
configured CATALOGUE_EXACT_COUNT_LIMIT, sampling the large sets) and counted exactly
(the limit off), and how far apart they are. Prints one JSON object per query: the
total both ways; over the options of every estimated dimension, the relative errors
of those shown as estimates ("ok. 4 300": the sample held enough of them), and how
many are shown as a bound ("poniżej 2 400") and whether any exceeds its bound.
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

from catalogue.counting import count_facets  # noqa: E402
from catalogue.facets import estimate_upper_bound, shown_as_number  # noqa: E402
from catalogue.filters import PracticeFilterSet  # noqa: E402
from catalogue.vocabulary import catalogue_vocabulary  # noqa: E402
from practices.dimensions import FACETS  # noqa: E402
from practices.models import Practice  # noqa: E402


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
    errors, bounds, broken = [], 0, 0
    for dimension in FACETS:
        level = estimated.level(dimension.name)
        if not level:
            continue
        shown_counts = estimated.options[dimension.name]
        true_counts = exact.options[dimension.name]
        for key in true_counts.keys() | shown_counts.keys():
            shown, true = shown_counts.get(key, 0), true_counts.get(key, 0)
            if shown_as_number(shown, level):  # shown as "ok. N"
                errors.append(abs(shown - true) / true if true else float("inf"))
            else:  # shown as "poniżej N" (or left out of a list of what was found)
                bounds += 1
                broken += true >= estimate_upper_bound(shown, level)
    errors.sort()
    total, true_total = estimated.total, exact.total
    return {
        "query": query,
        "limit": limit,
        "total": total,
        "true_total": true_total,
        "total_level": estimated.level("total"),
        "total_error": abs(total - true_total) / true_total if true_total else 0.0,
        "estimates": len(errors),
        "median_error": errors[len(errors) // 2] if errors else None,
        "p90_error": errors[int(len(errors) * 0.9)] if errors else None,
        "max_error": errors[-1] if errors else None,
        "bounds": bounds,
        "bounds_exceeded": broken,
        "estimated_ms": round(estimated_ms, 1),
        "exact_ms": round(exact_ms, 1),
    }


def main(queries: list[str]) -> None:
    for query in queries:
        compare(query)  # warm the connection and the vocabulary
        print(json.dumps(compare(query), ensure_ascii=False))


if __name__ == "__main__":
    main(sys.argv[1:])
