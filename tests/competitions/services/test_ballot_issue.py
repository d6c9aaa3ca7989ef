"""ballot_issue: codes handed out once, stored only as hashes."""

import pytest

from competitions.codes import code_hash, code_normalise
from competitions.models import Ballot, BallotBatch
from competitions.services.ballots import ballot_authenticate, ballot_issue
from competitions.services.refusals import BallotRefused
from tests.competitions.conftest import open_vote
from tests.factories import EditionFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_ballot_issue_by_number_stores_only_hashes_and_the_batch():
    edition = EditionFactory(phase="jury_review")
    staff = UserFactory()

    codes = ballot_issue(edition=edition, issued_by=staff, count=25)

    assert len({c.code for c in codes}) == 25
    stored = set(Ballot.objects.filter(edition=edition).values_list("code_hash", flat=True))
    assert stored == {code_hash(code_normalise(c.code)) for c in codes}
    assert not {c.code for c in codes} & stored
    batch = BallotBatch.objects.get()
    assert (batch.edition, batch.issued_by, batch.size) == (edition, staff, 25)


def test_ballot_issue_per_participant_keeps_the_labels_in_order():
    edition = EditionFactory(phase="jury_review")

    codes = ballot_issue(
        edition=edition, issued_by=None, labels=["Jan Kowalski", "  ", "Anna Nowak "]
    )

    assert [c.label for c in codes] == ["Jan Kowalski", "Anna Nowak"]
    assert sorted(Ballot.objects.values_list("label", flat=True)) == ["Anna Nowak", "Jan Kowalski"]


def test_ballot_issue_codes_work_in_the_vote():
    vote = open_vote(categories=1, ballots=0)

    codes = ballot_issue(edition=vote.edition, issued_by=None, count=3)

    ballot = ballot_authenticate(edition=vote.edition, code=codes[2].code)
    assert ballot.edition == vote.edition


@pytest.mark.parametrize(
    ("phase", "has_public_vote", "reason"),
    [("results", True, "closed"), ("archived", True, "closed"), ("jury_review", False, "no_vote")],
)
def test_ballot_issue_without_a_vote_to_come_is_refused(phase, has_public_vote, reason):
    edition = EditionFactory(phase=phase, has_public_vote=has_public_vote)

    with pytest.raises(BallotRefused) as refusal:
        ballot_issue(edition=edition, issued_by=None, count=5)

    assert refusal.value.reason == reason
    assert not Ballot.objects.exists()


@pytest.mark.parametrize(
    "kwargs",
    [{"count": 0}, {"count": 5001}, {"labels": []}, {"count": 2, "labels": ["A"]}, {}],
)
def test_ballot_issue_with_bad_numbers_is_refused(kwargs):
    edition = EditionFactory(phase="jury_review")

    with pytest.raises(BallotRefused):
        ballot_issue(edition=edition, issued_by=None, **kwargs)

    assert not BallotBatch.objects.exists()
