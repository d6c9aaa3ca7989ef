"""The catalogue's vocabularies: practice types, topics and funding sources."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.models import SignallingQuerySet
from practices.enums import (
    PracticeTypeCode,
)


class PracticeType(models.Model):
    """One of the seven types, with the definition the GZM platform gives (seed 003)."""

    code = models.CharField(
        _("kod"), max_length=20, primary_key=True, choices=PracticeTypeCode.choices
    )
    name = models.CharField(_("nazwa"), max_length=60)
    name_en = models.CharField(_("nazwa (EN)"), max_length=60, blank=True, db_default="")
    name_uk = models.CharField(_("nazwa (UK)"), max_length=60, blank=True, db_default="")
    definition = models.TextField(_("definicja"))
    definition_en = models.TextField(_("definicja (EN)"), blank=True, db_default="")
    definition_uk = models.TextField(_("definicja (UK)"), blank=True, db_default="")
    order = models.PositiveSmallIntegerField(_("kolejność"), default=0)

    objects = SignallingQuerySet.as_manager()

    class Meta:
        verbose_name = _("typ praktyki")
        verbose_name_plural = _("typy praktyk")
        ordering = ["order", "code"]
        constraints = [
            models.CheckConstraint(
                condition=Q(code__in=PracticeTypeCode.values), name="practice_type_code_valid"
            )
        ]

    def __str__(self) -> str:
        return self.name


class Topic(models.Model):
    name = models.CharField(_("nazwa"), max_length=120)
    name_en = models.CharField(_("nazwa (EN)"), max_length=120, blank=True, db_default="")
    name_uk = models.CharField(_("nazwa (UK)"), max_length=120, blank=True, db_default="")
    slug = models.SlugField(_("adres (slug)"), max_length=120, unique=True)
    order = models.PositiveSmallIntegerField(_("kolejność"), default=0)

    objects = SignallingQuerySet.as_manager()

    class Meta:
        verbose_name = _("obszar tematyczny")
        verbose_name_plural = _("obszary tematyczne")
        ordering = ["order", "name"]

    def __str__(self) -> str:
        return self.name


class FundingSource(models.Model):
    """A fund, programme or grant-maker that paid for practices (Fundusz Wyszehradzki…)."""

    name = models.CharField(_("nazwa"), max_length=255)
    slug = models.SlugField(_("adres (slug)"), max_length=120, unique=True)
    organisation = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="funding_sources",
        verbose_name=_("instytucja"),
    )
    description = models.TextField(_("opis"), blank=True)

    objects = SignallingQuerySet.as_manager()

    class Meta:
        verbose_name = _("źródło finansowania")
        verbose_name_plural = _("źródła finansowania")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name
