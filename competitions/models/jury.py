"""The jury's work on an edition: members, criteria, scores, conflicts, submissions, and
the decisions (and tie resolutions) that set an entry's result."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from competitions.enums import (
    DecisionAction,
)
from competitions.models.editions import Category, Edition
from competitions.models.entries import Entry


class JuryMember(models.Model):
    edition = models.ForeignKey(
        Edition, on_delete=models.CASCADE, related_name="jury_members", verbose_name=_("edycja")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="jury_seats",
        verbose_name=_("użytkownik"),
    )
    is_chair = models.BooleanField(_("przewodniczący"), default=False)

    class Meta:
        verbose_name = _("członek jury")
        verbose_name_plural = _("jury")
        constraints = [
            models.UniqueConstraint(fields=["edition", "user"], name="jury_member_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.user} ({self.edition})"


class Criterion(models.Model):
    edition = models.ForeignKey(
        Edition, on_delete=models.CASCADE, related_name="criteria", verbose_name=_("edycja")
    )
    name = models.CharField(_("nazwa"), max_length=200)
    # Editorial translations (core.i18n), for a jury that reads English or Ukrainian.
    name_en = models.CharField(_("nazwa (EN)"), max_length=200, blank=True, db_default="")
    name_uk = models.CharField(_("nazwa (UK)"), max_length=200, blank=True, db_default="")
    description = models.TextField(_("opis"), blank=True)
    description_en = models.TextField(_("opis (EN)"), blank=True, db_default="")
    description_uk = models.TextField(_("opis (UK)"), blank=True, db_default="")
    weight = models.DecimalField(_("waga"), max_digits=5, decimal_places=2, default=1)
    scale_min = models.PositiveSmallIntegerField(_("skala od"), default=0)
    scale_max = models.PositiveSmallIntegerField(_("skala do"), default=10)
    order = models.PositiveSmallIntegerField(_("kolejność"), default=0)

    class Meta:
        verbose_name = _("kryterium")
        verbose_name_plural = _("kryteria")
        ordering = ["edition", "order", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(weight__gt=0), name="criterion_weight_positive"),
            models.CheckConstraint(
                condition=Q(scale_max__gt=F("scale_min")), name="criterion_scale_ordered"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Score(models.Model):
    member = models.ForeignKey(
        JuryMember, on_delete=models.CASCADE, related_name="scores", verbose_name=_("juror")
    )
    entry = models.ForeignKey(
        Entry, on_delete=models.CASCADE, related_name="scores", verbose_name=_("zgłoszenie")
    )
    criterion = models.ForeignKey(
        Criterion, on_delete=models.CASCADE, related_name="scores", verbose_name=_("kryterium")
    )
    value = models.PositiveSmallIntegerField(_("ocena"))
    comment = models.TextField(_("komentarz"), blank=True)
    created_at = models.DateTimeField(_("utworzono"), auto_now_add=True)
    updated_at = models.DateTimeField(_("zmieniono"), auto_now=True)

    class Meta:
        verbose_name = _("ocena")
        verbose_name_plural = _("oceny")
        constraints = [
            models.UniqueConstraint(
                fields=["member", "entry", "criterion"], name="score_one_per_member_entry_criterion"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.member} – {self.entry} – {self.criterion}: {self.value}"


class ConflictOfInterest(models.Model):
    member = models.ForeignKey(
        JuryMember, on_delete=models.CASCADE, related_name="conflicts", verbose_name=_("juror")
    )
    entry = models.ForeignKey(
        Entry, on_delete=models.CASCADE, related_name="conflicts", verbose_name=_("zgłoszenie")
    )
    reason = models.CharField(_("powód"), max_length=300, blank=True)
    declared_at = models.DateTimeField(_("zgłoszono"), auto_now_add=True)

    class Meta:
        verbose_name = _("konflikt interesów")
        verbose_name_plural = _("konflikty interesów")
        constraints = [
            models.UniqueConstraint(fields=["member", "entry"], name="conflict_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.member} – {self.entry}"


class JurySubmission(models.Model):
    """A juror's scores of one entry, submitted: final from then on.

    Submitting is also what lets the juror see the other members' scores of
    that entry, so nobody scores with the others' numbers in front of them.
    """

    member = models.ForeignKey(
        JuryMember, on_delete=models.CASCADE, related_name="submissions", verbose_name=_("juror")
    )
    entry = models.ForeignKey(
        Entry,
        on_delete=models.CASCADE,
        related_name="jury_submissions",
        verbose_name=_("zgłoszenie"),
    )
    submitted_at = models.DateTimeField(_("przesłano"), default=timezone.now)

    class Meta:
        verbose_name = _("przesłana ocena")
        verbose_name_plural = _("przesłane oceny")
        constraints = [
            models.UniqueConstraint(fields=["member", "entry"], name="jury_submission_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.member} – {self.entry}"


class DecisionLog(models.Model):
    """Who decided what, when, from what to what: append-only (a trigger refuses updates)."""

    edition = models.ForeignKey(
        Edition, on_delete=models.CASCADE, related_name="decisions", verbose_name=_("edycja")
    )
    category = models.ForeignKey(
        Category,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="decisions",
        verbose_name=_("kategoria"),
    )
    entry = models.ForeignKey(
        Entry,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="decisions",
        verbose_name=_("zgłoszenie"),
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="competition_decisions",
        verbose_name=_("kto"),
    )
    action = models.CharField(_("działanie"), max_length=16, choices=DecisionAction.choices)
    before = models.JSONField(_("przed"), default=dict, blank=True)
    after = models.JSONField(_("po"), default=dict, blank=True)
    reason = models.TextField(_("uzasadnienie"), blank=True)
    created_at = models.DateTimeField(_("kiedy"), default=timezone.now)

    class Meta:
        verbose_name = _("decyzja")
        verbose_name_plural = _("dziennik decyzji")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(action__in=DecisionAction.values), name="decision_log_action_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.get_action_display()}"


class TieResolution(models.Model):
    """The chair's choice of a category's winner among entries tied on votes, with a reason."""

    category = models.OneToOneField(
        Category,
        on_delete=models.CASCADE,
        related_name="tie_resolution",
        verbose_name=_("kategoria"),
    )
    entry = models.ForeignKey(
        Entry,
        on_delete=models.CASCADE,
        related_name="tie_resolutions",
        verbose_name=_("wskazany zwycięzca"),
    )
    reason = models.TextField(_("uzasadnienie"))
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("rozstrzygnął"),
    )
    resolved_at = models.DateTimeField(_("rozstrzygnięto"), default=timezone.now)

    class Meta:
        verbose_name = _("rozstrzygnięcie remisu")
        verbose_name_plural = _("rozstrzygnięcia remisów")
        constraints = [
            models.CheckConstraint(
                condition=Q(reason__regex=r"\S"), name="tie_resolution_has_reason"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.category}: {self.entry}"
