"""The jury's reads: seats, the entries to score and a juror's progress, the
scores as points, and the chair's ranking.

Criteria may use different scales (one 1–10, another 1–5), so a raw value is
never averaged with another: each is first turned into points on 0–100,

    points = (value − scale_min) / (scale_max − scale_min) × 100,

and a juror's score of an entry is the weighted mean of those points,
Σ weight × points / Σ weight (0–100 as well). An entry's mean, median and
spread are taken over its jurors' scores. Only submitted scores count, and a
juror sees others' numbers of an entry only once they submitted their own
(`entry_scores_for`, `edition_jury_ranking` with `for_member`).
"""

from __future__ import annotations

import statistics
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import (
    Count,
    Exists,
    F,
    Func,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
)

from competitions.enums import EntryStatus
from competitions.models import (
    Category,
    ConflictOfInterest,
    Criterion,
    Edition,
    Entry,
    JuryMember,
    JurySubmission,
    Score,
)


def jury_seats(user) -> QuerySet[JuryMember]:
    """The editions this user sits on, newest first."""
    return (
        JuryMember.objects.filter(user=user)
        .select_related("edition__competition")
        .order_by("-edition__year", "edition__name")
    )


def user_has_jury_seat(user) -> bool:
    """Whether the user sits on any jury (the site header links them to the jury's pages)."""
    return user.is_authenticated and JuryMember.objects.filter(user=user).exists()


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


@dataclass
class JuryProgress:
    """A juror's work in one category: entries submitted, set aside for a declared
    conflict of interest, and still to do (drafts count as to do)."""

    category: Category
    total: int
    submitted: int
    conflicts: int

    @property
    def remaining(self) -> int:
        return self.total - self.submitted - self.conflicts

    @property
    def done(self) -> int:
        return self.submitted + self.conflicts

    @classmethod
    def of(cls, category: Category) -> JuryProgress:
        """From a category of `jury_categories_for_member` (no query)."""
        entries = category.jury_entries
        return cls(
            category=category,
            total=len(entries),
            submitted=sum(1 for e in entries if e.my_submitted),
            conflicts=sum(1 for e in entries if e.my_conflict),
        )


def _count(queryset: QuerySet) -> Subquery:
    """COUNT(*) of a correlated queryset, as a subquery (0 when it is empty)."""
    counted = queryset.order_by().annotate(
        n=Func(F("pk"), function="COUNT", output_field=IntegerField())
    )
    return Subquery(counted.values("n")[:1], output_field=IntegerField())


def jury_progress_for_seats(seats: list[JuryMember]) -> dict[int, list[JuryProgress]]:
    """{seat id: progress per category of its edition}, for a user's seats, in one query."""
    if not seats:
        return {}
    seat_by_edition = {seat.edition_id: seat.pk for seat in seats}
    live = ~Q(entry__status=EntryStatus.WITHDRAWN)
    mine = Q(member_id__in=seat_by_edition.values(), member__edition=OuterRef("edition"))
    categories = (
        Category.objects.filter(edition_id__in=seat_by_edition)
        .annotate(
            total=_count(
                Entry.objects.filter(category=OuterRef("pk")).exclude(status=EntryStatus.WITHDRAWN)
            ),
            submitted=_count(
                JurySubmission.objects.filter(live, mine, entry__category=OuterRef("pk"))
            ),
            conflicts=_count(
                ConflictOfInterest.objects.filter(live, mine, entry__category=OuterRef("pk"))
            ),
        )
        .order_by("order", "id")
    )
    progress: dict[int, list[JuryProgress]] = {seat.pk: [] for seat in seats}
    for category in categories:
        progress[seat_by_edition[category.edition_id]].append(
            JuryProgress(
                category=category,
                total=category.total,
                submitted=category.submitted,
                conflicts=category.conflicts,
            )
        )
    return progress


@dataclass
class EntryNeighbours:
    """Where an entry stands in the juror's list (the edition page's order)."""

    previous: dict | None
    next: dict | None
    # The first entry after this one (going round) the juror has still to submit.
    next_to_score: dict | None


def jury_entry_neighbours(member: JuryMember, entry: Entry) -> EntryNeighbours:
    """The previous and next entries, and the next one to score, in one query.

    Each is {"pk", "title"}. Entries come in the order of the edition page
    (categories by order, then practice title); an entry with this member's
    submission or declared conflict is done.
    """
    rows = list(
        jury_entries_queryset(member.edition)
        .select_related(None)
        .annotate(
            done=Exists(JurySubmission.objects.filter(member=member, entry=OuterRef("pk")))
            | Exists(ConflictOfInterest.objects.filter(member=member, entry=OuterRef("pk")))
        )
        .order_by("category__order", "category_id", "practice__sort_title", "id")
        .values("pk", "done", title=F("practice__title"))
    )
    index = next((i for i, row in enumerate(rows) if row["pk"] == entry.pk), None)
    if index is None:
        return EntryNeighbours(None, None, None)
    after = rows[index + 1 :] + rows[:index]
    return EntryNeighbours(
        previous=rows[index - 1] if index > 0 else None,
        next=rows[index + 1] if index + 1 < len(rows) else None,
        next_to_score=next((row for row in after if not row["done"]), None),
    )


def edition_criteria(edition: Edition) -> QuerySet[Criterion]:
    return Criterion.objects.filter(edition=edition).order_by("order", "id")


def member_scores(member: JuryMember, entry: Entry) -> dict[int, Score]:
    """{criterion id: score} of this member on this entry."""
    return {s.criterion_id: s for s in Score.objects.filter(member=member, entry=entry)}


# --- scores as points, and the ranking ---------------------------------------------

HUNDRED = Decimal(100)
# Means, medians and spreads are compared and shown at this precision: two rows
# that read the same on the page are tied.
SHOWN = Decimal("0.01")


def scale_points(value: int, *, scale_min: int, scale_max: int) -> Decimal:
    """A value on its criterion's scale as points on 0–100 (the scale's bottom is 0)."""
    return (Decimal(value) - scale_min) * HUNDRED / (scale_max - scale_min)


def weighted_mean(pairs: Iterable[tuple[Decimal, Decimal]]) -> Decimal | None:
    """Σ weight × value / Σ weight; None without weight.

    The values must be on one scale: pass points (`scale_points`), never raw
    values of criteria with different scales.
    """
    pairs = list(pairs)
    total_weight = sum((w for w, _ in pairs), Decimal(0))
    if not total_weight:
        return None
    return sum((w * v for w, v in pairs), Decimal(0)) / total_weight


def juror_points(scores: Iterable[tuple[Decimal, int, int, int]]) -> Decimal | None:
    """A juror's score of one entry on 0–100, from (weight, value, scale_min, scale_max)
    per criterion: each value as points, then their weighted mean."""
    return weighted_mean(
        (weight, scale_points(value, scale_min=low, scale_max=high))
        for weight, value, low, high in scores
    )


def _shown(value: Decimal | None) -> Decimal | None:
    return None if value is None else value.quantize(SHOWN, rounding=ROUND_HALF_UP)


@dataclass
class JurorScores:
    member: JuryMember
    scores: dict[int, Score]
    points: Decimal | None


def entry_scores_for(member: JuryMember, entry: Entry) -> list[JurorScores] | None:
    """Every juror's submitted scores of an entry with their points, if `member` has
    submitted theirs.

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
            score.member_id, JurorScores(member=score.member, scores={}, points=None)
        )
        row.scores[score.criterion_id] = score
    for row in by_member.values():
        row.points = juror_points(
            (s.criterion.weight, s.value, s.criterion.scale_min, s.criterion.scale_max)
            for s in row.scores.values()
        )
    return list(by_member.values())


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
    # Another shown row of the category has the same mean (at the shown precision).
    tied: bool = False

    @property
    def thin(self) -> bool:
        """Scored by one juror only: the mean is that juror's opinion alone."""
        return self.scorers == 1


@dataclass
class CategoryRanking:
    category: Category
    rows: list[RankingRow] = field(default_factory=list)


def rank_rows(rows: list[RankingRow]) -> None:
    """Sort one category's rows and number them; flag ties.

    By mean, then median, then entry id (so ties come out the same way every
    time); rows without a mean (unscored, or hidden from the reader) come
    last, unranked, and take no part in ties, so a hidden entry's mean cannot
    be guessed from a flag.
    """
    rows.sort(key=lambda r: (r.mean is None, -(r.mean or 0), -(r.median or 0), r.entry.pk))
    means: dict[Decimal, int] = defaultdict(int)
    for row in rows:
        if row.mean is not None:
            means[row.mean] += 1
    for position, row in enumerate(rows, start=1):
        row.rank = position if row.mean is not None else None
        row.tied = row.mean is not None and means[row.mean] > 1


def edition_jury_ranking(
    edition: Edition, *, for_member: JuryMember | None = None
) -> list[CategoryRanking]:
    """The jury's ranking per category, from submitted scores only.

    With `for_member` (the chair reading it), the rule of every juror holds: an
    entry's numbers show only once they submitted their own scores of it, and
    never on an entry where they declared a conflict; such rows carry `hidden`
    and come last, unranked. Without it (the published results), all show.

    Each juror's score of an entry is on 0–100 (`juror_points`: every value as
    points of its criterion's scale, then Σ weight × points / Σ weight); an
    entry's `mean` and `median` are taken over its jurors, `scorers` is how
    many jurors submitted, and `spread` is the range (highest minus lowest
    juror score), the simplest measure of disagreement to read; all three
    rounded to 0.01. Ranked by `rank_rows`: rows with equal means are `tied`,
    rows from one juror are `thin`. Three queries whatever the size (five with
    `for_member`).
    """
    categories = list(Category.objects.filter(edition=edition).order_by("order", "id"))
    entries = list(jury_entries_queryset(edition).order_by("practice__sort_title", "id"))
    submitted = JurySubmission.objects.filter(entry__category__edition=edition)
    per_juror: dict[tuple[int, int], list[tuple[Decimal, int, int, int]]] = defaultdict(list)
    scores = Score.objects.filter(
        Exists(submitted.filter(member=OuterRef("member"), entry=OuterRef("entry"))),
        entry__category__edition=edition,
    ).values_list(
        "entry_id",
        "member_id",
        "criterion__weight",
        "value",
        "criterion__scale_min",
        "criterion__scale_max",
    )
    for entry_id, member_id, *score in scores:
        per_juror[(entry_id, member_id)].append(tuple(score))
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
    juror_scores: dict[int, list[Decimal]] = defaultdict(list)
    for (entry_id, _member_id), rows in per_juror.items():
        points = juror_points(rows)
        if points is not None:
            juror_scores[entry_id].append(points)

    by_category = {c.pk: CategoryRanking(category=c) for c in categories}
    for entry in entries:
        if entry.pk in hidden:
            by_category[entry.category_id].rows.append(
                RankingRow(entry, None, None, 0, None, hidden=hidden[entry.pk])
            )
            continue
        values = juror_scores.get(entry.pk, [])
        by_category[entry.category_id].rows.append(
            RankingRow(
                entry=entry,
                mean=_shown(sum(values, Decimal(0)) / len(values)) if values else None,
                median=_shown(statistics.median(values)) if values else None,
                scorers=len(values),
                spread=_shown(max(values) - min(values)) if values else None,
            )
        )
    for ranking in by_category.values():
        rank_rows(ranking.rows)
    return list(by_category.values())
