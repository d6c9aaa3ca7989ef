"""Reads of competitions and editions."""

from __future__ import annotations

from django.db.models import Case, Count, IntegerField, Prefetch, QuerySet, Value, When

from competitions.enums import EditionPhase, EntryStatus
from competitions.models import Category, Competition, Edition, EditionOrganiser, Entry

# Laureates by place, then finalists, then the other entries.
ENTRY_ORDER = (
    Case(
        When(status=EntryStatus.LAUREATE, then=Value(0)),
        When(status=EntryStatus.FINALIST, then=Value(1)),
        default=Value(2),
        output_field=IntegerField(),
    ),
    "laureate_place",
    "practice__sort_title",
)

PUBLIC_RESULT_PHASES = (EditionPhase.RESULTS, EditionPhase.ARCHIVED)


def competition_list() -> QuerySet[Competition]:
    return Competition.objects.select_related("organiser").prefetch_related(
        Prefetch("editions", queryset=Edition.objects.order_by("-year"))
    )


def edition_detail_queryset() -> QuerySet[Edition]:
    entries = (
        Entry.objects.exclude(status=EntryStatus.WITHDRAWN)
        .filter(practice__status="published")
        .select_related("practice__lead_organisation")
        .order_by(*ENTRY_ORDER)
    )
    return Edition.objects.select_related("competition").prefetch_related(
        Prefetch(
            "categories",
            queryset=Category.objects.order_by("order", "id").prefetch_related(
                Prefetch("entries", queryset=entries)
            ),
        ),
        Prefetch(
            "organiser_links",
            queryset=EditionOrganiser.objects.select_related("organisation").order_by("order"),
        ),
        "funding_sources",
    )


def edition_vote_counts(edition: Edition) -> dict[int, int]:
    """Votes per entry, but only once the edition's results are public; else nothing."""
    if edition.phase not in PUBLIC_RESULT_PHASES:
        return {}
    return dict(
        Entry.objects.filter(category__edition=edition)
        .annotate(votes_count=Count("votes"))
        .filter(votes_count__gt=0)
        .values_list("id", "votes_count")
    )
