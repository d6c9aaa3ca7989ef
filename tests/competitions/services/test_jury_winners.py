"""An edition without a public vote whose rules give the title of winner to each
category's first place: the results name them, logged; without that rule, none."""

import pytest

from competitions.models import DecisionLog, Edition, Entry
from competitions.services.phases import edition_advance_phase, edition_next_phase_checklist
from competitions.services.refusals import PhaseRefused
from tests.competitions.conftest import laureate
from tests.factories import CategoryFactory, EditionFactory, EntryFactory, UserFactory

pytestmark = pytest.mark.django_db


def no_vote_edition(**fields) -> Edition:
    return EditionFactory(phase="jury_review", has_public_vote=False, **fields)


def test_results_name_each_first_place_the_winner_and_log_it():
    edition = no_vote_edition(jury_names_winners=True)
    first, second = CategoryFactory(edition=edition), CategoryFactory(edition=edition)
    winners = [laureate(first, 1), laureate(second, 1)]
    runners_up = [laureate(first, 2), laureate(second, 2)]
    EntryFactory(category=first, status="finalist")
    organiser = UserFactory()

    edition_advance_phase(edition=edition, actor=organiser)

    assert set(Entry.objects.filter(is_winner=True)) == set(winners)
    assert not Entry.objects.filter(pk__in=[e.pk for e in runners_up], is_winner=True).exists()
    logged = DecisionLog.objects.filter(action="winner").order_by("entry_id")
    assert [(line.entry_id, line.actor, line.after) for line in logged] == [
        (entry.pk, organiser, {"is_winner": True, "by": "jury", "laureate_place": 1})
        for entry in sorted(winners, key=lambda e: e.pk)
    ]


def test_a_category_with_laureates_but_no_first_place_holds_the_results_back():
    edition = no_vote_edition(jury_names_winners=True)
    ready, missing = CategoryFactory(edition=edition), CategoryFactory(edition=edition, name="IT")
    laureate(ready, 1)
    laureate(missing, 2)

    checklist = edition_next_phase_checklist(edition)
    assert [(item.label, item.met) for item in checklist] == [
        ("Laureat 1. miejsca w każdej kategorii z laureatami", False)
    ]
    with pytest.raises(PhaseRefused, match="w kategoriach: IT nikt go nie zajmuje"):
        edition_advance_phase(edition=edition, actor=None)
    assert Edition.objects.get(pk=edition.pk).phase == "jury_review"
    assert not Entry.objects.filter(is_winner=True).exists()


def test_without_the_rule_an_edition_without_a_vote_names_no_winner():
    edition = no_vote_edition()
    laureate(CategoryFactory(edition=edition), 1)

    edition_advance_phase(edition=edition, actor=None)

    assert Edition.objects.get(pk=edition.pk).phase == "results"
    assert not Entry.objects.filter(is_winner=True).exists()
    assert not DecisionLog.objects.filter(action="winner").exists()


def test_the_rule_is_refused_in_an_edition_with_a_public_vote():
    from django.db import IntegrityError, transaction

    edition = EditionFactory(has_public_vote=True)
    with pytest.raises(IntegrityError), transaction.atomic():
        Edition.objects.filter(pk=edition.pk).update(jury_names_winners=True)
