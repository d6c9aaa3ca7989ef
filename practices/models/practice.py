"""The practice, its sample levels and the catalogue's indexes on it, and the moderation
queue that lists practices sent in."""

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
    Currency,
    PracticeOrigin,
    PracticeStatus,
    PracticeTypeCode,
)
from practices.models.vocabularies import FundingSource, PracticeType, Topic

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
            # topic reads a seventh of the entries practice_catalogue_idx would.
            *(
                GinIndex(
                    fields=CATALOGUE_TYPE_INDEX_FIELDS,
                    condition=Q(status=PracticeStatus.PUBLISHED, type_codes__overlap=[code]),
                    name=f"catalogue_{code}_idx",
                )
                for code in PracticeTypeCode.values
            ),
            # And one per type of sample level 2, which a sample at level 2 or 3 of one
            # type reads (from level 4 on, the level's own index is smaller still): in
            # the type's index, its level was one key among the others, and its
            # frequent ones (a country, a kind) were read whole. At a million practices
            # a page's scan of one type at level 2 took 2 to 3.6 ms in the type's index
            # and 0.35 to 1.2 ms here (bench/README.md, the eighth run).
            *(
                GinIndex(
                    fields=CATALOGUE_TYPE_INDEX_FIELDS,
                    condition=Q(
                        status=PracticeStatus.PUBLISHED,
                        type_codes__overlap=[code],
                        sample_levels__contains=[SAMPLE_INDEX_LEVELS[0]],
                    ),
                    name=f"type_{code}_l{SAMPLE_INDEX_LEVELS[0]}_idx",  # 30 characters at most
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


class Submission(Practice):
    """The moderation queue: practices sent in by the public form or an import."""

    class Meta:
        proxy = True
        verbose_name = _("zgłoszenie do moderacji")
        verbose_name_plural = _("kolejka moderacji")
