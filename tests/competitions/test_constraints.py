"""The database holds the competition rules: places, one entry, one vote, consistent rows."""

import pytest

from competitions.models import Category, Entry, Score
from tests.competitions.conftest import open_vote
from tests.conftest import refused_by_database
from tests.factories import (
    BallotFactory,
    CategoryFactory,
    CompetitionFactory,
    CriterionFactory,
    EditionFactory,
    EntryFactory,
    JuryMemberFactory,
    PracticeFactory,
    VoteFactory,
)

pytestmark = pytest.mark.django_db


def laureate(category, place, **fields):
    return EntryFactory(category=category, status="laureate", laureate_place=place, **fields)


def test_competition_and_edition_slugs_are_unique():
    competition = CompetitionFactory(slug="samorzadowy-lider-zarzadzania")
    EditionFactory(competition=competition, year=2022, slug="slz-2022")

    with refused_by_database("competitions_competition_slug_key"):
        CompetitionFactory(slug="samorzadowy-lider-zarzadzania")
    with refused_by_database("competitions_edition_slug_key"):
        EditionFactory(competition=competition, year=2023, slug="slz-2022")


def test_category_slug_is_unique_within_its_edition():
    edition = EditionFactory()
    CategoryFactory(edition=edition, slug="edukacja")

    with refused_by_database("category_slug_unique"):
        CategoryFactory(edition=edition, slug="edukacja")
    assert CategoryFactory(slug="edukacja").edition != edition


def test_entry_same_practice_twice_in_a_category_is_refused():
    entry = EntryFactory()

    with refused_by_database("entry_one_per_practice_per_category"):
        EntryFactory(category=entry.category, practice=entry.practice)


def test_entry_same_practice_in_another_category_is_allowed():
    entry = EntryFactory()
    other = EntryFactory(practice=entry.practice)

    assert Entry.objects.filter(practice=entry.practice).count() == 2
    assert other.category != entry.category


def test_laureate_place_used_twice_in_a_category_is_refused():
    category = CategoryFactory(laureate_places=3)
    laureate(category, 1)

    with refused_by_database("entry_laureate_place_unique"):
        laureate(category, 1)


def test_laureate_place_above_the_categorys_places_is_refused():
    category = CategoryFactory(laureate_places=3)
    laureate(category, 3)

    with refused_by_database("entry_laureate_place_within_category"):
        laureate(category, 4)


def test_laureate_place_zero_is_refused():
    # The trigger runs before the row's CHECK (entry_laureate_place_range) would.
    with refused_by_database("entry_laureate_place_within_category"):
        laureate(CategoryFactory(), 0)


def test_laureate_place_in_a_category_without_places_is_refused():
    with refused_by_database("entry_laureate_place_within_category"):
        laureate(CategoryFactory(laureate_places=0), 1)


def test_laureate_moved_to_a_smaller_category_is_refused():
    entry = laureate(CategoryFactory(laureate_places=3), 3)
    smaller = CategoryFactory(edition=entry.category.edition, laureate_places=2)

    with refused_by_database("entry_laureate_place_within_category"):
        Entry.objects.filter(pk=entry.pk).update(category=smaller)


def test_category_shrinking_below_a_given_place_is_refused():
    category = CategoryFactory(laureate_places=3)
    laureate(category, 3)

    with refused_by_database("category_places_cover_laureates"):
        Category.objects.filter(pk=category.pk).update(laureate_places=2)


def test_laureate_without_place_and_place_without_laureate_are_refused():
    with refused_by_database("entry_laureate_has_place"):
        EntryFactory(status="laureate", laureate_place=None)
    with refused_by_database("entry_laureate_has_place"):
        EntryFactory(status="finalist", laureate_place=2)


def test_second_winner_in_a_category_is_refused():
    category = CategoryFactory()
    laureate(category, 1, is_winner=True)

    with refused_by_database("entry_one_winner_per_category"):
        laureate(category, 2, is_winner=True)


def test_winner_who_is_not_a_laureate_is_refused():
    with refused_by_database("entry_winner_is_laureate"):
        EntryFactory(status="finalist", is_winner=True)


def test_second_vote_of_a_ballot_in_a_category_is_refused():
    vote = open_vote(categories=1)
    first, second = vote.laureates[vote.categories[0].pk][:2]
    ballot, _code = vote.ballots[0]
    VoteFactory(ballot=ballot, entry=first)

    with refused_by_database("vote_one_per_ballot_per_category"):
        VoteFactory(ballot=ballot, entry=second)


def test_vote_for_an_entry_of_another_category_is_refused():
    vote = open_vote(categories=2)
    education, culture = vote.categories
    entry = vote.laureates[culture.pk][0]

    with refused_by_database("vote_entry_in_ballot_edition"):
        VoteFactory(ballot=vote.ballots[0][0], entry=entry, category=education)


def test_vote_with_a_ballot_of_another_edition_is_refused():
    vote = open_vote(categories=1)
    entry = vote.laureates[vote.categories[0].pk][0]

    with refused_by_database("vote_entry_in_ballot_edition"):
        VoteFactory(ballot=BallotFactory(), entry=entry)


def test_ballot_code_hash_is_unique():
    BallotFactory(code_hash="a" * 64)

    with refused_by_database("competitions_ballot_code_hash_key"):
        BallotFactory(code_hash="a" * 64)


def test_score_outside_the_criterions_scale_is_refused():
    entry = EntryFactory(category__edition__phase="jury_review")
    edition = entry.category.edition
    member = JuryMemberFactory(edition=edition)
    criterion = CriterionFactory(edition=edition, scale_min=1, scale_max=5)

    with refused_by_database("score_within_scale"):
        Score.objects.create(member=member, entry=entry, criterion=criterion, value=6)


def test_score_by_a_juror_of_another_edition_is_refused():
    entry = EntryFactory(category__edition__phase="jury_review")
    criterion = CriterionFactory(edition=entry.category.edition)
    stranger = JuryMemberFactory(edition__phase="jury_review")

    with refused_by_database("score_same_edition"):
        Score.objects.create(member=stranger, entry=entry, criterion=criterion, value=3)


def test_score_on_a_conflicted_entry_is_refused():
    entry = EntryFactory(category__edition__phase="jury_review")
    edition = entry.category.edition
    member = JuryMemberFactory(edition=edition)
    member.conflicts.create(entry=entry, reason="pracuje w tej gminie")

    with refused_by_database("score_not_conflicted"):
        Score.objects.create(
            member=member, entry=entry, criterion=CriterionFactory(edition=edition), value=3
        )


def test_second_score_on_the_same_criterion_is_refused():
    entry = EntryFactory(category__edition__phase="jury_review")
    edition = entry.category.edition
    member = JuryMemberFactory(edition=edition)
    criterion = CriterionFactory(edition=edition)
    Score.objects.create(member=member, entry=entry, criterion=criterion, value=3)

    with refused_by_database("score_one_per_member_entry_criterion"):
        Score.objects.create(member=member, entry=entry, criterion=criterion, value=4)


def test_edition_twice_in_one_year_is_refused():
    edition = EditionFactory(year=2020)

    with refused_by_database("edition_one_per_year"):
        EditionFactory(competition=edition.competition, year=2020, slug="inny-slug")


def test_practice_with_entries_cannot_be_deleted():
    from django.db.models import ProtectedError

    entry = EntryFactory()

    with pytest.raises(ProtectedError):
        PracticeFactory._meta.model.objects.filter(pk=entry.practice_id).delete()
