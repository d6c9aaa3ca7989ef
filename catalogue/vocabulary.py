"""The small tables the catalogue's filters name by slug, read once per catalogue version."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

from django.db.models import OuterRef, Subquery

from competitions.models import Competition, Edition
from core.pagecache import catalogue_version
from core.text import polish_sort_key
from organisations.selectors import region_countries
from practices.models import FacetCount, PracticeType, Topic


@dataclass
class CatalogueVocabulary:
    """Topics, types and editions (with their competitions): the filters' choices."""

    topics: list[Topic]
    practice_types: list[PracticeType]
    editions: list[Edition]

    @cached_property
    def published_total(self) -> int:
        """How many practices are published (each type's kept count, read with the types)."""
        return sum(getattr(t, "published_count", 0) or 0 for t in self.practice_types)

    @cached_property
    def competitions(self) -> list[Competition]:
        unique = {edition.competition_id: edition.competition for edition in self.editions}
        return sorted(unique.values(), key=lambda c: polish_sort_key(c.name))

    @cached_property
    def region_countries(self) -> dict[str, str]:
        """The country of every region a published organisation names (for grouping)."""
        return region_countries()

    def items(self, kind: str) -> list:
        return {
            "topic": self.topics,
            "competition": self.competitions,
            "edition": self.editions,
        }[kind]

    def ids(self, kind: str) -> dict[str, int]:
        return {item.slug: item.pk for item in self.items(kind)}

    def by_id(self, kind: str) -> dict:
        return {item.pk: item for item in self.items(kind)}

    def slugs(self, kind: str) -> frozenset[str]:
        """The slugs a filter of `kind` accepts (kept with the vocabulary)."""
        found = self.__dict__.setdefault("_slugs", {})
        if kind not in found:
            found[kind] = frozenset(item.slug for item in self.items(kind))
        return found[kind]


_vocabulary_memo: dict[str, tuple[int, CatalogueVocabulary]] = {}


def catalogue_vocabulary() -> CatalogueVocabulary:
    """Topics, types and editions; kept in this process until the catalogue changes
    (read afresh while the shared cache is unavailable: no version tells a change)."""
    version = catalogue_version()
    remembered = _vocabulary_memo.get("current")
    if version is not None and remembered and remembered[0] == version:
        return remembered[1]
    vocabulary = _load_vocabulary()
    if version is not None:
        _vocabulary_memo["current"] = (version, vocabulary)
    return vocabulary


def _load_vocabulary() -> CatalogueVocabulary:
    return CatalogueVocabulary(
        topics=list(Topic.objects.order_by("order", "name")),
        practice_types=list(
            PracticeType.objects.annotate(
                published_count=Subquery(
                    FacetCount.objects.filter(dimension="type", key=OuterRef("code")).values(
                        "count"
                    )[:1]
                )
            ).order_by("order")
        ),
        editions=list(
            # A training edition is never a filter's choice (it awards nothing real).
            Edition.objects.filter(is_training=False)
            .select_related("competition")
            .order_by("competition__name", "-year")
        ),
    )
