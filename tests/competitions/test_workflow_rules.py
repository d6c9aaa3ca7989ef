"""The database holds the workflow's rules too (migration 0004), whatever code writes."""

import datetime

import pytest
from django.db import connection
from django.utils import timezone

from competitions.models import (
    Category,
    DecisionLog,
    Edition,
    Entry,
    JurySubmission,
    Score,
    TieResolution,
    Vote,
)
from tests.competitions.conftest import open_vote
from tests.conftest import refused_by_database
from tests.factories import (
    CategoryFactory,
    CriterionFactory,
    EditionFactory,
    EntryFactory,
    JuryMemberFactory,
)

pytestmark = pytest.mark.django_db

HOUR = datetime.timedelta(hours=1)


def delete_row(table: str, pk: int) -> None:
    """Delete one row in SQL, as any client could (Django would delete dependants first)."""
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {table} WHERE id = %s", [pk])


def test_public_vote_without_locked_rules_is_refused():
    with refused_by_database("edition_public_vote_is_locked"):
        EditionFactory(phase="public_vote")


def test_locked_rules_without_a_window_are_refused():
    with refused_by_database("edition_locked_vote_has_window"):
        EditionFactory(vote_rules_locked_at=timezone.now())


def test_locked_vote_window_cannot_change_but_for_its_end_during_the_vote(vote):
    # The end may move while the vote runs (the organiser's logged extension or early
    # close, tests/competitions/services/test_vote_window.py); the start may not.
    with refused_by_database("edition_vote_rules_locked"):
        Edition.objects.filter(pk=vote.edition.pk).update(
            vote_opens_at=vote.edition.vote_opens_at - HOUR
        )
    with refused_by_database("edition_vote_rules_locked"):
        Edition.objects.filter(pk=vote.edition.pk).update(vote_rules_locked_at=None)


def test_locked_edition_saved_unchanged_is_allowed(vote):
    edition = Edition.objects.get(pk=vote.edition.pk)
    edition.theme = "Nowy opis tematu"

    edition.save()

    assert Edition.objects.get(pk=edition.pk).theme == "Nowy opis tematu"


def test_locked_edition_categories_cannot_be_added_resized_or_removed(vote):
    category = vote.categories[0]

    with refused_by_database("category_vote_rules_locked"):
        CategoryFactory(edition=vote.edition)
    with refused_by_database("category_vote_rules_locked"):
        Category.objects.filter(pk=category.pk).update(laureate_places=5)
    with refused_by_database("category_vote_rules_locked"):
        delete_row("competitions_category", category.pk)
    Category.objects.filter(pk=category.pk).update(name="Nowa nazwa")  # a name may change


def test_locked_edition_laureates_keep_their_places(vote):
    category = vote.categories[0]
    first, second, _third = vote.laureates[category.pk]

    with refused_by_database("entry_vote_rules_locked"):
        Entry.objects.filter(pk=first.pk).update(laureate_place=None, status="finalist")
    with refused_by_database("entry_vote_rules_locked"):
        Entry.objects.filter(pk=second.pk).update(category=vote.categories[1])
    with refused_by_database("entry_vote_rules_locked"):
        delete_row("competitions_entry", first.pk)


def test_locked_edition_gets_no_new_laureate(vote):
    category = vote.categories[0]
    finalist = EntryFactory(category=category, status="finalist")  # not a vote rule: allowed

    with refused_by_database("entry_vote_rules_locked"):
        Entry.objects.filter(pk=finalist.pk).update(status="laureate", laureate_place=3)
    with refused_by_database("entry_vote_rules_locked"):
        EntryFactory(category=category, status="laureate", laureate_place=2)


def test_locked_edition_may_still_name_winners_and_distinctions(vote):
    entry = vote.laureates[vote.categories[0].pk][0]

    Entry.objects.filter(pk=entry.pk).update(is_winner=True, distinction="Empatia")

    assert Entry.objects.get(pk=entry.pk).is_winner


def test_vote_outside_the_window_is_refused_by_the_database():
    now = timezone.now()
    vote = open_vote(vote_opens_at=now - 2 * HOUR, vote_closes_at=now - HOUR)
    entry = vote.laureates[vote.categories[0].pk][0]

    with refused_by_database("vote_within_window"):
        Vote.objects.create(ballot=vote.ballots[0][0], category=entry.category, entry=entry)


def test_vote_for_a_non_laureate_is_refused_by_the_database(vote):
    finalist = EntryFactory(category=vote.categories[0], status="finalist")

    with refused_by_database("vote_for_laureate"):
        Vote.objects.create(ballot=vote.ballots[0][0], category=finalist.category, entry=finalist)


def test_vote_cannot_be_changed(vote):
    category = vote.categories[0]
    first, second, _third = vote.laureates[category.pk]
    cast = Vote.objects.create(ballot=vote.ballots[0][0], category=category, entry=first)

    with refused_by_database("vote_is_final"):
        Vote.objects.filter(pk=cast.pk).update(entry=second)


def test_score_outside_the_jury_review_is_refused_by_the_database():
    entry = EntryFactory(category__edition__phase="submissions")
    edition = entry.category.edition

    with refused_by_database("score_in_jury_review"):
        Score.objects.create(
            member=JuryMemberFactory(edition=edition),
            entry=entry,
            criterion=CriterionFactory(edition=edition),
            value=3,
        )


def test_score_after_submitting_is_refused_by_the_database(jury):
    entry, criterion = jury.entries[0], jury.criteria[0]
    score = Score.objects.create(member=jury.chair, entry=entry, criterion=criterion, value=3)
    JurySubmission.objects.create(member=jury.chair, entry=entry)

    with refused_by_database("score_submitted_is_final"):
        Score.objects.filter(pk=score.pk).update(value=9)
    with refused_by_database("score_submitted_is_final"):
        Score.objects.create(member=jury.chair, entry=entry, criterion=jury.criteria[1], value=1)


def test_tie_resolution_for_an_entry_of_another_category_is_refused(vote):
    education, culture = vote.categories

    with refused_by_database("tie_resolution_entry_in_category"):
        TieResolution.objects.create(
            category=education, entry=vote.laureates[culture.pk][0], reason="Losowanie"
        )


def test_tie_resolution_without_a_reason_is_refused_by_the_database(vote):
    category = vote.categories[0]

    with refused_by_database("tie_resolution_has_reason"):
        TieResolution.objects.create(
            category=category, entry=vote.laureates[category.pk][0], reason=" "
        )


def test_decision_log_cannot_be_rewritten():
    log = DecisionLog.objects.create(
        edition=EditionFactory(), action="phase", before={"phase": "announced"}
    )

    with refused_by_database("decision_log_append_only"):
        DecisionLog.objects.filter(pk=log.pk).update(reason="poprawione")
