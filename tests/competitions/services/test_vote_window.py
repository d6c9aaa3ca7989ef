"""The organiser extends a running vote or closes it early, with a reason, logged."""

import datetime

import pytest
from django.utils import timezone

from competitions.models import DecisionLog, Edition, Vote
from competitions.services.ballots import vote_cast
from competitions.services.phases import edition_advance_phase, edition_change_vote_close
from competitions.services.refusals import PhaseRefused, VoteRefused
from tests.competitions.conftest import ballot_with_code, closed_vote
from tests.conftest import refused_by_database

pytestmark = pytest.mark.django_db

HOUR = datetime.timedelta(hours=1)


def _first_laureate(vote):
    category = vote.categories[0]
    return category, vote.laureates[category.pk][0]


def test_extending_the_vote_moves_its_end_and_logs_who_and_why(vote):
    later = vote.edition.vote_closes_at + 2 * HOUR

    edition = edition_change_vote_close(
        edition=vote.edition, closes_at=later, actor=None, reason="Przerwa w obradach"
    )

    assert Edition.objects.get(pk=edition.pk).vote_closes_at == later
    log = DecisionLog.objects.get(edition=edition, action="window")
    assert log.reason == "Przerwa w obradach"
    assert log.after["vote_closes_at"] == later.isoformat()
    assert log.after["closed_now"] is False


def test_closing_the_vote_now_refuses_the_next_vote(vote):
    category, entry = _first_laureate(vote)
    ballot, _code = vote.ballots[0]

    edition_change_vote_close(
        edition=vote.edition, closes_at=timezone.now(), actor=None, reason="Koniec kongresu"
    )

    with pytest.raises(VoteRefused) as refusal:
        vote_cast(ballot=ballot, category_id=category.pk, entry_id=entry.pk)
    assert refusal.value.reason == "closed"
    assert not Vote.objects.exists()
    assert DecisionLog.objects.get(action="window").after["closed_now"] is True


def test_a_closed_vote_may_be_reopened_before_the_results():
    vote = closed_vote(choices=[0])  # one ballot voted while the window was open
    category = vote.categories[0]
    fresh, _code = ballot_with_code(vote.edition)
    second = vote.laureates[category.pk][1]

    edition_change_vote_close(
        edition=vote.edition,
        closes_at=timezone.now() + HOUR,
        actor=None,
        reason="Awaria sieci na sali",
    )
    vote_cast(ballot=fresh, category_id=category.pk, entry_id=second.pk)

    assert Vote.objects.filter(category=category).count() == 2


def test_after_the_results_the_vote_never_returns():
    vote = closed_vote(choices=[0])
    edition = edition_advance_phase(edition=vote.edition, actor=None)

    with pytest.raises(PhaseRefused, match="po ogłoszeniu wyników głosowanie nie wraca"):
        edition_change_vote_close(
            edition=edition, closes_at=timezone.now() + HOUR, actor=None, reason="Jeszcze raz"
        )
    with refused_by_database("edition_vote_rules_locked"):
        Edition.objects.filter(pk=edition.pk).update(vote_closes_at=timezone.now() + HOUR)


@pytest.mark.parametrize(
    ("moves", "reason", "refused"),
    [
        (-HOUR, "Za późno", "teraz albo później"),
        (HOUR, "   ", "Podaj powód"),
    ],
)
def test_a_change_needs_a_reason_and_an_end_not_in_the_past(vote, moves, reason, refused):
    with pytest.raises(PhaseRefused, match=refused):
        edition_change_vote_close(
            edition=vote.edition, closes_at=timezone.now() + moves, actor=None, reason=reason
        )
    assert not DecisionLog.objects.filter(action="window").exists()
