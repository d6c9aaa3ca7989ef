"""The chair's decisions: places 1..N once each, before the vote, each one logged."""

import pytest

from competitions.models import DecisionLog, Edition, Entry, TieResolution
from competitions.services.decisions import category_resolve_tie, entry_decide
from competitions.services.refusals import DecisionRefused
from practices.models import Practice
from tests.competitions.conftest import closed_vote
from tests.conftest import after_commit

pytestmark = pytest.mark.django_db


def test_entry_decide_laureate_logs_before_and_after_and_stays_a_draft(jury):
    entry = jury.entries[0]

    with after_commit():
        entry_decide(
            entry=entry,
            actor=jury.chair.user,
            status="laureate",
            laureate_place=1,
            distinction="Empatia",
            reason="Najwyżej oceniona",
        )

    entry.refresh_from_db()
    assert (entry.status, entry.laureate_place, entry.distinction) == ("laureate", 1, "Empatia")
    log = DecisionLog.objects.get()
    assert (log.actor, log.entry, log.action, log.reason) == (
        jury.chair.user,
        entry,
        "result",
        "Najwyżej oceniona",
    )
    assert log.before == {"status": "submitted", "laureate_place": None, "distinction": ""}
    assert log.after == {"status": "laureate", "laureate_place": 1, "distinction": "Empatia"}
    # A draft until the organiser announces it (the vote opens): nothing public yet.
    assert Practice.objects.get(pk=entry.practice_id).award_levels == []


def test_entry_decide_finalist_drops_the_place(jury):
    entry = jury.entries[0]
    entry_decide(entry=entry, actor=None, status="laureate", laureate_place=2)

    entry_decide(entry=entry, actor=None, status="finalist", laureate_place=2)

    entry.refresh_from_db()
    assert (entry.status, entry.laureate_place) == ("finalist", None)
    assert DecisionLog.objects.count() == 2


def test_entry_decide_place_above_the_categorys_places_is_refused(jury):
    with pytest.raises(DecisionRefused) as refusal:
        entry_decide(entry=jury.entries[0], actor=None, status="laureate", laureate_place=4)

    assert (
        str(refusal.value)
        == f"Miejsce laureata w kategorii „{jury.category.name}” to liczba od 1 do 3."
    )
    assert not DecisionLog.objects.exists()


def test_entry_decide_place_already_taken_is_refused_naming_the_holder(jury):
    holder, other = jury.entries[:2]
    entry_decide(entry=holder, actor=None, status="laureate", laureate_place=1)

    with pytest.raises(DecisionRefused) as refusal:
        entry_decide(entry=other, actor=None, status="laureate", laureate_place=1)

    assert refusal.value.reason == "place_taken"
    assert f"zajmuje już „{holder.practice.title}”" in str(refusal.value)
    assert Entry.objects.get(pk=other.pk).status == "submitted"


def test_entry_decide_after_the_vote_opened_is_refused(vote):
    entry = vote.laureates[vote.categories[0].pk][0]

    with pytest.raises(DecisionRefused) as refusal:
        entry_decide(entry=entry, actor=None, status="finalist")

    assert refusal.value.reason == "phase"
    assert Entry.objects.get(pk=entry.pk).status == "laureate"


def test_entry_decide_with_nothing_changed_logs_nothing(jury):
    entry_decide(entry=jury.entries[0], actor=None, status="submitted")

    assert not DecisionLog.objects.exists()


def test_tie_resolution_records_the_reason_and_logs_it(tie):
    category = tie.categories[0]
    first, second = tie.laureates[category.pk][:2]

    category_resolve_tie(category=category, entry=second, actor=None, reason="Losowanie")

    resolution = TieResolution.objects.get()
    assert (resolution.entry, resolution.reason) == (second, "Losowanie")
    log = DecisionLog.objects.get(action="tie")
    assert log.after == {"entry": second.pk, "tied": sorted([first.pk, second.pk])}


def test_tie_resolution_while_the_vote_is_open_is_refused(vote):
    category = vote.categories[0]

    with pytest.raises(DecisionRefused) as refusal:
        category_resolve_tie(
            category=category, entry=vote.laureates[category.pk][0], actor=None, reason="x"
        )

    assert refusal.value.reason == "phase"


def test_tie_resolution_without_a_reason_is_refused(tie):
    category = tie.categories[0]

    with pytest.raises(DecisionRefused) as refusal:
        category_resolve_tie(
            category=category, entry=tie.laureates[category.pk][0], actor=None, reason="  "
        )

    assert refusal.value.reason == "reason"
    assert not TieResolution.objects.exists()


def test_tie_resolution_for_an_entry_outside_the_tie_is_refused(tie):
    category = tie.categories[0]

    with pytest.raises(DecisionRefused) as refusal:
        category_resolve_tie(
            category=category, entry=tie.laureates[category.pk][2], actor=None, reason="x"
        )

    assert refusal.value.reason == "not_tied"


def test_tie_resolution_without_a_tie_is_refused():
    vote = closed_vote(choices=[0, 0, 1])
    category = vote.categories[0]

    with pytest.raises(DecisionRefused) as refusal:
        category_resolve_tie(
            category=category, entry=vote.laureates[category.pk][0], actor=None, reason="x"
        )

    assert refusal.value.reason == "no_tie"


def test_tie_resolution_after_the_results_is_refused(tie):
    Edition.objects.filter(pk=tie.edition.pk).update(phase="results")
    category = tie.categories[0]

    with pytest.raises(DecisionRefused):
        category_resolve_tie(
            category=category, entry=tie.laureates[category.pk][0], actor=None, reason="x"
        )
