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


class Voivodeship(models.TextChoices):
    """Poland's 16 voivodeships (województwa), as TERYT names them: the region of every
    Polish organisation is one of these or empty (a database rule; see Organisation)."""

    DOLNOSLASKIE = "dolnośląskie", _("dolnośląskie")
    KUJAWSKO_POMORSKIE = "kujawsko-pomorskie", _("kujawsko-pomorskie")
    LUBELSKIE = "lubelskie", _("lubelskie")
    LUBUSKIE = "lubuskie", _("lubuskie")
    LODZKIE = "łódzkie", _("łódzkie")
    MALOPOLSKIE = "małopolskie", _("małopolskie")
    MAZOWIECKIE = "mazowieckie", _("mazowieckie")
    OPOLSKIE = "opolskie", _("opolskie")
    PODKARPACKIE = "podkarpackie", _("podkarpackie")
    PODLASKIE = "podlaskie", _("podlaskie")
    POMORSKIE = "pomorskie", _("pomorskie")
    SLASKIE = "śląskie", _("śląskie")
    SWIETOKRZYSKIE = "świętokrzyskie", _("świętokrzyskie")
    WARMINSKO_MAZURSKIE = "warmińsko-mazurskie", _("warmińsko-mazurskie")
    WIELKOPOLSKIE = "wielkopolskie", _("wielkopolskie")
    ZACHODNIOPOMORSKIE = "zachodniopomorskie", _("zachodniopomorskie")

    @classmethod
    def from_text(cls, text: str) -> str | None:
        """The voivodeship a person or a spreadsheet named: "lubelskie", "Lubelskie",
        "woj. lubelskie", "województwo lubelskie" all give "lubelskie"; None if none."""
        words = " ".join(text.lower().replace("woj.", " ").split())
        words = words.removeprefix("województwo ").strip()
        return words if words in cls.values else None
