"""Reads for a practice's page: the practice with what its page shows, its rows read by
statements compiled once, and related practices."""

from __future__ import annotations

from functools import cache

from django.db import connections
from django.db.models import Case, IntegerField, Prefetch, Q, QuerySet, Value, When
from django.db.models.expressions import RawSQL

from catalogue.selectors.cards import (
    SUMMARY_CARD_COLUMNS,
    SUMMARY_CARD_VALUES,
    PracticeCard,
    statement_for_one_id,
)
from competitions.models import Entry
from core.i18n import with_translations
from organisations.models import Organisation
from practices.models import (
    FundingSource,
    Partnership,
    Practice,
    PracticeAmount,
    PracticeLink,
    PracticeMilestone,
)

# What a line naming an award reads (the award lists of a practice's and an
# organisation's page, templates/jinja2/includes/award_label.html): the entry's result and its
# edition's and category's names and address. An edition and a competition carry long
# descriptions, rules and dates no such line shows.
AWARD_FIELDS = (
    "status",
    "laureate_place",
    "distinction",
    "is_winner",
    "practice",
    "entrant",
    "category__is_whole_edition",
    *(f"category__{name}" for name in with_translations("name")),
    "category__edition__year",
    *(f"category__edition__{name}" for name in with_translations("name")),
    "category__edition__competition__slug",
)

# What a practice's page never reads: its search document and the filters' arrays (but
# its topics, which name them), and the contact and workflow details kept for editors.
NOT_ON_PAGE = (
    "search_vector",
    "sample_levels",
    "type_codes",
    "regions",
    "organisation_ids",
    "organisation_kinds",
    "competition_ids",
    "edition_ids",
    "contact_name",
    "contact_email",
    "contact_phone",
    "origin",
    "status_changed_at",
    "status_changed_by",
)


# What a page that only names and links an organisation (a practice's lead and
# partners) never reads of it: its description, address details and workflow fields.
ORGANISATION_UNNAMED = (
    *with_translations("description"),
    "short_name",
    "kind",
    "region",
    "county",
    "locality",
    "website",
    "sort_name",
    "search_text",
    "created_at",
    "updated_at",
)


def practice_detail_queryset(*, include_unpublished: bool = False) -> QuerySet[Practice]:
    """A practice with everything its page shows, in a fixed number of queries (its
    topics come from the catalogue's vocabulary: catalogue.views.practices.practice_topics;
    its partners, funding sources, links, amounts and milestones from practice_details)."""
    queryset = Practice.objects.all() if include_unpublished else Practice.objects.published()
    return (
        queryset.select_related("lead_organisation", "practice_type")
        .defer(*NOT_ON_PAGE, *(f"lead_organisation__{name}" for name in ORGANISATION_UNNAMED))
        .prefetch_related(
            Prefetch(
                "entries",
                queryset=Entry.objects.public()
                .select_related("category__edition__competition")
                .only(*AWARD_FIELDS)
                .order_by("-category__edition__year", "category__order"),
            ),
        )
    )


# The rows a practice's page lists, by their names in its context, with the relation that
# names the practice.
# (The rows of the page's funding sources are shared with other practices: "practices" is
# the name the many-to-many relation has from their side.)
DETAIL_MODELS = {
    "funding_sources": (FundingSource, "practices"),
    "links": (PracticeLink, "practice"),
    "amounts": (PracticeAmount, "practice"),
    "milestones": (PracticeMilestone, "practice"),
}


@cache
def detail_statement(alias: str, name: str) -> tuple[str, tuple, tuple[str, ...]]:
    """The SQL that reads a practice's DETAIL_MODELS[name] rows in their order on the
    database `alias`, its parameters for the practice 0 and the columns it reads,
    compiled once per process (see card_statement): a prefetch compiled its query again
    for every page."""
    model, practice = DETAIL_MODELS[name]
    columns = tuple(field.attname for field in model._meta.concrete_fields)
    rows = model.objects.using(alias).filter(**{practice: 0}).values_list(*columns)
    statement, params = statement_for_one_id(rows, alias, f"a practice's {name}")
    return statement, params, columns


# What a partner's line reads of its organisation: its name and address (no relations).
PARTNER_COLUMNS = tuple(
    field.attname
    for field in Organisation._meta.concrete_fields
    if not field.is_relation and field.name not in ORGANISATION_UNNAMED
)


@cache
def partners_statement(alias: str) -> tuple[str, tuple, tuple[str, ...]]:
    """The SQL that reads a practice's partnerships in their order with their
    organisations' PARTNER_COLUMNS on the database `alias`, compiled once per process,
    its parameters for the practice 0 and the partnership's own columns it reads first."""
    own = tuple(field.attname for field in Partnership._meta.concrete_fields)
    rows = (
        Partnership.objects.using(alias)
        .filter(practice=0)
        .values_list(*own, *(f"organisation__{column}" for column in PARTNER_COLUMNS))
    )
    statement, params = statement_for_one_id(rows, alias, "a practice's partners")
    return statement, params, own


def practice_details(practice: Practice) -> dict[str, list]:
    """The practice's partners (with their organisations), funding sources, links, amounts
    and milestones (model instances, in each model's order), as its page shows them."""
    alias = Practice.objects.all().db  # the database the page reads (a replica for visitors)
    details = {}
    with connections[alias].cursor() as cursor:
        statement, markers, own = partners_statement(alias)
        cursor.execute(statement, [practice.pk for _marker in markers])
        details["partners"] = []
        for row in cursor.fetchall():
            partner = Partnership.from_db(alias, own, row[: len(own)])
            partner.organisation = Organisation.from_db(alias, PARTNER_COLUMNS, row[len(own) :])
            details["partners"].append(partner)
        for name, (model, _practice) in DETAIL_MODELS.items():
            statement, markers, columns = detail_statement(alias, name)
            cursor.execute(statement, [practice.pk for _marker in markers])
            details[name] = [model.from_db(alias, columns, row) for row in cursor.fetchall()]
    return details


RELATED_CANDIDATES = 200


# The stand-ins of a practice's id, topics and type in the compiled related_statement.
_PK, _TOPICS, _TYPE = -1, [-2], "\x00type"


@cache
def related_statement(alias: str, limit: int) -> tuple[str, tuple]:
    """practice_related's SQL on the database `alias`, compiled once per process (see
    card_statement), with stand-ins for the practice's id, topics and type among its
    parameters (each array is one parameter, whatever its length)."""
    topics = RawSQL("%s::bigint[]", [_TOPICS])
    shared_topics = RawSQL(
        "cardinality(ARRAY(SELECT unnest(topic_ids) INTERSECT SELECT unnest(%s::bigint[])))",
        [_TOPICS],
        output_field=IntegerField(),
    )
    candidates = (
        Practice.objects.using(alias)
        .published()
        .exclude(pk=_PK)
        .filter(Q(topic_ids__overlap=topics) | Q(practice_type=_TYPE))
        .order_by("-published_at", "-id")
        .values("pk")[:RELATED_CANDIDATES]
    )
    related = (
        Practice.objects.using(alias)
        .filter(pk__in=candidates)
        .annotate(
            shared=shared_topics,
            same_type=Case(
                When(practice_type=_TYPE, then=Value(1)),
                default=Value(0),
                output_field=IntegerField(),
            ),
        )
        .order_by("-shared", "-same_type", "-published_at", "-id")
        .values_list(*SUMMARY_CARD_VALUES)[:limit]
    )
    statement, params = related.query.get_compiler(alias).as_sql()
    stand_ins = [p for p in params if p == _TOPICS or (isinstance(p, int) and p == _PK)]
    if len(stand_ins) != 3 or params.count(_TYPE) != 2:
        raise ValueError(f"unexpected parameters for related practices: {params}")
    return statement, params


def practice_related(practice: Practice, *, limit: int = 4) -> list[PracticeCard]:
    """Published practices that share a topic or the type, those sharing most topics first.

    Picked from the newest RELATED_CANDIDATES that share anything, so the page reads a
    few hundred index entries (practice_newest_idx, in order, until enough match)
    rather than ranking every practice of the type: constant work at any catalogue size.
    """
    alias = Practice.objects.all().db  # the database the page reads (a replica for visitors)
    statement, stand_ins = related_statement(alias, limit)
    params = [
        list(practice.topic_ids)
        if param == _TOPICS
        else practice.practice_type_id
        if param == _TYPE
        else practice.pk
        if isinstance(param, int) and param == _PK
        else param
        for param in stand_ins
    ]
    with connections[alias].cursor() as cursor:
        cursor.execute(statement, params)
        return [PracticeCard(row, SUMMARY_CARD_COLUMNS) for row in cursor.fetchall()]
