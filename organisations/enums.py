from django.db import models
from django.utils.translation import gettext_lazy as _


class OrganisationKind(models.TextChoices):
    MUNICIPALITY = "municipality", _("gmina")
    CITY = "city", _("miasto")
    COUNTY = "county", _("powiat")
    REGION = "region", _("województwo / region")
    ASSOCIATION = "association", _("związek lub stowarzyszenie samorządów")
    METROPOLITAN_UNION = "metropolitan_union", _("związek metropolitalny")
    FUNCTIONAL_AREA = "functional_area", _("obszar funkcjonalny")
    PARTNERSHIP = "partnership", _("partnerstwo samorządów")
    NGO = "ngo", _("organizacja pozarządowa")
    UNIVERSITY = "university", _("uczelnia")
    SCHOOL = "school", _("szkoła")
    BUSINESS = "business", _("firma")
    PUBLIC_INSTITUTION = "public_institution", _("instytucja publiczna")
    INTERNATIONAL = "international", _("organizacja międzynarodowa")
    INDIVIDUAL = "individual", _("osoba")
    OTHER = "other", _("inna")

    @classmethod
    def local_government(cls) -> list[str]:
        """Kinds that are local government units (JST) themselves."""
        return [cls.MUNICIPALITY, cls.CITY, cls.COUNTY, cls.REGION]

    @classmethod
    def groupings(cls) -> list[str]:
        """Kinds whose members are other organisations."""
        return [cls.ASSOCIATION, cls.METROPOLITAN_UNION, cls.FUNCTIONAL_AREA, cls.PARTNERSHIP]
