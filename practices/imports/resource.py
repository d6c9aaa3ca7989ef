"""The practice resource: which columns make a practice, and the partners, funding,
amounts and milestones a row adds to it."""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from import_export import fields, resources

from core.text import fold, slugify_pl
from organisations.models import Organisation
from organisations.services import organisation_get_or_create
from practices.enums import (
    AmountMeasure,
    Currency,
    MilestoneKind,
    PartnerRole,
    PracticeOrigin,
    PracticeStatus,
)
from practices.imports.cells import (
    AmountWidget,
    CurrencyWidget,
    NamedItemsWidget,
    OrganisationWidget,
    PeriodField,
    PracticeTypeWidget,
    SourceDateField,
    cell_items,
    cell_text,
    column_error,
    country_code,
    fitting_name,
    parse_import_date,
)
from practices.imports.files import LEAD_DETAILS, MAX_IMPORT_ROWS, REQUIRED_COLUMNS, ImportRefused
from practices.models import (
    FundingSource,
    Partnership,
    Practice,
    PracticeAmount,
    PracticeMilestone,
    Topic,
)
from practices.services import practice_unique_slug


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
        headers = [fold(cell_text(h)) for h in (dataset.headers or [])]
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
        slug = cell_text(row.get("identyfikator"))
        return Practice.objects.filter(slug=slug).first() if slug else None

    def import_field(self, field, instance, row, is_m2m=False, **kwargs):
        blank = not cell_text(row.get(field.column_name))
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
    if not cell_text(row.get("partnerzy")):
        return
    roles = {fold(str(label)): code for code, label in PartnerRole.choices}
    roles.update({code: code for code in PartnerRole.values})
    country = country_code(row.get("lider_kraj"))
    wanted = []
    for item in cell_items(row.get("partnerzy")):
        match = re.fullmatch(r"(.+?)\s*\(([^()]+)\)", item)
        name, role_text = (match.group(1), match.group(2)) if match else (item, "partner")
        role = roles.get(fold(role_text))
        if role is None:
            raise column_error(
                "partnerzy",
                _("nieznana rola „%(role)s” przy „%(name)s”; np. partner, uczestnik.")
                % {"role": role_text, "name": name},
            )
        organisation, _created = organisation_get_or_create(
            name=fitting_name(name, "partnerzy", Organisation), country=country
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
    if not cell_text(row.get("zrodla_finansowania")):
        return
    sources = []
    for name in cell_items(row.get("zrodla_finansowania")):
        name = fitting_name(name, "zrodla_finansowania", FundingSource)
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
    for item in cell_items(row.get(column)):
        match = LABELLED_ITEM.fullmatch(item)
        if not match:
            raise column_error(column, _("„%(item)s”: napisz „nazwa: wartość”.") % {"item": item})
        label = match["label"].strip()
        if fold(label) not in names:
            allowed = ", ".join(str(label) for _code, label in choices)
            raise column_error(
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
        raise column_error(column, problems) from None
    return instance


def _set_amounts(practice: Practice, row) -> None:
    """ "dotacja: 150 000 PLN; wartość przekazanych dóbr: ok. 20 000 EUR (sprzęt)" →
    the practice's other amounts, in that order. An empty cell leaves them as they are."""
    if not cell_text(row.get("inne_kwoty")):
        return
    amounts = []
    for order, (measure, value, note) in enumerate(
        _labelled_items(row, "inne_kwoty", AmountMeasure.choices), start=1
    ):
        about = re.match(r"(ok\.|około)\s*", value, flags=re.IGNORECASE)
        value = value[about.end() :] if about else value
        currency = value.rsplit(" ", 1)[-1].upper() if " " in value else ""
        if currency not in Currency.values:
            raise column_error(
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
    if not cell_text(row.get("daty")):
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
