from django.db import models

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
