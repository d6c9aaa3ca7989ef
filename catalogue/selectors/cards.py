"""A practice's card as the catalogue, organisation and practice pages read it: its fields,
and the card statements compiled once per process."""

from __future__ import annotations

from functools import cache

from django.db.models import Case, F, Q, TextField, Value, When

from core.i18n import TRANSLATION_LANGUAGES, with_translations
from core.links import slug_url
from core.prepared import prepared_cursor
from practices.models import Practice

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


def statement_for_one_id(rows, alias: str, what: str) -> tuple[str, tuple]:
    """The SQL of the queryset `rows` on the database `alias`, written for the stand-in
    id 0, and its parameters: every one must be that stand-in (a compiled statement runs
    with the real id in each place), else ValueError names `what`. The statements of a
    practice's and an organisation's page are compiled this way once per process."""
    statement, params = rows.query.get_compiler(alias).as_sql()
    if not params or any(type(param) is bool or param != 0 for param in params):
        raise ValueError(f"unexpected parameters for {what}: {params}")
    return statement, params


def statement_with_stand_ins(
    rows, alias: str, stand_ins: tuple, what: str
) -> tuple[str, tuple, tuple[int, ...]]:
    """The SQL of the queryset `rows` on the database `alias`, its parameters, and where
    each of `stand_ins` is among them: each must be there exactly once (a compiled
    statement runs with the real values in their places, `with_values`), else
    ValueError names `what`."""
    statement, params = rows.query.get_compiler(alias).as_sql()
    places = []
    for stand_in in stand_ins:
        found = [number for number, param in enumerate(params) if param == stand_in]
        if len(found) != 1:
            raise ValueError(f"unexpected parameters for {what}: {params}")
        places.append(found[0])
    return statement, params, tuple(places)


def with_values(params: tuple, places: tuple[int, ...], *values) -> list:
    """A compiled statement's parameters (`statement_with_stand_ins`) with `values` in
    the stand-ins' places."""
    filled = list(params)
    for place, value in zip(places, values, strict=True):
        filled[place] = value
    return filled


# Surely not blank: a text with a letter or digit of ASCII (Python's strip() and
# PostgreSQL's character classes differ on the rest; a text without one is read whole).
_WRITTEN = "[0-9A-Za-z]"


def _description_when_needed(field: str) -> Case:
    """A card's `field` (a description column) where its snippet may need it: where the
    summaries it stands in for are blank, else NULL (read as no text).

    A snippet reads the description only when the summary in the page's language is
    blank (core.i18n.translated, then the original's): the original description when
    the original summary is, a translation's when both its summary and the original's
    are. A catalogue page's twenty descriptions are the longest texts of its statements,
    sent and decoded for nothing when every card has a summary."""
    summaries = [f"summary{field.removeprefix('description')}", "summary"]
    written = Q()
    for summary in dict.fromkeys(summaries):
        written |= Q(**{f"{summary}__regex": _WRITTEN})
    return Case(When(written, then=Value(None)), default=F(field), output_field=TextField())


@cache
def card_statement(alias: str) -> tuple[str, tuple]:
    """practice_cards' SQL on the database `alias`, compiled once per process, and the
    parameters before its ids: two pages' card queries differ only in their ids, and
    compiling the ORM query cost the page about half a millisecond (bench/README.md).
    The ids are one array parameter, the last."""
    values = [
        _description_when_needed(name) if name.startswith("description") else name
        for name in CARD_VALUES
    ]
    cards = Practice.objects.using(alias).filter(pk__in=[0]).order_by().values_list(*values)
    statement, params = cards.query.get_compiler(alias).as_sql()
    one_id = '"practices_practice"."id" IN (%s)'
    # The parameters before the ids are the descriptions' conditions, the same each time.
    constants = params[:-1]
    if params[-1:] != (0,) or set(constants) != {_WRITTEN} or statement.count(one_id) != 1:
        raise ValueError(f"unexpected SQL for the cards: {statement}")
    return statement.replace(one_id, '"practices_practice"."id" = ANY(%s)'), constants


def practice_cards(ids: list[int]) -> list[PracticeCard]:
    """The cards of the practices `ids` (chosen by practice_page_ids), in no order."""
    alias = Practice.objects.all().db  # the database the page reads (a replica for visitors)
    statement, constants = card_statement(alias)
    with prepared_cursor(alias) as cursor:
        cursor.execute(statement, [*constants, list(ids)])
        return [PracticeCard(row) for row in cursor.fetchall()]
