"""The facts a practice's catalogue row is made from, and the row: one pure function."""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field

from django.apps import apps
from django.utils.translation import override

from catalogue.index.sources import declared_columns
from competitions.enums import DECISIONS_PUBLIC_PHASES, EntryStatus
from core.text import document_text, english_document_text
from practices.enums import AwardLevel


@dataclass(frozen=True)
class OrganisationFacts:
    id: int
    name: str
    short_name: str
    kind: str
    country: str
    region: str
    locality: str


@dataclass(frozen=True)
class EntryFacts:
    competition_id: int
    edition_id: int
    edition_name: str
    category_name: str
    status: str
    is_winner: bool
    distinction: str
    #: The edition's decisions are announced (competitions.enums) and it is not a
    #: training edition: else the entry feeds nothing public, not even the edition
    #: filter (the same rule as `Entry.objects.public()`).
    announced: bool


@dataclass
class PracticeFacts:
    """Everything a practice's catalogue row is made from, as plain values.

    `organisations` starts with the lead, then the partners in their order;
    `topics` are (id, name, English name); entries exclude none (the row leaves
    out withdrawn ones itself).
    """

    id: int
    title: str
    summary: str
    description: str
    problem: str
    actions: str
    results: str
    place: str
    author: str
    type_name: str
    organisations: list[OrganisationFacts]
    topics: list[tuple[int, str, str]] = field(default_factory=list)
    funding_sources: list[str] = field(default_factory=list)
    entries: list[EntryFacts] = field(default_factory=list)
    #: English editorial translations (blank when there are none) and the type's
    #: English name: indexed as English stems (core.text.english_word_terms).
    title_en: str = ""
    summary_en: str = ""
    description_en: str = ""
    problem_en: str = ""
    actions_en: str = ""
    results_en: str = ""
    type_name_en: str = ""


@dataclass(frozen=True)
class IndexRow:
    """A practice's catalogue row: the four weighted parts of its search document
    (terms folded by core.text) and the arrays its filters overlap."""

    id: int
    doc_a: str
    doc_b: str
    doc_c: str
    doc_d: str
    countries: list[str]
    regions: list[str]
    organisation_ids: list[int]
    organisation_kinds: list[str]
    topic_ids: list[int]
    competition_ids: list[int]
    edition_ids: list[int]
    award_levels: list[str]
    #: The same four parts of the English translations, as English-stem terms: after
    #: the Polish ones in the vector (catalogue.sql.search_vector).
    doc_a_en: str = ""
    doc_b_en: str = ""
    doc_c_en: str = ""
    doc_d_en: str = ""


_country_name_memo: dict[str, tuple[str, str]] = {}


def country_names(codes: Iterable[str]) -> list[str]:
    """Country names in both interface languages, so "Ukraina" and "Ukraine" both find."""
    from django_countries import countries

    names: dict[str, list[str]] = {"pl": [], "en": []}
    for code in codes:
        if code not in _country_name_memo:
            pair = []
            for language in ("pl", "en"):
                with override(language):
                    pair.append(str(countries.name(code)))
            _country_name_memo[code] = (pair[0], pair[1])
        polish, english = _country_name_memo[code]
        names["pl"].append(polish)
        names["en"].append(english)
    return names["pl"] + names["en"]


def award_levels(entries: Iterable[EntryFacts]) -> list[str]:
    levels = set()
    for entry in entries:
        if entry.status in (EntryStatus.FINALIST, EntryStatus.LAUREATE):
            levels.add(AwardLevel.FINALIST)
        if entry.status == EntryStatus.LAUREATE:
            levels.add(AwardLevel.LAUREATE)
        if entry.is_winner:
            levels.add(AwardLevel.WINNER)
        if entry.distinction:
            levels.add(AwardLevel.DISTINCTION)
    return sorted(str(level) for level in levels)


def index_row(practice: PracticeFacts) -> IndexRow:
    """The catalogue row of one practice; the same for production and the benchmark.

    The document has four weighted parts: A the title; B the summary and who did
    it where; C the full text; D the vocabulary (type, topics, funding, awards).
    Ranking counts A above B above C above D (catalogue.search). The English
    translations make four more parts of English-stem terms, which only an English
    query looks for.
    """
    organisations = practice.organisations
    countries = sorted({o.country for o in organisations if o.country})
    regions = sorted({o.region for o in organisations if o.region})
    entries = [e for e in practice.entries if e.announced and e.status != EntryStatus.WITHDRAWN]
    places = [practice.place] + [o.locality for o in organisations] + regions
    who = [f"{o.name} {o.short_name}" for o in organisations]
    return IndexRow(
        id=practice.id,
        doc_a=document_text([practice.title]),
        doc_b=document_text([practice.summary, *who, *places, *country_names(countries)]),
        doc_c=document_text(
            [practice.description, practice.problem, practice.actions, practice.results]
        ),
        doc_d=document_text(
            [
                practice.type_name,
                practice.author,
                *(f"{name} {name_en}" for _id, name, name_en in practice.topics),
                *practice.funding_sources,
                *(f"{e.edition_name} {e.category_name} {e.distinction}" for e in entries),
            ]
        ),
        doc_a_en=english_document_text([practice.title_en]),
        doc_b_en=english_document_text([practice.summary_en]),
        doc_c_en=english_document_text(
            [practice.description_en, practice.problem_en, practice.actions_en, practice.results_en]
        ),
        doc_d_en=english_document_text(
            [practice.type_name_en, *(name_en for _id, _name, name_en in practice.topics)]
        ),
        countries=countries,
        regions=regions,
        organisation_ids=sorted({o.id for o in organisations}),
        organisation_kinds=sorted({o.kind for o in organisations}),
        topic_ids=sorted(topic_id for topic_id, _name, _name_en in practice.topics),
        competition_ids=sorted({e.competition_id for e in entries}),
        edition_ids=sorted({e.edition_id for e in entries}),
        award_levels=award_levels(entries),
    )


def practice_facts(practice_ids: Iterable[int], *, using: str = "default") -> list[PracticeFacts]:
    """The facts of these practices, read from the declared fields only (eight queries).

    Related rows come in a fixed order (partners by their order, everything else
    by id), so the same data always gives the same document. Read from `using`
    (the primary: a row built from a lagging copy would be wrong until the next write).
    """
    ids = list(practice_ids)
    if not ids:
        return []
    Practice = apps.get_model("practices", "Practice")
    PracticeType = apps.get_model("practices", "PracticeType")
    Topic = apps.get_model("practices", "Topic")
    FundingSource = apps.get_model("practices", "FundingSource")
    Partnership = apps.get_model("practices", "Partnership")
    Organisation = apps.get_model("organisations", "Organisation")
    Entry = apps.get_model("competitions", "Entry")
    Category = apps.get_model("competitions", "Category")
    Edition = apps.get_model("competitions", "Edition")

    practices = list(
        Practice.objects.using(using)
        .filter(pk__in=ids)
        .values("id", *declared_columns("practices.Practice"))
    )
    partners = defaultdict(list)
    for row in (
        Partnership.objects.using(using)
        .filter(practice_id__in=ids)
        .order_by("order", "id")
        .values(*declared_columns("practices.Partnership"))
    ):
        partners[row["practice_id"]].append(row["organisation_id"])
    organisation_ids = {
        p["lead_organisation_id"] for p in practices if p["lead_organisation_id"]
    } | {o for linked in partners.values() for o in linked}
    organisations = {
        row["id"]: OrganisationFacts(**row)
        for row in Organisation.objects.using(using)
        .filter(pk__in=organisation_ids)
        .values("id", *declared_columns("organisations.Organisation"))
    }
    type_rows = {
        row["code"]: row
        for row in PracticeType.objects.using(using).values(
            "code", *declared_columns("practices.PracticeType")
        )
    }

    topic_links = (
        Practice.topics.through.objects.using(using)
        .filter(practice_id__in=ids)
        .order_by("topic_id")
    )
    topics_of = defaultdict(list)
    topic_rows = {
        row["id"]: row
        for row in Topic.objects.using(using)
        .filter(pk__in=topic_links.values("topic_id"))
        .values("id", *declared_columns("practices.Topic"))
    }
    for practice_id, topic_id in topic_links.values_list("practice_id", "topic_id"):
        row = topic_rows[topic_id]
        topics_of[practice_id].append((topic_id, row["name"], row["name_en"]))

    source_links = (
        Practice.funding_sources.through.objects.using(using)
        .filter(practice_id__in=ids)
        .order_by("fundingsource_id")
    )
    source_names = dict(
        FundingSource.objects.using(using)
        .filter(pk__in=source_links.values("fundingsource_id"))
        .values_list("id", *declared_columns("practices.FundingSource"))
    )
    sources_of = defaultdict(list)
    for practice_id, source_id in source_links.values_list("practice_id", "fundingsource_id"):
        sources_of[practice_id].append(source_names[source_id])

    entries_of = defaultdict(list)
    entry_rows = list(
        Entry.objects.using(using)
        .filter(practice_id__in=ids)
        .order_by("id")
        .values(*declared_columns("competitions.Entry"))
    )
    categories = {
        row["id"]: row
        for row in Category.objects.using(using)
        .filter(pk__in={row["category_id"] for row in entry_rows})
        .values("id", *declared_columns("competitions.Category"))
    }
    editions = {
        row["id"]: row
        for row in Edition.objects.using(using)
        .filter(pk__in={row["edition_id"] for row in categories.values()})
        .values("id", *declared_columns("competitions.Edition"))
    }
    for row in entry_rows:
        category = categories[row["category_id"]]
        edition = editions[category["edition_id"]]
        entries_of[row["practice_id"]].append(
            EntryFacts(
                competition_id=edition["competition_id"],
                edition_id=edition["id"],
                edition_name=edition["name"],
                category_name=category["name"],
                status=row["status"],
                is_winner=row["is_winner"],
                distinction=row["distinction"],
                announced=edition["phase"] in DECISIONS_PUBLIC_PHASES
                and not edition["is_training"],
            )
        )

    facts = []
    for row in practices:
        # The lead only where the source names one (Practice.lead_organisation).
        lead = [organisations[row["lead_organisation_id"]]] if row["lead_organisation_id"] else []
        facts.append(
            PracticeFacts(
                id=row["id"],
                title=row["title"],
                summary=row["summary"],
                description=row["description"],
                problem=row["problem"],
                actions=row["actions"],
                results=row["results"],
                place=row["place"],
                author=row["author"],
                type_name=type_rows.get(row["practice_type_id"], {}).get("name", ""),
                type_name_en=type_rows.get(row["practice_type_id"], {}).get("name_en", ""),
                title_en=row["title_en"],
                summary_en=row["summary_en"],
                description_en=row["description_en"],
                problem_en=row["problem_en"],
                actions_en=row["actions_en"],
                results_en=row["results_en"],
                organisations=[*lead, *(organisations[o] for o in partners[row["id"]])],
                topics=topics_of[row["id"]],
                funding_sources=sources_of[row["id"]],
                entries=entries_of[row["id"]],
            )
        )
    return facts


def index_rows(practice_ids: Iterable[int], *, using: str = "default") -> list[IndexRow]:
    return [index_row(facts) for facts in practice_facts(practice_ids, using=using)]


def rows_json(rows: list[IndexRow]) -> str:
    return json.dumps([asdict(row) for row in rows])
