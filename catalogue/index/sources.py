"""What the catalogue row is made from: every model and field it reads, declared once."""

from __future__ import annotations

from dataclasses import dataclass

from django.apps import apps


@dataclass(frozen=True)
class Source:
    """A model the catalogue row reads: which of its fields, and the practices it feeds.

    `to_practices` are lookups from this model to practice ids: "pk" (the
    practice itself), a foreign key of the model ("practice"), or a path across
    relations ("partnerships__practice"). `m2m` names the practice's
    many-to-many fields the row reads (for the practice itself).
    """

    model: str
    fields: tuple[str, ...]
    to_practices: tuple[str, ...]
    m2m: tuple[str, ...] = ()


SOURCES: tuple[Source, ...] = (
    Source(
        "practices.Practice",
        fields=(
            "title",
            "summary",
            "description",
            "problem",
            "actions",
            "results",
            # English editorial translations: English-stem terms of the same document.
            "title_en",
            "summary_en",
            "description_en",
            "problem_en",
            "actions_en",
            "results_en",
            "place",
            "author",
            "practice_type",
            "lead_organisation",
        ),
        to_practices=("pk",),
        m2m=("topics", "funding_sources"),
    ),
    Source("practices.PracticeType", fields=("name", "name_en"), to_practices=("practices",)),
    Source("practices.Topic", fields=("name", "name_en"), to_practices=("practices",)),
    Source("practices.FundingSource", fields=("name",), to_practices=("practices",)),
    Source(
        "practices.Partnership",
        fields=("practice", "organisation", "order"),
        to_practices=("practice",),
    ),
    Source(
        "organisations.Organisation",
        fields=("name", "short_name", "kind", "country", "region", "locality"),
        to_practices=("led_practices", "partnerships__practice"),
    ),
    Source(
        "competitions.Entry",
        fields=("practice", "category", "status", "is_winner", "distinction"),
        to_practices=("practice",),
    ),
    Source(
        "competitions.Category", fields=("name", "edition"), to_practices=("entries__practice",)
    ),
    Source(
        "competitions.Edition",
        fields=("name", "competition", "phase", "is_training"),
        to_practices=("categories__entries__practice",),
    ),
)
SOURCES_BY_MODEL: dict[str, Source] = {source.model: source for source in SOURCES}


def declared_columns(label: str) -> list[str]:
    """The declared fields of a source as columns (foreign keys by their `_id`): all
    the row's builder may read of that model."""
    model = apps.get_model(label)
    return [model._meta.get_field(name).attname for name in SOURCES_BY_MODEL[label].fields]
