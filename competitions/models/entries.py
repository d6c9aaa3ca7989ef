"""Entries: a practice entered in a category, and the result it reached there."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from competitions.enums import (
    DECISIONS_PUBLIC_PHASES,
    EntryStatus,
)
from competitions.models.editions import MAX_LAUREATE_PLACES, Category
from core.models import SignallingQuerySet


class EntryQuerySet(SignallingQuerySet):
    def announced(self):
        """Entries whose decisions are announced (DECISIONS_PUBLIC_PHASES), not withdrawn,
        training editions included: for an edition's own page only. Anything that
        lists entries across editions uses `public()`."""
        return self.filter(category__edition__phase__in=DECISIONS_PUBLIC_PHASES).exclude(
            status=EntryStatus.WITHDRAWN
        )

    def public(self):
        """Announced entries outside training editions: the only entries a public list,
        a practice's or organisation's awards, an export or the catalogue's index may
        show. A training edition (`Edition.is_training`) awards nothing real."""
        return self.announced().exclude(category__edition__is_training=True)


class Entry(models.Model):
    """A practice entered in one category of one edition, and what it reached there."""

    category = models.ForeignKey(
        Category, on_delete=models.CASCADE, related_name="entries", verbose_name=_("kategoria")
    )
    practice = models.ForeignKey(
        "practices.Practice",
        on_delete=models.PROTECT,
        related_name="entries",
        verbose_name=_("praktyka"),
    )
    # Whom the entry's award belongs to: the organisation that entered the practice
    # (its lead, unless the source says otherwise), never its partners or suppliers.
    entrant = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="entries_entered",
        verbose_name=_("zgłaszający"),
        help_text=_(
            "Organizacja, która zgłosiła praktykę; do niej należy nagroda. Puste: lider praktyki."
        ),
    )
    status = models.CharField(
        _("status"), max_length=16, choices=EntryStatus.choices, default=EntryStatus.SUBMITTED
    )
    laureate_place = models.PositiveSmallIntegerField(_("miejsce laureata"), null=True, blank=True)
    distinction = models.CharField(_("wyróżnienie"), max_length=200, blank=True)
    is_winner = models.BooleanField(_("zwycięzca"), default=False)
    submitted_at = models.DateTimeField(_("zgłoszono"), null=True, blank=True)

    objects = EntryQuerySet.as_manager()

    class Meta:
        verbose_name = _("zgłoszenie")
        verbose_name_plural = _("zgłoszenia")
        ordering = ["category", "laureate_place", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["category", "practice"],
                name="entry_one_per_practice_per_category",
                violation_error_message=_("Ta praktyka jest już zgłoszona w tej kategorii."),
            ),
            models.UniqueConstraint(
                fields=["category", "laureate_place"],
                name="entry_laureate_place_unique",
                violation_error_message=_("To miejsce ma już laureata w tej kategorii."),
            ),
            models.UniqueConstraint(
                fields=["category"],
                condition=Q(is_winner=True),
                name="entry_one_winner_per_category",
                violation_error_message=_("Ta kategoria ma już zwycięzcę."),
            ),
            models.CheckConstraint(
                condition=Q(status__in=EntryStatus.values), name="entry_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(laureate_place__isnull=True)
                | Q(laureate_place__gte=1, laureate_place__lte=MAX_LAUREATE_PLACES),
                name="entry_laureate_place_range",
            ),
            models.CheckConstraint(
                condition=Q(status=EntryStatus.LAUREATE, laureate_place__isnull=False)
                | (~Q(status=EntryStatus.LAUREATE) & Q(laureate_place__isnull=True)),
                name="entry_laureate_has_place",
                violation_error_message=_("Laureat ma miejsce, a tylko laureat je ma."),
            ),
            models.CheckConstraint(
                condition=Q(is_winner=False) | Q(status=EntryStatus.LAUREATE),
                name="entry_winner_is_laureate",
                violation_error_message=_("Zwycięzcą może być tylko laureat."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.practice} ({self.category})"

    def save(self, *args, **kwargs):
        # A new entry is, unless said otherwise, entered by the practice's lead.
        if self._state.adding and self.entrant_id is None and self.practice_id is not None:
            self.entrant_id = self.practice.lead_organisation_id
        super().save(*args, **kwargs)
