"""Reads for the catalogue's pages: QuerySets with the joins and prefetches each page needs."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from django.db import connections
from django.db.models import (
    Case,
    Count,
    F,
    FloatField,
    IntegerField,
    Prefetch,
    Q,
    QuerySet,
    Value,
    When,
)
from django.db.models.expressions import RawSQL
from django.db.models.functions import ExtractYear

from catalogue import sql
from catalogue.counting import FacetCounts
from competitions.models import EditionOrganiser, Entry
from competitions.selectors import competition_list
from core.i18n import TRANSLATION_LANGUAGES, with_translations
from core.links import slug_url
from organisations.models import Membership, Organisation
from practices.models import (
    Partnership,
    Practice,
    PracticeAmount,
    PracticeLink,
    PracticeMilestone,
)

# --- the catalogue page -------------------------------------------------------------

SORTINGS = {
    "relevance": ("-rank", "-published_at", "-id"),
    "newest": ("-published_at", "-id"),
    "title": ("sort_title", "id"),
    "value": (F("total_value").desc(nulls_last=True), "-id"),
}


# What a practice card reads (templates/jinja2/includes/cards/practice_cards.html, and the
# snippet of catalogue.views.practices.PracticeListView): the other long texts stay unread.
CARD_FIELDS = (
    *with_translations("title"),
    "slug",
    *with_translations("summary"),
    *with_translations("description"),
    "countries",
    "award_levels",
    "started_on",
    "started_precision",
    "ended_on",
    "ended_precision",
    "total_value",
    "total_value_approximate",
    "currency",
    "lead_organisation__name",
    *(f"practice_type__{name}" for name in with_translations("name")),
)
# A card outside a search (organisation and practice pages): its snippet is the summary.
SUMMARY_CARD_FIELDS = tuple(
    field for field in CARD_FIELDS if field not in with_translations("description")
)

# What a line naming an award reads (the award lists of a practice's and an
# organisation's page, templates/includes/award_label.html): the entry's result and its
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


def practice_catalogue(queryset: QuerySet[Practice], *, sort: str) -> QuerySet[Practice]:
    """The catalogue's practices in the asked order. A page reads its ids from it
    (practice_page_ids), then the cards of those ids (practice_cards)."""
    return queryset.order_by(*SORTINGS.get(sort, SORTINGS["newest"]))


# The practice's own columns of a card, and the names read through its two relations.
CARD_COLUMNS = tuple(field for field in CARD_FIELDS if "__" not in field)
_TYPE_NAMES = tuple(with_translations("name"))


class CardName:
    """The lead organisation or the practice type of a card: its name, in each language the
    type has (an organisation's name has no translation)."""

    __slots__ = ("name", *(f"name_{language}" for language in TRANSLATION_LANGUAGES))

    def __init__(self, name: str, *translations: str):
        self.name = name
        translations = translations or ("",) * len(TRANSLATION_LANGUAGES)
        for language, text in zip(TRANSLATION_LANGUAGES, translations, strict=True):
            setattr(self, f"name_{language}", text)


class PracticeCard:
    """A practice as its card shows it: the CARD_FIELDS of one row (SUMMARY_CARD_FIELDS
    on an organisation's page: `columns`), read as values.

    The catalogue page builds twenty of them for every page it answers: as model instances
    (deferred fields, two related objects each) they cost the page about a millisecond
    more (bench/README.md). A card reads like the Practice that the card template gets on
    the other pages (`translated()`, the `period` and `money` filters,
    `get_absolute_url`); a test renders both and holds them equal.
    """

    __slots__ = ("pk", *CARD_COLUMNS, "lead_organisation", "practice_type", "snippet",
                 "snippet_language")  # fmt: skip

    def __init__(self, row: tuple, columns: tuple[str, ...] = CARD_COLUMNS):
        self.pk = row[0]
        for name, value in zip(columns, row[1 : len(columns) + 1], strict=True):
            setattr(self, name, value)
        lead, *type_names = row[len(columns) + 1 :]
        self.lead_organisation = CardName(lead) if lead is not None else None
        self.practice_type = CardName(*type_names)
        self.snippet, self.snippet_language = "", None

    def get_absolute_url(self) -> str:
        return slug_url("practices:practice-detail", self.slug)


# What practice_cards reads of a row: the card's columns, then its two relations' names;
# and what the cards of an organisation's and a practice's page read (no description).
CARD_VALUES = (
    "pk",
    *CARD_COLUMNS,
    "lead_organisation__name",
    *(f"practice_type__{name}" for name in _TYPE_NAMES),
)
SUMMARY_CARD_COLUMNS = tuple(field for field in SUMMARY_CARD_FIELDS if "__" not in field)
SUMMARY_CARD_VALUES = (
    "pk",
    *SUMMARY_CARD_COLUMNS,
    "lead_organisation__name",
    *(f"practice_type__{name}" for name in _TYPE_NAMES),
)


@cache
def card_statement(alias: str) -> str:
    """practice_cards' SQL on the database `alias`, compiled once per process: two pages'
    card queries differ only in their ids, and compiling the ORM query cost the page
    about half a millisecond (bench/README.md). The ids are one array parameter."""
    cards = Practice.objects.using(alias).filter(pk__in=[0]).order_by().values_list(*CARD_VALUES)
    statement, params = cards.query.get_compiler(alias).as_sql()
    one_id = '"practices_practice"."id" IN (%s)'
    if params != (0,) or statement.count(one_id) != 1:
        raise ValueError(f"unexpected SQL for the cards: {statement}")
    return statement.replace(one_id, '"practices_practice"."id" = ANY(%s)')


def practice_cards(ids: list[int]) -> list[PracticeCard]:
    """The cards of the practices `ids` (chosen by practice_page_ids), in no order."""
    alias = Practice.objects.all().db  # the database the page reads (a replica for visitors)
    with connections[alias].cursor() as cursor:
        cursor.execute(card_statement(alias), [list(ids)])
        return [PracticeCard(row) for row in cursor.fetchall()]


def practice_page_ids(
    queryset: QuerySet[Practice],
    *,
    start: int,
    stop: int,
    rank_window: int = 0,
    count: int | None = None,
) -> list[int]:
    """The ids at positions [start, stop) of `queryset`, in its order.

    Given the exact `count` of its rows, a page in the second half is read from the
    other end, in the reverse order (the same index, read backwards): the last page
    of a million practices skips nothing instead of 999,980 index entries.

    With a `rank_window` (a search sorted by relevance that matches more practices
    than that), the order is instead: the `rank_window` newest matches by relevance,
    then the later matches newest first. Ranking reads every ranked practice's search
    vector, so ranking all of a broad search's matches (a third of a million-practice
    catalogue for "seniorów") would take half a second; the window bounds that work,
    and a narrower search (or a filter) ranks every match again. Past the window both
    orders are the same, so a deep page reads the newest order alone.
    """
    if not rank_window:
        return _ids_between(queryset, start, stop, count)
    newest = queryset.order_by(*SORTINGS["newest"])
    if start >= rank_window:
        return _ids_between(newest, start, stop, count)
    # One statement: the window, read in the newest order (an index) with its rank
    # computed for those rows only, and (for the page that crosses its end) the
    # matches after it, rankless, so that they sort after it and newest first.
    window = newest.annotate(w_id=F("pk"), w_rank=F("rank"), w_at=F("published_at"))
    window = window.values_list("w_id", "w_rank", "w_at")[:rank_window]
    window_sql, params = window.query.sql_with_params()
    if stop > rank_window:
        later = newest.annotate(
            w_id=F("pk"), w_rank=Value(None, output_field=FloatField()), w_at=F("published_at")
        ).values_list("w_id", "w_rank", "w_at")[rank_window:stop]
        later_sql, later_params = later.query.sql_with_params()
        window_sql, params = f"({window_sql}) UNION ALL ({later_sql})", (*params, *later_params)
    # The database the rest of the page reads (a replica for anonymous visitors).
    with connections[newest.db].cursor() as cursor:
        cursor.execute(sql.ranked_window_page(window_sql), (*params, start, stop - start))
        return [row[0] for row in cursor.fetchall()]


def _ids_between(queryset: QuerySet, start: int, stop: int, count: int | None) -> list[int]:
    if count is None or start <= count // 2:
        return list(queryset.values_list("pk", flat=True)[start:stop])
    if start >= count:
        return []
    # Positions [start, stop) are, in the reverse order, [count - stop, count - start).
    ids = list(
        queryset.reverse().values_list("pk", flat=True)[max(0, count - stop) : count - start]
    )
    ids.reverse()
    return ids


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
    its links, amounts and milestones from practice_details)."""
    queryset = Practice.objects.all() if include_unpublished else Practice.objects.published()
    return (
        queryset.select_related("lead_organisation", "practice_type")
        .defer(*NOT_ON_PAGE, *(f"lead_organisation__{name}" for name in ORGANISATION_UNNAMED))
        .prefetch_related(
            Prefetch(
                "partnerships",
                queryset=Partnership.objects.select_related("organisation").defer(
                    *(f"organisation__{name}" for name in ORGANISATION_UNNAMED)
                ),
            ),
            "funding_sources",
            Prefetch(
                "entries",
                queryset=Entry.objects.public()
                .select_related("category__edition__competition")
                .only(*AWARD_FIELDS)
                .order_by("-category__edition__year", "category__order"),
            ),
        )
    )


# The rows of a practice's page that belong to the practice alone, by its context name.
DETAIL_MODELS = {"links": PracticeLink, "amounts": PracticeAmount, "milestones": PracticeMilestone}


@cache
def detail_statement(alias: str, name: str) -> tuple[str, tuple[str, ...]]:
    """The SQL that reads a practice's DETAIL_MODELS[name] rows in their order on the
    database `alias`, and the columns it reads, compiled once per process (see
    card_statement): a prefetch compiled its query again for every page."""
    model = DETAIL_MODELS[name]
    columns = tuple(field.attname for field in model._meta.concrete_fields)
    rows = model.objects.using(alias).filter(practice=0).values_list(*columns)
    statement, params = rows.query.get_compiler(alias).as_sql()
    if params != (0,):
        raise ValueError(f"unexpected parameters for a practice's {name}: {params}")
    return statement, columns


def practice_details(practice: Practice) -> dict[str, list]:
    """The practice's links, amounts and milestones (model instances, in each model's
    order), as its page shows them."""
    alias = Practice.objects.all().db  # the database the page reads (a replica for visitors)
    details = {}
    with connections[alias].cursor() as cursor:
        for name, model in DETAIL_MODELS.items():
            statement, columns = detail_statement(alias, name)
            cursor.execute(statement, [practice.pk])
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


# --- home and overview ----------------------------------------------------------------


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


# --- organisations ----------------------------------------------------------------------


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
