"""Spreadsheet import of practices (CSV or XLSX) through django-import-export.

Editors upload a file in the admin; a dry run lists what would be created or
updated and every row's problems (row number, column, what is wrong, in
Polish); confirming runs the same import for real in one transaction. A file
with any error changes nothing. Organisations are matched by name and country
(organisations.services.organisation_get_or_create), never duplicated.

The columns are documented in README.md ("Importing practices") and shown on
the import page; fixtures/import/przyklad-import.csv is a sample.

One module per step: `files` reads the file, `cells` reads a row's cells, `resource`
makes the practice of a row.
"""

from practices.imports.cells import parse_import_date
from practices.imports.files import (
    LIST_SEPARATOR,
    MAX_IMPORT_ROWS,
    REQUIRED_COLUMNS,
    ImportCSV,
    ImportRefused,
    ImportTooLong,
    ImportXLSX,
    csv_dataset,
    xlsx_dataset,
)
from practices.imports.resource import PracticeResource

__all__ = [
    "LIST_SEPARATOR",
    "MAX_IMPORT_ROWS",
    "REQUIRED_COLUMNS",
    "ImportCSV",
    "ImportRefused",
    "ImportTooLong",
    "ImportXLSX",
    "PracticeResource",
    "csv_dataset",
    "parse_import_date",
    "xlsx_dataset",
]
