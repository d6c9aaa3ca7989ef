"""Reads for a practice's page: the practice with what its page shows, its rows read by
statements compiled once, and related practices."""

from __future__ import annotations

from functools import cache

from django.db import connections
from django.db.models import Case, IntegerField, Q, Value, When
from django.db.models.expressions import RawSQL

from catalogue.selectors.cards import (
    SUMMARY_CARD_COLUMNS,
    SUMMARY_CARD_VALUES,
    PracticeCard,
    statement_for_one_id,
    statement_with_stand_ins,
    with_values,
)
from competitions.models import Category, Competition, Edition, Entry
from core.i18n import with_translations
from core.prepared import prepared_cursor
from organisations.models import Organisation
from practices.models import (
    FundingSource,
    Partnership,
    Practice,
    PracticeAmount,
    PracticeLink,
    PracticeMilestone,
    PracticeType,
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


def _columns(model, unread=()) -> tuple[str, ...]:
    """The columns (attnames, in the model's order) of `model` but the fields `unread`."""
    return tuple(f.attname for f in model._meta.concrete_fields if f.name not in unread)


# A practice's page, read by a statement compiled once per process (practice_for_page):
# the practice's own columns, then its lead organisation's and its type's.
PAGE_COLUMNS = _columns(Practice, NOT_ON_PAGE)
LEAD_COLUMNS = _columns(Organisation, ORGANISATION_UNNAMED)
TYPE_COLUMNS = _columns(PracticeType)
# The stand-ins of a practice's address and id in the compiled statements.
_SLUG, _PRACTICE = "\x00slug", -7301


def _lookups(prefix: str, model, columns: tuple[str, ...]) -> list[str]:
    """The values_list() names of `model`'s `columns` through the relation `prefix`."""
    names = {f.attname: f.name for f in model._meta.concrete_fields}
    return [f"{prefix}{names[column]}" for column in columns]


@cache
def practice_page_statement(alias: str, include_unpublished: bool) -> tuple[str, tuple, tuple]:
    """The SQL that reads a practice by its address with its lead organisation and type on
    the database `alias` (any status, or published only), compiled once per process:
    building the query through the ORM cost the page about a millisecond (bench/README.md)."""
    practices = Practice.objects.using(alias)
    if not include_unpublished:
        practices = practices.published()
    rows = practices.filter(slug=_SLUG).values_list(
        *_lookups("", Practice, PAGE_COLUMNS),
        *_lookups("lead_organisation__", Organisation, LEAD_COLUMNS),
        *_lookups("practice_type__", PracticeType, TYPE_COLUMNS),
    )
    return statement_with_stand_ins(rows, alias, (_SLUG,), "a practice's page")


def practice_for_page(slug: str, *, include_unpublished: bool = False) -> Practice | None:
    """The practice at `slug` as its page shows it (practice_detail_queryset's fields and
    relations, but its awards: practice_awards), or None."""
    alias = Practice.objects.all().db  # the database the page reads (a replica for visitors)
    statement, params, places = practice_page_statement(alias, include_unpublished)
    with prepared_cursor(alias) as cursor:
        cursor.execute(statement, with_values(params, places, slug))
        row = cursor.fetchone()
    if row is None:
        return None
    own, lead = len(PAGE_COLUMNS), len(PAGE_COLUMNS) + len(LEAD_COLUMNS)
    practice = Practice.from_db(alias, PAGE_COLUMNS, row[:own])
    if practice.lead_organisation_id is not None:
        practice.lead_organisation = Organisation.from_db(alias, LEAD_COLUMNS, row[own:lead])
    if practice.practice_type_id is not None:
        practice.practice_type = PracticeType.from_db(alias, TYPE_COLUMNS, row[lead:])
    return practice


# The models an award line reads, each with the path to it from an entry.
_AWARD_PREFIXES = {
    Entry: "",
    Category: "category__",
    Edition: "category__edition__",
    Competition: "category__edition__competition__",
}
# What practice_awards reads of an entry, its category, edition and competition: the
# AWARD_FIELDS and the keys that join them, each model's in its own order.
AWARD_COLUMNS = {
    model: tuple(
        f.attname
        for f in model._meta.concrete_fields
        if f.primary_key
        or f"{prefix}{f.name}" in AWARD_FIELDS
        or (f.is_relation and f.related_model in _AWARD_PREFIXES)
    )
    for model, prefix in _AWARD_PREFIXES.items()
}


@cache
def practice_awards_statement(alias: str) -> tuple[str, tuple, tuple]:
    """The SQL that reads a practice's public entries (AWARD_COLUMNS), newest edition
    first, on the database `alias`, compiled once per process (see practice_page_statement)."""
    rows = (
        Entry.objects.using(alias)
        .public()
        .filter(practice=_PRACTICE)
        .order_by("-category__edition__year", "category__order")
        .values_list(*award_lookups())
    )
    return statement_with_stand_ins(rows, alias, (_PRACTICE,), "a practice's awards")


def practice_awards(practice: Practice) -> list[Entry]:
    """The practice's public entries, as award_label.html names them (with their
    categories, editions and competitions), newest edition first."""
    alias = Practice.objects.all().db
    statement, params, places = practice_awards_statement(alias)
    with prepared_cursor(alias) as cursor:
        cursor.execute(statement, with_values(params, places, practice.pk))
        rows = cursor.fetchall()
    entries = []
    for row in rows:
        entry = award_entry(alias, row)
        entry.practice = practice
        entries.append(entry)
    return entries


def instances_of(alias: str, row: tuple, parts: tuple[tuple[type, tuple[str, ...]], ...]) -> list:
    """The instances a compiled statement's `row` holds: one per (model, columns) of
    `parts`, read from the row in turn; None where a part's first column (its key, read
    through an outer join) is NULL."""
    found, start = [], 0
    for model, columns in parts:
        values = row[start : start + len(columns)]
        start += len(columns)
        found.append(None if values[0] is None else model.from_db(alias, columns, values))
    return found


_AWARD_PARTS = tuple((model, AWARD_COLUMNS[model]) for model in _AWARD_PREFIXES)


def award_entry(alias: str, row: tuple) -> Entry:
    """The entry that a row starting with the AWARD_COLUMNS holds, with its category,
    edition and competition."""
    entry, category, edition, competition = instances_of(alias, row, _AWARD_PARTS)
    edition.competition = competition
    category.edition = edition
    entry.category = category
    return entry


def award_lookups() -> list[str]:
    """The values_list() names of the AWARD_COLUMNS, read from an entry."""
    return [
        lookup
        for model, prefix in _AWARD_PREFIXES.items()
        for lookup in _lookups(prefix, model, AWARD_COLUMNS[model])
    ]


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
    with prepared_cursor(alias) as cursor:
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
