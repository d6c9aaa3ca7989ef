"""Every CSV file the site hands out goes through here: one rule for cells, one shape
for the response.

A spreadsheet runs a cell that starts with =, +, -, @, a tab or a carriage return
as a formula (OWASP, "CSV injection"): `=HYPERLINK(...)` in a practice's title
would become a link that sends the reader's data away. Such text gets a leading
apostrophe, which spreadsheets show as text and hide. Numbers the site writes
itself (int, Decimal, float) are written as they are, so -5 stays a number.

Most files are the standard kind (comma, decimal point). A file meant to be
double-clicked into Excel with Polish regional settings takes `delimiter=";"`
and `decimal_comma=True`: that Excel splits columns on the list separator (a
semicolon where the decimal separator is a comma) and reads "1234,5" as a
number, "1234.5" as text or a date.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Iterator
from decimal import Decimal

from django.http import HttpResponse, StreamingHttpResponse

FORMULA_LEADS = ("=", "+", "-", "@", "\t", "\r")
# Spreadsheets read a UTF-8 file as UTF-8 only when it starts with the byte order mark.
BOM = "\ufeff"


def csv_cell(value, *, decimal_comma: bool = False) -> str:
    """A value as a CSV cell: text a spreadsheet would run as a formula made inert.

    None is an empty cell. Callers format booleans and lists themselves (the
    words differ per file); anything else that is not a number is text. With
    `decimal_comma` a fraction is written 1234,5 (no thousands separator).
    """
    if value is None:
        return ""
    if isinstance(value, (int, float, Decimal)) and not isinstance(value, bool):
        number = str(value)
        return number.replace(".", ",") if decimal_comma else number
    text = str(value)
    if text.startswith(FORMULA_LEADS):
        return "'" + text
    return text


class _Echo:
    """A file-like object whose write() hands the line back, for csv.writer."""

    def write(self, value: str) -> str:
        return value


def csv_lines(
    header: Iterable[str],
    rows: Iterable[Iterable],
    *,
    delimiter: str = ",",
    decimal_comma: bool = False,
) -> Iterator[str]:
    """The file line by line: the byte order mark with the header, then each row with
    every cell through `csv_cell`."""
    writer = csv.writer(_Echo(), delimiter=delimiter)
    yield BOM + writer.writerow([csv_cell(name) for name in header])
    for row in rows:
        yield writer.writerow([csv_cell(value, decimal_comma=decimal_comma) for value in row])


def csv_response(
    filename: str,
    header: Iterable[str],
    rows: Iterable[Iterable],
    *,
    streaming: bool = False,
    private: bool = False,
    delimiter: str = ",",
    decimal_comma: bool = False,
) -> HttpResponse | StreamingHttpResponse:
    """A CSV download named `filename` (ASCII, no quotes).

    `streaming` sends rows as they are produced (a large export never sits in
    memory); `private` forbids any cache to keep it (one-time codes);
    `delimiter` and `decimal_comma` as the module says.
    """
    lines = csv_lines(header, rows, delimiter=delimiter, decimal_comma=decimal_comma)
    if streaming:
        response = StreamingHttpResponse(lines, content_type="text/csv; charset=utf-8")
    else:
        response = HttpResponse("".join(lines), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    if private:
        response["Cache-Control"] = "no-store"
    return response
