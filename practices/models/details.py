"""What a practice page lists besides the practice: partners, amounts, milestones, links,
attachments and the history of its status."""

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.dates import DatePrecision
from core.models import SignallingQuerySet
from practices.enums import (
    AmountMeasure,
    Currency,
    MilestoneKind,
    PartnerRole,
    PracticeStatus,
)
from practices.models.practice import Practice


class Partnership(models.Model):
    """A partner of a practice and its role (the lead organisation is not listed here)."""

    practice = models.ForeignKey(
        Practice, on_delete=models.CASCADE, related_name="partnerships", verbose_name=_("praktyka")
    )
    organisation = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.PROTECT,
        related_name="partnerships",
        verbose_name=_("organizacja"),
    )
    role = models.CharField(
        _("rola"), max_length=16, choices=PartnerRole.choices, default=PartnerRole.PARTNER
    )
    note = models.CharField(_("zakres udziału"), max_length=500, blank=True)
    order = models.PositiveSmallIntegerField(_("kolejność"), default=0)

    objects = SignallingQuerySet.as_manager()
    history = HistoricalRecords(verbose_name=_("historia partnerstwa"))

    class Meta:
        verbose_name = _("partner")
        verbose_name_plural = _("partnerzy")
        ordering = ["order", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["practice", "organisation"], name="partnership_unique_organisation"
            ),
            models.CheckConstraint(
                condition=Q(role__in=PartnerRole.values), name="partnership_role_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organisation} ({self.get_role_display()})"


class PracticeAmount(models.Model):
    """An amount the source gives that is neither the project's total value nor its
    co-financing (the value of goods delivered, a grant…): shown on the practice's
    page with what it measures, never in the value filter or on the cards."""

    practice = models.ForeignKey(
        Practice, on_delete=models.CASCADE, related_name="amounts", verbose_name=_("praktyka")
    )
    measure = models.CharField(_("co mierzy"), max_length=16, choices=AmountMeasure.choices)
    amount = models.DecimalField(
        _("kwota"), max_digits=16, decimal_places=2, validators=[MinValueValidator(0)]
    )
    currency = models.CharField(_("waluta"), max_length=3, choices=Currency.choices)
    approximate = models.BooleanField(_("przybliżona"), default=False)
    note = models.CharField(
        _("opis kwoty"),
        max_length=300,
        blank=True,
        help_text=_("Co obejmuje kwota, słowami źródła."),
    )
    order = models.PositiveSmallIntegerField(_("kolejność"), default=0)

    objects = SignallingQuerySet.as_manager()

    class Meta:
        verbose_name = _("inna kwota")
        verbose_name_plural = _("inne kwoty")
        ordering = ["order", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(measure__in=AmountMeasure.values), name="practice_amount_measure_valid"
            ),
            models.CheckConstraint(condition=Q(amount__gte=0), name="practice_amount_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.get_measure_display()}: {self.amount} {self.currency}"


class PracticeMilestone(models.Model):
    """A dated step of a practice that is not its period of realisation (the day an
    application was filed, an agreement signed): never in "Okres realizacji" or the
    year filter."""

    practice = models.ForeignKey(
        Practice, on_delete=models.CASCADE, related_name="milestones", verbose_name=_("praktyka")
    )
    kind = models.CharField(_("zdarzenie"), max_length=16, choices=MilestoneKind.choices)
    date = models.DateField(_("data"))
    precision = models.CharField(
        _("dokładność daty"),
        max_length=8,
        choices=DatePrecision.choices,
        default=DatePrecision.DAY,
    )
    note = models.CharField(_("opis"), max_length=300, blank=True)
    order = models.PositiveSmallIntegerField(_("kolejność"), default=0)

    objects = SignallingQuerySet.as_manager()

    class Meta:
        verbose_name = _("data zdarzenia")
        verbose_name_plural = _("daty zdarzeń")
        ordering = ["date", "order", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=MilestoneKind.values), name="practice_milestone_kind_valid"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.date}"


class PracticeLink(models.Model):
    practice = models.ForeignKey(
        Practice, on_delete=models.CASCADE, related_name="links", verbose_name=_("praktyka")
    )
    url = models.URLField(_("adres"), max_length=500)
    label = models.CharField(_("opis odnośnika"), max_length=200, blank=True)
    order = models.PositiveSmallIntegerField(_("kolejność"), default=0)

    class Meta:
        verbose_name = _("odnośnik")
        verbose_name_plural = _("odnośniki")
        ordering = ["order", "id"]

    def __str__(self) -> str:
        return self.label or self.url


class PracticeAttachment(models.Model):
    """A document or picture attached to a practice (checked by type and size on upload)."""

    practice = models.ForeignKey(
        Practice, on_delete=models.CASCADE, related_name="attachments", verbose_name=_("praktyka")
    )
    # 255: an entry's attachment keeps its path under zgloszenia-konkursowe/<key>/.
    file = models.FileField(_("plik"), upload_to="zalaczniki/%Y/%m/", max_length=255)
    title = models.CharField(_("opis"), max_length=200, blank=True)
    content_type = models.CharField(_("typ pliku"), max_length=100, editable=False)
    size = models.PositiveIntegerField(_("rozmiar (bajty)"), editable=False)
    uploaded_at = models.DateTimeField(_("dodano"), auto_now_add=True)

    class Meta:
        verbose_name = _("załącznik")
        verbose_name_plural = _("załączniki")
        ordering = ["uploaded_at", "id"]

    def __str__(self) -> str:
        return self.title or self.file.name


class PracticeStatusChange(models.Model):
    """One step of the moderation workflow: who moved a practice from what to what, and when."""

    practice = models.ForeignKey(
        Practice,
        on_delete=models.CASCADE,
        related_name="status_changes",
        verbose_name=_("praktyka"),
    )
    from_status = models.CharField(_("z"), max_length=16, choices=PracticeStatus.choices)
    to_status = models.CharField(_("na"), max_length=16, choices=PracticeStatus.choices)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("kto"),
    )
    changed_at = models.DateTimeField(_("kiedy"), auto_now_add=True)
    note = models.CharField(_("uwaga"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("zmiana statusu")
        verbose_name_plural = _("zmiany statusu")
        ordering = ["-changed_at", "-id"]

    def __str__(self) -> str:
        return f"{self.practice}: {self.from_status} → {self.to_status}"
