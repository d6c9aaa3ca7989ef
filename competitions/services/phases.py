"""An edition's phases and its vote window, for the organiser (the admin's actions).

An edition moves one phase at a time; each step is checked for readiness and
logged. Publishing the results names the winners (`decisions`).
"""

from __future__ import annotations

from datetime import datetime

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from competitions.enums import (
    DECISIONS_PUBLIC_PHASES,
    PHASE_ORDER,
    DecisionAction,
    EditionPhase,
    EntryStatus,
)
from competitions.models import Category, Edition, Entry
from competitions.selectors import vote_is_closed
from competitions.services.decisions import decision_log, edition_name_winners, edition_winners
from competitions.services.refusals import PhaseRefused, format_moment
from core.pagecache import catalogue_changed


def edition_next_phase(edition: Edition) -> str | None:
    """The phase an edition moves to next (an edition without a vote skips it), or None."""
    index = PHASE_ORDER.index(edition.phase)
    if index + 1 >= len(PHASE_ORDER):
        return None
    following = PHASE_ORDER[index + 1]
    if following == EditionPhase.PUBLIC_VOTE and not edition.has_public_vote:
        following = EditionPhase.RESULTS
    return following


def edition_phase_problems(edition: Edition, *, now: datetime | None = None) -> list[str]:
    """What stands in the way of the next phase, in words for the organiser; [] if nothing."""
    now = now or timezone.now()
    target = edition_next_phase(edition)
    if target is None:
        return [_("Edycja jest już w archiwum; to ostatni etap.")]
    categories = list(edition.categories.all())
    problems: list[str] = []
    if target == EditionPhase.SUBMISSIONS and not categories:
        problems.append(_("Dodaj co najmniej jedną kategorię, zanim otworzysz nabór."))
    if target == EditionPhase.JURY_REVIEW:
        entries = Entry.objects.filter(category__edition=edition).exclude(
            status=EntryStatus.WITHDRAWN
        )
        if not entries.exists():
            problems.append(_("Edycja nie ma jeszcze żadnego zgłoszenia do oceny."))
        if not edition.criteria.exists():
            problems.append(_("Ustal kryteria oceny (z wagami i skalą) przed oceną jury."))
        if not edition.jury_members.exists():
            problems.append(_("Powołaj jury (co najmniej jedną osobę) przed oceną jury."))
    if target == EditionPhase.PUBLIC_VOTE:
        problems += _vote_opening_problems(edition, categories, now)
    if target == EditionPhase.RESULTS and edition.has_public_vote:
        if not vote_is_closed(edition, now=now):
            problems.append(
                _("Wyniki można ogłosić dopiero po zamknięciu głosowania (%(closes)s).")
                % {
                    "closes": format_moment(edition.vote_closes_at)
                    if edition.vote_closes_at
                    else "—"
                }
            )
        else:
            unresolved = [c.name for c, winner in edition_winners(edition) if winner is None]
            if unresolved:
                problems.append(
                    _(
                        "Remis bez rozstrzygnięcia w kategoriach: %(names)s. "
                        "Przewodniczący jury musi wskazać zwycięzcę i podać uzasadnienie."
                    )
                    % {"names": ", ".join(unresolved)}
                )
    return problems


def _vote_opening_problems(edition: Edition, categories: list[Category], now) -> list[str]:
    problems = []
    if edition.vote_opens_at is None or edition.vote_closes_at is None:
        problems.append(_("Ustal okno głosowania (początek i koniec) przed otwarciem głosowania."))
    elif edition.vote_closes_at <= now:
        problems.append(_("Koniec głosowania musi być w przyszłości."))
    if not categories:
        problems.append(_("Edycja nie ma kategorii, w których można głosować."))
    laureates = Entry.objects.filter(category__edition=edition, status=EntryStatus.LAUREATE)
    with_laureates = set(laureates.values_list("category_id", flat=True))
    empty = [c.name for c in categories if c.pk not in with_laureates]
    if empty:
        problems.append(
            _("Brak laureatów w kategoriach: %(names)s. Jury musi ich wskazać przed głosowaniem.")
            % {"names": ", ".join(empty)}
        )
    unpublished = laureates.exclude(practice__status="published").select_related("practice")
    if unpublished:
        problems.append(
            _("Opisy laureatów nie są opublikowane: %(titles)s.")
            % {"titles": ", ".join(e.practice.title for e in unpublished)}
        )
    return problems


@transaction.atomic
def edition_advance_phase(
    *,
    edition: Edition,
    actor: AbstractBaseUser | None,
    expected_phase: str | None = None,
) -> Edition:
    """Move an edition one phase forward, after checking it is ready; log the step.

    `expected_phase` is the phase the person saw the edition in: if someone
    moved it meanwhile, the step is refused rather than taken twice. Opening
    the vote locks its rules; publishing the results names each category's
    winner from the votes (or the chair's tie resolution).
    """
    edition = Edition.objects.select_for_update().get(pk=edition.pk)
    if expected_phase is not None and edition.phase != expected_phase:
        raise PhaseRefused(
            _("Etap edycji zmienił się w międzyczasie: teraz to „%(phase)s”.")
            % {"phase": edition.get_phase_display()},
            reason="stale",
        )
    now = timezone.now()
    problems = edition_phase_problems(edition, now=now)
    if problems:
        raise PhaseRefused(" ".join(problems), reason="not_ready")
    before_phase, target = edition.phase, edition_next_phase(edition)
    changed = ["phase"]
    if target == EditionPhase.SUBMISSIONS and edition.submissions_open_at is None:
        edition.submissions_open_at = now
        changed.append("submissions_open_at")
    elif target == EditionPhase.JURY_REVIEW:
        if edition.submissions_close_at is None and (
            edition.submissions_open_at is None or edition.submissions_open_at < now
        ):
            edition.submissions_close_at = now
            changed.append("submissions_close_at")
        edition.jury_review_starts_at = now
        changed.append("jury_review_starts_at")
    elif target == EditionPhase.PUBLIC_VOTE:
        edition.jury_review_ends_at = now
        edition.vote_rules_locked_at = now
        changed += ["jury_review_ends_at", "vote_rules_locked_at"]
    elif target == EditionPhase.RESULTS:
        if not edition.has_public_vote:
            edition.jury_review_ends_at = now
            changed.append("jury_review_ends_at")
        edition.results_published_at = now
        changed.append("results_published_at")
    edition.phase = target
    edition.save(update_fields=changed)
    decision_log(
        edition=edition,
        action=DecisionAction.PHASE,
        actor=actor,
        before={"phase": before_phase},
        after={"phase": target, "at": now.isoformat()},
    )
    if before_phase not in DECISIONS_PUBLIC_PHASES and target in DECISIONS_PUBLIC_PHASES:
        _announce_decisions(edition=edition, actor=actor, at=now)
    if target == EditionPhase.RESULTS and edition.has_public_vote:
        edition_name_winners(edition=edition, actor=actor)
    # Cached public pages show the phase (and, from now on, perhaps the results).
    transaction.on_commit(catalogue_changed)
    return edition


def _announce_decisions(*, edition: Edition, actor, at) -> None:
    """Log the announcement of the jury's decisions, made public by this phase step.

    The step itself is what makes them public (competitions.enums.DECISIONS_PUBLIC_PHASES,
    read by every public page, export and the catalogue's index); the log records
    what was announced, in the same transaction.
    """
    decided = (
        Entry.objects.filter(category__edition=edition)
        .exclude(status__in=[EntryStatus.SUBMITTED, EntryStatus.WITHDRAWN])
        .order_by("category__order", "laureate_place", "id")
    )
    decision_log(
        edition=edition,
        action=DecisionAction.ANNOUNCE,
        actor=actor,
        before={},
        after={
            "at": at.isoformat(),
            "laureates": list(
                decided.filter(status=EntryStatus.LAUREATE).values_list("pk", flat=True)
            ),
            "finalists": list(
                decided.filter(status=EntryStatus.FINALIST).values_list("pk", flat=True)
            ),
            "distinctions": list(decided.exclude(distinction="").values_list("pk", flat=True)),
        },
    )


@transaction.atomic
def edition_set_vote_window(
    *, edition: Edition, opens_at: datetime, closes_at: datetime
) -> Edition:
    """Set when the public vote opens and closes; refused once the vote's rules are locked."""
    edition = Edition.objects.select_for_update().get(pk=edition.pk)
    if edition.vote_rules_locked_at is not None:
        raise PhaseRefused(
            _("Zasady głosowania są zablokowane od %(at)s: okna głosowania nie można już zmienić.")
            % {"at": format_moment(edition.vote_rules_locked_at)},
            reason="locked",
        )
    if closes_at <= opens_at:
        raise PhaseRefused(_("Koniec głosowania musi być po jego początku."), reason="window")
    edition.vote_opens_at, edition.vote_closes_at = opens_at, closes_at
    edition.save(update_fields=["vote_opens_at", "vote_closes_at"])
    return edition
