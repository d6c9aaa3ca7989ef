"""Editions at the stages the competition tests need, built the way the services leave them."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

import pytest
from django.db import connection
from django.utils import timezone

from competitions.codes import code_generate, code_hash, code_normalise
from competitions.models import Ballot, Category, Criterion, Edition, Entry, JuryMember, Vote
from tests.factories import (
    CategoryFactory,
    CriterionFactory,
    EditionFactory,
    EntryFactory,
    JuryMemberFactory,
    UserFactory,
)

HOUR = datetime.timedelta(hours=1)


def laureate(category: Category, place: int, **fields) -> Entry:
    return EntryFactory(category=category, status="laureate", laureate_place=place, **fields)


def ballot_with_code(edition: Edition, label: str = "") -> tuple[Ballot, str]:
    """A ballot and its plain code, as the voter holds it (the database keeps the hash)."""
    code = code_generate()
    ballot = Ballot.objects.create(
        edition=edition, code_hash=code_hash(code_normalise(code)), label=label
    )
    return ballot, code


@dataclass
class OpenVote:
    """An open vote: categories with laureates, and ballots with their codes."""

    edition: Edition
    categories: list[Category]
    laureates: dict[int, list[Entry]]  # category id → entries by place
    ballots: list[tuple[Ballot, str]] = field(default_factory=list)


def open_vote(*, categories: int = 2, places: int = 3, ballots: int = 2, **fields) -> OpenVote:
    """Categories and laureates are made before the vote opens, as the jury leaves them."""
    now = timezone.now()
    window = {
        "vote_opens_at": now - datetime.timedelta(hours=1),
        "vote_closes_at": now + datetime.timedelta(hours=1),
    }
    edition = EditionFactory(**{"phase": "jury_review", **window, **fields})
    vote = OpenVote(edition=edition, categories=[], laureates={})
    for order in range(categories):
        category = CategoryFactory(edition=edition, order=order, laureate_places=places)
        vote.categories.append(category)
        vote.laureates[category.pk] = [laureate(category, p) for p in range(1, places + 1)]
    Edition.objects.filter(pk=edition.pk).update(
        phase="public_vote", vote_rules_locked_at=window["vote_opens_at"]
    )
    edition.refresh_from_db()
    vote.ballots = [ballot_with_code(edition, f"Uczestnik {i}") for i in range(ballots)]
    return vote


@pytest.fixture
def vote(db) -> OpenVote:
    return open_vote()


def cast_in_the_past(ballot: Ballot, entry: Entry) -> None:
    """Record a vote cast while the (now closed) window was open.

    The window is locked and the clock cannot be turned back, so the trigger
    that checks the clock is set aside for this one insert; every other rule
    still holds.
    """
    with connection.cursor() as cursor:
        # ALTER TABLE needs no foreign-key checks pending: run them now.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute("ALTER TABLE competitions_vote DISABLE TRIGGER vote_allowed")
        try:
            Vote.objects.create(ballot=ballot, category=entry.category, entry=entry)
        finally:
            cursor.execute("ALTER TABLE competitions_vote ENABLE TRIGGER vote_allowed")
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")


def closed_vote(*, choices: list[int], categories: int = 1, places: int = 3) -> OpenVote:
    """A vote whose window has closed; ballot i voted for laureate `choices[i]` in each category."""
    now = timezone.now()
    vote = open_vote(
        categories=categories,
        places=places,
        ballots=len(choices),
        vote_opens_at=now - 3 * HOUR,
        vote_closes_at=now - HOUR,
    )
    for (ballot, _code), choice in zip(vote.ballots, choices, strict=True):
        for category in vote.categories:
            cast_in_the_past(ballot, vote.laureates[category.pk][choice])
    return vote


@pytest.fixture
def tie(db) -> OpenVote:
    """A closed vote in one category where the laureates in places 1 and 2 tie, 1 : 1."""
    return closed_vote(choices=[0, 1])


@dataclass
class Jury:
    edition: Edition
    chair: JuryMember
    members: list[JuryMember]
    criteria: list[Criterion]
    category: Category
    entries: list[Entry]


def jury_review(*, entries: int = 3, members: int = 2, places: int = 3) -> Jury:
    """An edition in its jury review: one category, entries, two weighted criteria, a jury."""
    edition = EditionFactory(phase="jury_review")
    category = CategoryFactory(edition=edition, laureate_places=places)
    chair = JuryMemberFactory(
        edition=edition, is_chair=True, user=UserFactory(first_name="Anna", last_name="Chair")
    )
    others = [JuryMemberFactory(edition=edition) for _ in range(members - 1)]
    criteria = [
        CriterionFactory(edition=edition, name="Innowacyjność", weight=2, scale_max=10, order=1),
        CriterionFactory(edition=edition, name="Trwałość", weight=1, scale_max=10, order=2),
    ]
    return Jury(
        edition=edition,
        chair=chair,
        members=[chair, *others],
        criteria=criteria,
        category=category,
        entries=[EntryFactory(category=category) for _ in range(entries)],
    )


@pytest.fixture
def jury(db) -> Jury:
    return jury_review()
