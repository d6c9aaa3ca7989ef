from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVectorField
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.dates import DatePrecision, public_moment
from core.links import slug_url
from core.models import PolishSortKeyMixin, SignallingQuerySet
from practices.dimensions import FACETS, OTHER_FILTER_COLUMNS
from practices.enums import (
    AmountMeasure,
    Currency,
    MilestoneKind,
    PartnerRole,
    PracticeOrigin,
    PracticeStatus,
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


# How many sample levels each practice row records (catalogue.counting.count_facets): level k holds
# about one published practice in 2**k, down to one in 65,536.
SAMPLE_LEVELS = 16


# Sample levels with an index of their own (below): a sample at level k reads the
# index of the highest of these levels not above k, whose entries are only the
# practices of that level, so intersecting frequent words and values costs a
# fraction of what it costs in the index of every practice.
SAMPLE_INDEX_LEVELS = (2, 4, 6, 8, 10, 12)
# What the catalogue's GIN indexes hold: every filter of the catalogue page.
CATALOGUE_INDEX_FIELDS = [
    "search_vector",
    *(dimension.column for dimension in FACETS),
    *OTHER_FILTER_COLUMNS,
    "sample_levels",
]
# The indexes of one practice type (below) need no type key: their condition is the type.
CATALOGUE_TYPE_INDEX_FIELDS = [field for field in CATALOGUE_INDEX_FIELDS if field != "type_codes"]


class SampleLevels(models.Func):
    """The sample levels a practice belongs to, from its id alone: level k when the low k
    bits of `hashint8(id)` are zero. Level k is a uniform sample of one row in 2**k, and
    every level holds the next one. PostgreSQL computes it (a stored generated column), so
    every write path — the admin, imports, COPY, raw SQL — fills it."""

    template = (
        "array_remove(ARRAY["
        + ", ".join(
            f"CASE WHEN hashint8(%(expressions)s) & {2**level - 1} = 0 THEN {level} END"
            for level in range(1, SAMPLE_LEVELS + 1)
        )
        + "], NULL)"
    )
    output_field = ArrayField(models.IntegerField())


class PracticeQuerySet(SignallingQuerySet):
    def published(self):
        return self.filter(status=PracticeStatus.PUBLISHED)


class Practice(PolishSortKeyMixin, models.Model):
    sort_key_source, sort_key_field = "title", "sort_title"

    title = models.CharField(_("tytuł"), max_length=300)
    # Editorial translations: the base column keeps the original (Polish) text; a blank
    # translation falls back to it, marked as Polish on the page (core.i18n.translated).
    title_en = models.CharField(_("tytuł (EN)"), max_length=300, blank=True, db_default="")
    title_uk = models.CharField(_("tytuł (UK)"), max_length=300, blank=True, db_default="")
    slug = models.SlugField(_("adres (slug)"), max_length=120, unique=True)
    # Polish alphabetical order with a plain code-point comparison: see core.text.
    sort_title = models.CharField(max_length=300, editable=False, db_collation="C")
    practice_type = models.ForeignKey(
        PracticeType,
        on_delete=models.PROTECT,
        related_name="practices",
        verbose_name=_("typ praktyki"),
    )
    topics = models.ManyToManyField(
        Topic, blank=True, related_name="practices", verbose_name=_("obszary tematyczne")
    )
    # Only where the source names a lead: an organisation that only took part (at
    # someone's invitation, in a programme it was asked to join) is a partnership.
    lead_organisation = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="led_practices",
        verbose_name=_("lider"),
        help_text=_(
            "Tylko jeśli źródło wskazuje lidera; pozostałe organizacje dodaj niżej z ich rolą."
        ),
    )
    partners = models.ManyToManyField(
        "organisations.Organisation",
        through="Partnership",
        related_name="partner_practices",
        blank=True,
        verbose_name=_("partnerzy"),
    )
    author = models.CharField(
        _("autor zgłoszenia"),
        max_length=200,
        blank=True,
        help_text=_("Osoba, która przedstawiła praktykę, jeśli źródło ją wymienia."),
    )
    summary = models.TextField(_("streszczenie"), blank=True)
    description = models.TextField(_("opis"), blank=True)
    problem = models.TextField(_("problem"), blank=True)
    actions = models.TextField(_("działania"), blank=True)
    results = models.TextField(_("rezultaty"), blank=True)
    summary_en = models.TextField(_("streszczenie (EN)"), blank=True, db_default="")
    summary_uk = models.TextField(_("streszczenie (UK)"), blank=True, db_default="")
    description_en = models.TextField(_("opis (EN)"), blank=True, db_default="")
    description_uk = models.TextField(_("opis (UK)"), blank=True, db_default="")
    problem_en = models.TextField(_("problem (EN)"), blank=True, db_default="")
    problem_uk = models.TextField(_("problem (UK)"), blank=True, db_default="")
    actions_en = models.TextField(_("działania (EN)"), blank=True, db_default="")
    actions_uk = models.TextField(_("działania (UK)"), blank=True, db_default="")
    results_en = models.TextField(_("rezultaty (EN)"), blank=True, db_default="")
    results_uk = models.TextField(_("rezultaty (UK)"), blank=True, db_default="")
    place = models.CharField(_("miejsce realizacji"), max_length=200, blank=True)

    # The period as precise as the source gives it: a year ("2014") is stored as
    # its first day when it starts and its last day when it ends.
    started_on = models.DateField(_("początek realizacji"), null=True, blank=True)
    started_precision = models.CharField(
        _("dokładność początku"),
        max_length=8,
        choices=DatePrecision.choices,
        default=DatePrecision.DAY,
    )
    ended_on = models.DateField(
        _("koniec realizacji"),
        null=True,
        blank=True,
        help_text=_("Puste dla działań bez terminu zakończenia (np. procedur)."),
    )
    ended_precision = models.CharField(
        _("dokładność końca"),
        max_length=8,
        choices=DatePrecision.choices,
        default=DatePrecision.DAY,
    )

    total_value = models.DecimalField(
        _("wartość całkowita"),
        max_digits=16,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    co_financing = models.DecimalField(
        _("dofinansowanie"),
        max_digits=16,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    total_value_approximate = models.BooleanField(
        _("wartość przybliżona"),
        default=False,
        db_default=False,
        help_text=_("Zaznacz, gdy źródło podaje wartość „około”."),
    )
    currency = models.CharField(_("waluta"), max_length=3, choices=Currency.choices, blank=True)
    money_note = models.CharField(_("uwagi do kwot"), max_length=300, blank=True)
    funding_sources = models.ManyToManyField(
        FundingSource, blank=True, related_name="practices", verbose_name=_("źródła finansowania")
    )

    status = models.CharField(
        _("status"), max_length=16, choices=PracticeStatus.choices, default=PracticeStatus.DRAFT
    )
    # The practice's public date (the feed's, the "newest" order's, the exports'): the
    # source's own date when it gives one (source_published_on), else the moment an
    # editor first published it. Re-imports and re-publishing never move it.
    published_at = models.DateTimeField(_("opublikowano"), null=True, blank=True)
    status_changed_at = models.DateTimeField(_("zmiana statusu"), null=True, blank=True)
    status_changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("status zmienił(a)"),
    )
    origin = models.CharField(
        _("pochodzenie"),
        max_length=16,
        choices=PracticeOrigin.choices,
        default=PracticeOrigin.ADMIN,
        editable=False,
    )
    # Who sent the practice in (the public form, an import); never shown publicly.
    contact_name = models.CharField(_("osoba kontaktowa"), max_length=200, blank=True)
    contact_email = models.EmailField(_("e-mail kontaktowy"), blank=True)
    contact_phone = models.CharField(_("telefon kontaktowy"), max_length=40, blank=True)
    source_name = models.CharField(
        _("źródło"), max_length=300, blank=True, help_text=_("Skąd pochodzi opis praktyki.")
    )
    source_published_on = models.DateField(
        _("data publikacji w źródle"),
        null=True,
        blank=True,
        help_text=_(
            "Jeśli źródło podaje, kiedy opublikowało opis, ta data jest datą publikacji "
            "praktyki w katalogu (w kanale Atom i w kolejności „najnowsze”)."
        ),
    )
    created_at = models.DateTimeField(_("utworzono"), auto_now_add=True)
    updated_at = models.DateTimeField(_("zmieniono"), auto_now=True)

    # Denormalised for the catalogue's filters and facet counts: one row holds
    # everything a filter looks at, so a page needs no join per filter. Written
    # only by the catalogue's index (catalogue/index/), after every write to
    # what it is made from; never edited by hand.
    search_vector = SearchVectorField(null=True, editable=False)
    countries = ArrayField(models.CharField(max_length=2), default=list, blank=True, editable=False)
    regions = ArrayField(models.CharField(max_length=120), default=list, blank=True, editable=False)
    organisation_ids = ArrayField(models.BigIntegerField(), default=list, editable=False)
    organisation_kinds = ArrayField(
        models.CharField(max_length=32), default=list, blank=True, editable=False
    )
    topic_ids = ArrayField(models.BigIntegerField(), default=list, editable=False)
    competition_ids = ArrayField(models.BigIntegerField(), default=list, editable=False)
    edition_ids = ArrayField(models.BigIntegerField(), default=list, editable=False)
    award_levels = ArrayField(
        models.CharField(max_length=16), default=list, blank=True, editable=False
    )
    # The type as an array, so that one GIN index holds every catalogue filter (below).
    type_codes = models.GeneratedField(
        expression=models.Func(
            F("practice_type"), template="ARRAY[%(expressions)s]::varchar(20)[]"
        ),
        output_field=ArrayField(models.CharField(max_length=20)),
        db_persist=True,
    )
    sample_levels = models.GeneratedField(
        expression=SampleLevels(F("id")),
        output_field=ArrayField(models.IntegerField()),
        db_persist=True,
    )

    objects = PracticeQuerySet.as_manager()
    history = HistoricalRecords(
        excluded_fields=[
            "search_vector",
            "countries",
            "regions",
            "organisation_ids",
            "organisation_kinds",
            "topic_ids",
            "competition_ids",
            "edition_ids",
            "award_levels",
            "type_codes",
            "sample_levels",
            "sort_title",
        ],
        m2m_fields=[topics, funding_sources],
        verbose_name=_("historia praktyki"),
    )

    class Meta:
        verbose_name = _("dobra praktyka")
        verbose_name_plural = _("dobre praktyki")
        ordering = ["-published_at", "-id"]
        permissions = [
            ("publish_practice", _("Może publikować, wycofywać i archiwizować praktyki")),
            ("import_practice", _("Może importować praktyki z arkusza")),
        ]
        indexes = [
            # Every filter of the catalogue in one index: PostgreSQL intersects the
            # search words, the facet values and a sample level inside a single index
            # scan, instead of building a bitmap per condition (a frequent word or
            # country would be hundreds of thousands of entries) and ANDing them.
            GinIndex(
                fields=CATALOGUE_INDEX_FIELDS,
                condition=Q(status=PracticeStatus.PUBLISHED),
                name="practice_catalogue_idx",
            ),
            *(
                GinIndex(
                    fields=CATALOGUE_INDEX_FIELDS,
                    condition=Q(status=PracticeStatus.PUBLISHED, sample_levels__contains=[level]),
                    name=f"practice_catalogue_l{level}_idx",
                )
                for level in SAMPLE_INDEX_LEVELS
            ),
            # One per practice type, for the pages filtered by one type: the filter's
            # `type_codes && {code}` is the index's own condition, so its keys hold a
            # seventh of the catalogue, and intersecting a frequent word, country and
            # topic reads a seventh of the entries practice_catalogue_idx would. A
            # sample at level 2 or 4 of one type reads it too (sample_levels is a key).
            *(
                GinIndex(
                    fields=CATALOGUE_TYPE_INDEX_FIELDS,
                    condition=Q(status=PracticeStatus.PUBLISHED, type_codes__overlap=[code]),
                    name=f"catalogue_{code}_idx",
                )
                for code in PracticeTypeCode.values
            ),
            # Outside the published catalogue: the admin's country filter, and the
            # entries of an organisation's practices (any status).
            GinIndex(fields=["countries"], name="practice_countries_idx"),
            GinIndex(fields=["organisation_ids"], name="practice_orgs_idx"),
            models.Index(fields=["status", "-published_at", "-id"], name="practice_newest_idx"),
            models.Index(fields=["status", "sort_title", "id"], name="practice_title_idx"),
            models.Index(fields=["practice_type", "status"], name="practice_type_idx"),
            models.Index(fields=["started_on"], name="practice_started_idx"),
            models.Index(fields=["ended_on"], name="practice_ended_idx"),
            models.Index(fields=["currency", "total_value"], name="practice_value_idx"),
            # The catalogue sorted by value (catalogue.selectors.SORTINGS): read in order.
            models.Index(
                F("total_value").desc(nulls_last=True),
                F("id").desc(),
                condition=Q(status=PracticeStatus.PUBLISHED),
                name="practice_value_sort_idx",
            ),
            models.Index(fields=["status", "origin", "-created_at"], name="practice_queue_idx"),
        ]
        constraints = [
            models.CheckConstraint(condition=~Q(title=""), name="practice_title_not_empty"),
            models.CheckConstraint(condition=~Q(slug=""), name="practice_slug_not_empty"),
            models.CheckConstraint(
                condition=Q(status__in=PracticeStatus.values), name="practice_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True)
                | Q(started_on__isnull=True)
                | Q(ended_on__gte=F("started_on")),
                name="practice_period_end_not_before_start",
                violation_error_message=_("Koniec realizacji nie może być przed jej początkiem."),
            ),
            models.CheckConstraint(
                condition=Q(total_value__isnull=True) | Q(total_value__gte=0),
                name="practice_total_value_not_negative",
                violation_error_message=_("Wartość nie może być ujemna."),
            ),
            models.CheckConstraint(
                condition=Q(co_financing__isnull=True) | Q(co_financing__gte=0),
                name="practice_co_financing_not_negative",
                violation_error_message=_("Dofinansowanie nie może być ujemne."),
            ),
            models.CheckConstraint(
                condition=Q(total_value__isnull=True)
                | Q(co_financing__isnull=True)
                | Q(co_financing__lte=F("total_value")),
                name="practice_co_financing_within_total",
                violation_error_message=_(
                    "Dofinansowanie nie może przekraczać wartości całkowitej."
                ),
            ),
            models.CheckConstraint(
                condition=(Q(total_value__isnull=True) & Q(co_financing__isnull=True))
                | ~Q(currency=""),
                name="practice_amount_has_currency",
                violation_error_message=_("Podaj walutę kwoty."),
            ),
            models.CheckConstraint(
                condition=Q(status=PracticeStatus.PUBLISHED, published_at__isnull=False)
                | ~Q(status=PracticeStatus.PUBLISHED),
                name="practice_published_has_date",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def save(self, *args, **kwargs):
        # Once published, the public date is the source's date whenever it gives one.
        if self.published_at is not None and self.source_published_on is not None:
            self.published_at = public_moment(self.source_published_on)
            update_fields = kwargs.get("update_fields")
            if update_fields is not None:
                kwargs["update_fields"] = {*update_fields, "published_at"}
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return slug_url("practices:practice-detail", self.slug)

    @property
    def is_published(self) -> bool:
        return self.status == PracticeStatus.PUBLISHED


class Partnership(models.Model):
    """A partner of a practice and its role (the lead organisation is not listed here)."""

    practice = models.ForeignKey(
        Practice, on_delete=models.CASCADE, related_name="partnerships", verbose_name=_("praktyka")
    )
    organisation = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.PROTECT,
        related_name="partnerships",
        verbose_name=_("organizacja"),
    )
    role = models.CharField(
        _("rola"), max_length=16, choices=PartnerRole.choices, default=PartnerRole.PARTNER
    )
    note = models.CharField(_("zakres udziału"), max_length=500, blank=True)
    order = models.PositiveSmallIntegerField(_("kolejność"), default=0)

    objects = SignallingQuerySet.as_manager()
    history = HistoricalRecords(verbose_name=_("historia partnerstwa"))

    class Meta:
        verbose_name = _("partner")
        verbose_name_plural = _("partnerzy")
        ordering = ["order", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["practice", "organisation"], name="partnership_unique_organisation"
            ),
            models.CheckConstraint(
                condition=Q(role__in=PartnerRole.values), name="partnership_role_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organisation} ({self.get_role_display()})"


class PracticeAmount(models.Model):
    """An amount the source gives that is neither the project's total value nor its
    co-financing (the value of goods delivered, a grant…): shown on the practice's
    page with what it measures, never in the value filter or on the cards."""

    practice = models.ForeignKey(
        Practice, on_delete=models.CASCADE, related_name="amounts", verbose_name=_("praktyka")
    )
    measure = models.CharField(_("co mierzy"), max_length=16, choices=AmountMeasure.choices)
    amount = models.DecimalField(
        _("kwota"), max_digits=16, decimal_places=2, validators=[MinValueValidator(0)]
    )
    currency = models.CharField(_("waluta"), max_length=3, choices=Currency.choices)
    approximate = models.BooleanField(_("przybliżona"), default=False)
    note = models.CharField(
        _("opis kwoty"),
        max_length=300,
        blank=True,
        help_text=_("Co obejmuje kwota, słowami źródła."),
    )
    order = models.PositiveSmallIntegerField(_("kolejność"), default=0)

    objects = SignallingQuerySet.as_manager()

    class Meta:
        verbose_name = _("inna kwota")
        verbose_name_plural = _("inne kwoty")
        ordering = ["order", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(measure__in=AmountMeasure.values), name="practice_amount_measure_valid"
            ),
            models.CheckConstraint(condition=Q(amount__gte=0), name="practice_amount_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.get_measure_display()}: {self.amount} {self.currency}"


class PracticeMilestone(models.Model):
    """A dated step of a practice that is not its period of realisation (the day an
    application was filed, an agreement signed): never in "Okres realizacji" or the
    year filter."""

    practice = models.ForeignKey(
        Practice, on_delete=models.CASCADE, related_name="milestones", verbose_name=_("praktyka")
    )
    kind = models.CharField(_("zdarzenie"), max_length=16, choices=MilestoneKind.choices)
    date = models.DateField(_("data"))
    precision = models.CharField(
        _("dokładność daty"),
        max_length=8,
        choices=DatePrecision.choices,
        default=DatePrecision.DAY,
    )
    note = models.CharField(_("opis"), max_length=300, blank=True)
    order = models.PositiveSmallIntegerField(_("kolejność"), default=0)

    objects = SignallingQuerySet.as_manager()

    class Meta:
        verbose_name = _("data zdarzenia")
        verbose_name_plural = _("daty zdarzeń")
        ordering = ["date", "order", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=MilestoneKind.values), name="practice_milestone_kind_valid"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.date}"


class PracticeLink(models.Model):
    practice = models.ForeignKey(
        Practice, on_delete=models.CASCADE, related_name="links", verbose_name=_("praktyka")
    )
    url = models.URLField(_("adres"), max_length=500)
    label = models.CharField(_("opis odnośnika"), max_length=200, blank=True)
    order = models.PositiveSmallIntegerField(_("kolejność"), default=0)

    class Meta:
        verbose_name = _("odnośnik")
        verbose_name_plural = _("odnośniki")
        ordering = ["order", "id"]

    def __str__(self) -> str:
        return self.label or self.url


class PracticeAttachment(models.Model):
    """A document or picture attached to a practice (checked by type and size on upload)."""

    practice = models.ForeignKey(
        Practice, on_delete=models.CASCADE, related_name="attachments", verbose_name=_("praktyka")
    )
    # 255: an entry's attachment keeps its path under zgloszenia-konkursowe/<key>/.
    file = models.FileField(_("plik"), upload_to="zalaczniki/%Y/%m/", max_length=255)
    title = models.CharField(_("opis"), max_length=200, blank=True)
    content_type = models.CharField(_("typ pliku"), max_length=100, editable=False)
    size = models.PositiveIntegerField(_("rozmiar (bajty)"), editable=False)
    uploaded_at = models.DateTimeField(_("dodano"), auto_now_add=True)

    class Meta:
        verbose_name = _("załącznik")
        verbose_name_plural = _("załączniki")
        ordering = ["uploaded_at", "id"]

    def __str__(self) -> str:
        return self.title or self.file.name


class PracticeStatusChange(models.Model):
    """One step of the moderation workflow: who moved a practice from what to what, and when."""

    practice = models.ForeignKey(
        Practice,
        on_delete=models.CASCADE,
        related_name="status_changes",
        verbose_name=_("praktyka"),
    )
    from_status = models.CharField(_("z"), max_length=16, choices=PracticeStatus.choices)
    to_status = models.CharField(_("na"), max_length=16, choices=PracticeStatus.choices)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("kto"),
    )
    changed_at = models.DateTimeField(_("kiedy"), auto_now_add=True)
    note = models.CharField(_("uwaga"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("zmiana statusu")
        verbose_name_plural = _("zmiany statusu")
        ordering = ["-changed_at", "-id"]

    def __str__(self) -> str:
        return f"{self.practice}: {self.from_status} → {self.to_status}"


class Submission(Practice):
    """The moderation queue: practices sent in by the public form or an import."""

    class Meta:
        proxy = True
        verbose_name = _("zgłoszenie do moderacji")
        verbose_name_plural = _("kolejka moderacji")


class FacetCount(models.Model):
    """How many published practices carry each facet value, for the unfiltered catalogue.

    Kept by PostgreSQL itself: statement triggers on practices_practice add and
    subtract each written row's values (migration 0005), so every write path —
    the admin, services, imports, raw SQL, COPY — keeps it exact, in the same
    transaction. The catalogue reads it instead of counting a million rows
    when a dimension's count has no other filter on it
    (`catalogue.counting.count_facets`). Rows whose count fell to 0 stay.
    """

    dimension = models.CharField(max_length=16)
    key = models.CharField(max_length=200)
    count = models.BigIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["dimension", "key"], name="facetcount_dimension_key")
        ]

    def __str__(self) -> str:
        return f"{self.dimension}={self.key}: {self.count}"


class FacetPairCount(models.Model):
    """How many published practices carry a facet value *given* another one.

    For every pair of values of two different dimensions a practice carries
    (country=PL with topic=3, type=it with country=PL…), the number of published
    practices that carry both. A page filtered on one value of one dimension
    (or on any types: a practice has one) takes every other dimension's counts
    from here instead of counting the practices it selects
    (`catalogue.counting.count_facets`). Kept by PostgreSQL like `FacetCount`,
    by statement triggers on practices_practice (migration 0007).
    """

    given_dimension = models.CharField(max_length=16)
    given_key = models.CharField(max_length=200)
    dimension = models.CharField(max_length=16)
    key = models.CharField(max_length=200)
    count = models.BigIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["given_dimension", "given_key", "dimension", "key"],
                name="facetpaircount_unique",
            )
        ]

    def __str__(self) -> str:
        return (
            f"{self.dimension}={self.key} | {self.given_dimension}={self.given_key}: {self.count}"
        )


class ImportUpload(models.Model):
    """A spreadsheet an editor sent for a dry run, kept until they confirm it.

    In the shared database, so the confirmation may reach any app instance; under a
    random key bound to the editor and their session, so the confirm form names
    no file and nobody else can confirm it; deleted on confirmation and, unconfirmed,
    after IMPORT_UPLOAD_HOURS (practices.import_uploads) since it may hold
    contact data.
    """

    key = models.CharField(_("klucz"), max_length=64, unique=True, editable=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("redaktor"),
    )
    session_hash = models.CharField(_("skrót sesji"), max_length=64, editable=False)
    name = models.CharField(_("nazwa pliku"), max_length=255)
    file_format = models.PositiveSmallIntegerField(_("format"))
    content = models.BinaryField(_("zawartość"))
    created_at = models.DateTimeField(_("wysłano"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("plik importu do potwierdzenia")
        verbose_name_plural = _("pliki importu do potwierdzenia")

    def __str__(self) -> str:
        return self.name
