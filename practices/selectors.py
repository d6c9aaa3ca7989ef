"""Reads of practices: QuerySets with the joins and prefetches each use needs."""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet

from competitions.models import Entry
from practices.models import Partnership, Practice


def practice_index_prefetches(queryset: QuerySet[Practice]) -> QuerySet[Practice]:
    """What `practices.services.practice_index_values()` reads, in a fixed number of queries."""
    return queryset.select_related("lead_organisation", "practice_type").prefetch_related(
        Prefetch(
            "partnerships",
            queryset=Partnership.objects.select_related("organisation"),
        ),
        "topics",
        "funding_sources",
        Prefetch(
            "entries",
            queryset=Entry.objects.select_related("category__edition"),
        ),
    )


def practice_list_published() -> QuerySet[Practice]:
    """Published practices, newest first, with what a list row shows."""
    return (
        Practice.objects.published()
        .select_related("lead_organisation", "practice_type")
        .order_by("-published_at", "-id")
    )
