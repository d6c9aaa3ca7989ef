"""Reads of organisations."""

from __future__ import annotations

from django.db.models import Count, Prefetch, QuerySet

from competitions.models import EditionOrganiser, Entry
from organisations.models import Membership, Organisation
from practices.models import Practice


def organisation_facet_counts(filterset, queryset: QuerySet) -> dict[str, dict[str, int]]:
    """Counts per country, kind and region, each with the other filters applied."""
    counts: dict[str, dict[str, int]] = {}
    for dimension in filterset.FACETS:
        rows = (
            filterset.filter_queryset_except(queryset, dimension)
            .exclude(**{dimension: ""})
            .order_by()
            .values_list(dimension)
            .annotate(n=Count("id"))
        )
        counts[dimension] = {str(key): n for key, n in rows}
    return counts


def organisation_list(queryset: QuerySet[Organisation]) -> QuerySet[Organisation]:
    return queryset.order_by("sort_name", "id")


def organisation_detail_queryset() -> QuerySet[Organisation]:
    return Organisation.objects.prefetch_related(
        Prefetch(
            "member_links",
            queryset=Membership.objects.select_related("member").order_by("member__sort_name"),
        ),
        Prefetch(
            "memberships",
            queryset=Membership.objects.select_related("group").order_by("group__sort_name"),
        ),
        Prefetch(
            "edition_roles",
            queryset=EditionOrganiser.objects.select_related("edition__competition").order_by(
                "-edition__year"
            ),
        ),
    )


def organisation_practices(organisation: Organisation) -> QuerySet[Practice]:
    """Published practices the organisation led or took part in (one GIN-indexed lookup)."""
    return (
        Practice.objects.published()
        .filter(organisation_ids__contains=[organisation.pk])
        .select_related("lead_organisation", "practice_type")
        .order_by("-started_on", "sort_title")
    )


def organisation_awards(organisation: Organisation) -> list[Entry]:
    return list(
        Entry.objects.filter(
            practice__status="published",
            practice__organisation_ids__contains=[organisation.pk],
        )
        .exclude(status__in=["submitted", "withdrawn"])
        .select_related("practice", "category__edition__competition")
        .order_by("-category__edition__year", "laureate_place")
    )
