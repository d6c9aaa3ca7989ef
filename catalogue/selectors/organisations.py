"""Reads for the organisation list and an organisation's page."""

from __future__ import annotations

from functools import cache

from django.db import connections
from django.db.models import Count, Prefetch, QuerySet

from catalogue.selectors.cards import SUMMARY_CARD_COLUMNS, SUMMARY_CARD_VALUES, PracticeCard
from catalogue.selectors.practice_page import AWARD_FIELDS
from competitions.models import EditionOrganiser, Entry
from core.i18n import with_translations
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
    """Published organisations, with their published members and groups."""
    return Organisation.objects.published().prefetch_related(
        Prefetch(
            "member_links",
            queryset=Membership.objects.filter(member__is_published=True)
            .select_related("member")
            .order_by("member__sort_name"),
        ),
        Prefetch(
            "memberships",
            queryset=Membership.objects.filter(group__is_published=True)
            .select_related("group")
            .order_by("group__sort_name"),
        ),
        Prefetch(
            "edition_roles",
            queryset=EditionOrganiser.objects.filter(edition__is_training=False)
            .select_related("edition__competition")
            .only(
                "organisation",
                "role",
                "edition__name",
                "edition__year",
                "edition__competition__slug",
            )
            .order_by("-edition__year"),
        ),
    )


# How many cards each list of an organisation's page shows; the rest are in the catalogue
# (its organisation filter), which pages through them.
ORGANISATION_PAGE_CARDS = 20


@cache
def organisation_cards_statement(alias: str, *, led: bool) -> tuple[str, tuple]:
    """organisation_practices' SQL on the database `alias` and its parameters for the
    organisation 0, compiled once per process (see card_statement): an organisation's page
    differs from another's only in the organisation's id, each 0 in the parameters."""
    practices = Practice.objects.using(alias).published().filter(organisation_ids__contains=[0])
    if led:
        practices = practices.filter(lead_organisation=0)
    else:  # with another lead or none
        practices = practices.exclude(lead_organisation=0)
    cards = practices.order_by("-started_on", "sort_title", "id").values_list(*SUMMARY_CARD_VALUES)[
        : ORGANISATION_PAGE_CARDS + 1
    ]
    statement, params = cards.query.get_compiler(alias).as_sql()
    # The status, then the organisation's id (0) as often as the conditions name it.
    if params[0] != "published" or any(param != 0 for param in params[1:]):
        raise ValueError(f"unexpected parameters for an organisation's cards: {params}")
    return statement, params


def organisation_practices(organisation: Organisation, *, led: bool) -> list[PracticeCard]:
    """Published practices the organisation led (`led`) or took part in otherwise, as
    their cards, newest first: at most ORGANISATION_PAGE_CARDS + 1, so that the page knows
    whether there are more without counting them (a city may have hundreds)."""
    alias = Practice.objects.all().db  # the database the page reads (a replica for visitors)
    statement, markers = organisation_cards_statement(alias, led=led)
    params = [markers[0], *(organisation.pk for _marker in markers[1:])]
    with connections[alias].cursor() as cursor:
        cursor.execute(statement, params)
        return [PracticeCard(row, SUMMARY_CARD_COLUMNS) for row in cursor.fetchall()]


def organisation_awards(organisation: Organisation) -> tuple[list[Entry], list[Entry]]:
    """The announced results of the organisation's published practices, in two lists:
    those it won as the entrant (`Entry.entrant`: the award is its own), and those of
    practices it only took part in (a partner, a supplier, a promoter…), one query."""
    entries = list(
        Entry.objects.public()
        .filter(
            practice__status="published",
            practice__organisation_ids__contains=[organisation.pk],
        )
        .exclude(status__in=["submitted", "withdrawn"])
        .select_related("practice", "entrant", "category__edition__competition")
        .only(
            *AWARD_FIELDS,
            "practice__slug",
            *(f"practice__{name}" for name in with_translations("title")),
            "entrant__name",
        )
        .order_by("-category__edition__year", "laureate_place", "id")
    )
    won = [entry for entry in entries if entry.entrant_id == organisation.pk]
    took_part = [entry for entry in entries if entry.entrant_id != organisation.pk]
    return won, took_part
