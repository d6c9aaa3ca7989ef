"""The spreadsheet import's forms and the dry run's file held in memory."""

from __future__ import annotations

from django import forms
from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _
from import_export.forms import ConfirmImportForm, ImportForm

from practices.import_uploads import KEY_PATTERN
from practices.imports import (
    MAX_IMPORT_ROWS,
)

MAX_IMPORT_BYTES = 5 * 1024 * 1024


class PracticeImportForm(ImportForm):
    """The upload step, with the limits the editors are told about."""

    def clean_import_file(self):
        upload = self.cleaned_data["import_file"]
        if upload.size > MAX_IMPORT_BYTES:
            raise forms.ValidationError(
                _(
                    "Plik ma %(size).1f MB, a największy dopuszczalny to %(max)d MB. "
                    "Podziel go na mniejsze części (najwyżej %(rows)d wierszy)."
                )
                % {
                    "size": upload.size / 1024 / 1024,
                    "max": MAX_IMPORT_BYTES // 1024 // 1024,
                    "rows": MAX_IMPORT_ROWS,
                }
            )
        name = upload.name.lower()
        if not name.endswith((".csv", ".xlsx")):
            raise forms.ValidationError(_("Wyślij plik CSV albo XLSX."))
        return upload


class PracticeConfirmImportForm(ConfirmImportForm):
    """The confirm step: `import_file_name` is the dry run's random key
    (practices.import_uploads), never a path; the file's name and format come from
    the stored upload, not from the form."""

    import_file_name = forms.CharField(
        widget=forms.HiddenInput(), validators=[RegexValidator(KEY_PATTERN)]
    )
    original_file_name = forms.CharField(widget=forms.HiddenInput(), required=False)
    format = forms.CharField(widget=forms.HiddenInput(), required=False)

    def clean_import_file_name(self):
        return self.cleaned_data["import_file_name"]


class HeldUpload:
    """The dry run's file in memory (import_export's "temporary storage" step); it is
    stored for the confirmation only when the dry run passes (get_confirm_form_initial)."""

    def __init__(self, data: bytes, *, encoding: str | None):
        self.name, self.data, self.encoding = None, data, encoding

    def read(self):
        return self.data.decode(self.encoding) if self.encoding else self.data
