"""Read the catalogue's fixtures (fixtures/catalogue/*.toml) and load them idempotently.

The fixtures carry the real content of the five seed documents. They are TOML
rather than Django's JSON dumps so that long Polish texts stay readable and
reviewable, and objects refer to each other by slug rather than by primary key.

Loading is an upsert by natural key (slug, or slug within a parent): running it
again changes nothing and duplicates nothing. Lists a fixture owns (a practice's
partners, topics, links) are set to exactly what the fixture says. Objects the
fixtures do not mention are left alone.
"""

from __future__ import annotations

import datetime
import tomllib
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.utils import timezone

from competitions.enums import EditionPhase
from competitions.models import (
    Category,
    Competition,
    Edition,
    EditionOrganiser,
    Entry,
)
from core.dates import parse_partial_date, public_moment
from core.i18n import translation_fields
from organisations.models import Membership, Organisation
from practices.enums import (
    AmountMeasure,
    Currency,
    MilestoneKind,
    PartnerRole,
    PracticeOrigin,
    PracticeStatus,
)
from practices.models import (
    FundingSource,
    Practice,
    PracticeType,
    Topic,
)

DEFAULT_DIRECTORY = Path(__file__).resolve().parent.parent / "fixtures" / "catalogue"

# The stages an edition's rules may have, in order; `stages` in an edition's fixture
# names those its rules really had ([] while its rules are not yet known).
EDITION_STAGES = (
    EditionPhase.SUBMISSIONS,
    EditionPhase.JURY_REVIEW,
    EditionPhase.PUBLIC_VOTE,
    EditionPhase.RESULTS,
)


class FixtureError(ValueError):
    """A fixture file is inconsistent; the message names the file and the object."""


@dataclass
class CatalogueData:
    practice_types: list[dict] = field(default_factory=list)
    topics: list[dict] = field(default_factory=list)
    organisations: dict[str, dict] = field(default_factory=dict)
    memberships: list[dict] = field(default_factory=list)
    funding_sources: dict[str, dict] = field(default_factory=dict)
    practices: dict[str, dict] = field(default_factory=dict)
    competitions: dict[str, dict] = field(default_factory=dict)
    editions: list[dict] = field(default_factory=list)


def _decimal(value: str | None) -> Decimal | None:
    if value in (None, ""):
        return None
    return Decimal(str(value))


def _files(directory: Path) -> list[Path]:
    files = sorted(directory.glob("*.toml"))
    # The vocabularies first, then the seed files in their numbered order.
    return sorted(files, key=lambda path: (path.name != "taxonomy.toml", path.name))


def read_catalogue(
    directory: Path = DEFAULT_DIRECTORY, *, taxonomy_only: bool = False
) -> CatalogueData:
    """Parse every fixture file and check its references; raise FixtureError if any fails.

    With `taxonomy_only`, only the vocabularies (types, topics) are read: what a
    synthetic benchmark catalogue needs.
    """
    data = CatalogueData()
    paths = _files(directory)
    if taxonomy_only:
        paths = [path for path in paths if path.name == "taxonomy.toml"]
    if not paths:
        raise FixtureError(f"no fixture files in {directory}")

    def add_unique(registry: dict[str, dict], item: dict, kind: str, path: Path) -> None:
        slug = item.get("slug", "")
        if not slug:
            raise FixtureError(f"{path.name}: a {kind} without a slug: {item.get('name')!r}")
        if slug in registry:
            raise FixtureError(f"{path.name}: {kind} {slug!r} is already defined")
        registry[slug] = {**item, "_file": path.name}

    for path in paths:
        try:
            content = tomllib.loads(path.read_text(encoding="utf-8"))
        except tomllib.TOMLDecodeError as error:
            raise FixtureError(f"{path.name}: not valid TOML: {error}") from error
        source = content.get("source", {})
        # What each practice of the file inherits from its source: the source's name, and
        # the day the catalogue's editors published the file's practices (`added`).
        inherited = {"source_name": source.get("name", ""), "added": source.get("added")}
        data.practice_types.extend(content.get("practice_type", []))
        data.topics.extend(content.get("topic", []))
        for item in content.get("organisation", []):
            add_unique(data.organisations, item, "organisation", path)
        data.memberships.extend({**m, "_file": path.name} for m in content.get("membership", []))
        for item in content.get("funding_source", []):
            add_unique(data.funding_sources, item, "funding source", path)
        for item in content.get("practice", []):
            add_unique(data.practices, {**inherited, **item}, "practice", path)
        for item in content.get("competition", []):
            add_unique(data.competitions, item, "competition", path)
        data.editions.extend({**e, "_file": path.name} for e in content.get("edition", []))

    _check_references(data)
    return data


def _check_references(data: CatalogueData) -> None:
    topic_slugs = {t["slug"] for t in data.topics}
    type_codes = {t["code"] for t in data.practice_types}

    def need(registry: dict | set, slug: str, what: str, where: str) -> None:
        if slug not in registry:
            raise FixtureError(f"{where}: unknown {what} {slug!r}")

    def web_address(value: str | None, where: str) -> None:
        # The same check as the models' URLField: http(s) only, so no javascript: link.
        if value:
            try:
                URLValidator()(value)
            except ValidationError as error:
                raise FixtureError(f"{where}: not a web address: {value!r}") from error

    for slug, org in data.organisations.items():
        web_address(org.get("website"), f"{org['_file']}: organisation {slug!r}")

    for m in data.memberships:
        where = f"{m['_file']}: membership"
        need(data.organisations, m["member"], "organisation", where)
        need(data.organisations, m["group"], "organisation", where)
    for slug, fs in data.funding_sources.items():
        if fs.get("organisation"):
            need(data.organisations, fs["organisation"], "organisation", f"{fs['_file']}: {slug}")
    for slug, p in data.practices.items():
        where = f"{p['_file']}: practice {slug!r}"
        need(type_codes, p["practice_type"], "practice type", where)
        if p.get("lead"):
            need(data.organisations, p["lead"], "organisation", where)
        elif not p.get("partner"):
            raise FixtureError(f"{where}: names no organisation (a lead or a partner)")
        for topic in p.get("topics", []):
            need(topic_slugs, topic, "topic", where)
        for source in p.get("funding_sources", []):
            need(data.funding_sources, source, "funding source", where)
        for partner in p.get("partner", []):
            need(data.organisations, partner["organisation"], "organisation", where)
            need(PartnerRole.values, partner.get("role") or "partner", "partner role", where)
        for amount in p.get("amount", []):
            need(AmountMeasure.values, amount.get("measure", ""), "amount measure", where)
            need(Currency.values, amount.get("currency", ""), "currency", where)
        for milestone in p.get("milestone", []):
            need(MilestoneKind.values, milestone.get("kind", ""), "milestone kind", where)
        for link in p.get("link", []):
            web_address(link.get("url"), where)
        try:
            for key in ("total_value", "co_financing"):
                _decimal(p.get(key))
            for amount in p.get("amount", []):
                if _decimal(amount.get("amount")) is None:
                    raise ValueError("an amount without its figure")
            for key, end in (("started", False), ("ended", True)):
                if p.get(key):
                    parse_partial_date(p[key], end=end)
            for milestone in p.get("milestone", []):
                parse_partial_date(milestone["date"], end=False)
        except (InvalidOperation, ValueError) as error:
            raise FixtureError(f"{where}: bad amount or date: {error}") from error
    for slug, c in data.competitions.items():
        if c.get("organiser"):
            need(data.organisations, c["organiser"], "organisation", f"{c['_file']}: {slug}")
    for e in data.editions:
        where = f"{e['_file']}: edition {e.get('competition')} {e.get('year')}"
        need(data.competitions, e["competition"], "competition", where)
        for link in e.get("organiser", []):
            need(data.organisations, link["organisation"], "organisation", where)
        for source in e.get("funding_sources", []):
            need(data.funding_sources, source, "funding source", where)
        if "stages" not in e:
            raise FixtureError(f"{where}: say which stages its rules had (stages = [...])")
        for stage in e["stages"]:
            need(EDITION_STAGES, stage, "stage", where)
        if e.get("category") and e.get("entry"):
            raise FixtureError(
                f"{where}: entries belong either to its categories or to the whole edition"
            )
        for link in e.get("link", []):
            web_address(link.get("url"), where)
        for category in [*e.get("category", []), {"entry": e.get("entry", [])}]:
            for entry in category.get("entry", []):
                need(data.practices, entry["practice"], "practice", where)
                if entry.get("entrant"):
                    need(data.organisations, entry["entrant"], "organisation", where)


def _text(item: dict, key: str) -> str:
    return (item.get(key) or "").strip()


def _translations(item: dict, *fields: str) -> dict[str, str]:
    """The editorial translations of `fields` the item carries (`title_en`, `summary_uk`…).

    A key the item lacks loads as blank (the page then shows the original, marked as
    such), so removing a translation from the fixtures removes it from the database.
    """
    return {name: _text(item, name) for name in translation_fields(*fields)}


@transaction.atomic
def load_catalogue(data: CatalogueData) -> Counter:
    """Upsert everything in `data`; returns how many objects of each kind were created."""
    if data.practices and Practice.objects.filter(origin=PracticeOrigin.SYNTHETIC).exists():
        raise FixtureError(
            "this database holds synthetic benchmark data; the real catalogue is never mixed "
            "with it (use another database)"
        )
    created: Counter = Counter()

    def tally(kind: str, was_created: bool) -> None:
        created[kind] += int(was_created)

    for item in data.practice_types:
        _, new = PracticeType.objects.update_or_create(
            code=item["code"],
            defaults={
                "name": item["name"],
                "definition": item["definition"],
                **_translations(item, "name", "definition"),
                "order": item.get("order", 0),
            },
        )
        tally("practice types", new)

    topics = {}
    for order, item in enumerate(data.topics, start=1):
        topics[item["slug"]], new = Topic.objects.update_or_create(
            slug=item["slug"],
            defaults={"name": item["name"], **_translations(item, "name"), "order": order},
        )
        tally("topics", new)

    organisations = {}
    for slug, item in data.organisations.items():
        organisations[slug], new = Organisation.objects.update_or_create(
            slug=slug,
            defaults={
                "name": item["name"],
                "short_name": _text(item, "short_name"),
                "kind": item["kind"],
                "country": _text(item, "country"),
                "region": _text(item, "region"),
                "county": _text(item, "county"),
                "locality": _text(item, "locality"),
                "website": _text(item, "website"),
                "description": _text(item, "description"),
                **_translations(item, "description"),
            },
        )
        tally("organisations", new)

    for item in data.memberships:
        _, new = Membership.objects.update_or_create(
            member=organisations[item["member"]],
            group=organisations[item["group"]],
            defaults={"role": _text(item, "role")},
        )
        tally("memberships", new)

    funding_sources = {}
    for slug, item in data.funding_sources.items():
        funding_sources[slug], new = FundingSource.objects.update_or_create(
            slug=slug,
            defaults={
                "name": item["name"],
                "organisation": organisations.get(item.get("organisation") or ""),
                "description": _text(item, "description"),
            },
        )
        tally("funding sources", new)

    practices = {}
    for slug, item in data.practices.items():
        practices[slug] = practice = _load_practice(slug, item, organisations, tally)
        practice.topics.set([topics[t] for t in item.get("topics", [])])
        practice.funding_sources.set([funding_sources[s] for s in item.get("funding_sources", [])])

    competitions = {}
    for slug, item in data.competitions.items():
        competitions[slug], new = Competition.objects.update_or_create(
            slug=slug,
            defaults={
                "name": item["name"],
                "short_name": _text(item, "short_name"),
                "description": _text(item, "description"),
                **_translations(item, "name", "description"),
                "organiser": organisations.get(item.get("organiser") or ""),
                "website": _text(item, "website"),
            },
        )
        tally("competitions", new)

    for item in data.editions:
        _load_edition(item, competitions, organisations, funding_sources, practices, tally)
    # The practices' catalogue rows are rebuilt once this transaction commits
    # (catalogue.index), as after any other write.
    return created


def _load_practice(slug: str, item: dict, organisations: dict, tally) -> Practice:
    started_on, started_precision = (
        parse_partial_date(item["started"], end=False) if item.get("started") else (None, "day")
    )
    ended_on, ended_precision = (
        parse_partial_date(item["ended"], end=True) if item.get("ended") else (None, "day")
    )
    # The public date: the source's own date for the practice if it gives one, else the
    # day the editors added the source; a load never stamps its own time on them.
    source_date = item.get("source_date")
    public_day = source_date or item.get("added")
    existing = Practice.objects.filter(slug=slug).values_list("published_at", flat=True).first()
    practice, new = Practice.objects.update_or_create(
        slug=slug,
        defaults={
            "title": item["title"],
            "practice_type_id": item["practice_type"],
            "lead_organisation": organisations.get(item.get("lead") or ""),
            "author": _text(item, "author"),
            "summary": _text(item, "summary"),
            "description": _text(item, "description"),
            "problem": _text(item, "problem"),
            "actions": _text(item, "actions"),
            "results": _text(item, "results"),
            **_translations(
                item, "title", "summary", "description", "problem", "actions", "results"
            ),
            "place": _text(item, "place"),
            "started_on": started_on,
            "started_precision": started_precision,
            "ended_on": ended_on,
            "ended_precision": ended_precision,
            "total_value": _decimal(item.get("total_value")),
            "co_financing": _decimal(item.get("co_financing")),
            "total_value_approximate": bool(item.get("total_value_approximate", False)),
            "currency": _text(item, "currency"),
            "money_note": _text(item, "money_note"),
            "source_name": _text(item, "source_name"),
            "source_published_on": source_date,
            "status": PracticeStatus.PUBLISHED,
            "published_at": (
                public_moment(public_day) if public_day else existing or timezone.now()
            ),
            "origin": PracticeOrigin.FIXTURES,
        },
    )
    tally("practices", new)

    _set_children(
        practice.partnerships,
        [
            (
                {"organisation": organisations[partner["organisation"]]},
                {
                    "role": partner.get("role") or "partner",
                    "note": _text(partner, "note"),
                },
            )
            for partner in item.get("partner", [])
        ],
        "partnerships",
        tally,
    )
    _set_children(
        practice.links,
        [({"url": link["url"]}, {"label": _text(link, "label")}) for link in item.get("link", [])],
        "links",
        tally,
    )
    # Amounts and milestones have no natural key: their place in the fixture is theirs.
    _set_children(
        practice.amounts,
        [
            (
                {},
                {
                    "measure": amount["measure"],
                    "amount": _decimal(amount["amount"]),
                    "currency": amount["currency"],
                    "approximate": bool(amount.get("approximate", False)),
                    "note": _text(amount, "note"),
                },
            )
            for amount in item.get("amount", [])
        ],
        "amounts",
        tally,
        keyed_by_order=True,
    )
    _set_children(
        practice.milestones,
        [({}, _milestone(milestone)) for milestone in item.get("milestone", [])],
        "milestones",
        tally,
        keyed_by_order=True,
    )
    return practice


def _milestone(item: dict) -> dict:
    day, precision = parse_partial_date(item["date"], end=False)
    return {"kind": item["kind"], "date": day, "precision": precision, "note": _text(item, "note")}


def _set_children(
    manager, rows: list[tuple[dict, dict]], kind: str, tally, *, keyed_by_order: bool = False
) -> None:
    """Make a parent's children exactly `rows`, in their order: each (lookup, values)
    is upserted under the parent (by its lookup, or by its place when the children
    have no natural key), and the children the fixture no longer lists are deleted."""
    kept = []
    for order, (lookup, values) in enumerate(rows, start=1):
        if keyed_by_order:
            lookup = {**lookup, "order": order}
        else:
            values = {**values, "order": order}
        child, new = manager.update_or_create(**lookup, defaults=values)
        kept.append(child.pk)
        tally(kind, new)
    manager.exclude(pk__in=kept).delete()


def _load_edition(
    item: dict,
    competitions: dict,
    organisations: dict,
    funding_sources: dict,
    practices: dict,
    tally,
) -> None:
    competition = competitions[item["competition"]]
    dates: dict[str, Any] = {
        key: datetime.date.fromisoformat(item[key]) if item.get(key) else None
        for key in ("event_starts_on", "event_ends_on")
    }
    edition, new = Edition.objects.update_or_create(
        competition=competition,
        year=item["year"],
        defaults={
            "name": item["name"],
            "slug": item.get("slug") or f"{competition.slug}-{item['year']}",
            "theme": _text(item, "theme"),
            "description": _text(item, "description"),
            **_translations(item, "name", "theme", "description"),
            "phase": item.get("phase", "announced"),
            "event_name": _text(item, "event_name"),
            "event_place": _text(item, "event_place"),
            **dates,
            "reported_submissions": item.get("reported_submissions"),
            "reported_applicants": item.get("reported_applicants"),
            "reported_finalists": item.get("reported_finalists"),
            "reported_countries": item.get("reported_countries"),
            "countries_named": item.get("countries_named", []),
            "countries_text": _text(item, "countries_text"),
            **_translations(item, "countries_text"),
            "stages_announced": bool(item["stages"]),
            # Only a vote its rules had; the timeline shows no stage the edition lacked.
            "has_public_vote": EditionPhase.PUBLIC_VOTE in item["stages"],
        },
    )
    tally("editions", new)
    edition.funding_sources.set([funding_sources[s] for s in item.get("funding_sources", [])])

    for order, link in enumerate(item.get("organiser", []), start=1):
        _, new = EditionOrganiser.objects.update_or_create(
            edition=edition,
            organisation=organisations[link["organisation"]],
            role=link["role"],
            defaults={"note": _text(link, "note"), "order": order},
        )
        tally("edition organisers", new)

    _set_children(
        edition.links,
        [
            ({"url": link["url"]}, {"label": _text(link, "label"), **_translations(link, "label")})
            for link in item.get("link", [])
        ],
        "edition links",
        tally,
    )

    groups = [
        (_load_category(edition, category_item, tally), category_item.get("entry", []))
        for category_item in item.get("category", [])
    ]
    if item.get("entry"):
        groups.append((_whole_edition(edition, tally), item["entry"]))
    for category, entry_items in groups:
        for entry_item in entry_items:
            practice = practices[entry_item["practice"]]
            entrant = entry_item.get("entrant")
            _, new = Entry.objects.update_or_create(
                category=category,
                practice=practice,
                defaults={
                    "entrant": organisations[entrant] if entrant else practice.lead_organisation,
                    "status": entry_item.get("status", "submitted"),
                    "laureate_place": entry_item.get("place"),
                    "distinction": _text(entry_item, "distinction"),
                    "is_winner": bool(entry_item.get("winner", False)),
                },
            )
            tally("entries", new)


def _load_category(edition: Edition, item: dict, tally) -> Category:
    category, new = Category.objects.update_or_create(
        edition=edition,
        slug=item["slug"],
        defaults={
            "name": item["name"],
            "order": item.get("order", 0),
            "laureate_places": item.get("laureate_places", 3),
            "description": _text(item, "description"),
            **_translations(item, "name", "description"),
        },
    )
    tally("categories", new)
    return category


def _whole_edition(edition: Edition, tally) -> Category:
    """The row that holds the entries of an edition without categories.

    A database loaded before editions could have no categories holds the edition's
    theme as its only category, with the entries in it: that row becomes the whole
    edition, so the entries stay where they are and nothing is duplicated.
    """
    existing = list(edition.categories.order_by("is_whole_edition", "id"))
    if len(existing) > 1:
        raise FixtureError(
            f"edition {edition}: the fixtures give it no categories, the database has "
            f"{len(existing)}; remove them in the admin first"
        )
    defaults = {
        "is_whole_edition": True,
        "slug": "cala-edycja",
        "name": "",
        **{name: "" for name in translation_fields("name", "description")},
        "description": "",
        "laureate_places": 0,
        "order": 0,
    }
    if existing:
        category = existing[0]
        for name, value in defaults.items():
            setattr(category, name, value)
        category.save()
        tally("categories", False)
        return category
    category = Category.objects.create(edition=edition, **defaults)
    tally("categories", True)
    return category
