"""Spreadsheets held between an import's dry run and its confirmation."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ImportUpload(models.Model):
    """A spreadsheet an editor sent for a dry run, kept until they confirm it.

    In the shared database, so the confirmation may reach any app instance; under a
    random key bound to the editor and their session, so the confirm form names
    no file and nobody else can confirm it; deleted on confirmation and, unconfirmed,
    after IMPORT_UPLOAD_HOURS (practices.import_uploads) since it may hold
    contact data.
    """

    key = models.CharField(_("klucz"), max_length=64, unique=True, editable=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("redaktor"),
    )
    session_hash = models.CharField(_("skrót sesji"), max_length=64, editable=False)
    name = models.CharField(_("nazwa pliku"), max_length=255)
    file_format = models.PositiveSmallIntegerField(_("format"))
    content = models.BinaryField(_("zawartość"))
    created_at = models.DateTimeField(_("wysłano"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("plik importu do potwierdzenia")
        verbose_name_plural = _("pliki importu do potwierdzenia")

    def __str__(self) -> str:
        return self.name
