"""The jury's reads: points on 0–100 across scales, ties and thin scoring in the
ranking, a juror's progress, and the order of entries a juror moves through."""

from decimal import Decimal

import pytest

from competitions.jury_selectors import (
    edition_jury_ranking,
    entry_scores_for,
    juror_points,
    jury_entry_neighbours,
    jury_progress_for_seats,
    jury_seats,
    scale_points,
)
from competitions.models import ConflictOfInterest
from competitions.services.jury import jury_conflict_declare, jury_scores_save
from tests.competitions.conftest import jury_review
from tests.factories import (
    CategoryFactory,
    EditionFactory,
    EntryFactory,
    JuryMemberFactory,
    PracticeFactory,
)

pytestmark = pytest.mark.django_db


def submit(jury, member, entry, *values):
    jury_scores_save(
        member=member,
        entry=entry,
        values={c.pk: v for c, v in zip(jury.criteria, values, strict=True)},
        submit=True,
    )


def test_scale_points_put_each_scale_on_0_to_100():
    assert [scale_points(v, scale_min=1, scale_max=5) for v in (1, 2, 5)] == [0, 25, 100]
    assert [scale_points(v, scale_min=0, scale_max=10) for v in (0, 7, 10)] == [0, 70, 100]


def test_juror_points_normalise_mixed_scales_before_weighting():
    # 10 of 1–10 is 100 points, 1 of 1–5 is 0 points: equal weights give 50.
    # On raw values the same scores would read (10 + 1) / 2 = 5.5, the 1–5
    # criterion counting for less than half of the other.
    scores = [(Decimal(1), 10, 1, 10), (Decimal(1), 1, 1, 5)]

    assert juror_points(scores) == 50


def test_juror_points_weigh_points_by_criterion_weight():
    # 4 of 1–5 is 75 points (weight 3), 1 of 1–10 is 0 points (weight 1)
    assert juror_points([(Decimal(3), 4, 1, 5), (Decimal(1), 1, 1, 10)]) == Decimal("56.25")


def mixed_scales_jury():
    """A jury whose two criteria use 1–10 (weight 1) and 1–5 (weight 1)."""
    jury = jury_review(members=2)
    jury.criteria[0].scale_min, jury.criteria[0].weight = 1, 1
    jury.criteria[0].save()
    jury.criteria[1].scale_min, jury.criteria[1].scale_max = 1, 5
    jury.criteria[1].save()
    return jury


def test_ranking_and_entry_scores_use_points_on_mixed_scales():
    jury = mixed_scales_jury()
    chair, member = jury.members
    entry = jury.entries[0]
    submit(jury, chair, entry, 10, 1)  # 100 and 0 points → 50
    submit(jury, member, entry, 1, 5)  # 0 and 100 points → 50

    (ranking,) = edition_jury_ranking(jury.edition)
    row = next(r for r in ranking.rows if r.entry == entry)

    assert (row.mean, row.median, row.spread) == (50, 50, 0)
    assert {r.member: r.points for r in entry_scores_for(chair, entry)} == {chair: 50, member: 50}


def test_ranking_flags_equal_means_as_ties_and_one_juror_entries_as_thin():
    jury = jury_review(entries=4)
    chair, member = jury.members
    tied_a, tied_b, alone, unscored = jury.entries
    for entry in (tied_a, tied_b):
        submit(jury, chair, entry, 8, 8)
        submit(jury, member, entry, 6, 6)
    submit(jury, chair, alone, 9, 9)

    (ranking,) = edition_jury_ranking(jury.edition)

    flags = {r.entry: (r.mean, r.tied, r.thin) for r in ranking.rows}
    assert flags == {
        alone: (90, False, True),
        tied_a: (70, True, False),
        tied_b: (70, True, False),
        unscored: (None, False, False),
    }


def test_ranking_orders_ties_by_median_then_entry_number():
    jury = jury_review(entries=3, members=3)
    first, second, third = jury.members
    wide, narrow, later = jury.entries
    # wide: 40, 80, 90 → mean 70, median 80; narrow and later: 70 each → median 70
    for member, value in zip(jury.members, (4, 8, 9), strict=True):
        submit(jury, member, wide, value, value)
    for entry in (narrow, later):
        for member in (first, second, third):
            submit(jury, member, entry, 7, 7)

    (ranking,) = edition_jury_ranking(jury.edition)

    assert [(r.entry, r.rank, r.tied) for r in ranking.rows] == [
        (wide, 1, True),
        (narrow, 2, True),
        (later, 3, True),
    ]


def test_ranking_ties_leave_out_rows_hidden_from_the_chair():
    """A tie flag on a row the chair sees must not give away a hidden row's mean."""
    jury = jury_review(entries=2)
    chair, member = jury.members
    seen, hidden = jury.entries
    for entry in (seen, hidden):
        submit(jury, member, entry, 6, 6)
    submit(jury, chair, seen, 6, 6)

    (ranking,) = edition_jury_ranking(jury.edition, for_member=chair)

    rows = {r.entry: r for r in ranking.rows}
    assert (rows[seen].mean, rows[seen].tied) == (60, False)
    assert (rows[hidden].mean, rows[hidden].hidden, rows[hidden].tied) == (None, "unscored", False)


def test_progress_counts_submitted_conflicts_and_entries_left_per_category():
    jury = jury_review(entries=4)
    member = jury.members[1]
    other_category = CategoryFactory(edition=jury.edition, order=5)
    EntryFactory(category=other_category)
    EntryFactory(category=other_category, status="withdrawn")
    submitted, conflicted, drafted, _untouched = jury.entries
    submit(jury, member, submitted, 5, 5)
    jury_conflict_declare(member=member, entry=conflicted)
    jury_scores_save(member=member, entry=drafted, values={jury.criteria[0].pk: 3})
    submit(jury, jury.chair, drafted, 5, 5)  # another juror's work does not count

    progress = jury_progress_for_seats(list(jury_seats(member.user)))[member.pk]

    assert [
        (p.category, p.total, p.submitted, p.conflicts, p.remaining, p.done) for p in progress
    ] == [
        (jury.category, 4, 1, 1, 2, 2),
        (other_category, 1, 0, 0, 1, 0),
    ]


def test_progress_of_several_seats_keeps_each_edition_apart():
    first = jury_review(entries=2)
    user = first.members[1].user
    second_edition = EditionFactory(phase="jury_review")
    second_seat = JuryMemberFactory(edition=second_edition, user=user)
    second_category = CategoryFactory(edition=second_edition)
    EntryFactory(category=second_category)
    submit(first, first.members[1], first.entries[0], 5, 5)

    progress = jury_progress_for_seats(list(jury_seats(user)))

    assert [(p.total, p.submitted) for p in progress[first.members[1].pk]] == [(2, 1)]
    assert [(p.total, p.submitted) for p in progress[second_seat.pk]] == [(1, 0)]


def test_neighbours_follow_the_edition_page_order_and_next_to_score_skips_done():
    jury = jury_review(entries=0)
    member = jury.members[1]
    later_category = CategoryFactory(edition=jury.edition, order=9)
    b = EntryFactory(category=jury.category, practice=PracticeFactory(title="B"))
    a = EntryFactory(category=jury.category, practice=PracticeFactory(title="A"))
    c = EntryFactory(category=later_category, practice=PracticeFactory(title="C"))
    d = EntryFactory(category=later_category, practice=PracticeFactory(title="D"))
    EntryFactory(category=jury.category, practice=PracticeFactory(title="AA"), status="withdrawn")
    submit(jury, member, c, 5, 5)
    ConflictOfInterest.objects.create(member=member, entry=d)

    at_b = jury_entry_neighbours(member, b)
    at_a = jury_entry_neighbours(member, a)
    at_d = jury_entry_neighbours(member, d)

    assert (at_b.previous["pk"], at_b.next["pk"], at_b.next_to_score["pk"]) == (a.pk, c.pk, a.pk)
    assert (at_a.previous, at_a.next["title"], at_a.next_to_score["pk"]) == (None, "B", b.pk)
    assert (at_d.next, at_d.next_to_score["pk"]) == (None, a.pk)


def test_next_to_score_is_none_when_everything_is_done():
    jury = jury_review(entries=2)
    member = jury.members[1]
    for entry in jury.entries:
        submit(jury, member, entry, 5, 5)

    neighbours = jury_entry_neighbours(member, jury.entries[0])

    assert neighbours.next_to_score is None
    around = [n["pk"] for n in (neighbours.previous, neighbours.next) if n]
    assert around == [jury.entries[1].pk]
