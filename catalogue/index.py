"""The catalogue's index: one denormalised row per practice, kept true by construction.

Search and filters read the practice row alone: its search vector and the
arrays the filters overlap (countries, regions, organisations and their kinds,
topics, competitions, editions, award levels). Those columns are made from
other rows (the lead organisation and partners, topics, funding sources,
entries in competitions), and they are written here only.

How it stays true:

* `SOURCES` declares, once, every model and field the row is made from and how
  to get from a changed row to the practices it feeds. The loader
  (`practice_facts`) reads exactly those fields and nothing else, so the row
  cannot depend on something the declaration leaves out.
* Receivers (`connect_receivers`, called by the app's `ready()`) watch every
  write to those models: `post_save`/`pre_delete`, `m2m_changed` for topics
  and funding sources, and `core.signals` for `QuerySet.update()` and
  `bulk_create()`. A write that changes a declared field marks the practices it
  reaches as stale, in a table (`catalogue.StalePractice`) and in the writing
  transaction, so a rolled-back write marks nothing and a committed one is
  never forgotten.
* After the commit, `index_flush()` takes the stale practices and rebuilds
  their rows from the committed data. A failed flush leaves them marked; the
  next write's flush, or `manage.py check_catalogue_index --fix`, picks them up.

The row itself is a pure function of plain facts (`index_row`), so the
benchmark's generator builds its million rows with the same code.
"""

from __future__ import annotations

import json
import logging
import threading
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass, field

from django.apps import apps
from django.db import connections, transaction
from django.db.models.signals import m2m_changed, post_save, pre_delete, pre_save
from django.utils.translation import override

from catalogue import sql
from competitions.enums import EntryStatus
from core.pagecache import catalogue_changed
from core.signals import post_bulk_create, post_update, pre_update
from core.text import document_text
from practices.enums import AwardLevel

logger = logging.getLogger(__name__)

# --- what the row is made from ----------------------------------------------------


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
            "place",
            "author",
            "practice_type",
            "lead_organisation",
        ),
        to_practices=("pk",),
        m2m=("topics", "funding_sources"),
    ),
    Source("practices.PracticeType", fields=("name",), to_practices=("practices",)),
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
        fields=("name", "competition"),
        to_practices=("categories__entries__practice",),
    ),
)
SOURCES_BY_MODEL: dict[str, Source] = {source.model: source for source in SOURCES}


def _fields(label: str) -> list[str]:
    """The declared fields of a source as columns (foreign keys by their `_id`)."""
    model = apps.get_model(label)
    return [model._meta.get_field(name).attname for name in SOURCES_BY_MODEL[label].fields]


# --- the facts a row is built from, and the row -------------------------------------


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
    Ranking counts A above B above C above D (catalogue.search).
    """
    organisations = practice.organisations
    countries = sorted({o.country for o in organisations if o.country})
    regions = sorted({o.region for o in organisations if o.region})
    entries = [e for e in practice.entries if e.status != EntryStatus.WITHDRAWN]
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
        countries=countries,
        regions=regions,
        organisation_ids=sorted({o.id for o in organisations}),
        organisation_kinds=sorted({o.kind for o in organisations}),
        topic_ids=sorted(topic_id for topic_id, _name, _name_en in practice.topics),
        competition_ids=sorted({e.competition_id for e in entries}),
        edition_ids=sorted({e.edition_id for e in entries}),
        award_levels=award_levels(entries),
    )


def practice_facts(practice_ids: Iterable[int]) -> list[PracticeFacts]:
    """The facts of these practices, read from the declared fields only (seven queries).

    Related rows come in a fixed order (partners by their order, everything else
    by id), so the same data always gives the same document.
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
        Practice.objects.filter(pk__in=ids).values("id", *_fields("practices.Practice"))
    )
    partners = defaultdict(list)
    for row in (
        Partnership.objects.filter(practice_id__in=ids)
        .order_by("order", "id")
        .values(*_fields("practices.Partnership"))
    ):
        partners[row["practice_id"]].append(row["organisation_id"])
    organisation_ids = {p["lead_organisation_id"] for p in practices} | {
        o for linked in partners.values() for o in linked
    }
    organisations = {
        row["id"]: OrganisationFacts(**row)
        for row in Organisation.objects.filter(pk__in=organisation_ids).values(
            "id", *_fields("organisations.Organisation")
        )
    }
    type_names = {
        row["code"]: row["name"]
        for row in PracticeType.objects.values("code", *_fields("practices.PracticeType"))
    }

    topic_links = Practice.topics.through.objects.filter(practice_id__in=ids).order_by("topic_id")
    topics_of = defaultdict(list)
    topic_rows = {
        row["id"]: row
        for row in Topic.objects.filter(pk__in=topic_links.values("topic_id")).values(
            "id", *_fields("practices.Topic")
        )
    }
    for practice_id, topic_id in topic_links.values_list("practice_id", "topic_id"):
        row = topic_rows[topic_id]
        topics_of[practice_id].append((topic_id, row["name"], row["name_en"]))

    source_links = Practice.funding_sources.through.objects.filter(practice_id__in=ids).order_by(
        "fundingsource_id"
    )
    source_names = dict(
        FundingSource.objects.filter(pk__in=source_links.values("fundingsource_id")).values_list(
            "id", *_fields("practices.FundingSource")
        )
    )
    sources_of = defaultdict(list)
    for practice_id, source_id in source_links.values_list("practice_id", "fundingsource_id"):
        sources_of[practice_id].append(source_names[source_id])

    entries_of = defaultdict(list)
    entry_rows = list(
        Entry.objects.filter(practice_id__in=ids)
        .order_by("id")
        .values(*_fields("competitions.Entry"))
    )
    categories = {
        row["id"]: row
        for row in Category.objects.filter(
            pk__in={row["category_id"] for row in entry_rows}
        ).values("id", *_fields("competitions.Category"))
    }
    editions = {
        row["id"]: row
        for row in Edition.objects.filter(
            pk__in={row["edition_id"] for row in categories.values()}
        ).values("id", *_fields("competitions.Edition"))
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
            )
        )

    facts = []
    for row in practices:
        lead = organisations[row["lead_organisation_id"]]
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
                type_name=type_names.get(row["practice_type_id"], ""),
                organisations=[lead, *(organisations[o] for o in partners[row["id"]])],
                topics=topics_of[row["id"]],
                funding_sources=sources_of[row["id"]],
                entries=entries_of[row["id"]],
            )
        )
    return facts


def index_rows(practice_ids: Iterable[int]) -> list[IndexRow]:
    return [index_row(facts) for facts in practice_facts(practice_ids)]


def _rows_json(rows: list[IndexRow]) -> str:
    return json.dumps([asdict(row) for row in rows])


# --- writing the rows -------------------------------------------------------------


def index_refresh(*, practice_ids: Iterable[int], using: str = "default") -> int:
    """Rebuild the catalogue rows of these practices from the data as it is now.

    Writes only the rows that differ; returns how many did. Call it inside a
    transaction that has claimed the practices (index_flush does), or from a
    command; application code marks practices stale instead (see the module doc).
    """
    rows = index_rows(practice_ids)
    if not rows:
        return 0
    with connections[using].cursor() as cursor:
        cursor.execute(sql.INDEX_UPDATE, [_rows_json(rows)])
        changed = cursor.rowcount
    if changed:
        # A raw UPDATE sends no signal: the public pages go stale ourselves.
        transaction.on_commit(catalogue_changed, using=using)
    return changed


@dataclass(frozen=True)
class Drift:
    practice_id: int
    columns: tuple[str, ...]


def index_drift(*, practice_ids: Iterable[int] | None = None, batch: int = 1000) -> Iterator[Drift]:
    """Practices whose stored row differs from a fresh build, and in which columns."""
    Practice = apps.get_model("practices", "Practice")
    ids = (
        list(practice_ids)
        if practice_ids is not None
        else list(Practice.objects.order_by("id").values_list("id", flat=True))
    )
    for start in range(0, len(ids), batch):
        rows = index_rows(ids[start : start + batch])
        if not rows:
            continue
        with connections["default"].cursor() as cursor:
            cursor.execute(sql.INDEX_DRIFT, [_rows_json(rows)])
            for practice_id, columns in cursor.fetchall():
                yield Drift(practice_id, tuple(columns))


# --- marking practices stale, and the flush after commit -------------------------------

FLUSH_BATCH = 500
_flushing = threading.local()
# How many flushes this thread has started, per database (connections are per thread).
_flushes_started = threading.local()


def mark_stale(practice_ids: Iterable[int | None], *, using: str = "default") -> None:
    """Mark practices whose catalogue rows must be rebuilt once this transaction commits."""
    ids = sorted({int(pk) for pk in practice_ids if pk is not None})
    if not ids:
        return
    with connections[using].cursor() as cursor:
        cursor.execute(sql.STALE_MARK, [ids])
    seen = _flush_count(using)

    def flush_after_commit() -> None:
        _flush_unless_done(using, seen)

    transaction.on_commit(flush_after_commit, using=using, robust=True)


def _flush_count(using: str) -> int:
    return getattr(_flushes_started, using, 0)


def _flush_unless_done(using: str, seen: int) -> None:
    """The flush a mark asked for, unless one has started since the mark (it took the
    mark then: a flush takes every practice marked; a mark made after it asked again)."""
    if _flush_count(using) == seen:
        index_flush(using=using)


def index_flush(*, using: str = "default") -> int:
    """Rebuild the rows of every practice marked stale; returns how many were rebuilt.

    Each batch is claimed (FOR UPDATE SKIP LOCKED), rebuilt and unmarked in one
    transaction: two processes flushing at once share the work, and a batch
    whose rebuild fails stays marked. The rebuild reads the data as committed
    after the claim, so a later write to the same practice, which must wait for
    the claim to mark it again, is always rebuilt after it.
    """
    if getattr(_flushing, using, False):
        return 0  # a flush's own commit does not start another
    setattr(_flushing, using, True)
    setattr(_flushes_started, using, _flush_count(using) + 1)
    rebuilt = 0
    try:
        while True:
            with transaction.atomic(using=using), connections[using].cursor() as cursor:
                cursor.execute(sql.STALE_CLAIM, [FLUSH_BATCH])
                ids = [row[0] for row in cursor.fetchall()]
                if not ids:
                    return rebuilt
                index_refresh(practice_ids=ids, using=using)
                rebuilt += len(ids)
    finally:
        setattr(_flushing, using, False)


def stale_count() -> int:
    with connections["default"].cursor() as cursor:
        cursor.execute(sql.STALE_COUNT)
        return cursor.fetchone()[0]


# --- the receivers ------------------------------------------------------------------


def _affected(model, source: Source, pks: list, *, using: str) -> set[int]:
    """Practice ids the rows `pks` of `model` reach, as the database has them now."""
    if not pks:
        return set()
    found: set[int] = set()
    for path in source.to_practices:
        if path == "pk":
            found.update(pks)
            continue
        rows = model._base_manager.using(using).filter(pk__in=pks).values_list(path, flat=True)
        found.update(pk for pk in rows if pk is not None)
    return found


def _declared_values(instance, source: Source) -> dict:
    meta = instance._meta
    return {name: getattr(instance, meta.get_field(name).attname) for name in source.fields}


def _on_pre_save(sender, instance, raw=False, update_fields=None, using="default", **kwargs):
    source = SOURCES_BY_MODEL[sender._meta.label]
    instance._catalogue_before = None
    if raw or instance._state.adding or instance.pk is None:
        return
    if update_fields is not None and not set(update_fields) & set(source.fields):
        return
    columns = [sender._meta.get_field(name).attname for name in source.fields]
    stored = sender._base_manager.using(using).filter(pk=instance.pk).values(*columns).first()
    if stored is None:
        return
    before = {name: stored[sender._meta.get_field(name).attname] for name in source.fields}
    if before != _declared_values(instance, source):
        # What the row reached before the write (a partner moved to another practice
        # leaves the first one stale too).
        instance._catalogue_before = _affected(sender, source, [instance.pk], using=using)


def _on_post_save(sender, instance, created, raw=False, using="default", **kwargs):
    source = SOURCES_BY_MODEL[sender._meta.label]
    before = getattr(instance, "_catalogue_before", None)
    instance._catalogue_before = None
    if raw or not (created or before is not None):
        return
    mark_stale(
        (before or set()) | _affected(sender, source, [instance.pk], using=using), using=using
    )


def _on_pre_delete(sender, instance, using="default", **kwargs):
    source = SOURCES_BY_MODEL[sender._meta.label]
    mark_stale(_affected(sender, source, [instance.pk], using=using), using=using)


def _on_pre_update(sender, pks, fields, using="default", **kwargs):
    source = SOURCES_BY_MODEL[sender._meta.label]
    if set(fields) & {*source.fields, *_attnames(sender, source)}:
        mark_stale(_affected(sender, source, pks, using=using), using=using)


def _on_post_update(sender, pks, fields, using="default", **kwargs):
    _on_pre_update(sender, pks, fields, using=using)


def _on_post_bulk_create(sender, pks, using="default", **kwargs):
    source = SOURCES_BY_MODEL[sender._meta.label]
    mark_stale(_affected(sender, source, pks, using=using), using=using)


def _attnames(model, source: Source) -> list[str]:
    return [model._meta.get_field(name).attname for name in source.fields]


def _on_m2m_changed(sender, instance, action, reverse, model, pk_set, using="default", **kwargs):
    if action not in ("post_add", "post_remove", "post_clear", "pre_clear"):
        return
    if not reverse:
        if action != "pre_clear":
            mark_stale([instance.pk], using=using)
        return
    # From the other side (topic.practices.add(…)): the practices are the pks.
    if action == "pre_clear":
        link = sender._meta
        to_practice = next(
            f.attname for f in link.fields if f.related_model is model and f.is_relation
        )
        from_other = next(
            f.attname
            for f in link.fields
            if f.is_relation and f.related_model is type(instance) and f.attname != to_practice
        )
        mark_stale(
            sender._base_manager.using(using)
            .filter(**{from_other: instance.pk})
            .values_list(to_practice, flat=True),
            using=using,
        )
    elif action != "post_clear":
        mark_stale(pk_set or (), using=using)


def connect_receivers() -> None:
    """Watch every write to what the rows are made from (called once, by the app's ready())."""
    for source in SOURCES:
        model = apps.get_model(source.model)
        uid = f"catalogue.index:{source.model}"
        pre_save.connect(_on_pre_save, sender=model, dispatch_uid=uid)
        post_save.connect(_on_post_save, sender=model, dispatch_uid=uid)
        pre_delete.connect(_on_pre_delete, sender=model, dispatch_uid=uid)
        pre_update.connect(_on_pre_update, sender=model, dispatch_uid=uid)
        post_update.connect(_on_post_update, sender=model, dispatch_uid=uid)
        post_bulk_create.connect(_on_post_bulk_create, sender=model, dispatch_uid=uid)
        for name in source.m2m:
            through = model._meta.get_field(name).remote_field.through
            m2m_changed.connect(_on_m2m_changed, sender=through, dispatch_uid=f"{uid}.{name}")
