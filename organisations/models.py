from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField
from simple_history.models import HistoricalRecords

from core.links import slug_url
from core.models import PolishSortKeyMixin, SignallingQuerySet
from core.text import fold
from organisations.enums import OrganisationKind, Voivodeship


class OrganisationQuerySet(SignallingQuerySet):
    def published(self):
        """The organisations the public pages show: drafts never."""
        return self.filter(is_published=True)


class Organisation(PolishSortKeyMixin, models.Model):
    """A local government unit, a union of them, or anyone who works with them.

    A draft (`is_published` false) appears on no public page. Organisations that
    visitors, applicants or imports name are created as drafts
    (`organisations.services.organisation_get_or_create`) and are published by an
    editor or with their first published practice (practices.receivers); those an
    editor adds in the admin are published at once.
    """

    sort_key_source, sort_key_field = "name", "sort_name"

    name = models.CharField(_("nazwa"), max_length=255)
    short_name = models.CharField(_("skrót"), max_length=60, blank=True)
    slug = models.SlugField(_("adres (slug)"), max_length=120, unique=True)
    kind = models.CharField(_("rodzaj"), max_length=32, choices=OrganisationKind.choices)
    country = CountryField(_("kraj"), blank=True)
    # In Poland one of the 16 voivodeships (Voivodeship), elsewhere as the source names it.
    region = models.CharField(
        _("region"),
        max_length=120,
        blank=True,
        help_text=_("W Polsce województwo z listy; poza Polską obwód, prowincja, kraj związkowy…"),
    )
    county = models.CharField(
        _("powiat"),
        max_length=120,
        blank=True,
        default="",
        db_default="",
        help_text=_("Np. „powiat jasielski” albo „powiat m. Gdynia” (miasto na prawach powiatu)."),
    )
    locality = models.CharField(_("miejscowość"), max_length=120, blank=True)
    website = models.URLField(_("strona internetowa"), max_length=500, blank=True)
    description = models.TextField(_("opis"), blank=True)
    description_en = models.TextField(_("opis (EN)"), blank=True, db_default="")
    description_uk = models.TextField(_("opis (UK)"), blank=True, db_default="")
    is_published = models.BooleanField(
        _("opublikowana"),
        default=True,
        db_default=True,
        help_text=_(
            "Szkic nie pojawia się na stronach publicznych. Organizacja ze zgłoszenia lub "
            "importu jest szkicem, dopóki redakcja jej nie opublikuje albo nie opublikuje "
            "pierwszej jej praktyki."
        ),
    )
    # Polish alphabetical order with a plain code-point comparison: see core.text.
    sort_name = models.CharField(max_length=255, editable=False, db_collation="C")
    # Name, abbreviation and place, folded (no case, no diacritics) for the list's search.
    search_text = models.TextField(editable=False, default="")
    members = models.ManyToManyField(
        "self",
        through="Membership",
        through_fields=("group", "member"),
        symmetrical=False,
        related_name="groups",
        verbose_name=_("członkowie"),
    )
    created_at = models.DateTimeField(_("utworzono"), auto_now_add=True)
    updated_at = models.DateTimeField(_("zmieniono"), auto_now=True)

    objects = OrganisationQuerySet.as_manager()
    history = HistoricalRecords(
        excluded_fields=["sort_name", "search_text"], verbose_name=_("historia organizacji")
    )

    class Meta:
        verbose_name = _("organizacja")
        verbose_name_plural = _("organizacje")
        ordering = ["sort_name", "id"]
        permissions = [
            ("publish_organisation", _("Może publikować organizacje i wycofywać je z publikacji"))
        ]
        indexes = [
            models.Index(fields=["sort_name", "id"], name="organisation_sort_idx"),
            models.Index(fields=["country", "sort_name"], name="organisation_country_idx"),
            models.Index(fields=["kind"], name="organisation_kind_idx"),
            models.Index(fields=["region"], name="organisation_region_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=OrganisationKind.values), name="organisation_kind_valid"
            ),
            models.CheckConstraint(condition=~Q(name=""), name="organisation_name_not_empty"),
            models.CheckConstraint(
                condition=~Q(country="PL") | Q(region="") | Q(region__in=Voivodeship.values),
                name="organisation_polish_region_is_voivodeship",
                violation_error_message=_(
                    "W Polsce region to jedno z 16 województw (np. „lubelskie”) albo nic."
                ),
            ),
            models.CheckConstraint(condition=~Q(slug=""), name="organisation_slug_not_empty"),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        self.search_text = fold(
            " ".join([self.name, self.short_name, self.locality, self.county, self.region])
        )
        update_fields = kwargs.get("update_fields")
        if update_fields is not None:
            kwargs["update_fields"] = {*update_fields, "search_text"}
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return slug_url("organisations:organisation-detail", self.slug)

    @property
    def region_label(self) -> str:
        """The region as a reader sees it: a voivodeship in the reader's language."""
        if self.country == "PL" and self.region in Voivodeship.values:
            return str(Voivodeship(self.region).label)
        return self.region

    @property
    def is_local_government(self) -> bool:
        return self.kind in OrganisationKind.local_government()


class Membership(models.Model):
    """An organisation that belongs to another: a gmina in a partnership, ZMP in CEMR."""

    member = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="memberships",
        verbose_name=_("członek"),
    )
    group = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="member_links",
        verbose_name=_("związek / partnerstwo"),
    )
    role = models.CharField(_("rola"), max_length=120, blank=True)
    history = HistoricalRecords(verbose_name=_("historia członkostwa"))

    class Meta:
        verbose_name = _("członkostwo")
        verbose_name_plural = _("członkostwa")
        constraints = [
            models.UniqueConstraint(fields=["member", "group"], name="membership_unique"),
            models.CheckConstraint(condition=~Q(member=F("group")), name="membership_not_self"),
        ]

    def __str__(self) -> str:
        return f"{self.member} → {self.group}"
