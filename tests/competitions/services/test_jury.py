"""The jury's scores: within the phase and the scale, never on a conflict, final once submitted."""

import pytest

from competitions.jury_selectors import edition_jury_ranking, entry_scores_for
from competitions.models import ConflictOfInterest, Edition, JurySubmission, Score
from competitions.services.jury import jury_conflict_declare, jury_scores_save
from competitions.services.refusals import JuryRefused
from tests.factories import EntryFactory

pytestmark = pytest.mark.django_db


def values(jury, innovation, durability):
    return {jury.criteria[0].pk: innovation, jury.criteria[1].pk: durability}


def refused(reason: str, call) -> str:
    before = (Score.objects.count(), JurySubmission.objects.count())
    with pytest.raises(JuryRefused) as refusal:
        call()
    assert refusal.value.reason == reason, str(refusal.value)
    assert (Score.objects.count(), JurySubmission.objects.count()) == before
    return str(refusal.value)


def test_jury_scores_save_as_draft_then_submit(jury):
    member, entry = jury.members[1], jury.entries[0]

    jury_scores_save(member=member, entry=entry, values=values(jury, 7, None))
    jury_scores_save(
        member=member,
        entry=entry,
        values=values(jury, 8, 5),
        comments={jury.criteria[0].pk: " Nowatorskie. "},
        submit=True,
    )

    scores = {s.criterion_id: (s.value, s.comment) for s in Score.objects.filter(member=member)}
    assert scores == {jury.criteria[0].pk: (8, "Nowatorskie."), jury.criteria[1].pk: (5, "")}
    assert JurySubmission.objects.filter(member=member, entry=entry).exists()


def test_jury_scores_outside_the_jury_review_are_refused(jury):
    Edition.objects.filter(pk=jury.edition.pk).update(phase="submissions")

    message = refused(
        "phase",
        lambda: jury_scores_save(
            member=jury.chair, entry=jury.entries[0], values=values(jury, 5, 5)
        ),
    )
    assert message == "Oceny można wystawiać tylko na etapie oceny jury (teraz: nabór zgłoszeń)."


def test_jury_scores_outside_the_scale_are_refused(jury):
    message = refused(
        "scale",
        lambda: jury_scores_save(
            member=jury.chair, entry=jury.entries[0], values=values(jury, 11, 5)
        ),
    )
    assert message == "Ocena za „Innowacyjność” musi być liczbą całkowitą od 0 do 10."


def test_jury_scores_on_a_conflicted_entry_are_refused(jury):
    entry = jury.entries[0]
    jury_conflict_declare(member=jury.chair, entry=entry, reason="Mieszkam w tej gminie")

    refused(
        "conflict",
        lambda: jury_scores_save(member=jury.chair, entry=entry, values=values(jury, 5, 5)),
    )


def test_jury_scores_on_an_entry_of_another_edition_are_refused(jury):
    stranger = EntryFactory(category__edition__phase="jury_review")

    refused(
        "edition",
        lambda: jury_scores_save(member=jury.chair, entry=stranger, values=values(jury, 5, 5)),
    )


def test_jury_scores_submitted_without_every_criterion_are_refused(jury):
    message = refused(
        "incomplete",
        lambda: jury_scores_save(
            member=jury.chair, entry=jury.entries[0], values=values(jury, 5, None), submit=True
        ),
    )
    assert message.endswith("Brakuje: Trwałość.")


def test_jury_scores_once_submitted_are_final(jury):
    entry = jury.entries[0]
    jury_scores_save(member=jury.chair, entry=entry, values=values(jury, 5, 5), submit=True)

    refused(
        "submitted",
        lambda: jury_scores_save(member=jury.chair, entry=entry, values=values(jury, 9, 9)),
    )
    assert set(Score.objects.values_list("value", flat=True)) == {5}


def test_jury_conflict_removes_draft_scores_and_hides_others_scores(jury):
    entry = jury.entries[0]
    jury_scores_save(member=jury.chair, entry=entry, values=values(jury, 4, None))

    jury_conflict_declare(member=jury.chair, entry=entry, reason="Pracuję w tym urzędzie")

    assert not Score.objects.filter(member=jury.chair).exists()
    assert ConflictOfInterest.objects.get().reason == "Pracuję w tym urzędzie"


def test_jury_conflict_after_submitting_is_refused(jury):
    entry = jury.entries[0]
    jury_scores_save(member=jury.chair, entry=entry, values=values(jury, 5, 5), submit=True)

    with pytest.raises(JuryRefused):
        jury_conflict_declare(member=jury.chair, entry=entry)

    assert not ConflictOfInterest.objects.exists()


def test_others_scores_are_visible_only_after_submitting_ones_own(jury):
    entry = jury.entries[0]
    chair, member = jury.members
    jury_scores_save(member=member, entry=entry, values=values(jury, 6, 3), submit=True)

    before = entry_scores_for(chair, entry)
    jury_scores_save(member=chair, entry=entry, values=values(jury, 9, 9), submit=True)
    after = entry_scores_for(chair, entry)

    assert before is None
    assert {row.member: row.points for row in after} == {member: 50, chair: 90}


def test_ranking_uses_weighted_means_median_count_and_spread(jury):
    first, second, unscored = jury.entries
    chair, member = jury.members
    # Both criteria are on 0–10, so a value v is 10·v points.
    # chair: (2×90 + 1×60)/3 = 80; member: (2×60 + 1×30)/3 = 50 → mean 65, median 65, spread 30
    jury_scores_save(member=chair, entry=first, values=values(jury, 9, 6), submit=True)
    jury_scores_save(member=member, entry=first, values=values(jury, 6, 3), submit=True)
    jury_scores_save(member=chair, entry=second, values=values(jury, 10, 10), submit=True)
    # A draft does not count.
    jury_scores_save(member=member, entry=second, values=values(jury, 0, 0))

    (ranking,) = edition_jury_ranking(jury.edition)

    rows = [(r.entry, r.rank, r.mean, r.median, r.scorers, r.spread) for r in ranking.rows]
    assert rows == [
        (second, 1, 100, 100, 1, 0),
        (first, 2, 65, 65, 2, 30),
        (unscored, None, None, None, 0, None),
    ]
