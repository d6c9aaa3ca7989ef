"""Reads for the organisation list and an organisation's page."""

from __future__ import annotations

from functools import cache

from django.db import connections
from django.db.models import Count, QuerySet

from catalogue.selectors.cards import (
    SUMMARY_CARD_COLUMNS,
    SUMMARY_CARD_VALUES,
    PracticeCard,
    statement_for_one_id,
    statement_with_stand_ins,
    with_values,
)
from catalogue.selectors.practice_page import (
    PARTNER_COLUMNS,
    award_entry,
    award_lookups,
    instances_of,
)
from competitions.models import Competition, Edition, EditionOrganiser, Entry
from core.i18n import with_translations
from core.prepared import prepared_cursor
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


# The stand-ins of an organisation's address and id in the compiled statements.
_SLUG, _ORGANISATION = "\x00slug", -7302
ORGANISATION_COLUMNS = tuple(f.attname for f in Organisation._meta.concrete_fields)


@cache
def organisation_page_statement(alias: str) -> tuple[str, tuple, tuple]:
    """The SQL that reads a published organisation by its address on the database `alias`,
    compiled once per process (see practice_page_statement)."""
    rows = (
        Organisation.objects.using(alias)
        .published()
        .filter(slug=_SLUG)
        .values_list(*(f.name for f in Organisation._meta.concrete_fields))
    )
    return statement_with_stand_ins(rows, alias, (_SLUG,), "an organisation's page")


def organisation_for_page(slug: str) -> Organisation | None:
    """The published organisation at `slug` (its members, groups and competition roles:
    organisation_links), or None."""
    alias = Organisation.objects.all().db  # the database the page reads
    statement, params, places = organisation_page_statement(alias)
    with prepared_cursor(alias) as cursor:
        cursor.execute(statement, with_values(params, places, slug))
        row = cursor.fetchone()
    return None if row is None else Organisation.from_db(alias, ORGANISATION_COLUMNS, row)


@cache
def membership_statement(alias: str, shown: str) -> tuple[str, tuple, tuple[str, ...]]:
    """The SQL that reads an organisation's published members (`shown` "member": the
    memberships of which it is the group) or groups ("group") by name, with their
    PARTNER_COLUMNS, on the database `alias`, compiled once per process; its parameters
    for the organisation 0, and the membership's own columns it reads first."""
    itself = "group" if shown == "member" else "member"
    own = tuple(field.attname for field in Membership._meta.concrete_fields)
    rows = (
        Membership.objects.using(alias)
        .filter(**{itself: 0, f"{shown}__is_published": True})
        .order_by(f"{shown}__sort_name")
        .values_list(*own, *(f"{shown}__{column}" for column in PARTNER_COLUMNS))
    )
    statement, params = statement_for_one_id(rows, alias, f"an organisation's {shown}s")
    return statement, params, own


def _in_model_order(model, *names: str) -> tuple[str, ...]:
    """`names` in the order of the model's columns, the order Model.from_db reads
    values in when it is given only some of them."""
    return tuple(field.attname for field in model._meta.concrete_fields if field.attname in names)


# What an organisation's competition roles read: the role, the edition's name and year and
# its competition's address.
ROLE_COLUMNS = _in_model_order(EditionOrganiser, "id", "role")
ROLE_EDITION_COLUMNS = _in_model_order(Edition, "id", "name", "year")
ROLE_COMPETITION_COLUMNS = _in_model_order(Competition, "id", "slug")


@cache
def roles_statement(alias: str) -> tuple[str, tuple]:
    """The SQL that reads an organisation's roles in competitions' editions (not the
    training editions), newest first, compiled once per process; its parameters for the
    organisation 0."""
    rows = (
        EditionOrganiser.objects.using(alias)
        .filter(organisation=0, edition__is_training=False)
        .order_by("-edition__year")
        .values_list(
            *ROLE_COLUMNS,
            *(f"edition__{column}" for column in ROLE_EDITION_COLUMNS),
            *(f"edition__competition__{column}" for column in ROLE_COMPETITION_COLUMNS),
        )
    )
    return statement_for_one_id(rows, alias, "an organisation's roles")


def _for(organisation: Organisation, markers: tuple) -> list:
    """A compiled statement's parameters: the organisation's id for each stand-in 0 (the
    statements check they have no other)."""
    return [organisation.pk for _marker in markers]


def organisation_links(organisation: Organisation) -> dict[str, list]:
    """The organisation's published members and groups (Memberships with the other
    organisation) and its roles in competitions (EditionOrganisers with their edition and
    competition), as its page shows them: instances with the columns it reads."""
    alias = Organisation.objects.all().db  # the database the page reads
    links = {}
    with prepared_cursor(alias) as cursor:
        for name, shown in (("members", "member"), ("groups", "group")):
            statement, markers, own = membership_statement(alias, shown)
            cursor.execute(statement, _for(organisation, markers))
            links[name] = []
            for row in cursor.fetchall():
                link = Membership.from_db(alias, own, row[: len(own)])
                other = Organisation.from_db(alias, PARTNER_COLUMNS, row[len(own) :])
                setattr(link, shown, other)
                links[name].append(link)
        statement, markers = roles_statement(alias)
        cursor.execute(statement, _for(organisation, markers))
        links["roles"] = []
        edition_at = len(ROLE_COLUMNS)
        competition_at = edition_at + len(ROLE_EDITION_COLUMNS)
        for row in cursor.fetchall():
            role = EditionOrganiser.from_db(alias, ROLE_COLUMNS, row[:edition_at])
            role.edition = Edition.from_db(
                alias, ROLE_EDITION_COLUMNS, row[edition_at:competition_at]
            )
            role.edition.competition = Competition.from_db(
                alias, ROLE_COMPETITION_COLUMNS, row[competition_at:]
            )
            links["roles"].append(role)
    return links


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


# What an organisation's award list reads besides the AWARD_COLUMNS: the practice's
# address and title, and the entrant's name.
AWARDED_PRACTICE_COLUMNS = _in_model_order(Practice, "id", "slug", *with_translations("title"))
ENTRANT_COLUMNS = _in_model_order(Organisation, "id", "name")


@cache
def organisation_awards_statement(alias: str) -> tuple[str, tuple, tuple]:
    """The SQL of organisation_awards on the database `alias`, compiled once per process
    (see practice_page_statement)."""
    rows = (
        Entry.objects.using(alias)
        .public()
        .filter(practice__status="published", practice__organisation_ids__contains=[_ORGANISATION])
        .exclude(status__in=["submitted", "withdrawn"])
        .order_by("-category__edition__year", "laureate_place", "id")
        .values_list(
            *award_lookups(),
            *(f"practice__{column}" for column in AWARDED_PRACTICE_COLUMNS),
            *(f"entrant__{column}" for column in ENTRANT_COLUMNS),
        )
    )
    return statement_with_stand_ins(rows, alias, (_ORGANISATION,), "an organisation's awards")


def organisation_awards(organisation: Organisation) -> tuple[list[Entry], list[Entry]]:
    """The announced results of the organisation's published practices, in two lists:
    those it won as the entrant (`Entry.entrant`: the award is its own), and those of
    practices it only took part in (a partner, a supplier, a promoter…), one query."""
    alias = Entry.objects.all().db  # the database the page reads
    statement, params, places = organisation_awards_statement(alias)
    # Not prepared (core.prepared): its practices are found by the organisation in their
    # arrays, and PostgreSQL's one plan for any organisation took 26.6 ms against 4.4.
    with connections[alias].cursor() as cursor:
        cursor.execute(statement, with_values(params, places, organisation.pk))
        rows = cursor.fetchall()
    awarded = len(award_lookups())
    entries = []
    for row in rows:
        entry = award_entry(alias, row[:awarded])
        entry.practice, entry.entrant = instances_of(
            alias,
            row[awarded:],
            ((Practice, AWARDED_PRACTICE_COLUMNS), (Organisation, ENTRANT_COLUMNS)),
        )
        entries.append(entry)
    won = [entry for entry in entries if entry.entrant_id == organisation.pk]
    took_part = [entry for entry in entries if entry.entrant_id != organisation.pk]
    return won, took_part
