"""Reads of competitions, editions, the jury's work and the vote.

One rule lives here and nowhere else: vote counts are secret until the
edition's results are published. `edition_vote_counts` is the only public way
to them; `vote_tally_unrevealed` is for the services that compute winners and
ties, and its numbers must never reach a page, an export or an ordering.
"""

from __future__ import annotations

import statistics
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal

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
from competitions.models import (
    Ballot,
    Category,
    Competition,
    ConflictOfInterest,
    Criterion,
    DecisionLog,
    Edition,
    EditionOrganiser,
    Entry,
    JuryMember,
    JurySubmission,
    Score,
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


def competition_list() -> QuerySet[Competition]:
    return Competition.objects.select_related("organiser").prefetch_related(
        Prefetch("editions", queryset=Edition.objects.order_by("-year"))
    )


def edition_detail_queryset() -> QuerySet[Edition]:
    """An edition for its public page: the entries of published practices, and only
    once the jury's decisions are announced (before, the page says when they will be)."""
    entries = (
        Entry.objects.public()
        .filter(practice__status="published")
        .select_related("practice__lead_organisation")
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


def jury_seats(user) -> QuerySet[JuryMember]:
    """The editions this user sits on, newest first."""
    return (
        JuryMember.objects.filter(user=user)
        .select_related("edition__competition")
        .order_by("-edition__year", "edition__name")
    )


def jury_seat(user, *, edition_slug: str) -> JuryMember | None:
    if not user.is_authenticated:
        return None
    return (
        JuryMember.objects.filter(user=user, edition__slug=edition_slug)
        .select_related("edition__competition", "user")
        .first()
    )


def jury_entries_queryset(edition: Edition) -> QuerySet[Entry]:
    return (
        Entry.objects.filter(category__edition=edition)
        .exclude(status=EntryStatus.WITHDRAWN)
        .select_related("practice__lead_organisation", "category")
    )


def jury_categories_for_member(member: JuryMember) -> QuerySet[Category]:
    """The edition's categories, each with its entries and this member's scoring state."""
    mine = Q(scores__member=member)
    entries = (
        jury_entries_queryset(member.edition)
        .annotate(
            my_scores=Count("scores", filter=mine),
            my_submitted=Exists(JurySubmission.objects.filter(member=member, entry=OuterRef("pk"))),
            my_conflict=Exists(
                ConflictOfInterest.objects.filter(member=member, entry=OuterRef("pk"))
            ),
        )
        .order_by("practice__sort_title", "id")
    )
    return (
        Category.objects.filter(edition=member.edition)
        .order_by("order", "id")
        .prefetch_related(Prefetch("entries", queryset=entries, to_attr="jury_entries"))
    )


def edition_criteria(edition: Edition) -> QuerySet[Criterion]:
    return Criterion.objects.filter(edition=edition).order_by("order", "id")


def member_scores(member: JuryMember, entry: Entry) -> dict[int, Score]:
    """{criterion id: score} of this member on this entry."""
    return {s.criterion_id: s for s in Score.objects.filter(member=member, entry=entry)}


@dataclass
class JurorScores:
    member: JuryMember
    scores: dict[int, Score]
    weighted: Decimal | None


def entry_scores_for(member: JuryMember, entry: Entry) -> list[JurorScores] | None:
    """Every juror's submitted scores of an entry, if `member` has submitted theirs.

    None when the member has not submitted (they must not see others' numbers yet).
    """
    if not JurySubmission.objects.filter(member=member, entry=entry).exists():
        return None
    submitted = JurySubmission.objects.filter(entry=entry).values("member_id")
    scores = (
        Score.objects.filter(entry=entry, member_id__in=submitted)
        .select_related("member__user", "criterion")
        .order_by("member__user__last_name", "member__user__username", "criterion__order")
    )
    by_member: dict[int, JurorScores] = {}
    for score in scores:
        row = by_member.setdefault(
            score.member_id, JurorScores(member=score.member, scores={}, weighted=None)
        )
        row.scores[score.criterion_id] = score
    for row in by_member.values():
        row.weighted = weighted_mean(
            [(s.criterion.weight, Decimal(s.value)) for s in row.scores.values()]
        )
    return list(by_member.values())


def weighted_mean(pairs: list[tuple[Decimal, Decimal]]) -> Decimal | None:
    total_weight = sum((w for w, _ in pairs), Decimal(0))
    if not total_weight:
        return None
    return sum((w * v for w, v in pairs), Decimal(0)) / total_weight


@dataclass
class RankingRow:
    entry: Entry
    mean: Decimal | None
    median: Decimal | None
    scorers: int
    spread: Decimal | None
    rank: int | None = None
    # Why the juror reading the ranking sees no numbers for this entry: "unscored"
    # (they have not submitted their own scores yet) or "conflict" (declared); "".
    hidden: str = ""


@dataclass
class CategoryRanking:
    category: Category
    rows: list[RankingRow] = field(default_factory=list)


def edition_jury_ranking(
    edition: Edition, *, for_member: JuryMember | None = None
) -> list[CategoryRanking]:
    """The jury's ranking per category, from submitted scores only.

    With `for_member` (the chair reading it), the rule of every juror holds: an
    entry's numbers show only once they submitted their own scores of it, and
    never on an entry where they declared a conflict; such rows carry `hidden`
    and come last, unranked. Without it (the published results), all show.

    Each juror's score of an entry is their weighted mean over the criteria
    (Σ weight × value / Σ weight); an entry's `mean` and `median` are taken
    over its jurors, `scorers` is how many jurors submitted, and `spread` is
    the range (highest minus lowest juror score), the simplest measure of
    disagreement to read. Entries are ranked by mean, then median; entries
    without scores come last, unranked. Three queries whatever the size.
    """
    categories = list(Category.objects.filter(edition=edition).order_by("order", "id"))
    entries = list(jury_entries_queryset(edition).order_by("practice__sort_title", "id"))
    submitted = JurySubmission.objects.filter(entry__category__edition=edition)
    per_juror: dict[tuple[int, int], list[tuple[Decimal, Decimal]]] = defaultdict(list)
    scores = Score.objects.filter(
        Exists(submitted.filter(member=OuterRef("member"), entry=OuterRef("entry"))),
        entry__category__edition=edition,
    ).values_list("entry_id", "member_id", "criterion__weight", "value")
    for entry_id, member_id, weight, value in scores:
        per_juror[(entry_id, member_id)].append((weight, Decimal(value)))
    hidden: dict[int, str] = {}
    if for_member is not None:
        own = set(submitted.filter(member=for_member).values_list("entry_id", flat=True))
        hidden = {entry.pk: "unscored" for entry in entries if entry.pk not in own}
        hidden.update(
            dict.fromkeys(
                ConflictOfInterest.objects.filter(
                    member=for_member, entry__category__edition=edition
                ).values_list("entry_id", flat=True),
                "conflict",
            )
        )
    juror_means: dict[int, list[Decimal]] = defaultdict(list)
    for (entry_id, _member_id), pairs in per_juror.items():
        mean = weighted_mean(pairs)
        if mean is not None:
            juror_means[entry_id].append(mean)

    by_category = {c.pk: CategoryRanking(category=c) for c in categories}
    for entry in entries:
        if entry.pk in hidden:
            by_category[entry.category_id].rows.append(
                RankingRow(entry, None, None, 0, None, hidden=hidden[entry.pk])
            )
            continue
        values = juror_means.get(entry.pk, [])
        by_category[entry.category_id].rows.append(
            RankingRow(
                entry=entry,
                mean=sum(values, Decimal(0)) / len(values) if values else None,
                median=statistics.median(values) if values else None,
                scorers=len(values),
                spread=max(values) - min(values) if values else None,
            )
        )
    for ranking in by_category.values():
        ranking.rows.sort(
            key=lambda r: (r.mean is None, -(r.mean or 0), -(r.median or 0), r.entry.pk)
        )
        for position, row in enumerate(ranking.rows, start=1):
            row.rank = position if row.mean is not None else None
    return list(by_category.values())


def edition_decisions(edition: Edition) -> QuerySet[DecisionLog]:
    return DecisionLog.objects.filter(edition=edition).select_related(
        "actor", "entry__practice", "category"
    )


# --- the vote ------------------------------------------------------------------------


def ballot_categories(edition: Edition) -> QuerySet[Category]:
    """The categories of a vote, each with its laureates by place (what a ballot shows)."""
    laureates = (
        Entry.objects.filter(status=EntryStatus.LAUREATE)
        .select_related("practice__lead_organisation")
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
