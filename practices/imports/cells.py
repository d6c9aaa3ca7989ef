"""Reading a row's cells: text, lists, names, organisation details, dates, amounts and
the widgets and fields of django-import-export that use them. Each problem is an error
naming its column, in words."""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django_countries import countries
from import_export import fields, widgets

from core.dates import DatePrecision, parse_partial_date
from core.text import fold, slugify_pl
from organisations.enums import OrganisationKind, Voivodeship
from organisations.models import Organisation
from organisations.services import organisation_get_or_create
from practices.enums import (
    Currency,
    PracticeTypeCode,
)
from practices.imports.files import LEAD_DETAILS, LIST_SEPARATOR
from practices.models import (
    PracticeType,
    Topic,
)


def column_error(column: str, message: str) -> ValueError:
    return ValueError(
        _("Kolumna „%(column)s”: %(message)s") % {"column": column, "message": message}
    )


def cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return " ".join(str(value).split())


def fitting_name(name: str, column: str, model) -> str:
    """`name` if `model`'s name holds it; a column error in words otherwise (not the
    database's, after half the row is written)."""
    limit = model._meta.get_field("name").max_length
    if len(name) > limit:
        raise column_error(
            column,
            _("nazwa „%(start)s…” jest za długa (długość %(length)s, najwyżej %(limit)s znaków).")
            % {"start": name[:40], "length": len(name), "limit": limit},
        )
    return name


def cell_items(value) -> list[str]:
    return [item.strip() for item in cell_text(value).split(LIST_SEPARATOR) if item.strip()]


class PracticeTypeWidget(widgets.Widget):
    """A type by its code ("it") or its Polish name in any form ("społeczna", "Społeczne")."""

    @cached_property
    def types(self) -> dict[str, PracticeType]:
        return {t.code: t for t in PracticeType.objects.all()}

    def clean(self, value, row=None, **kwargs):
        text = fold(cell_text(value))
        if not text:
            raise column_error("typ", _("podaj typ praktyki."))
        for code, label in PracticeTypeCode.choices:
            practice_type = self.types.get(code)
            names = {fold(code), fold(str(label))}
            if practice_type:
                names.add(fold(practice_type.name))
            # "społeczna" and "społeczne" are the same type: compare without the ending.
            loose = len(text) >= 4 and text[:-1] in {n[:-1] for n in names}
            if practice_type and (text in names or loose):
                return practice_type
        allowed = ", ".join(str(label) for _code, label in PracticeTypeCode.choices)
        raise column_error(
            "typ",
            _("nieznany typ „%(value)s”; dozwolone: %(allowed)s.")
            % {"value": cell_text(value), "allowed": allowed},
        )

    def render(self, value, obj=None, **kwargs):
        return value.code if value else ""


class OrganisationWidget(widgets.Widget):
    """The lead organisation by name, matched (not duplicated) with the row's country.

    A practice has a lead only where its source names one (Practice.lead_organisation):
    an empty cell with no other lead column leaves a new practice without a lead, its
    organisations being those of `partnerzy`. Details of a lead without its name are
    a mistake, not a practice without a lead."""

    def clean(self, value, row=None, **kwargs):
        name = cell_text(value)
        if not name:
            described = [column for column in LEAD_DETAILS if cell_text((row or {}).get(column))]
            if described:
                raise column_error(
                    "lider",
                    _(
                        "podaj nazwę organizacji prowadzącej praktykę, którą opisują "
                        "kolumny %(columns)s, albo zostaw je puste, jeśli źródło nie "
                        "wskazuje lidera."
                    )
                    % {"columns": ", ".join(described)},
                )
            return None
        organisation, _created = organisation_get_or_create(
            name=fitting_name(name, "lider", Organisation),
            kind=_kind(row.get("lider_rodzaj")),
            country=country_code(row.get("lider_kraj")),
            region=_region(row.get("lider_region"), country_code(row.get("lider_kraj"))),
            locality=cell_text(row.get("lider_miejscowosc")),
        )
        return organisation

    def render(self, value, obj=None, **kwargs):
        return value.name if value else ""


def _kind(value) -> str:
    text = fold(cell_text(value))
    if not text:
        return OrganisationKind.OTHER
    for code, label in OrganisationKind.choices:
        if text in (fold(code), fold(str(label))):
            return code
    raise column_error(
        "lider_rodzaj",
        _(
            "nieznany rodzaj organizacji „%(value)s”; np. gmina, miasto, powiat, "
            "organizacja pozarządowa."
        )
        % {"value": cell_text(value)},
    )


def _region(value, country: str) -> str:
    """A Polish region as one of the 16 voivodeships; elsewhere the text as it is."""
    text = cell_text(value)
    if not text or country != "PL":
        return text
    voivodeship = Voivodeship.from_text(text)
    if voivodeship is None:
        raise column_error(
            "lider_region",
            _("„%(value)s” nie jest województwem; podaj jedno z 16, np. „lubelskie”.")
            % {"value": text},
        )
    return voivodeship


def country_code(value) -> str:
    text = cell_text(value)
    if not text:
        return ""
    if text.upper() in dict(countries):
        return text.upper()
    by_name = countries.by_name(text, language="pl") or countries.by_name(text, language="en")
    if by_name:
        return by_name
    raise column_error(
        "lider_kraj",
        _("nieznany kraj „%(value)s”; podaj kod (PL, UA) lub nazwę (Polska).") % {"value": text},
    )


class PeriodField(fields.Field):
    """A start or end given as "2014", "04.2015", "15.06.2017" or "2017-06-15"."""

    def __init__(self, *args, end: bool, precision_attribute: str, **kwargs):
        self.end = end
        self.precision_attribute = precision_attribute
        super().__init__(*args, **kwargs)

    def save(self, instance, row, is_m2m=False, **kwargs):
        text = cell_text(row.get(self.column_name))
        if not text:
            setattr(instance, self.attribute, None)
            return
        day, precision = parse_import_date(text, column=self.column_name, end=self.end)
        setattr(instance, self.attribute, day)
        setattr(instance, self.precision_attribute, precision)


class SourceDateField(fields.Field):
    """The day the source published the description: "15.06.2017" or "2017-06-15"."""

    def save(self, instance, row, is_m2m=False, **kwargs):
        text = cell_text(row.get(self.column_name))
        if not text:
            return  # an empty cell never erases a date already stored
        day, precision = parse_import_date(text, column=self.column_name, end=False)
        if precision != DatePrecision.DAY:
            raise column_error(
                self.column_name,
                _("„%(value)s”: podaj dzień publikacji w źródle, np. 15.06.2017.")
                % {"value": text},
            )
        setattr(instance, self.attribute, day)


def parse_import_date(text: str, *, column: str, end: bool):
    """Polish and ISO forms of a full or partial date; a clear message otherwise."""
    polish = re.fullmatch(r"(?:(\d{1,2})\.)?(\d{1,2})\.(\d{4})", text)
    if polish:
        day, month, year = polish.groups()
        text = f"{year}-{int(month):02d}" + (f"-{int(day):02d}" if day else "")
    if not re.fullmatch(r"\d{4}(-\d{2}(-\d{2})?)?", text):
        raise column_error(
            column,
            _("„%(value)s” nie jest datą; podaj np. 2017, 06.2017 albo 15.06.2017.")
            % {"value": text},
        )
    try:
        return parse_partial_date(text, end=end)
    except ValueError:
        shown = ".".join(reversed(text.split("-")))
        raise column_error(
            column,
            _("„%(value)s” nie jest prawidłową datą (taki dzień nie istnieje).") % {"value": shown},
        ) from None


class AmountWidget(widgets.Widget):
    """An amount written "4 061 351,04", "4061351.04" or "845 000"; never negative."""

    def __init__(self, column: str):
        self.column = column
        super().__init__()

    def clean(self, value, row=None, **kwargs):
        if isinstance(value, (int, float, Decimal)) and not isinstance(value, bool):
            amount = Decimal(str(value))
        else:
            text = cell_text(value).replace("\xa0", "").replace(" ", "")
            for suffix in ("zł", "PLN", "EUR", "USD", "UAH"):
                text = text.removesuffix(suffix)
            if not text:
                return None
            if "," in text:
                text = text.replace(".", "").replace(",", ".")
            try:
                amount = Decimal(text)
            except InvalidOperation:
                raise column_error(
                    self.column, _("„%(value)s” nie jest kwotą.") % {"value": cell_text(value)}
                ) from None
        if amount < 0:
            raise column_error(
                self.column, _("kwota nie może być ujemna (%(value)s).") % {"value": amount}
            )
        if amount >= Decimal("1e14"):
            raise column_error(self.column, _("kwota jest zbyt duża."))
        return amount.quantize(Decimal("0.01"))


class CurrencyWidget(widgets.Widget):
    def clean(self, value, row=None, **kwargs):
        text = cell_text(value).upper().replace("ZŁ", "PLN")
        if not text:
            has_amount = cell_text(row.get("wartosc")) or cell_text(row.get("dofinansowanie"))
            return Currency.PLN if has_amount else ""
        if text not in Currency.values:
            raise column_error(
                "waluta",
                _("nieznana waluta „%(value)s”; dozwolone: %(allowed)s.")
                % {"value": text, "allowed": ", ".join(Currency.values)},
            )
        return text


class NamedItemsWidget(widgets.ManyToManyWidget):
    """Topics by name or slug, separated by ";"; unknown ones are an error."""

    @cached_property
    def topics(self) -> dict[str, Topic]:
        known = {}
        for topic in Topic.objects.all():
            known[topic.slug] = known[fold(topic.name)] = topic
        return known

    def clean(self, value, row=None, **kwargs):
        chosen = []
        for item in cell_items(value):
            match = self.topics.get(slugify_pl(item)) or self.topics.get(fold(item))
            if match is None:
                raise column_error(
                    "obszary", _("nieznany obszar tematyczny „%(value)s”.") % {"value": item}
                )
            chosen.append(match)
        return chosen
