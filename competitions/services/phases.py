"""An edition's phases and its vote window, for the organiser (the admin's actions).

An edition moves one phase at a time; each step is checked for readiness and
logged. Publishing the results names the winners (`decisions`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

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
from competitions.services.decisions import (
    decision_log,
    edition_name_winners,
    edition_names_winners,
    edition_winners,
)
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


@dataclass(frozen=True)
class Requirement:
    """One thing the next phase needs: what it is, whether it is there, and if it is
    not, what the organiser must do (the words a refused step gives)."""

    label: str
    met: bool
    problem: str = ""


def edition_next_phase_checklist(
    edition: Edition, *, now: datetime | None = None
) -> list[Requirement]:
    """What the edition's next phase needs, each with whether it is met (the admin's
    dashboard lists them; `edition_advance_phase` refuses while one is not met)."""
    now = now or timezone.now()
    target = edition_next_phase(edition)
    if target is None:
        return [
            Requirement(
                _("Etap, do którego można przejść"),
                False,
                _("Edycja jest już w archiwum; to ostatni etap."),
            )
        ]
    categories = list(edition.categories.all())
    items: list[Requirement] = []
    if target == EditionPhase.SUBMISSIONS:
        items.append(
            Requirement(
                _("Co najmniej jedna kategoria"),
                bool(categories),
                _("Dodaj co najmniej jedną kategorię, zanim otworzysz nabór."),
            )
        )
    if target == EditionPhase.JURY_REVIEW:
        entries = Entry.objects.filter(category__edition=edition).exclude(
            status=EntryStatus.WITHDRAWN
        )
        items += [
            Requirement(
                _("Zgłoszenia do oceny"),
                entries.exists(),
                _("Edycja nie ma jeszcze żadnego zgłoszenia do oceny."),
            ),
            Requirement(
                _("Kryteria oceny z wagami i skalą"),
                edition.criteria.exists(),
                _("Ustal kryteria oceny (z wagami i skalą) przed oceną jury."),
            ),
            Requirement(
                _("Jury (co najmniej jedna osoba)"),
                edition.jury_members.exists(),
                _("Powołaj jury (co najmniej jedną osobę) przed oceną jury."),
            ),
        ]
    if target == EditionPhase.PUBLIC_VOTE:
        items += _vote_opening_checklist(edition, categories, now)
    if target == EditionPhase.RESULTS and edition.has_public_vote:
        closed = vote_is_closed(edition, now=now)
        items.append(
            Requirement(
                _("Głosowanie zamknięte"),
                closed,
                _("Wyniki można ogłosić dopiero po zamknięciu głosowania (%(closes)s).")
                % {
                    "closes": format_moment(edition.vote_closes_at)
                    if edition.vote_closes_at
                    else "—"
                },
            )
        )
        if closed:
            unresolved = [c.name for c, winner in edition_winners(edition) if winner is None]
            items.append(
                Requirement(
                    _("Remisy rozstrzygnięte przez przewodniczącego jury"),
                    not unresolved,
                    _(
                        "Remis bez rozstrzygnięcia w kategoriach: %(names)s. "
                        "Przewodniczący jury musi wskazać zwycięzcę i podać uzasadnienie."
                    )
                    % {"names": ", ".join(unresolved)},
                )
            )
    if target == EditionPhase.RESULTS and edition.jury_names_winners:
        empty = [c.name for c, winner in edition_winners(edition) if winner is None]
        items.append(
            Requirement(
                _("Laureat 1. miejsca w każdej kategorii z laureatami"),
                not empty,
                _(
                    "Regulamin edycji daje tytuł zwycięzcy laureatom 1. miejsca, a w "
                    "kategoriach: %(names)s nikt go nie zajmuje. Jury musi je przyznać."
                )
                % {"names": ", ".join(empty)},
            )
        )
    return items


def edition_phase_problems(edition: Edition, *, now: datetime | None = None) -> list[str]:
    """What stands in the way of the next phase, in words for the organiser; [] if nothing."""
    return [item.problem for item in edition_next_phase_checklist(edition, now=now) if not item.met]


def _vote_opening_checklist(edition: Edition, categories: list[Category], now) -> list:
    laureates = Entry.objects.filter(category__edition=edition, status=EntryStatus.LAUREATE)
    with_laureates = set(laureates.values_list("category_id", flat=True))
    empty = [c.name for c in categories if c.pk not in with_laureates]
    unpublished = list(laureates.exclude(practice__status="published").select_related("practice"))
    window_set = edition.vote_opens_at is not None and edition.vote_closes_at is not None
    return [
        Requirement(
            _("Okno głosowania (początek i koniec)"),
            window_set,
            _("Ustal okno głosowania (początek i koniec) przed otwarciem głosowania."),
        ),
        *(
            [
                Requirement(
                    _("Koniec głosowania w przyszłości"),
                    edition.vote_closes_at > now,
                    _("Koniec głosowania musi być w przyszłości."),
                )
            ]
            if window_set
            else []
        ),
        Requirement(
            _("Kategorie, w których można głosować"),
            bool(categories),
            _("Edycja nie ma kategorii, w których można głosować."),
        ),
        Requirement(
            _("Laureaci w każdej kategorii"),
            bool(categories) and not empty,
            _("Brak laureatów w kategoriach: %(names)s. Jury musi ich wskazać przed głosowaniem.")
            % {"names": ", ".join(empty)},
        ),
        Requirement(
            _("Opublikowane opisy laureatów"),
            not unpublished,
            _("Opisy laureatów nie są opublikowane: %(titles)s.")
            % {"titles": ", ".join(e.practice.title for e in unpublished)},
        ),
    ]


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
    winner from the votes (or the chair's tie resolution), or, in an edition
    without a vote whose rules say so, from the jury's first places.
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
    if target == EditionPhase.RESULTS and edition_names_winners(edition):
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


@transaction.atomic
def edition_change_vote_close(
    *, edition: Edition, closes_at: datetime, actor: AbstractBaseUser | None, reason: str
) -> Edition:
    """Extend the running vote, or close it early (`closes_at` now), with a reason; logged.

    Only while the edition is in its public vote: once the results are out the
    vote never reopens. A vote already past its end may be reopened before the
    results (the hall's network failed). The new end must be after the vote's
    start and not in the past (closing "now" is allowed).
    """
    edition = Edition.objects.select_for_update().get(pk=edition.pk)
    now = timezone.now()
    if edition.phase != EditionPhase.PUBLIC_VOTE:
        raise PhaseRefused(
            _(
                "Termin głosowania zmienia się tylko w trakcie głosowania; "
                "po ogłoszeniu wyników głosowanie nie wraca (teraz: %(phase)s)."
            )
            % {"phase": edition.get_phase_display()},
            reason="phase",
        )
    reason = reason.strip()
    if not reason:
        raise PhaseRefused(_("Podaj powód zmiany terminu głosowania."), reason="reason")
    if now - CLOSE_NOW_TOLERANCE <= closes_at < now:
        closes_at = now  # "close now", sent a moment ago
    if closes_at < now or closes_at <= edition.vote_opens_at:
        raise PhaseRefused(
            _("Nowy koniec głosowania musi być teraz albo później (i po jego początku)."),
            reason="window",
        )
    before = edition.vote_closes_at
    edition.vote_closes_at = closes_at
    edition.save(update_fields=["vote_closes_at"])
    decision_log(
        edition=edition,
        action=DecisionAction.WINDOW,
        actor=actor,
        before={"vote_closes_at": before.isoformat()},
        after={"vote_closes_at": closes_at.isoformat(), "closed_now": closes_at == now},
        reason=reason,
    )
    transaction.on_commit(catalogue_changed)  # the edition page shows the window
    return edition


# A "close now" submitted a moment ago still means now, not a time already past.
CLOSE_NOW_TOLERANCE = timedelta(minutes=2)
