"""The participants' vote: batches of one-time ballot codes, ballots and their votes."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from competitions.models.editions import Category, Edition
from competitions.models.entries import Entry


class BallotBatch(models.Model):
    """One issue of ballot codes: who issued how many, when. The codes themselves are not kept."""

    edition = models.ForeignKey(
        Edition, on_delete=models.CASCADE, related_name="ballot_batches", verbose_name=_("edycja")
    )
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("wydał"),
    )
    issued_at = models.DateTimeField(_("wydano"), default=timezone.now)
    size = models.PositiveIntegerField(_("liczba kodów"))

    class Meta:
        verbose_name = _("partia kodów")
        verbose_name_plural = _("partie kodów")
        ordering = ["-issued_at", "-id"]

    def __str__(self) -> str:
        return f"{self.edition}: {self.size} ({self.issued_at:%Y-%m-%d %H:%M})"


class Ballot(models.Model):
    """A one-time voting code; only its keyed hash is stored (see competitions.codes)."""

    edition = models.ForeignKey(
        Edition, on_delete=models.CASCADE, related_name="ballots", verbose_name=_("edycja")
    )
    batch = models.ForeignKey(
        BallotBatch,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="ballots",
        verbose_name=_("partia"),
    )
    code_hash = models.CharField(_("skrót kodu"), max_length=128, unique=True, editable=False)
    label = models.CharField(
        _("opis"), max_length=200, blank=True, help_text=_("Np. uczestnik, któremu wydano kod.")
    )
    created_at = models.DateTimeField(_("utworzono"), auto_now_add=True)

    class Meta:
        verbose_name = _("karta do głosowania")
        verbose_name_plural = _("karty do głosowania")

    def __str__(self) -> str:
        return self.label or f"#{self.pk}"


class Vote(models.Model):
    ballot = models.ForeignKey(
        Ballot, on_delete=models.CASCADE, related_name="votes", verbose_name=_("karta")
    )
    category = models.ForeignKey(
        Category, on_delete=models.CASCADE, related_name="votes", verbose_name=_("kategoria")
    )
    entry = models.ForeignKey(
        Entry, on_delete=models.CASCADE, related_name="votes", verbose_name=_("zgłoszenie")
    )
    cast_at = models.DateTimeField(_("oddano"), auto_now_add=True)

    class Meta:
        verbose_name = _("głos")
        verbose_name_plural = _("głosy")
        constraints = [
            models.UniqueConstraint(
                fields=["ballot", "category"],
                name="vote_one_per_ballot_per_category",
                violation_error_message=_("Ta karta oddała już głos w tej kategorii."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.ballot} → {self.entry}"
