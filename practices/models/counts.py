"""The facet counts PostgreSQL keeps for the unfiltered catalogue (and given one value)."""

from django.db import models


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
