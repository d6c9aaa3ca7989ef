"""Reads of competitions, editions, the jury's work and the vote.

One rule lives here and nowhere else: vote counts are secret until the
edition's results are published. `edition_vote_counts` is the only public way
to them; `vote_tally_unrevealed` is for the services that compute winners and
ties, and its numbers must never reach a page, an export or an ordering.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime

from django.db.models import (
    Case,
    Count,
    Exists,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Value,
    When,
)
from django.utils import timezone

from competitions.enums import (
    DECISIONS_PUBLIC_PHASES,
    RESULTS_PUBLIC_PHASES,
    EditionPhase,
    EntryStatus,
)

# The jury's reads live in competitions.jury_selectors; the published results
# read the jury's ranking through this name too.
from competitions.jury_selectors import edition_jury_ranking  # noqa: F401
from competitions.models import (
    Ballot,
    Category,
    Competition,
    DecisionLog,
    Edition,
    EditionOrganiser,
    Entry,
    TieResolution,
    Vote,
)

# Laureates by place, then finalists, then the other entries.
ENTRY_ORDER = (
    Case(
        When(status=EntryStatus.LAUREATE, then=Value(0)),
        When(status=EntryStatus.FINALIST, then=Value(1)),
        default=Value(2),
        output_field=IntegerField(),
    ),
    "laureate_place",
    "practice__sort_title",
)


def results_are_public(edition: Edition) -> bool:
    return edition.phase in RESULTS_PUBLIC_PHASES


def decisions_are_public(edition: Edition) -> bool:
    """Whether the jury's decisions are announced (competitions.enums)."""
    return edition.phase in DECISIONS_PUBLIC_PHASES


# --- public pages ----------------------------------------------------------------


def _real_editions() -> QuerySet[Edition]:
    return Edition.objects.filter(is_training=False)


def competition_list() -> QuerySet[Competition]:
    """The competitions of the public list, with their editions: training editions are
    left out, and so is a competition that has nothing but training editions."""
    training_only = Exists(Edition.objects.filter(competition=OuterRef("pk"))) & ~Exists(
        _real_editions().filter(competition=OuterRef("pk"))
    )
    return (
        Competition.objects.exclude(training_only)
        .select_related("organiser")
        .prefetch_related(Prefetch("editions", queryset=_real_editions().order_by("-year")))
    )


def competition_detail_queryset() -> QuerySet[Competition]:
    """A competition for its page. A real competition's page leaves its training
    editions out; a training competition (only training editions, `is_training`
    annotated) stays reachable by its address and lists them, under a banner."""
    real = _real_editions().filter(competition=OuterRef("pk"))
    shown = Edition.objects.filter(
        Q(is_training=False) | ~Exists(_real_editions().filter(competition=OuterRef("competition")))
    )
    return (
        Competition.objects.annotate(
            is_training=Exists(Edition.objects.filter(competition=OuterRef("pk"))) & ~Exists(real)
        )
        .select_related("organiser")
        .prefetch_related(Prefetch("editions", queryset=shown.order_by("-year")))
    )


def edition_detail_queryset() -> QuerySet[Edition]:
    """An edition for its public page: the entries of published practices, and only
    once the jury's decisions are announced (before, the page says when they will be).

    A training edition's page shows its own laureates (the training is for that);
    everything listing entries across editions uses `Entry.objects.public()`,
    which leaves them out."""
    entries = (
        Entry.objects.announced()
        .filter(practice__status="published")
        .select_related("practice__lead_organisation", "entrant")
        .order_by(*ENTRY_ORDER)
    )
    return Edition.objects.select_related("competition").prefetch_related(
        Prefetch(
            "categories",
            queryset=Category.objects.order_by("order", "id").prefetch_related(
                Prefetch("entries", queryset=entries)
            ),
        ),
        Prefetch(
            "organiser_links",
            queryset=EditionOrganiser.objects.select_related("organisation").order_by("order"),
        ),
        "funding_sources",
        "links",
    )


def edition_by_path(*, competition_slug: str, year: int) -> QuerySet[Edition]:
    return Edition.objects.select_related("competition").filter(
        competition__slug=competition_slug, year=year
    )


def edition_free_slug(*, competition: Competition, year: int, exclude_pk: int | None = None) -> str:
    """The slug a new edition gets when none is typed: `<competition>-<year>`, with
    `-2`, `-3`… if that is taken (slugs are unique across competitions)."""
    base = f"{competition.slug}-{year}"[:110]
    taken = set(
        Edition.objects.filter(slug__startswith=base)
        .exclude(pk=exclude_pk)
        .values_list("slug", flat=True)
    )
    slug, n = base, 1
    while slug in taken:
        n += 1
        slug = f"{base}-{n}"
    return slug


def edition_vote_counts(edition: Edition) -> dict[int, int]:
    """Votes per entry, but only once the edition's results are public; else nothing."""
    if not results_are_public(edition):
        return {}
    return {
        entry_id: count
        for counts in vote_tally_unrevealed(edition).values()
        for entry_id, count in counts.items()
        if count
    }


def vote_tally_unrevealed(edition: Edition) -> dict[int, dict[int, int]]:
    """{category id: {laureate entry id: votes}}, zeros included, whatever the phase.

    For services only (winners, ties). Never put these numbers on a page or in
    an export before the results are published: use `edition_vote_counts`.
    """
    tally: dict[int, dict[int, int]] = defaultdict(dict)
    rows = (
        Entry.objects.filter(category__edition=edition, status=EntryStatus.LAUREATE)
        .annotate(votes_count=Count("votes"))
        .values_list("category_id", "id", "votes_count")
    )
    for category_id, entry_id, count in rows:
        tally[category_id][entry_id] = count
    return dict(tally)


def category_leaders(counts: dict[int, int]) -> list[int]:
    """The entries with the most votes (several when tied), by id."""
    if not counts:
        return []
    top = max(counts.values())
    return sorted(entry_id for entry_id, count in counts.items() if count == top)


def vote_is_closed(edition: Edition, *, now: datetime | None = None) -> bool:
    now = now or timezone.now()
    return edition.vote_closes_at is not None and now >= edition.vote_closes_at


def vote_is_open(edition: Edition, *, now: datetime | None = None) -> bool:
    now = now or timezone.now()
    return (
        edition.phase == EditionPhase.PUBLIC_VOTE
        and edition.vote_opens_at is not None
        and edition.vote_closes_at is not None
        and edition.vote_opens_at <= now < edition.vote_closes_at
    )


@dataclass
class Tie:
    category: Category
    entries: list[Entry]
    resolution: TieResolution | None


def edition_ties(edition: Edition) -> list[Tie]:
    """Categories whose leaders are tied on votes, once the vote has closed; else none.

    The chair needs to know which entries are tied to resolve it before the
    results go out, so this names them, but carries no counts.
    """
    if edition.phase not in (EditionPhase.PUBLIC_VOTE, *RESULTS_PUBLIC_PHASES):
        return []
    if edition.phase == EditionPhase.PUBLIC_VOTE and not vote_is_closed(edition):
        return []
    tally = vote_tally_unrevealed(edition)
    tied = {cid: category_leaders(counts) for cid, counts in tally.items()}
    tied = {cid: ids for cid, ids in tied.items() if len(ids) > 1}
    if not tied:
        return []
    entries = Entry.objects.filter(pk__in=[i for ids in tied.values() for i in ids])
    by_id = {e.pk: e for e in entries.select_related("practice", "category")}
    resolutions = {
        r.category_id: r
        for r in TieResolution.objects.filter(category_id__in=tied).select_related(
            "entry__practice", "resolved_by"
        )
    }
    categories = Category.objects.filter(pk__in=tied).order_by("order", "id")
    return [
        Tie(
            category=category,
            entries=[by_id[i] for i in tied[category.pk]],
            resolution=resolutions.get(category.pk),
        )
        for category in categories
    ]


def edition_tie_resolutions(edition: Edition) -> dict[int, TieResolution]:
    """{category id: resolution} of an edition with public results; else nothing."""
    if not results_are_public(edition):
        return {}
    return {
        r.category_id: r
        for r in TieResolution.objects.filter(category__edition=edition).select_related(
            "entry__practice"
        )
    }


# --- the jury ----------------------------------------------------------------------


def edition_decisions(edition: Edition) -> QuerySet[DecisionLog]:
    return DecisionLog.objects.filter(edition=edition).select_related(
        "actor", "entry__practice", "category"
    )


# --- the vote ------------------------------------------------------------------------


def ballot_categories(edition: Edition) -> QuerySet[Category]:
    """The categories of a vote, each with its laureates by place (what a ballot shows)."""
    laureates = (
        Entry.objects.filter(status=EntryStatus.LAUREATE)
        .select_related("practice", "entrant")
        .order_by("laureate_place", "id")
    )
    return (
        Category.objects.filter(edition=edition)
        .order_by("order", "id")
        .prefetch_related(Prefetch("entries", queryset=laureates, to_attr="laureates"))
    )


def ballot_votes(ballot: Ballot) -> dict[int, Vote]:
    """{category id: vote} already cast with this ballot (the voter's own choices)."""
    return {v.category_id: v for v in Vote.objects.filter(ballot=ballot)}
