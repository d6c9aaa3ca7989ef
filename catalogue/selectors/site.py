"""Reads for the home and overview pages."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count
from django.db.models.functions import ExtractYear

from catalogue.counting import FacetCounts
from competitions.models import Entry
from competitions.selectors import competition_list
from organisations.models import Organisation
from practices.models import Practice


def site_counts(facets: FacetCounts) -> dict[str, int]:
    """The headline numbers: published practices, organisations, countries, competitions."""
    return {
        "practices": facets.total,
        "organisations": Organisation.objects.published().count(),
        "countries": len(facets.options["country"]),
        "competitions": competition_list().count(),
    }


def latest_laureates(*, limit: int = 6) -> list[Entry]:
    """Laureates of the most recent editions, winners first within an edition."""
    return list(
        Entry.objects.public()
        .filter(status="laureate", practice__status="published")
        .select_related("practice", "entrant", "category__edition__competition")
        .order_by("-category__edition__year", "-is_winner", "category__order", "laureate_place")[
            :limit
        ]
    )


def newest_practices(*, limit: int = 6) -> list[Practice]:
    return list(
        Practice.objects.published()
        .select_related("lead_organisation", "practice_type")
        .order_by("-published_at", "-id")[:limit]
    )


@dataclass
class Bar:
    label: str
    value: int
    share: float  # of the largest bar, 0..1
    url: str = ""


def bars(rows: list[tuple[str, int, str]]) -> list[Bar]:
    largest = max((value for _label, value, _url in rows), default=0) or 1
    return [Bar(label, value, value / largest, url) for label, value, url in rows]


def practices_by_start_year() -> list[tuple[int, int]]:
    return list(
        Practice.objects.published()
        .filter(started_on__isnull=False)
        .annotate(year=ExtractYear("started_on"))
        .values_list("year")
        .annotate(count=Count("id"))
        .order_by("year")
    )
