"""Spreadsheet import of practices (CSV or XLSX) through django-import-export.

Editors upload a file in the admin; a dry run lists what would be created or
updated and every row's problems (row number, column, what is wrong, in
Polish); confirming runs the same import for real in one transaction. A file
with any error changes nothing. Organisations are matched by name and country
(organisations.services.organisation_get_or_create), never duplicated.

The columns are documented in README.md ("Importing practices") and shown on
the import page; fixtures/import/przyklad-import.csv is a sample.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable
from decimal import Decimal, InvalidOperation

import tablib
from django.core.exceptions import ValidationError
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django_countries import countries
from import_export import fields, resources, widgets
from import_export.formats.base_formats import CSV, XLSX

from core.dates import DatePrecision, parse_partial_date
from core.text import fold, slugify_pl
from organisations.enums import OrganisationKind, Voivodeship
from organisations.models import Organisation
from organisations.services import organisation_get_or_create
from practices.enums import (
    AmountMeasure,
    Currency,
    MilestoneKind,
    PartnerRole,
    PracticeOrigin,
    PracticeStatus,
    PracticeTypeCode,
)
from practices.models import (
    FundingSource,
    Partnership,
    Practice,
    PracticeAmount,
    PracticeMilestone,
    PracticeType,
    Topic,
)
from practices.services import practice_unique_slug

MAX_IMPORT_ROWS = 1000
REQUIRED_COLUMNS = ("tytul", "typ")
# What a row says of its lead organisation besides its name (column "lider").
LEAD_DETAILS = ("lider_rodzaj", "lider_kraj", "lider_region", "lider_miejscowosc")
LIST_SEPARATOR = ";"


class ImportRefused(ValueError):
    """The whole file is refused (columns, size); the message is for the editor."""


class ImportTooLong(ImportRefused):
    """More data rows than MAX_IMPORT_ROWS: reading stopped at the first one too many."""

    def __init__(self, rows_read: int):
        self.rows_read = rows_read
        super().__init__(
            _(
                "Pliku nie zaimportowano: ma więcej niż %(max)s wierszy, a tyle można "
                "zaimportować jednorazowo. Podziel go na części i wyślij je po kolei."
            )
            % {"max": MAX_IMPORT_ROWS}
        )


# --- reading files -------------------------------------------------------------------
# Row by row, with the row limit checked while reading: a small file may unpack into
# hundreds of thousands of rows, and none past the limit is read.


def _dataset(rows: Iterable, *, pad, limit: int) -> tablib.Dataset:
    """A Dataset of the header and at most `limit` rows; ImportTooLong past that."""
    rows = iter(rows)
    dataset = tablib.Dataset()
    header = next(rows, None)
    if header is None:
        return dataset
    dataset.headers = ["" if value is None else value for value in header]
    width = len(header)
    for read, row in enumerate(rows, start=1):
        if read > limit:
            raise ImportTooLong(rows_read=read)
        row = list(row)
        while len(row) > width and row[-1] in (None, ""):
            row.pop()  # a spreadsheet's empty cells right of the table
        dataset.append(row + [pad] * (width - len(row)))
    return dataset


def csv_dataset(text: str, *, limit: int = MAX_IMPORT_ROWS) -> tablib.Dataset:
    """A CSV file's rows (empty lines skipped, as tablib does)."""
    return _dataset((row for row in csv.reader(io.StringIO(text)) if row), pad="", limit=limit)


def xlsx_dataset(content: bytes, *, limit: int = MAX_IMPORT_ROWS) -> tablib.Dataset:
    """The first sheet's rows, read in openpyxl's streaming (read-only) mode."""
    from openpyxl import load_workbook

    workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    try:
        return _dataset(workbook.active.iter_rows(values_only=True), pad=None, limit=limit)
    finally:
        workbook.close()


class ImportCSV(CSV):
    def create_dataset(self, in_stream, **kwargs):
        if isinstance(in_stream, bytes):
            in_stream = in_stream.decode(self.encoding or "utf-8-sig")
        return csv_dataset(in_stream)


class ImportXLSX(XLSX):
    def create_dataset(self, in_stream):
        return xlsx_dataset(in_stream)


def _column_error(column: str, message: str) -> ValueError:
    return ValueError(
        _("Kolumna „%(column)s”: %(message)s") % {"column": column, "message": message}
    )


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return " ".join(str(value).split())


def _name(name: str, column: str, model) -> str:
    """`name` if `model`'s name holds it; a column error in words otherwise (not the
    database's, after half the row is written)."""
    limit = model._meta.get_field("name").max_length
    if len(name) > limit:
        raise _column_error(
            column,
            _("nazwa „%(start)s…” jest za długa (długość %(length)s, najwyżej %(limit)s znaków).")
            % {"start": name[:40], "length": len(name), "limit": limit},
        )
    return name


def _items(value) -> list[str]:
    return [item.strip() for item in _text(value).split(LIST_SEPARATOR) if item.strip()]


class PracticeTypeWidget(widgets.Widget):
    """A type by its code ("it") or its Polish name in any form ("społeczna", "Społeczne")."""

    @cached_property
    def types(self) -> dict[str, PracticeType]:
        return {t.code: t for t in PracticeType.objects.all()}

    def clean(self, value, row=None, **kwargs):
        text = fold(_text(value))
        if not text:
            raise _column_error("typ", _("podaj typ praktyki."))
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
        raise _column_error(
            "typ",
            _("nieznany typ „%(value)s”; dozwolone: %(allowed)s.")
            % {"value": _text(value), "allowed": allowed},
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
        name = _text(value)
        if not name:
            described = [column for column in LEAD_DETAILS if _text((row or {}).get(column))]
            if described:
                raise _column_error(
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
            name=_name(name, "lider", Organisation),
            kind=_kind(row.get("lider_rodzaj")),
            country=_country(row.get("lider_kraj")),
            region=_region(row.get("lider_region"), _country(row.get("lider_kraj"))),
            locality=_text(row.get("lider_miejscowosc")),
        )
        return organisation

    def render(self, value, obj=None, **kwargs):
        return value.name if value else ""


def _kind(value) -> str:
    text = fold(_text(value))
    if not text:
        return OrganisationKind.OTHER
    for code, label in OrganisationKind.choices:
        if text in (fold(code), fold(str(label))):
            return code
    raise _column_error(
        "lider_rodzaj",
        _(
            "nieznany rodzaj organizacji „%(value)s”; np. gmina, miasto, powiat, "
            "organizacja pozarządowa."
        )
        % {"value": _text(value)},
    )


def _region(value, country: str) -> str:
    """A Polish region as one of the 16 voivodeships; elsewhere the text as it is."""
    text = _text(value)
    if not text or country != "PL":
        return text
    voivodeship = Voivodeship.from_text(text)
    if voivodeship is None:
        raise _column_error(
            "lider_region",
            _("„%(value)s” nie jest województwem; podaj jedno z 16, np. „lubelskie”.")
            % {"value": text},
        )
    return voivodeship


def _country(value) -> str:
    text = _text(value)
    if not text:
        return ""
    if text.upper() in dict(countries):
        return text.upper()
    by_name = countries.by_name(text, language="pl") or countries.by_name(text, language="en")
    if by_name:
        return by_name
    raise _column_error(
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
        text = _text(row.get(self.column_name))
        if not text:
            setattr(instance, self.attribute, None)
            return
        day, precision = parse_import_date(text, column=self.column_name, end=self.end)
        setattr(instance, self.attribute, day)
        setattr(instance, self.precision_attribute, precision)


class SourceDateField(fields.Field):
    """The day the source published the description: "15.06.2017" or "2017-06-15"."""

    def save(self, instance, row, is_m2m=False, **kwargs):
        text = _text(row.get(self.column_name))
        if not text:
            return  # an empty cell never erases a date already stored
        day, precision = parse_import_date(text, column=self.column_name, end=False)
        if precision != DatePrecision.DAY:
            raise _column_error(
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
        raise _column_error(
            column,
            _("„%(value)s” nie jest datą; podaj np. 2017, 06.2017 albo 15.06.2017.")
            % {"value": text},
        )
    try:
        return parse_partial_date(text, end=end)
    except ValueError:
        shown = ".".join(reversed(text.split("-")))
        raise _column_error(
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
            text = _text(value).replace("\xa0", "").replace(" ", "")
            for suffix in ("zł", "PLN", "EUR", "USD", "UAH"):
                text = text.removesuffix(suffix)
            if not text:
                return None
            if "," in text:
                text = text.replace(".", "").replace(",", ".")
            try:
                amount = Decimal(text)
            except InvalidOperation:
                raise _column_error(
                    self.column, _("„%(value)s” nie jest kwotą.") % {"value": _text(value)}
                ) from None
        if amount < 0:
            raise _column_error(
                self.column, _("kwota nie może być ujemna (%(value)s).") % {"value": amount}
            )
        if amount >= Decimal("1e14"):
            raise _column_error(self.column, _("kwota jest zbyt duża."))
        return amount.quantize(Decimal("0.01"))


class CurrencyWidget(widgets.Widget):
    def clean(self, value, row=None, **kwargs):
        text = _text(value).upper().replace("ZŁ", "PLN")
        if not text:
            has_amount = _text(row.get("wartosc")) or _text(row.get("dofinansowanie"))
            return Currency.PLN if has_amount else ""
        if text not in Currency.values:
            raise _column_error(
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
        for item in _items(value):
            match = self.topics.get(slugify_pl(item)) or self.topics.get(fold(item))
            if match is None:
                raise _column_error(
                    "obszary", _("nieznany obszar tematyczny „%(value)s”.") % {"value": item}
                )
            chosen.append(match)
        return chosen


class PracticeResource(resources.ModelResource):
    """One row per practice; the columns are named in Polish, without diacritics."""

    slug = fields.Field(attribute="slug", column_name="identyfikator")
    title = fields.Field(attribute="title", column_name="tytul")
    practice_type = fields.Field(
        attribute="practice_type", column_name="typ", widget=PracticeTypeWidget()
    )
    topics = fields.Field(
        attribute="topics", column_name="obszary", widget=NamedItemsWidget(Topic, field="slug")
    )
    lead_organisation = fields.Field(
        attribute="lead_organisation", column_name="lider", widget=OrganisationWidget()
    )
    summary = fields.Field(attribute="summary", column_name="streszczenie")
    # Editorial translations beside the original (core.i18n): optional columns.
    title_en = fields.Field(attribute="title_en", column_name="tytul_en")
    title_uk = fields.Field(attribute="title_uk", column_name="tytul_uk")
    summary_en = fields.Field(attribute="summary_en", column_name="streszczenie_en")
    summary_uk = fields.Field(attribute="summary_uk", column_name="streszczenie_uk")
    description_en = fields.Field(attribute="description_en", column_name="opis_en")
    description_uk = fields.Field(attribute="description_uk", column_name="opis_uk")
    description = fields.Field(attribute="description", column_name="opis")
    problem = fields.Field(attribute="problem", column_name="problem")
    actions = fields.Field(attribute="actions", column_name="dzialania")
    results = fields.Field(attribute="results", column_name="rezultaty")
    place = fields.Field(attribute="place", column_name="miejsce")
    started_on = PeriodField(
        attribute="started_on",
        column_name="poczatek",
        end=False,
        precision_attribute="started_precision",
    )
    ended_on = PeriodField(
        attribute="ended_on", column_name="koniec", end=True, precision_attribute="ended_precision"
    )
    total_value = fields.Field(
        attribute="total_value", column_name="wartosc", widget=AmountWidget("wartosc")
    )
    co_financing = fields.Field(
        attribute="co_financing",
        column_name="dofinansowanie",
        widget=AmountWidget("dofinansowanie"),
    )
    currency = fields.Field(attribute="currency", column_name="waluta", widget=CurrencyWidget())
    source_name = fields.Field(attribute="source_name", column_name="zrodlo")
    source_published_on = SourceDateField(
        attribute="source_published_on", column_name="zrodlo_data"
    )
    contact_name = fields.Field(attribute="contact_name", column_name="kontakt_osoba")
    contact_email = fields.Field(attribute="contact_email", column_name="kontakt_email")
    contact_phone = fields.Field(attribute="contact_phone", column_name="kontakt_telefon")

    # Read from the row in after_save_instance (they are not plain fields).
    EXTRA_COLUMNS = (
        *LEAD_DETAILS,
        "partnerzy",
        "zrodla_finansowania",
        "inne_kwoty",
        "daty",
    )

    class Meta:
        model = Practice
        fields = (
            "slug",
            "title",
            "practice_type",
            "topics",
            "lead_organisation",
            "summary",
            "description",
            "title_en",
            "title_uk",
            "summary_en",
            "summary_uk",
            "description_en",
            "description_uk",
            "problem",
            "actions",
            "results",
            "place",
            "started_on",
            "ended_on",
            "total_value",
            "co_financing",
            "currency",
            "source_name",
            "source_published_on",
            "contact_name",
            "contact_email",
            "contact_phone",
        )
        use_transactions = True
        skip_diff = False
        clean_model_instances = True
        store_instance = True

    @classmethod
    def columns(cls) -> list[str]:
        names = [f.column_name for f in cls().get_import_fields()]
        return names + list(cls.EXTRA_COLUMNS)

    def before_import(self, dataset, **kwargs):
        headers = [fold(_text(h)) for h in (dataset.headers or [])]
        dataset.headers = headers
        missing = [column for column in REQUIRED_COLUMNS if column not in headers]
        unknown = [h for h in headers if h and h not in self.columns()]
        problems = []
        if missing:
            problems.append(
                _("brak wymaganych kolumn: %(columns)s") % {"columns": ", ".join(missing)}
            )
        if unknown:
            problems.append(_("nieznane kolumny: %(columns)s") % {"columns": ", ".join(unknown)})
        if len(dataset) > MAX_IMPORT_ROWS:
            problems.append(
                ngettext(
                    "plik ma %(rows)s wiersz, a jednorazowo można zaimportować najwyżej %(max)s",
                    "plik ma %(rows)s wierszy, a jednorazowo można zaimportować najwyżej %(max)s",
                    len(dataset),
                )
                % {"rows": len(dataset), "max": MAX_IMPORT_ROWS}
            )
        if problems:
            dataset.wipe()  # so that no row is looked at, let alone saved
            raise ImportRefused(
                _("Pliku nie zaimportowano: %(problems)s. Popraw plik i wyślij go ponownie.")
                % {"problems": "; ".join(problems)}
            )

    def get_instance(self, instance_loader, row):
        slug = _text(row.get("identyfikator"))
        return Practice.objects.filter(slug=slug).first() if slug else None

    def import_field(self, field, instance, row, is_m2m=False, **kwargs):
        blank = not _text(row.get(field.column_name))
        if field.column_name == "identyfikator" and blank:
            return  # a new practice gets its slug from the title
        if instance.pk and blank:
            return  # an empty cell never erases what an existing practice holds
        super().import_field(field, instance, row, is_m2m, **kwargs)

    def import_instance(self, instance, row, **kwargs):
        try:
            super().import_instance(instance, row, **kwargs)
        finally:
            # Before validation: a new practice is a draft with a slug from its title.
            if not instance.pk:
                instance.origin = PracticeOrigin.IMPORT
                instance.status = PracticeStatus.DRAFT
            if not instance.slug and instance.title:
                instance.slug = practice_unique_slug(instance.title)

    def after_save_instance(self, instance, row, **kwargs):
        errors = {}
        try:
            _set_partners(instance, row)
        except ValueError as error:
            errors["partnerzy"] = str(error)
        try:
            _set_funding(instance, row)
        except ValueError as error:
            errors["zrodla_finansowania"] = str(error)
        try:
            _set_amounts(instance, row)
        except ValueError as error:
            errors["inne_kwoty"] = str(error)
        try:
            _set_milestones(instance, row)
        except ValueError as error:
            errors["daty"] = str(error)
        if errors:
            raise ValidationError(errors)


def _set_partners(practice: Practice, row) -> None:
    """ "Nazwa; Nazwa (rola)" → partnerships; organisations matched by name, not duplicated.

    An empty cell leaves the practice's partners as they are.
    """
    if not _text(row.get("partnerzy")):
        return
    roles = {fold(str(label)): code for code, label in PartnerRole.choices}
    roles.update({code: code for code in PartnerRole.values})
    country = _country(row.get("lider_kraj"))
    wanted = []
    for item in _items(row.get("partnerzy")):
        match = re.fullmatch(r"(.+?)\s*\(([^()]+)\)", item)
        name, role_text = (match.group(1), match.group(2)) if match else (item, "partner")
        role = roles.get(fold(role_text))
        if role is None:
            raise _column_error(
                "partnerzy",
                _("nieznana rola „%(role)s” przy „%(name)s”; np. partner, uczestnik.")
                % {"role": role_text, "name": name},
            )
        organisation, _created = organisation_get_or_create(
            name=_name(name, "partnerzy", Organisation), country=country
        )
        if organisation.pk != practice.lead_organisation_id:
            wanted.append((organisation, role))
    keep = []
    for order, (organisation, role) in enumerate(wanted, start=1):
        link, _created = Partnership.objects.update_or_create(
            practice=practice, organisation=organisation, defaults={"role": role, "order": order}
        )
        keep.append(link.pk)
    practice.partnerships.exclude(pk__in=keep).delete()


def _set_funding(practice: Practice, row) -> None:
    if not _text(row.get("zrodla_finansowania")):
        return
    sources = []
    for name in _items(row.get("zrodla_finansowania")):
        name = _name(name, "zrodla_finansowania", FundingSource)
        source = next((s for s in FundingSource.objects.all() if fold(s.name) == fold(name)), None)
        if source is None:
            base = slugify_pl(name)[:100] or "zrodlo"
            slug, n = base, 1
            while FundingSource.objects.filter(slug=slug).exists():
                n += 1
                slug = f"{base}-{n}"
            source = FundingSource.objects.create(name=name, slug=slug)
        sources.append(source)
    practice.funding_sources.set(sources)


# "Nazwa: wartość (opis)", one item of inne_kwoty or daty.
LABELLED_ITEM = re.compile(r"(?P<label>[^:]+):\s*(?P<value>[^()]+?)\s*(?:\((?P<note>[^()]*)\))?")


def _labelled_items(row, column: str, choices) -> list[tuple[str, str, str]]:
    """(choice, value, note) of every item of `column`: a choice is named by its code or
    its label, or by one part of a label written "dotacja / grant"."""
    names = {}
    for code, label in choices:
        names[fold(code)] = code
        names[fold(str(label))] = code
        for part in str(label).split("/"):
            names[fold(part.strip())] = code
    items = []
    for item in _items(row.get(column)):
        match = LABELLED_ITEM.fullmatch(item)
        if not match:
            raise _column_error(column, _("„%(item)s”: napisz „nazwa: wartość”.") % {"item": item})
        label = match["label"].strip()
        if fold(label) not in names:
            allowed = ", ".join(str(label) for _code, label in choices)
            raise _column_error(
                column,
                _("nieznane „%(label)s” w „%(item)s”; dozwolone: %(allowed)s.")
                % {"label": label, "item": item, "allowed": allowed},
            )
        items.append((names[fold(label)], match["value"].strip(), (match["note"] or "").strip()))
    return items


def _checked(instance, column: str):
    """The row the item makes, held to its model's rules (a note's length…) with the
    model's own messages, as a column error: never a database error halfway."""
    try:
        instance.full_clean(exclude=["practice"])
    except ValidationError as error:
        problems = "; ".join(
            f"{instance._meta.get_field(name).verbose_name}: {' '.join(messages)}"
            for name, messages in error.message_dict.items()
        )
        raise _column_error(column, problems) from None
    return instance


def _set_amounts(practice: Practice, row) -> None:
    """ "dotacja: 150 000 PLN; wartość przekazanych dóbr: ok. 20 000 EUR (sprzęt)" →
    the practice's other amounts, in that order. An empty cell leaves them as they are."""
    if not _text(row.get("inne_kwoty")):
        return
    amounts = []
    for order, (measure, value, note) in enumerate(
        _labelled_items(row, "inne_kwoty", AmountMeasure.choices), start=1
    ):
        about = re.match(r"(ok\.|około)\s*", value, flags=re.IGNORECASE)
        value = value[about.end() :] if about else value
        currency = value.rsplit(" ", 1)[-1].upper() if " " in value else ""
        if currency not in Currency.values:
            raise _column_error(
                "inne_kwoty",
                _("„%(value)s”: podaj kwotę z walutą, np. 150 000 PLN.") % {"value": value},
            )
        amount = AmountWidget("inne_kwoty").clean(value.rsplit(" ", 1)[0])
        amounts.append(
            _checked(
                PracticeAmount(
                    practice=practice,
                    measure=measure,
                    amount=amount,
                    currency=currency,
                    approximate=bool(about),
                    note=note,
                    order=order,
                ),
                "inne_kwoty",
            )
        )
    practice.amounts.all().delete()
    PracticeAmount.objects.bulk_create(amounts)


def _set_milestones(practice: Practice, row) -> None:
    """ "złożenie wniosku: 15.03.2016; podpisanie umowy: 06.2016 (aneks)" → the practice's
    dated steps. An empty cell leaves them as they are."""
    if not _text(row.get("daty")):
        return
    milestones = []
    for order, (kind, value, note) in enumerate(
        _labelled_items(row, "daty", MilestoneKind.choices), start=1
    ):
        day, precision = parse_import_date(value, column="daty", end=False)
        milestone = PracticeMilestone(
            practice=practice, kind=kind, date=day, precision=precision, note=note, order=order
        )
        milestones.append(_checked(milestone, "daty"))
    practice.milestones.all().delete()
    PracticeMilestone.objects.bulk_create(milestones)
