"""edition_advance_phase: one step at a time, each only when the edition is ready."""

import datetime

import pytest
from django.utils import timezone

from competitions.models import DecisionLog, Edition, Entry, TieResolution
from competitions.services.phases import (
    edition_advance_phase,
    edition_next_phase,
    edition_set_vote_window,
)
from competitions.services.refusals import PhaseRefused
from practices.models import Practice
from tests.competitions.conftest import laureate
from tests.conftest import after_commit
from tests.factories import (
    CategoryFactory,
    CriterionFactory,
    EditionFactory,
    EntryFactory,
    JuryMemberFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

HOUR = datetime.timedelta(hours=1)


def refused(edition, text: str) -> None:
    phase = Edition.objects.get(pk=edition.pk).phase
    with pytest.raises(PhaseRefused) as refusal:
        edition_advance_phase(edition=edition, actor=None)
    assert text in str(refusal.value)
    assert Edition.objects.get(pk=edition.pk).phase == phase


def test_edition_goes_through_every_phase_in_order_and_logs_each_step():
    staff = UserFactory()
    edition = EditionFactory()
    category = CategoryFactory(edition=edition)
    EntryFactory(category=category)
    CriterionFactory(edition=edition)
    JuryMemberFactory(edition=edition)
    now = timezone.now()

    phases = [edition_advance_phase(edition=edition, actor=staff).phase for _ in range(2)]
    laureate(category, 1)
    edition_set_vote_window(edition=edition, opens_at=now - HOUR, closes_at=now + HOUR)
    phases.append(edition_advance_phase(edition=edition, actor=staff).phase)

    assert phases == ["submissions", "jury_review", "public_vote"]
    edition.refresh_from_db()
    assert edition.submissions_open_at <= edition.submissions_close_at
    assert edition.jury_review_starts_at <= edition.jury_review_ends_at
    assert edition.vote_rules_locked_at is not None
    logged = DecisionLog.objects.filter(action="phase").order_by("id")
    assert [(d.before["phase"], d.after["phase"], d.actor) for d in logged] == [
        ("announced", "submissions", staff),
        ("submissions", "jury_review", staff),
        ("jury_review", "public_vote", staff),
    ]


def test_edition_advance_with_a_stale_phase_is_refused():
    edition = EditionFactory(phase="announced")
    CategoryFactory(edition=edition)
    edition_advance_phase(edition=edition, actor=None)

    with pytest.raises(PhaseRefused) as refusal:
        edition_advance_phase(edition=edition, actor=None, expected_phase="announced")

    assert refusal.value.reason == "stale"
    assert Edition.objects.get(pk=edition.pk).phase == "submissions"


def test_edition_without_categories_cannot_open_submissions():
    refused(EditionFactory(), "Dodaj co najmniej jedną kategorię")


def test_edition_without_entries_criteria_or_jury_cannot_start_the_jury_review():
    edition = EditionFactory(phase="submissions")
    CategoryFactory(edition=edition)

    with pytest.raises(PhaseRefused) as refusal:
        edition_advance_phase(edition=edition, actor=None)

    assert str(refusal.value) == (
        "Edycja nie ma jeszcze żadnego zgłoszenia do oceny. "
        "Ustal kryteria oceny (z wagami i skalą) przed oceną jury. "
        "Powołaj jury (co najmniej jedną osobę) przed oceną jury."
    )


def test_vote_without_a_window_cannot_open():
    edition = EditionFactory(phase="jury_review")
    laureate(CategoryFactory(edition=edition), 1)

    refused(edition, "Ustal okno głosowania")


def test_vote_with_a_window_in_the_past_cannot_open():
    now = timezone.now()
    edition = EditionFactory(
        phase="jury_review", vote_opens_at=now - 2 * HOUR, vote_closes_at=now - HOUR
    )
    laureate(CategoryFactory(edition=edition), 1)

    refused(edition, "Koniec głosowania musi być w przyszłości.")


def test_vote_without_laureates_in_a_category_cannot_open():
    now = timezone.now()
    edition = EditionFactory(phase="jury_review", vote_opens_at=now, vote_closes_at=now + HOUR)
    laureate(CategoryFactory(edition=edition, name="Edukacja"), 1)
    CategoryFactory(edition=edition, name="Kultura")

    refused(edition, "Brak laureatów w kategoriach: Kultura.")


def test_vote_with_an_unpublished_laureate_cannot_open():
    now = timezone.now()
    edition = EditionFactory(phase="jury_review", vote_opens_at=now, vote_closes_at=now + HOUR)
    entry = laureate(CategoryFactory(edition=edition), 1)
    Practice.objects.filter(pk=entry.practice_id).update(status="draft")

    refused(edition, "Opisy laureatów nie są opublikowane")


def test_edition_without_a_public_vote_goes_from_jury_review_to_results():
    edition = EditionFactory(phase="jury_review", has_public_vote=False)

    assert edition_next_phase(edition) == "results"
    edition = edition_advance_phase(edition=edition, actor=None)

    assert edition.phase == "results"
    assert edition.results_published_at is not None


def test_results_before_the_vote_closes_are_refused(vote):
    refused(vote.edition, "Wyniki można ogłosić dopiero po zamknięciu głosowania")


def test_results_with_an_unresolved_tie_are_refused(tie):
    refused(tie.edition, "Remis bez rozstrzygnięcia w kategoriach")


def test_results_name_the_winner_log_it_and_refresh_the_practice(tie):
    category = tie.categories[0]
    winner = tie.laureates[category.pk][1]
    TieResolution.objects.create(category=category, entry=winner, reason="Losowanie")

    with after_commit():
        edition_advance_phase(edition=tie.edition, actor=None)

    assert list(Entry.objects.filter(is_winner=True)) == [winner]
    logged = DecisionLog.objects.get(action="winner")
    assert logged.after == {"is_winner": True, "votes": 1, "tie": True}
    assert "winner" in Practice.objects.get(pk=winner.practice_id).award_levels


def test_archived_edition_has_no_next_phase():
    refused(EditionFactory(phase="archived"), "Edycja jest już w archiwum")


def test_vote_window_cannot_change_once_locked(vote):
    now = timezone.now()

    with pytest.raises(PhaseRefused) as refusal:
        edition_set_vote_window(edition=vote.edition, opens_at=now, closes_at=now + 5 * HOUR)

    assert refusal.value.reason == "locked"
    assert "okna głosowania nie można już zmienić" in str(refusal.value)
