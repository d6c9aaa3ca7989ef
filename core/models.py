from django.db import models

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
