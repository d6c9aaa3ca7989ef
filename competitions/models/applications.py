"""Online entry: an edition's questions, an applicant's application and its files, and the
answers an entry keeps."""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from competitions.models.editions import Edition
from competitions.models.entries import Entry


class EditionQuestion(models.Model):
    """One of the edition's own questions on its entry form, besides the practice's fields."""

    edition = models.ForeignKey(
        Edition, on_delete=models.CASCADE, related_name="questions", verbose_name=_("edycja")
    )
    text = models.CharField(_("pytanie"), max_length=500)
    help_text = models.CharField(_("podpowiedź"), max_length=500, blank=True)
    required = models.BooleanField(_("wymagane"), default=True)
    max_length = models.PositiveIntegerField(
        _("najwięcej znaków"),
        default=2000,
        validators=[MinValueValidator(1), MaxValueValidator(20000)],
    )
    order = models.PositiveSmallIntegerField(_("kolejność"), default=0)

    class Meta:
        verbose_name = _("pytanie formularza zgłoszeniowego")
        verbose_name_plural = _("pytania formularza zgłoszeniowego")
        ordering = ["order", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(max_length__gte=1, max_length__lte=20000),
                name="editionquestion_max_length_range",
            ),
        ]

    def __str__(self) -> str:
        return self.text


def application_upload_to(instance: "ApplicationAttachment", filename: str) -> str:
    # A folder per application named by a random key: a draft's files are never
    # at an address anyone could guess from another one.
    return f"zgloszenia-konkursowe/{instance.application.folder}/{filename}"


class Application(models.Model):
    """An applicant's entry to an edition while they fill it in, reached only through the
    private link e-mailed to them (its token is stored hashed). Submitting it makes a
    draft practice and an entry; until then nothing of it is anywhere else."""

    edition = models.ForeignKey(
        Edition, on_delete=models.CASCADE, related_name="applications", verbose_name=_("edycja")
    )
    token_hash = models.CharField(_("skrót klucza"), max_length=64, unique=True, editable=False)
    folder = models.CharField(max_length=32, unique=True, editable=False)
    contact_name = models.CharField(_("imię i nazwisko"), max_length=200)
    email = models.EmailField(_("adres e-mail"))
    data = models.JSONField(_("treść zgłoszenia"), default=dict, blank=True)
    created_at = models.DateTimeField(_("rozpoczęto"), auto_now_add=True)
    saved_at = models.DateTimeField(_("zapisano"), auto_now=True)
    submitted_at = models.DateTimeField(_("wysłano"), null=True, blank=True)
    entry = models.OneToOneField(
        Entry,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="application",
        verbose_name=_("zgłoszenie w konkursie"),
    )

    class Meta:
        verbose_name = _("formularz zgłoszeniowy")
        verbose_name_plural = _("formularze zgłoszeniowe")
        ordering = ["-saved_at"]
        indexes = [models.Index(fields=["edition", "email"], name="application_edition_email")]
        constraints = [
            models.CheckConstraint(
                condition=Q(entry__isnull=True) | Q(submitted_at__isnull=False),
                name="application_entry_only_when_submitted",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.contact_name} <{self.email}>"


class ApplicationAttachment(models.Model):
    """A file added to an application (checked like every upload); on submission it
    becomes the draft practice's attachment, the same file."""

    application = models.ForeignKey(
        Application,
        on_delete=models.CASCADE,
        related_name="attachments",
        verbose_name=_("formularz zgłoszeniowy"),
    )
    file = models.FileField(_("plik"), upload_to=application_upload_to, max_length=255)
    title = models.CharField(_("nazwa"), max_length=200)
    content_type = models.CharField(_("typ pliku"), max_length=100)
    size = models.PositiveIntegerField(_("rozmiar (bajty)"))
    uploaded_at = models.DateTimeField(_("dodano"), auto_now_add=True)

    class Meta:
        verbose_name = _("załącznik formularza")
        verbose_name_plural = _("załączniki formularza")
        ordering = ["uploaded_at", "id"]

    def __str__(self) -> str:
        return self.title


class EntryAnswer(models.Model):
    """The applicant's answer to one of the edition's questions, kept with the entry."""

    entry = models.ForeignKey(
        Entry, on_delete=models.CASCADE, related_name="answers", verbose_name=_("zgłoszenie")
    )
    question = models.ForeignKey(
        EditionQuestion,
        on_delete=models.PROTECT,
        related_name="answers",
        verbose_name=_("pytanie"),
    )
    text = models.TextField(_("odpowiedź"), blank=True)

    class Meta:
        verbose_name = _("odpowiedź na pytanie konkursu")
        verbose_name_plural = _("odpowiedzi na pytania konkursu")
        ordering = ["question__order", "question_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["entry", "question"], name="entryanswer_one_per_question"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.question}: {self.text[:60]}"
