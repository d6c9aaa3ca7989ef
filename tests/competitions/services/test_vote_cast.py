"""vote_cast and ballot_authenticate: every refusal is a clear VoteRefused and writes nothing."""

import datetime

import pytest
from django.utils import timezone

from competitions.models import Edition, Vote
from competitions.services.ballots import ballot_authenticate, vote_cast
from competitions.services.refusals import VoteRefused
from tests.competitions.conftest import open_vote
from tests.factories import EntryFactory

pytestmark = pytest.mark.django_db

HOUR = datetime.timedelta(hours=1)


def refused(reason: str, call) -> str:
    """Run `call`, assert it is refused for `reason` and that no vote was written."""
    before = Vote.objects.count()
    with pytest.raises(VoteRefused) as refusal:
        call()
    assert refusal.value.reason == reason, str(refusal.value)
    assert Vote.objects.count() == before
    return str(refusal.value)


def test_vote_cast_for_a_laureate_records_one_vote(vote):
    category = vote.categories[0]
    entry = vote.laureates[category.pk][1]
    ballot, _code = vote.ballots[0]

    cast = vote_cast(ballot=ballot, category_id=category.pk, entry_id=entry.pk)

    assert (cast.ballot, cast.category, cast.entry) == (ballot, category, entry)
    assert Vote.objects.count() == 1


def test_vote_cast_in_every_category_with_one_ballot_is_allowed(vote):
    ballot, _code = vote.ballots[0]

    for category in vote.categories:
        vote_cast(
            ballot=ballot, category_id=category.pk, entry_id=vote.laureates[category.pk][0].pk
        )

    assert ballot.votes.count() == len(vote.categories)


def test_vote_cast_before_the_window_opens_is_refused():
    now = timezone.now()
    vote = open_vote(vote_opens_at=now + HOUR, vote_closes_at=now + 2 * HOUR)
    category = vote.categories[0]

    message = refused(
        "not_open_yet",
        lambda: vote_cast(
            ballot=vote.ballots[0][0],
            category_id=category.pk,
            entry_id=vote.laureates[category.pk][0].pk,
        ),
    )
    assert message.startswith("Głosowanie jeszcze się nie rozpoczęło.")


def test_vote_cast_after_the_window_closes_is_refused():
    now = timezone.now()
    vote = open_vote(vote_opens_at=now - 2 * HOUR, vote_closes_at=now - HOUR)
    category = vote.categories[0]

    message = refused(
        "closed",
        lambda: vote_cast(
            ballot=vote.ballots[0][0],
            category_id=category.pk,
            entry_id=vote.laureates[category.pk][0].pk,
        ),
    )
    assert "Głosów nie można już oddawać." in message


def test_vote_cast_when_the_edition_is_not_in_its_vote_is_refused(vote):
    Edition.objects.filter(pk=vote.edition.pk).update(phase="results")
    category = vote.categories[0]

    message = refused(
        "phase",
        lambda: vote_cast(
            ballot=vote.ballots[0][0],
            category_id=category.pk,
            entry_id=vote.laureates[category.pk][0].pk,
        ),
    )
    assert message == "Głosowanie w tej edycji nie trwa (etap: wyniki ogłoszone)."


def test_vote_cast_for_an_entry_that_is_not_a_laureate_is_refused(vote):
    category = vote.categories[0]
    finalist = EntryFactory(category=category, status="finalist")

    message = refused(
        "not_laureate",
        lambda: vote_cast(ballot=vote.ballots[0][0], category_id=category.pk, entry_id=finalist.pk),
    )
    assert message == "Głosować można tylko na laureatów wskazanych przez jury."


def test_vote_cast_for_an_entry_of_another_category_is_refused(vote):
    education, culture = vote.categories

    refused(
        "other_category",
        lambda: vote_cast(
            ballot=vote.ballots[0][0],
            category_id=education.pk,
            entry_id=vote.laureates[culture.pk][0].pk,
        ),
    )


def test_vote_cast_for_an_entry_of_another_edition_is_refused(vote):
    other = open_vote(categories=1)
    foreign = other.laureates[other.categories[0].pk][0]

    refused(
        "other_edition",
        lambda: vote_cast(
            ballot=vote.ballots[0][0], category_id=vote.categories[0].pk, entry_id=foreign.pk
        ),
    )


def test_vote_cast_for_an_entry_that_does_not_exist_is_refused(vote):
    refused(
        "other_edition",
        lambda: vote_cast(
            ballot=vote.ballots[0][0], category_id=vote.categories[0].pk, entry_id=999_999
        ),
    )


def test_vote_cast_twice_in_a_category_is_refused_and_the_first_stays(vote):
    category = vote.categories[0]
    first, second = vote.laureates[category.pk][:2]
    ballot, _code = vote.ballots[0]
    vote_cast(ballot=ballot, category_id=category.pk, entry_id=first.pk)

    message = refused(
        "used", lambda: vote_cast(ballot=ballot, category_id=category.pk, entry_id=second.pk)
    )
    assert "Głos jest ostateczny." in message
    assert list(ballot.votes.values_list("entry", flat=True)) == [first.pk]


def test_ballot_authenticate_finds_the_ballot_however_the_code_is_typed(vote):
    ballot, code = vote.ballots[0]

    typed = code.lower().replace("-", " ")

    assert ballot_authenticate(edition=vote.edition, code=typed) == ballot


def test_ballot_authenticate_with_an_unknown_code_is_refused(vote):
    message = refused(
        "unknown", lambda: ballot_authenticate(edition=vote.edition, code="ABCD-EFGH-JKMN")
    )
    assert message.startswith("Nie znamy takiego kodu w tym głosowaniu.")


def test_ballot_authenticate_with_a_code_of_another_edition_is_refused(vote):
    _ballot, code = open_vote(categories=1).ballots[0]

    refused("unknown", lambda: ballot_authenticate(edition=vote.edition, code=code))


def test_ballot_authenticate_with_a_malformed_code_is_refused(vote):
    message = refused(
        "malformed", lambda: ballot_authenticate(edition=vote.edition, code="ABCD-0000")
    )
    assert "kod ma 12 znaków" in message


def test_ballot_authenticate_with_a_code_used_in_every_category_is_refused(vote):
    ballot, code = vote.ballots[0]
    for category in vote.categories:
        vote_cast(
            ballot=ballot, category_id=category.pk, entry_id=vote.laureates[category.pk][0].pk
        )

    message = refused("used", lambda: ballot_authenticate(edition=vote.edition, code=code))
    assert message.startswith("Ten kod został już wykorzystany")


def test_ballot_authenticate_outside_the_window_is_refused():
    now = timezone.now()
    vote = open_vote(vote_opens_at=now - 2 * HOUR, vote_closes_at=now - HOUR)

    refused("closed", lambda: ballot_authenticate(edition=vote.edition, code=vote.ballots[0][1]))
