"""Hundreds of votes at once, from threads with their own database connections.

300 ballots × 5 categories, every (ballot, category) tried once, and every
tenth ballot tried a second time in every category (for another laureate) at
the same moment, while the same ballot is also used by other threads for its
other categories. Afterwards: one vote per (ballot, category) tried, none lost,
every refusal a clean VoteRefused for a second vote, nothing else raised.
"""

import random
import threading
import time
from collections import Counter

import pytest
from django.db import connection

from competitions.models import Ballot, Vote
from competitions.services.ballots import vote_cast
from competitions.services.refusals import VoteRefused
from tests.competitions.conftest import open_vote

BALLOTS = 300
CATEGORIES = 5
THREADS = 16
DUPLICATE_EVERY = 10


@pytest.mark.django_db(transaction=True)
def test_vote_cast_concurrently_keeps_one_vote_per_ballot_and_category():
    vote = open_vote(categories=CATEGORIES, places=3, ballots=0)
    ballots = Ballot.objects.bulk_create(
        Ballot(edition=vote.edition, code_hash=f"{n:064x}", label=f"Uczestnik {n}")
        for n in range(BALLOTS)
    )
    rng = random.Random(5)
    attempts = []
    for ballot in ballots:
        for category in vote.categories:
            laureates = vote.laureates[category.pk]
            attempts.append((ballot, category.pk, rng.choice(laureates).pk))
            if ballot.pk % DUPLICATE_EVERY == 0:
                # The same ballot and category again, for another laureate.
                attempts.append((ballot, category.pk, rng.choice(laureates).pk))
    rng.shuffle(attempts)
    shares = [attempts[i::THREADS] for i in range(THREADS)]
    start = threading.Barrier(THREADS)
    successes: Counter = Counter()
    refusals: Counter = Counter()
    errors: list[str] = []
    lock = threading.Lock()

    def voter(share):
        try:
            start.wait()
            for ballot, category_id, entry_id in share:
                try:
                    vote_cast(ballot=ballot, category_id=category_id, entry_id=entry_id)
                except VoteRefused as refusal:
                    with lock:
                        refusals[refusal.reason] += 1
                else:
                    with lock:
                        successes[(ballot.pk, category_id)] += 1
        except Exception as error:  # anything else is a failure of the test, reported below
            with lock:
                errors.append(repr(error))
        finally:
            connection.close()

    threads = [threading.Thread(target=voter, args=(share,)) for share in shares]
    began = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - began

    tried = {(ballot.pk, category_id) for ballot, category_id, _entry in attempts}
    stored = list(Vote.objects.values_list("ballot_id", "category_id"))
    duplicates = len(attempts) - len(tried)
    print(
        f"\nconcurrent votes: {len(attempts)} attempts from {THREADS} threads, "
        f"{sum(successes.values())} cast, {sum(refusals.values())} refused "
        f"({dict(refusals)}), {len(stored)} stored, {elapsed:.2f} s"
    )
    assert errors == []
    assert set(successes.values()) == {1}
    assert len(stored) == len(set(stored)) == sum(successes.values())
    assert set(stored) == tried  # no lost vote
    assert refusals == Counter({"used": duplicates})
    assert len(stored) == len(attempts) - duplicates == BALLOTS * CATEGORIES
