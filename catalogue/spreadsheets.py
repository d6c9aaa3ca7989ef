"""Exports for spreadsheet users: the filtered list as XLSX, and as a CSV that Excel
with Polish regional settings opens by a double click.

The open-data CSV and JSON (`catalogue.exports`) are for programs: field codes,
ISO values, lists as lists. These two are for people: one row per practice,
column headers and values in the reader's language (the names of types, topics,
countries and partner roles; awards in words), dates and amounts as the
spreadsheet's own dates and numbers. Both read the list through
`catalogue.exports.practice_rows`, a fixed number of queries per chunk.

The XLSX is written by openpyxl in write-only mode: rows go to a temporary file
as they are read (strings inline, no shared-strings table in memory), then the
file is zipped and sent. A zip cannot be sent before it is finished, so one
request builds the whole file: XLSX_MAX_ROWS bounds that work, and a larger list
gets a page that says so (the CSV has no such bound: it streams).
"""

from __future__ import annotations

import contextlib
import tempfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import NamedTuple

from django.http import FileResponse, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import number_format
from django.utils.functional import Promise
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET
from django_countries import countries
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ERROR_CODES, ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from catalogue.exports import Related, filtered_practices, limit_exports, practice_rows
from catalogue.vocabulary import CatalogueVocabulary, catalogue_vocabulary
from competitions.enums import EntryStatus
from core.csvdownload import csv_response
from core.dates import DatePrecision
from core.i18n import localized
from practices.enums import PartnerRole
from practices.models import Practice

# Rows of data one XLSX may hold. Excel's own limit is 1,048,576 rows with the
# header; the bound here is what one request builds well inside a server's 30 s
# worker timeout (about 1,500 rows a second, bench/README.md).
XLSX_MAX_ROWS = 20_000
# Excel refuses to open a file with a longer cell.
EXCEL_MAX_CELL_CHARS = 32_767
# Between the items of a list inside one cell (topics, partners, awards…).
LIST_SEPARATOR = "; "


@dataclass(frozen=True)
class Column:
    header: Promise
    meaning: Promise
    width: int  # characters, for the XLSX


COLUMNS: list[Column] = [
    Column(_("Tytuł"), _("tytuł praktyki"), 50),
    Column(_("Adres strony"), _("adres strony praktyki w katalogu (tekst)"), 40),
    Column(_("Typ praktyki"), _("nazwa typu praktyki"), 16),
    Column(_("Obszary tematyczne"), _("nazwy obszarów tematycznych"), 30),
    Column(_("Lider"), _("nazwa organizacji, która prowadzi praktykę"), 30),
    Column(_("Partnerzy"), _("partnerzy jako „Nazwa (rola)”"), 40),
    Column(_("Kraje"), _("kraje lidera i partnerów"), 16),
    Column(_("Regiony"), _("regiony lidera i partnerów"), 20),
    Column(
        _("Początek realizacji"),
        _("data (komórka daty); rok albo miesiąc, gdy źródło nie podaje dnia"),
        12,
    ),
    Column(
        _("Koniec realizacji"),
        _("data (komórka daty); rok albo miesiąc, gdy źródło nie podaje dnia"),
        12,
    ),
    Column(_("Wartość całkowita"), _("kwota (komórka liczbowa), w walucie z kolumny Waluta"), 16),
    Column(_("Dofinansowanie"), _("kwota dofinansowania (komórka liczbowa)"), 16),
    Column(_("Waluta"), _("waluta kwot (kod ISO 4217, np. PLN, EUR)"), 8),
    Column(_("Źródła finansowania"), _("nazwy źródeł finansowania"), 30),
    Column(
        _("Nagrody"),
        _("nagrody słownie: edycja konkursu – kategoria: wynik, miejsce, wyróżnienie"),
        50,
    ),
    Column(_("Streszczenie"), _("streszczenie praktyki"), 60),
    Column(_("Źródło opisu"), _("skąd pochodzi opis"), 30),
    Column(_("Data publikacji"), _("kiedy praktykę opublikowano w katalogu (czas polski)"), 17),
    Column(_("Identyfikator"), _("stały identyfikator praktyki (część adresu strony)"), 30),
]


class PreciseDate(NamedTuple):
    """A date and how much of it the source gave (day, month or year)."""

    value: date
    precision: str


class ReadableRows:
    """Practices as rows of readable, typed values in the order of COLUMNS.

    Build it and read its rows under the language the file is for: names and
    labels are taken in the active language.
    """

    def __init__(self, vocabulary: CatalogueVocabulary):
        self.type_names = {t.code: localized(t, "name") for t in vocabulary.practice_types}
        self.topic_names = {t.pk: localized(t, "name") for t in vocabulary.topics}
        self.role_labels = {value: str(label) for value, label in PartnerRole.choices}
        self.status_labels = {value: str(label) for value, label in EntryStatus.choices}
        self.country_names: dict[str, str] = {}
        self.local_zone = timezone.get_default_timezone()

    def country(self, code: str) -> str:
        if code not in self.country_names:
            self.country_names[code] = str(countries.name(code)) or code
        return self.country_names[code]

    def award(self, edition, category, status, place, distinction, winner) -> str:
        if status == EntryStatus.LAUREATE and place:
            results = [gettext("laureat, %(place)s. miejsce") % {"place": place}]
        else:
            results = [self.status_labels.get(status, status)]
        if winner:
            results.append(gettext("zwycięzca"))
        if distinction:
            results.append(gettext("wyróżnienie „%(name)s”") % {"name": distinction})
        if not category:  # an edition without categories (Category.is_whole_edition)
            return gettext("%(edition)s: %(result)s") % {
                "edition": edition,
                "result": ", ".join(results),
            }
        return gettext("%(edition)s – kategoria „%(category)s”: %(result)s") % {
            "edition": edition,
            "category": category,
            "result": ", ".join(results),
        }

    def row(self, practice: Practice, url: str, related: Related) -> list:
        def precise(value, precision):
            return PreciseDate(value, precision) if value else None

        published = practice.published_at
        if published is not None:
            published = timezone.localtime(published, self.local_zone).replace(tzinfo=None)
        return [
            practice.title,
            url,
            self.type_names.get(practice.practice_type_id, practice.practice_type_id),
            LIST_SEPARATOR.join(
                self.topic_names[i] for i in practice.topic_ids if i in self.topic_names
            ),
            getattr(practice.lead_organisation, "name", ""),
            LIST_SEPARATOR.join(
                f"{name} ({self.role_labels.get(role, role)})"
                for name, _slug, role in related.partners.get(practice.pk, [])
            ),
            LIST_SEPARATOR.join(self.country(code) for code in practice.countries),
            LIST_SEPARATOR.join(practice.regions),
            precise(practice.started_on, practice.started_precision),
            precise(practice.ended_on, practice.ended_precision),
            practice.total_value,
            practice.co_financing,
            practice.currency,
            LIST_SEPARATOR.join(name for (name,) in related.sources.get(practice.pk, [])),
            LIST_SEPARATOR.join(self.award(*a) for a in related.awards.get(practice.pk, [])),
            practice.summary,
            practice.source_name,
            published,
            practice.slug,
        ]


def readable_rows(practices) -> Iterator[list]:
    """Every practice of `practices` as a row of COLUMNS (read in the active language)."""
    rows = ReadableRows(catalogue_vocabulary())
    for practice, url, related in practice_rows(practices):
        yield rows.row(practice, url, related)


def headers() -> list[str]:
    return [str(column.header) for column in COLUMNS]


# XLSX


DATE_FORMATS = {
    DatePrecision.DAY: "yyyy-mm-dd",
    DatePrecision.MONTH: "yyyy-mm",
    DatePrecision.YEAR: "yyyy",
}
AMOUNT_FORMAT = "#,##0.00"
DATETIME_FORMAT = "yyyy-mm-dd hh:mm"


def _text(value: str) -> str:
    """Text as a cell may hold it: no control characters XML forbids, at most Excel's length."""
    value = ILLEGAL_CHARACTERS_RE.sub("", value)
    if len(value) > EXCEL_MAX_CELL_CHARS:
        value = value[: EXCEL_MAX_CELL_CHARS - 1] + "…"
    return value


def xlsx_cell(sheet, value):
    """A value as a typed cell of `sheet` (write-only): dates as dates, amounts as numbers.

    Text is always a text cell: openpyxl would make a string starting with "=" a
    formula (and "#N/A" an error value), so such a title is set as text explicitly
    (the rule `core.csvdownload` keeps for CSV files; here no apostrophe is needed:
    +, - and @ start a formula only when typed, not in a text cell).
    """
    if value is None or value == "":
        return None
    if isinstance(value, PreciseDate):
        cell = WriteOnlyCell(sheet, value=value.value)
        cell.number_format = DATE_FORMATS.get(value.precision, DATE_FORMATS[DatePrecision.DAY])
        return cell
    if isinstance(value, datetime):
        cell = WriteOnlyCell(sheet, value=value)
        cell.number_format = DATETIME_FORMAT
        return cell
    if isinstance(value, Decimal):
        cell = WriteOnlyCell(sheet, value=value)
        cell.number_format = AMOUNT_FORMAT
        return cell
    text = _text(str(value))
    if not text.startswith("=") and text not in ERROR_CODES:
        return text  # a plain value: openpyxl writes it into a cell it reuses
    cell = WriteOnlyCell(sheet, value=text)
    cell.data_type = "s"  # after openpyxl's guess: "=…" a formula, "#N/A" an error
    return cell


def write_xlsx(header: list[str], rows: Iterable[list], out) -> int:
    """Write a workbook of one sheet (header, then `rows`) to the binary file `out`;
    returns how many rows of data it holds."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=gettext("Praktyki"))
    try:
        for index, column in enumerate(COLUMNS, 1):
            sheet.column_dimensions[get_column_letter(index)].width = column.width
        sheet.freeze_panes = "A2"
        bold, wrap = Font(bold=True), Alignment(wrap_text=True, vertical="top")
        header_cells = []
        for name in header:
            cell = WriteOnlyCell(sheet, value=_text(name))
            cell.data_type = "s"
            cell.font, cell.alignment = bold, wrap
            header_cells.append(cell)
        sheet.append(header_cells)
        count = 0
        for row in rows:
            sheet.append([xlsx_cell(sheet, value) for value in row])
            count += 1
        last_column = get_column_letter(len(header))
        sheet.auto_filter.ref = f"A1:{last_column}{count + 1}"
        workbook.save(out)
    finally:
        # openpyxl removes its temporary sheet file when the save completes; after an
        # error (a lost database connection) it would stay until the process exits.
        writer = getattr(sheet, "_writer", None)
        if writer is not None and not sheet.closed:
            # Already failing: a second error here must not hide the first. The row
            # generator first (it still writes to the file), then the file.
            for close in (getattr(sheet._rows, "close", None), writer.xf.close, writer.cleanup):
                with contextlib.suppress(Exception):
                    if close is not None:
                        close()
    return count


def _too_large(request, limit: int) -> HttpResponse:
    query = request.GET.urlencode()
    suffix = f"?{query}" if query else ""
    return render(
        request,
        "catalogue/export_too_large.html",
        {
            "limit": number_format(limit, force_grouping=True),
            "list_url": reverse("practices:practice-list") + suffix,
            "csv_url": reverse("practices:practice-export-excel-csv") + suffix,
        },
        status=400,
    )


@require_GET
@limit_exports
def practice_export_xlsx(request):
    practices = filtered_practices(request)
    limit = XLSX_MAX_ROWS
    # A bounded count: reads at most limit + 1 rows of the index, whatever the list.
    if practices[: limit + 1].count() > limit:
        return _too_large(request, limit)
    # Closed by FileResponse once sent, or below on an error; deleted when closed.
    out = tempfile.TemporaryFile()  # noqa: SIM115
    try:
        write_xlsx(headers(), readable_rows(practices), out)
    except BaseException:
        out.close()
        raise
    out.seek(0)
    # FileResponse streams the finished file in blocks and closes (deletes) it after.
    return FileResponse(
        out,
        as_attachment=True,
        filename="dobre-praktyki.xlsx",
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )


# CSV for Excel with Polish regional settings


def excel_csv_value(value):
    """A value as the semicolon CSV writes it: dates as ISO text to their precision,
    amounts as numbers (the writer puts a decimal comma)."""
    if isinstance(value, PreciseDate):
        if value.precision == DatePrecision.YEAR:
            return f"{value.value:%Y}"
        if value.precision == DatePrecision.MONTH:
            return f"{value.value:%Y-%m}"
        return value.value.isoformat()
    if isinstance(value, datetime):
        return f"{value:%Y-%m-%d %H:%M}"
    return value


@require_GET
@limit_exports
def practice_export_excel_csv(request):
    practices = filtered_practices(request)
    language = translation.get_language()

    def rows() -> Iterator[list]:
        # The response streams after the view has returned: keep the reader's language.
        with translation.override(language):
            for row in readable_rows(practices):
                yield [excel_csv_value(value) for value in row]

    return csv_response(
        "dobre-praktyki-excel.csv",
        headers(),
        rows(),
        streaming=True,
        delimiter=";",
        decimal_comma=True,
    )
