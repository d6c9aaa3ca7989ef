"""Reading an import file: its rows, checked against the row limit while they are read,
and the file-level refusals."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable

import tablib
from django.utils.translation import gettext as _
from import_export.formats.base_formats import CSV, XLSX

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
