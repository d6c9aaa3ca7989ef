"""Competitions, their editions and categories: what every audience of a competition reads."""

from django.contrib.postgres.fields import ArrayField
from django.core.validators import MaxValueValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from competitions.enums import (
    EditionPhase,
    OrganiserRole,
)
from core.models import SignallingQuerySet

# The most laureate places a category may have; the real limit is each
# category's own `laureate_places`, held by a trigger (see migration 0002).
MAX_LAUREATE_PLACES = 10


class Competition(models.Model):
    """A competition series (Konkurs Dobrych Praktyk, Samorządowy Lider Zarządzania)."""

    name = models.CharField(_("nazwa"), max_length=255)
    name_en = models.CharField(_("nazwa (EN)"), max_length=255, blank=True, db_default="")
    name_uk = models.CharField(_("nazwa (UK)"), max_length=255, blank=True, db_default="")
    short_name = models.CharField(_("skrót"), max_length=60, blank=True)
    slug = models.SlugField(_("adres (slug)"), max_length=120, unique=True)
    description = models.TextField(_("opis"), blank=True)
    description_en = models.TextField(_("opis (EN)"), blank=True, db_default="")
    description_uk = models.TextField(_("opis (UK)"), blank=True, db_default="")
    organiser = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="competitions",
        verbose_name=_("organizator"),
    )
    website = models.URLField(_("strona internetowa"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("konkurs")
        verbose_name_plural = _("konkursy")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("competitions:competition-detail", kwargs={"slug": self.slug})


class Edition(models.Model):
    """One year of a competition, with its theme, dates and reported figures."""

    competition = models.ForeignKey(
        Competition, on_delete=models.CASCADE, related_name="editions", verbose_name=_("konkurs")
    )
    year = models.PositiveSmallIntegerField(_("rok"))
    name = models.CharField(_("nazwa"), max_length=255)
    name_en = models.CharField(_("nazwa (EN)"), max_length=255, blank=True, db_default="")
    name_uk = models.CharField(_("nazwa (UK)"), max_length=255, blank=True, db_default="")
    slug = models.SlugField(_("adres (slug)"), max_length=120, unique=True)
    theme = models.TextField(_("temat"), blank=True)
    theme_en = models.TextField(_("temat (EN)"), blank=True, db_default="")
    theme_uk = models.TextField(_("temat (UK)"), blank=True, db_default="")
    description = models.TextField(_("opis"), blank=True)
    description_en = models.TextField(_("opis (EN)"), blank=True, db_default="")
    description_uk = models.TextField(_("opis (UK)"), blank=True, db_default="")
    phase = models.CharField(
        _("etap"), max_length=16, choices=EditionPhase.choices, default=EditionPhase.ANNOUNCED
    )

    submissions_open_at = models.DateTimeField(_("nabór od"), null=True, blank=True)
    submissions_close_at = models.DateTimeField(_("nabór do"), null=True, blank=True)
    vote_opens_at = models.DateTimeField(_("głosowanie od"), null=True, blank=True)
    vote_closes_at = models.DateTimeField(_("głosowanie do"), null=True, blank=True)
    results_published_at = models.DateTimeField(_("wyniki ogłoszono"), null=True, blank=True)
    jury_review_starts_at = models.DateTimeField(_("ocena jury od"), null=True, blank=True)
    jury_review_ends_at = models.DateTimeField(_("ocena jury do"), null=True, blank=True)
    has_public_vote = models.BooleanField(
        _("głosowanie publiczne"),
        default=True,
        help_text=_(
            "Bez głosowania edycja przechodzi od oceny jury wprost do wyników; "
            "zwycięzców wtedy nie ma, chyba że regulamin daje ten tytuł laureatom 1. miejsca."
        ),
    )
    stages_announced = models.BooleanField(
        _("etapy znane z regulaminu"),
        default=True,
        db_default=True,
        help_text=_(
            "Odznacz, dopóki regulamin edycji nie jest ogłoszony: oś czasu pokaże wtedy tylko "
            "zapowiedź, bez etapów, których edycja może nie mieć."
        ),
    )
    jury_names_winners = models.BooleanField(
        _("zwycięzcą laureat 1. miejsca"),
        default=False,
        db_default=False,
        help_text=_(
            "Tylko w edycji bez głosowania, jeśli tak stanowi regulamin: przy ogłoszeniu wyników "
            "laureat 1. miejsca w każdej kategorii zostaje jej zwycięzcą (zapis w dzienniku)."
        ),
    )
    is_training = models.BooleanField(
        _("edycja szkoleniowa"),
        default=False,
        db_default=False,
        editable=False,
        help_text=_(
            "Edycja do ćwiczeń (manage.py create_training_edition): poza listami, wyszukiwarką, "
            "mapą strony i nagrodami praktyk; jej strony mają wyraźną etykietę."
        ),
    )
    # Set when the vote opens; from then on the window, the categories and the
    # laureates are fixed (services and triggers in migration 0004 refuse changes).
    vote_rules_locked_at = models.DateTimeField(
        _("zasady głosowania zablokowano"), null=True, blank=True, editable=False
    )

    event_name = models.CharField(_("wydarzenie"), max_length=255, blank=True)
    event_place = models.CharField(_("miejsce wydarzenia"), max_length=120, blank=True)
    event_starts_on = models.DateField(_("wydarzenie od"), null=True, blank=True)
    event_ends_on = models.DateField(_("wydarzenie do"), null=True, blank=True)

    # Figures as the organisers reported them, which may exceed what the
    # catalogue holds (49 submissions reported, 15 laureates described).
    reported_submissions = models.PositiveIntegerField(
        _("zgłoszenia (wg organizatora)"), null=True, blank=True
    )
    reported_applicants = models.PositiveIntegerField(
        _("zgłaszający (wg organizatora)"), null=True, blank=True
    )
    reported_finalists = models.PositiveIntegerField(
        _("finaliści (wg organizatora)"), null=True, blank=True
    )
    reported_countries = models.PositiveIntegerField(
        _("kraje (wg organizatora)"), null=True, blank=True
    )
    countries_named = ArrayField(
        models.CharField(max_length=2),
        default=list,
        blank=True,
        verbose_name=_("kraje wymienione przez organizatora"),
    )
    # The source's own list, in its words ("Autonomia Palestyńska", not the ISO name);
    # countries_named holds the same countries as codes, for grouping.
    countries_text = models.TextField(
        _("kraje słowami źródła"),
        blank=True,
        db_default="",
        help_text=_("Lista krajów tak, jak podaje ją organizator, np. „Autonomia Palestyńska”."),
    )
    countries_text_en = models.TextField(_("kraje słowami źródła (EN)"), blank=True, db_default="")
    countries_text_uk = models.TextField(_("kraje słowami źródła (UK)"), blank=True, db_default="")
    funding_sources = models.ManyToManyField(
        "practices.FundingSource",
        blank=True,
        related_name="editions",
        verbose_name=_("źródła finansowania"),
    )
    organisers = models.ManyToManyField(
        "organisations.Organisation",
        through="EditionOrganiser",
        related_name="organised_editions",
        blank=True,
        verbose_name=_("organizatorzy i partnerzy"),
    )

    objects = SignallingQuerySet.as_manager()

    class Meta:
        verbose_name = _("edycja")
        verbose_name_plural = _("edycje")
        ordering = ["competition__name", "-year"]
        constraints = [
            models.UniqueConstraint(fields=["competition", "year"], name="edition_one_per_year"),
            models.CheckConstraint(
                condition=Q(phase__in=EditionPhase.values), name="edition_phase_valid"
            ),
            models.CheckConstraint(
                condition=Q(submissions_close_at__isnull=True)
                | Q(submissions_open_at__isnull=True)
                | Q(submissions_close_at__gt=F("submissions_open_at")),
                name="edition_submissions_window_ordered",
            ),
            models.CheckConstraint(
                condition=Q(vote_closes_at__isnull=True)
                | Q(vote_opens_at__isnull=True)
                | Q(vote_closes_at__gt=F("vote_opens_at")),
                name="edition_vote_window_ordered",
            ),
            models.CheckConstraint(
                condition=Q(jury_review_ends_at__isnull=True)
                | Q(jury_review_starts_at__isnull=True)
                | Q(jury_review_ends_at__gte=F("jury_review_starts_at")),
                name="edition_jury_review_window_ordered",
            ),
            models.CheckConstraint(
                condition=Q(vote_rules_locked_at__isnull=True)
                | Q(vote_opens_at__isnull=False, vote_closes_at__isnull=False),
                name="edition_locked_vote_has_window",
            ),
            models.CheckConstraint(
                condition=~Q(phase=EditionPhase.PUBLIC_VOTE)
                | Q(vote_rules_locked_at__isnull=False),
                name="edition_public_vote_is_locked",
            ),
            models.CheckConstraint(
                condition=Q(has_public_vote=False) | Q(jury_names_winners=False),
                name="edition_jury_winners_only_without_vote",
                violation_error_message=_(
                    "Laureat 1. miejsca zostaje zwycięzcą tylko w edycji bez głosowania "
                    "publicznego; w edycji z głosowaniem zwycięzcę wybierają głosujący."
                ),
            ),
            models.CheckConstraint(
                condition=Q(event_ends_on__isnull=True)
                | Q(event_starts_on__isnull=True)
                | Q(event_ends_on__gte=F("event_starts_on")),
                name="edition_event_end_not_before_start",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse(
            "competitions:edition-detail",
            kwargs={"competition_slug": self.competition.slug, "year": self.year},
        )

    @property
    def countries_listed(self) -> int:
        return len(self.countries_named)

    @property
    def countries_count_differs(self) -> bool:
        """The organiser's count and its own list of countries disagree (10 and 9 named)."""
        return bool(
            self.reported_countries is not None
            and self.countries_named
            and self.reported_countries != len(self.countries_named)
        )


class EditionLink(models.Model):
    """An address the edition's source gives (a report, a tool), with its label."""

    edition = models.ForeignKey(
        Edition, on_delete=models.CASCADE, related_name="links", verbose_name=_("edycja")
    )
    url = models.URLField(_("adres"), max_length=500)
    label = models.CharField(_("opis odnośnika"), max_length=300, blank=True)
    label_en = models.CharField(_("opis odnośnika (EN)"), max_length=300, blank=True)
    label_uk = models.CharField(_("opis odnośnika (UK)"), max_length=300, blank=True)
    order = models.PositiveSmallIntegerField(_("kolejność"), default=0)

    objects = SignallingQuerySet.as_manager()

    class Meta:
        verbose_name = _("odnośnik edycji")
        verbose_name_plural = _("odnośniki edycji")
        ordering = ["order", "id"]

    def __str__(self) -> str:
        return self.label or self.url


class EditionOrganiser(models.Model):
    edition = models.ForeignKey(
        Edition, on_delete=models.CASCADE, related_name="organiser_links", verbose_name=_("edycja")
    )
    organisation = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.PROTECT,
        related_name="edition_roles",
        verbose_name=_("organizacja"),
    )
    role = models.CharField(_("rola"), max_length=16, choices=OrganiserRole.choices)
    note = models.CharField(_("uwagi"), max_length=300, blank=True)
    order = models.PositiveSmallIntegerField(_("kolejność"), default=0)

    class Meta:
        verbose_name = _("organizator lub partner edycji")
        verbose_name_plural = _("organizatorzy i partnerzy edycji")
        ordering = ["order", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["edition", "organisation", "role"], name="edition_organiser_unique"
            ),
            models.CheckConstraint(
                condition=Q(role__in=OrganiserRole.values), name="edition_organiser_role_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organisation} – {self.get_role_display()}"


class Category(models.Model):
    """A category of an edition, or (`is_whole_edition`) the edition as a whole.

    An edition without categories (a theme only, as Samorządowy Lider Zarządzania
    2022) keeps its entries in one unnamed row marked `is_whole_edition`: the jury,
    the ballot and the results work per row as for a category, and no page names
    it as a category. Such an edition has no other category.
    """

    edition = models.ForeignKey(
        Edition, on_delete=models.CASCADE, related_name="categories", verbose_name=_("edycja")
    )
    is_whole_edition = models.BooleanField(
        _("cała edycja (bez kategorii)"),
        default=False,
        db_default=False,
        help_text=_(
            "Dla edycji bez kategorii: zgłoszenia należą do całej edycji, a strony nie "
            "pokazują tej pozycji jako kategorii. Temat edycji wpisz w edycji."
        ),
    )
    name = models.CharField(_("nazwa"), max_length=255, blank=True)
    name_en = models.CharField(_("nazwa (EN)"), max_length=255, blank=True, db_default="")
    name_uk = models.CharField(_("nazwa (UK)"), max_length=255, blank=True, db_default="")
    slug = models.SlugField(_("adres (slug)"), max_length=120)
    order = models.PositiveSmallIntegerField(_("kolejność"), default=0)
    laureate_places = models.PositiveSmallIntegerField(
        _("miejsca laureatów"),
        default=3,
        validators=[MaxValueValidator(MAX_LAUREATE_PLACES)],
        help_text=_("Ilu laureatów (miejsca 1…N) wybiera jury w tej kategorii."),
    )
    description = models.TextField(_("opis"), blank=True)
    description_en = models.TextField(_("opis (EN)"), blank=True, db_default="")
    description_uk = models.TextField(_("opis (UK)"), blank=True, db_default="")

    objects = SignallingQuerySet.as_manager()

    class Meta:
        verbose_name = _("kategoria")
        verbose_name_plural = _("kategorie")
        ordering = ["edition", "order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["edition", "slug"], name="category_slug_unique"),
            models.UniqueConstraint(
                fields=["edition"],
                condition=Q(is_whole_edition=True),
                name="category_one_whole_edition",
            ),
            models.CheckConstraint(
                condition=Q(is_whole_edition=True) | ~Q(name=""),
                name="category_named_unless_whole_edition",
                violation_error_message=_("Podaj nazwę kategorii."),
            ),
            models.CheckConstraint(
                condition=Q(laureate_places__lte=MAX_LAUREATE_PLACES),
                name="category_laureate_places_max",
            ),
        ]

    def __str__(self) -> str:
        if self.is_whole_edition:
            return str(self.edition)
        return f"{self.edition} – {self.name}"

    @property
    def display_name(self) -> str:
        """The name staff pages show: the category's, or "cała edycja" for an edition
        without categories (public pages show no category there at all)."""
        if self.is_whole_edition:
            return str(_("cała edycja"))
        return self.name

    def clean(self):
        from django.core.exceptions import ValidationError

        siblings = Category.objects.filter(edition_id=self.edition_id).exclude(pk=self.pk)
        if self.is_whole_edition and siblings.exists():
            raise ValidationError(
                _("Edycja bez kategorii nie może mieć innych kategorii: usuń je najpierw.")
            )
        if not self.is_whole_edition and siblings.filter(is_whole_edition=True).exists():
            raise ValidationError(
                _("Ta edycja nie ma kategorii: jej zgłoszenia należą do całej edycji.")
            )
