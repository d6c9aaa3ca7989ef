from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.enums import SitePageSlug
from core.signals import post_bulk_create, post_update, pre_update
from core.text import polish_sort_key


class PolishSortKeyMixin(models.Model):
    """Keeps a sort-key column in Polish alphabetical order in step with a name column.

    PostgreSQL's collations (and the embedded server, which has no ICU) put "Ł"
    after "Z"; the key from `core.text.polish_sort_key` sorts right under
    collation "C". Subclasses name the two fields.
    """

    sort_key_source: str
    sort_key_field: str

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        setattr(self, self.sort_key_field, polish_sort_key(getattr(self, self.sort_key_source)))
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and self.sort_key_source in update_fields:
            kwargs["update_fields"] = {*update_fields, self.sort_key_field}
        super().save(*args, **kwargs)


class SignallingQuerySet(models.QuerySet):
    """A QuerySet whose bulk writes send `core.signals` (model signals skip them).

    `bulk_update()` goes through `update()`. With no receiver connected for the
    model, the writes cost what Django's do; with one, `update()` first reads the
    ids of the rows it is about to change.
    """

    def update(self, **kwargs):
        if not (pre_update.has_listeners(self.model) or post_update.has_listeners(self.model)):
            return super().update(**kwargs)
        pks = list(self.order_by().values_list("pk", flat=True))
        fields = frozenset(kwargs)
        pre_update.send(sender=self.model, pks=pks, fields=fields, using=self.db)
        count = super().update(**kwargs)
        post_update.send(sender=self.model, pks=pks, fields=fields, using=self.db)
        return count

    update.alters_data = True

    def bulk_create(self, objs, *args, **kwargs):
        created = super().bulk_create(objs, *args, **kwargs)
        pks = [obj.pk for obj in created if obj.pk is not None]
        post_bulk_create.send(sender=self.model, pks=pks, using=self.db)
        return created

    bulk_create.alters_data = True


class SitePage(models.Model):
    """A page a public body must publish (the accessibility statement, the privacy notice,
    the contact page), in Polish, English and Ukrainian, edited in the admin without a
    deploy.

    The body is the small Markdown subset of `core.markup` with the placeholders of
    `core.sitepages` (the operator's name, contacts, dates and the retention period
    come from settings, so the pages cannot contradict them). A page with no row, or
    an empty body in a language, shows the text shipped in `core/site_pages/`.
    """

    slug = models.CharField(_("strona"), max_length=32, choices=SitePageSlug.choices, unique=True)
    title_pl = models.CharField(_("tytuł"), max_length=200)
    title_en = models.CharField(_("tytuł (EN)"), max_length=200, blank=True)
    body_pl = models.TextField(_("treść"))
    body_en = models.TextField(_("treść (EN)"), blank=True)
    title_uk = models.CharField(_("tytuł (UK)"), max_length=200, blank=True)
    body_uk = models.TextField(_("treść (UK)"), blank=True)
    prepared_on = models.DateField(
        _("data sporządzenia"),
        help_text=_("Deklaracja dostępności: data sporządzenia deklaracji."),
    )
    reviewed_on = models.DateField(
        _("data ostatniego przeglądu"),
        null=True,
        blank=True,
        help_text=_("Deklaracja dostępności: data ostatniego przeglądu deklaracji."),
    )
    updated_at = models.DateTimeField(_("zmieniono"), auto_now=True)

    history = HistoricalRecords(verbose_name=_("historia strony"))

    class Meta:
        verbose_name = _("strona serwisu")
        verbose_name_plural = _("strony serwisu")
        ordering = ["slug"]
        constraints = [
            models.CheckConstraint(
                condition=Q(slug__in=SitePageSlug.values), name="sitepage_slug_valid"
            ),
            models.CheckConstraint(
                condition=Q(reviewed_on__isnull=True) | Q(reviewed_on__gte=F("prepared_on")),
                name="sitepage_reviewed_not_before_prepared",
                violation_error_message=_(
                    "Data przeglądu nie może być wcześniejsza niż data sporządzenia."
                ),
            ),
        ]

    def __str__(self) -> str:
        return self.get_slug_display()
