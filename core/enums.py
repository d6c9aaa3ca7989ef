from django.db import models
from django.utils.translation import gettext_lazy as _


class SitePageSlug(models.TextChoices):
    """The pages a public body must publish; each has one row of `core.SitePage`."""

    ACCESSIBILITY = "accessibility", _("Deklaracja dostępności")
    PRIVACY = "privacy", _("Ochrona danych osobowych")
    CONTACT = "contact", _("Kontakt")
