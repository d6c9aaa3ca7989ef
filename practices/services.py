"""Writes to practices. Views, admin actions, commands and imports all come here."""

from __future__ import annotations

import json
from collections.abc import Iterable

from django.db import connection, transaction
from django.utils.translation import override

from competitions.enums import EntryStatus
from core.text import document_text
from practices.enums import AwardLevel
from practices.models import Practice
from practices.selectors import practice_index_prefetches

# The search document has four weighted parts: A the title; B the summary and
# who did it where; C the full text; D the vocabulary (type, topics, funding,
# awards). Ranking counts A above B above C above D.
_UPDATE_INDEX_SQL = """
    UPDATE practices_practice AS p SET
        search_vector =
            setweight(to_tsvector('simple', v.doc_a), 'A')
            || setweight(to_tsvector('simple', v.doc_b), 'B')
            || setweight(to_tsvector('simple', v.doc_c), 'C')
            || setweight(to_tsvector('simple', v.doc_d), 'D'),
        countries = v.countries,
        regions = v.regions,
        organisation_ids = v.organisation_ids,
        organisation_kinds = v.organisation_kinds,
        topic_ids = v.topic_ids,
        competition_ids = v.competition_ids,
        edition_ids = v.edition_ids,
        award_levels = v.award_levels
    FROM jsonb_to_recordset(%s::jsonb) AS v(
        id bigint, doc_a text, doc_b text, doc_c text, doc_d text,
        countries varchar(2)[], regions varchar(120)[], organisation_ids bigint[],
        organisation_kinds varchar(32)[], topic_ids bigint[], competition_ids bigint[],
        edition_ids bigint[], award_levels varchar(16)[]
    )
    WHERE p.id = v.id
"""


def _country_names(codes: Iterable[str]) -> list[str]:
    """Country names in both interface languages, so "Ukraina" and "Ukraine" both find."""
    from django_countries import countries

    names = []
    for language in ("pl", "en"):
        with override(language):
            names.extend(str(countries.name(code)) for code in codes)
    return names


def practice_index_values(practice: Practice) -> dict:
    """Everything the catalogue's search and filters read from one practice row.

    `practice` must come with `practice_index_prefetches()` applied, or this
    runs a query per relation.
    """
    organisations = [practice.lead_organisation] + [
        partnership.organisation for partnership in practice.partnerships.all()
    ]
    countries = sorted({str(o.country) for o in organisations if o.country})
    regions = sorted({o.region for o in organisations if o.region})
    topics = list(practice.topics.all())
    entries = [e for e in practice.entries.all() if e.status != EntryStatus.WITHDRAWN]

    award_levels = set()
    for entry in entries:
        if entry.status in (EntryStatus.FINALIST, EntryStatus.LAUREATE):
            award_levels.add(AwardLevel.FINALIST)
        if entry.status == EntryStatus.LAUREATE:
            award_levels.add(AwardLevel.LAUREATE)
        if entry.is_winner:
            award_levels.add(AwardLevel.WINNER)
        if entry.distinction:
            award_levels.add(AwardLevel.DISTINCTION)

    places = [practice.place] + [o.locality for o in organisations] + regions
    who = [f"{o.name} {o.short_name}" for o in organisations]
    return {
        "id": practice.pk,
        "doc_a": document_text([practice.title]),
        "doc_b": document_text([practice.summary, *who, *places, *_country_names(countries)]),
        "doc_c": document_text(
            [practice.description, practice.problem, practice.actions, practice.results]
        ),
        "doc_d": document_text(
            [
                practice.practice_type.name,
                practice.author,
                *(f"{t.name} {t.name_en}" for t in topics),
                *(source.name for source in practice.funding_sources.all()),
                *(f"{e.category.edition.name} {e.category.name} {e.distinction}" for e in entries),
            ]
        ),
        "countries": countries,
        "regions": regions,
        "organisation_ids": sorted({o.pk for o in organisations}),
        "organisation_kinds": sorted({o.kind for o in organisations}),
        "topic_ids": sorted(t.pk for t in topics),
        "competition_ids": sorted({e.category.edition.competition_id for e in entries}),
        "edition_ids": sorted({e.category.edition_id for e in entries}),
        "award_levels": sorted(award_levels),
    }


@transaction.atomic
def practice_refresh_index(*, practice_ids: Iterable[int]) -> int:
    """Recompute the search vector and the filter columns of these practices.

    Call it after anything a practice's index reads has changed: the practice,
    its partners, topics, funding, organisations' names or places, its entries.
    Returns the number of practices updated.
    """
    ids = list(practice_ids)
    if not ids:
        return 0
    practices = practice_index_prefetches(Practice.objects.filter(pk__in=ids))
    rows = [practice_index_values(practice) for practice in practices]
    if not rows:
        return 0
    with connection.cursor() as cursor:
        cursor.execute(_UPDATE_INDEX_SQL, [json.dumps(rows)])
    return len(rows)
