from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from competitions.enums import (
    DECISIONS_PUBLIC_PHASES,
    DecisionAction,
    EditionPhase,
    EntryStatus,
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


# --- online entry (the call for entries) ---------------------------------------------


class EditionQuestion(models.Model):
    """One of the edition's own questions on its entry form, besides the practice's fields."""

    edition = models.ForeignKey(
        Edition, on_delete=models.CASCADE, related_name="questions", verbose_name=_("edycja")
    )
    text = models.CharField(_("pytanie"), max_length=500)
    help_text = models.CharField(_("podpowiedź"), max_length=500, blank=True)
    required = models.BooleanField(_("wymagane"), default=True)
    max_length = models.PositiveIntegerField(
        _("najwięcej znaków"),
        default=2000,
        validators=[MinValueValidator(1), MaxValueValidator(20000)],
    )
    order = models.PositiveSmallIntegerField(_("kolejność"), default=0)

    class Meta:
        verbose_name = _("pytanie formularza zgłoszeniowego")
        verbose_name_plural = _("pytania formularza zgłoszeniowego")
        ordering = ["order", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(max_length__gte=1, max_length__lte=20000),
                name="editionquestion_max_length_range",
            ),
        ]

    def __str__(self) -> str:
        return self.text


def application_upload_to(instance: "ApplicationAttachment", filename: str) -> str:
    # A folder per application named by a random key: a draft's files are never
    # at an address anyone could guess from another one.
    return f"zgloszenia-konkursowe/{instance.application.folder}/{filename}"


class Application(models.Model):
    """An applicant's entry to an edition while they fill it in, reached only through the
    private link e-mailed to them (its token is stored hashed). Submitting it makes a
    draft practice and an entry; until then nothing of it is anywhere else."""

    edition = models.ForeignKey(
        Edition, on_delete=models.CASCADE, related_name="applications", verbose_name=_("edycja")
    )
    token_hash = models.CharField(_("skrót klucza"), max_length=64, unique=True, editable=False)
    folder = models.CharField(max_length=32, unique=True, editable=False)
    contact_name = models.CharField(_("imię i nazwisko"), max_length=200)
    email = models.EmailField(_("adres e-mail"))
    data = models.JSONField(_("treść zgłoszenia"), default=dict, blank=True)
    created_at = models.DateTimeField(_("rozpoczęto"), auto_now_add=True)
    saved_at = models.DateTimeField(_("zapisano"), auto_now=True)
    submitted_at = models.DateTimeField(_("wysłano"), null=True, blank=True)
    entry = models.OneToOneField(
        Entry,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="application",
        verbose_name=_("zgłoszenie w konkursie"),
    )

    class Meta:
        verbose_name = _("formularz zgłoszeniowy")
        verbose_name_plural = _("formularze zgłoszeniowe")
        ordering = ["-saved_at"]
        indexes = [models.Index(fields=["edition", "email"], name="application_edition_email")]
        constraints = [
            models.CheckConstraint(
                condition=Q(entry__isnull=True) | Q(submitted_at__isnull=False),
                name="application_entry_only_when_submitted",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.contact_name} <{self.email}>"


class ApplicationAttachment(models.Model):
    """A file added to an application (checked like every upload); on submission it
    becomes the draft practice's attachment, the same file."""

    application = models.ForeignKey(
        Application,
        on_delete=models.CASCADE,
        related_name="attachments",
        verbose_name=_("formularz zgłoszeniowy"),
    )
    file = models.FileField(_("plik"), upload_to=application_upload_to, max_length=255)
    title = models.CharField(_("nazwa"), max_length=200)
    content_type = models.CharField(_("typ pliku"), max_length=100)
    size = models.PositiveIntegerField(_("rozmiar (bajty)"))
    uploaded_at = models.DateTimeField(_("dodano"), auto_now_add=True)

    class Meta:
        verbose_name = _("załącznik formularza")
        verbose_name_plural = _("załączniki formularza")
        ordering = ["uploaded_at", "id"]

    def __str__(self) -> str:
        return self.title


class EntryAnswer(models.Model):
    """The applicant's answer to one of the edition's questions, kept with the entry."""

    entry = models.ForeignKey(
        Entry, on_delete=models.CASCADE, related_name="answers", verbose_name=_("zgłoszenie")
    )
    question = models.ForeignKey(
        EditionQuestion,
        on_delete=models.PROTECT,
        related_name="answers",
        verbose_name=_("pytanie"),
    )
    text = models.TextField(_("odpowiedź"), blank=True)

    class Meta:
        verbose_name = _("odpowiedź na pytanie konkursu")
        verbose_name_plural = _("odpowiedzi na pytania konkursu")
        ordering = ["question__order", "question_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["entry", "question"], name="entryanswer_one_per_question"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.question}: {self.text[:60]}"
