from django.db import models
from django.utils.translation import gettext_lazy as _


class PracticeTypeCode(models.TextChoices):
    """The seven types of the GZM platform (seed 003); definitions live in PracticeType rows."""

    PROCEDURAL = "procedural", _("proceduralna")
    INVESTMENT = "investment", _("inwestycyjna")
    IT = "it", _("IT")
    SOCIAL = "social", _("społeczna")
    ORGANISATIONAL = "organisational", _("organizacyjna")
    PROMOTIONAL = "promotional", _("promocyjna")
    PROJECT = "project", _("projektowa")


class PracticeStatus(models.TextChoices):
    DRAFT = "draft", _("szkic")
    IN_REVIEW = "in_review", _("w recenzji")
    PUBLISHED = "published", _("opublikowana")
    ARCHIVED = "archived", _("zarchiwizowana")


class Currency(models.TextChoices):
    PLN = "PLN", "PLN"
    EUR = "EUR", "EUR"
    USD = "USD", "USD"
    UAH = "UAH", "UAH"
    GBP = "GBP", "GBP"
    CHF = "CHF", "CHF"
    CZK = "CZK", "CZK"
    NOK = "NOK", "NOK"


class PartnerRole(models.TextChoices):
    """What an organisation did in a practice, as its source says; the lead is
    `Practice.lead_organisation`, set only where the source names one."""

    PARTNER = "partner", _("partner")
    CO_ORGANISER = "co_organiser", _("współrealizator")
    PARTICIPANT = "participant", _("uczestnik")
    FUNDER = "funder", _("finansujący")
    SUPPLIER = "supplier", _("dostawca")
    PROMOTER = "promoter", _("promocja")
    PATRON = "patron", _("patronat")
    SUPPORTER = "supporter", _("współpraca / wsparcie")
    HOST = "host", _("gospodarz")


class AmountMeasure(models.TextChoices):
    """What an amount other than the project's total value or co-financing measures."""

    GOODS = "goods", _("wartość przekazanych dóbr")
    GRANT = "grant", _("dotacja / grant")
    BUDGET = "budget", _("budżet")
    OTHER = "other", _("inna kwota")


class MilestoneKind(models.TextChoices):
    """A dated step that is not the period of realisation (which has its own fields)."""

    APPLICATION = "application", _("złożenie wniosku")
    AGREEMENT = "agreement", _("podpisanie umowy")
    ANNOUNCEMENT = "announcement", _("ogłoszenie")
    OTHER = "other", _("inne zdarzenie")


class AwardLevel(models.TextChoices):
    """What a practice reached in any competition, for filtering.

    A practice carries every level it reached: a winner is also a laureate and a
    finalist, so "laureates" lists the winners too.
    """

    FINALIST = "finalist", _("finalista")
    LAUREATE = "laureate", _("laureat")
    WINNER = "winner", _("zwycięzca")
    DISTINCTION = "distinction", _("wyróżnienie")


class PracticeOrigin(models.TextChoices):
    """Where a practice record came from."""

    FIXTURES = "fixtures", _("dane źródłowe katalogu")
    ADMIN = "admin", _("redakcja")
    IMPORT = "import", _("import arkusza")
    FORM = "form", _("formularz zgłoszeniowy")
    SYNTHETIC = "synthetic", _("dane syntetyczne (test wydajności)")
