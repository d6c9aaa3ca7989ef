from django.db import models
from django.db.models.functions import Now


class StalePractice(models.Model):
    """A practice whose catalogue row must be rebuilt (catalogue/index/).

    Written in the same transaction as the change that made the row stale, and
    deleted by the flush that rebuilds it: a committed change is never
    forgotten, even if the process dies before the flush. Not a foreign key, so
    a practice deleted meanwhile leaves nothing to rebuild and blocks nothing.
    """

    practice_id = models.BigIntegerField(primary_key=True)
    marked_at = models.DateTimeField(db_default=Now())

    class Meta:
        verbose_name = "stale catalogue row"

    def __str__(self) -> str:
        return f"practice {self.practice_id}"
