"""Writes to competitions: an edition's phases, the jury's scores and decisions,
ballot codes and votes. Views, admin actions and tests all come here.

Every function is keyword-only and atomic, checks before it writes and raises
a `CompetitionRefused` (one subclass per area) whose text is a message for the
person who asked, in the interface language. The database holds the same
rules (migrations 0002 and 0004); a refusal from it is turned into the same
kind of message, never left to become a server error.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime

from django.contrib.auth.models import AbstractBaseUser
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from competitions.codes import code_generate, code_hash, code_normalise
from competitions.enums import PHASE_ORDER, DecisionAction, EditionPhase, EntryStatus
from competitions.models import (
    Ballot,
    BallotBatch,
    Category,
    ConflictOfInterest,
    Criterion,
    DecisionLog,
    Edition,
    Entry,
    JuryMember,
    JurySubmission,
    Score,
    TieResolution,
    Vote,
)
from competitions.selectors import category_leaders, vote_is_closed, vote_tally_unrevealed
from core.pagecache import catalogue_changed
from practices.services import practice_refresh_index

MAX_BALLOTS_PER_BATCH = 5000
MAX_LABEL_LENGTH = 200


class CompetitionRefused(ValueError):
    """A step the competition's rules do not allow; str() is a message for the user.

    `reason` is a short stable name of the rule, for code and tests.
    """

    def __init__(self, message: str, *, reason: str = "refused"):
        super().__init__(message)
        self.reason = reason


class PhaseRefused(CompetitionRefused):
    pass


class JuryRefused(CompetitionRefused):
    pass


class DecisionRefused(CompetitionRefused):
    pass


class BallotRefused(CompetitionRefused):
    pass


class VoteRefused(CompetitionRefused):
    pass


def _local(moment: datetime) -> str:
    return date_format(timezone.localtime(moment), "j E Y, H:i")


def _constraint(error: IntegrityError) -> str | None:
    return getattr(getattr(error.__cause__, "diag", None), "constraint_name", None)


def _log(
    *,
    edition: Edition,
    action: str,
    actor: AbstractBaseUser | None,
    before: dict,
    after: dict,
    entry: Entry | None = None,
    category: Category | None = None,
    reason: str = "",
) -> DecisionLog:
    return DecisionLog.objects.create(
        edition=edition,
        category=category or (entry.category if entry else None),
        entry=entry,
        actor=actor if actor is not None and actor.is_authenticated else None,
        action=action,
        before=before,
        after=after,
        reason=reason,
    )


# --- the edition's phases ------------------------------------------------------------


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
                % {"closes": _local(edition.vote_closes_at) if edition.vote_closes_at else "—"}
            )
        else:
            unresolved = [c.name for c, winner in _category_winners(edition) if winner is None]
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


def _category_winners(edition: Edition) -> list[tuple[Category, int | None]]:
    """(category, winner's entry id) per category with laureates; None: an unresolved tie."""
    tally = vote_tally_unrevealed(edition)
    resolutions = dict(
        TieResolution.objects.filter(category__edition=edition).values_list(
            "category_id", "entry_id"
        )
    )
    winners = []
    for category in edition.categories.order_by("order", "id"):
        leaders = category_leaders(tally.get(category.pk, {}))
        if not leaders:
            continue
        if len(leaders) == 1:
            winners.append((category, leaders[0]))
        else:
            chosen = resolutions.get(category.pk)
            winners.append((category, chosen if chosen in leaders else None))
    return winners


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
    _log(
        edition=edition,
        action=DecisionAction.PHASE,
        actor=actor,
        before={"phase": before_phase},
        after={"phase": target, "at": now.isoformat()},
    )
    if target == EditionPhase.RESULTS and edition.has_public_vote:
        _name_winners(edition=edition, actor=actor)
    # Cached public pages show the phase (and, from now on, perhaps the results).
    transaction.on_commit(catalogue_changed)
    return edition


def _name_winners(*, edition: Edition, actor: AbstractBaseUser | None) -> None:
    winners = _category_winners(edition)
    previous = set(
        Entry.objects.filter(category__edition=edition, is_winner=True).values_list("pk", flat=True)
    )
    Entry.objects.filter(pk__in=previous).update(is_winner=False)
    tally = vote_tally_unrevealed(edition)
    for category, winner_id in winners:
        Entry.objects.filter(pk=winner_id).update(is_winner=True)
        entry = Entry.objects.select_related("category").get(pk=winner_id)
        counts = tally.get(category.pk, {})
        _log(
            edition=edition,
            entry=entry,
            action=DecisionAction.WINNER,
            actor=actor,
            before={"is_winner": winner_id in previous},
            after={
                "is_winner": True,
                "votes": counts.get(winner_id, 0),
                "tie": len(category_leaders(counts)) > 1,
            },
        )
    touched = previous | {winner_id for _c, winner_id in winners}
    practice_refresh_index(
        practice_ids=Entry.objects.filter(pk__in=touched).values_list("practice_id", flat=True)
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
            % {"at": _local(edition.vote_rules_locked_at)},
            reason="locked",
        )
    if closes_at <= opens_at:
        raise PhaseRefused(_("Koniec głosowania musi być po jego początku."), reason="window")
    edition.vote_opens_at, edition.vote_closes_at = opens_at, closes_at
    edition.save(update_fields=["vote_opens_at", "vote_closes_at"])
    return edition


# --- the jury ------------------------------------------------------------------------


def _jury_entry_checks(member: JuryMember, entry: Entry) -> None:
    if entry.category.edition_id != member.edition_id:
        raise JuryRefused(
            _("To zgłoszenie nie należy do edycji, w której zasiadasz w jury."), reason="edition"
        )
    if entry.status == EntryStatus.WITHDRAWN:
        raise JuryRefused(_("To zgłoszenie zostało wycofane."), reason="withdrawn")
    if JurySubmission.objects.filter(member=member, entry=entry).exists():
        raise JuryRefused(
            _("Twoje oceny tego zgłoszenia są już przesłane i są ostateczne."), reason="submitted"
        )


@transaction.atomic
def jury_scores_save(
    *,
    member: JuryMember,
    entry: Entry,
    values: Mapping[int, int | None],
    comments: Mapping[int, str] | None = None,
    submit: bool = False,
) -> list[Score]:
    """Save a juror's scores of one entry (criterion id → value), as a draft or submitted.

    Only during the jury review, never on a declared conflict of interest,
    each value within its criterion's scale. Submitting needs every criterion
    scored, makes the scores final and lets the juror see the others' scores.
    A value of None removes a draft score.
    """
    member = JuryMember.objects.select_for_update().select_related("edition").get(pk=member.pk)
    entry = Entry.objects.select_related("category").get(pk=entry.pk)
    if member.edition.phase != EditionPhase.JURY_REVIEW:
        raise JuryRefused(
            _("Oceny można wystawiać tylko na etapie oceny jury (teraz: %(phase)s).")
            % {"phase": member.edition.get_phase_display()},
            reason="phase",
        )
    _jury_entry_checks(member, entry)
    if ConflictOfInterest.objects.filter(member=member, entry=entry).exists():
        raise JuryRefused(
            _("Przy tym zgłoszeniu jest zgłoszony Twój konflikt interesów, więc go nie oceniasz."),
            reason="conflict",
        )
    criteria = {c.pk: c for c in Criterion.objects.filter(edition_id=member.edition_id)}
    comments = comments or {}
    unknown = set(values) - set(criteria)
    if unknown:
        raise JuryRefused(_("Kryterium spoza tej edycji."), reason="criterion")
    for criterion_id, value in values.items():
        criterion = criteria[criterion_id]
        if value is not None and not (criterion.scale_min <= value <= criterion.scale_max):
            raise JuryRefused(
                _("Ocena za „%(name)s” musi być liczbą całkowitą od %(min)s do %(max)s.")
                % {"name": criterion.name, "min": criterion.scale_min, "max": criterion.scale_max},
                reason="scale",
            )
    if submit:
        missing = [c.name for pk, c in criteria.items() if values.get(pk) is None]
        if missing:
            raise JuryRefused(
                _("Aby przesłać oceny, oceń wszystkie kryteria. Brakuje: %(names)s.")
                % {"names": ", ".join(missing)},
                reason="incomplete",
            )
    saved = []
    for criterion_id, value in values.items():
        if value is None:
            Score.objects.filter(member=member, entry=entry, criterion_id=criterion_id).delete()
            continue
        score, _created = Score.objects.update_or_create(
            member=member,
            entry=entry,
            criterion_id=criterion_id,
            defaults={"value": value, "comment": (comments.get(criterion_id) or "").strip()},
        )
        saved.append(score)
    if submit:
        JurySubmission.objects.create(member=member, entry=entry)
    return saved


@transaction.atomic
def jury_conflict_declare(*, member: JuryMember, entry: Entry, reason: str = "") -> None:
    """Declare a conflict of interest: the member's draft scores go, and they never score it."""
    member = JuryMember.objects.select_for_update().select_related("edition").get(pk=member.pk)
    entry = Entry.objects.select_related("category").get(pk=entry.pk)
    if member.edition.phase not in (EditionPhase.SUBMISSIONS, EditionPhase.JURY_REVIEW):
        raise JuryRefused(
            _("Konflikt interesów zgłasza się w czasie naboru lub oceny jury."), reason="phase"
        )
    _jury_entry_checks(member, entry)
    if ConflictOfInterest.objects.filter(member=member, entry=entry).exists():
        raise JuryRefused(_("Konflikt interesów jest już zgłoszony."), reason="conflict")
    Score.objects.filter(member=member, entry=entry).delete()
    ConflictOfInterest.objects.create(member=member, entry=entry, reason=reason.strip()[:300])


DECIDABLE_STATUSES = (EntryStatus.SUBMITTED, EntryStatus.FINALIST, EntryStatus.LAUREATE)


def _entry_state(entry: Entry) -> dict:
    return {
        "status": entry.status,
        "laureate_place": entry.laureate_place,
        "distinction": entry.distinction,
    }


@transaction.atomic
def entry_decide(
    *,
    entry: Entry,
    actor: AbstractBaseUser | None,
    status: str,
    laureate_place: int | None = None,
    distinction: str = "",
    reason: str = "",
) -> Entry:
    """The jury's decision on an entry: submitted, finalist, or laureate in place 1..N,
    with an optional distinction; logged with its before and after.

    Only during the jury review (before the vote opens). A place taken by
    another entry is refused: free it first. Returns the entry as it now is.
    """
    entry = (
        Entry.objects.select_for_update()
        .select_related("category__edition", "practice")
        .get(pk=entry.pk)
    )
    category, edition = entry.category, entry.category.edition
    if edition.phase != EditionPhase.JURY_REVIEW or edition.vote_rules_locked_at is not None:
        raise DecisionRefused(
            _(
                "Finalistów, laureatów i wyróżnienia wskazuje się na etapie oceny jury, "
                "przed otwarciem głosowania (teraz: %(phase)s)."
            )
            % {"phase": edition.get_phase_display()},
            reason="phase",
        )
    if status not in DECIDABLE_STATUSES:
        raise DecisionRefused(_("Nieznany status zgłoszenia."), reason="status")
    distinction = distinction.strip()
    if len(distinction) > 200:
        raise DecisionRefused(_("Nazwa wyróżnienia może mieć do 200 znaków."), reason="distinction")
    if status == EntryStatus.LAUREATE:
        if laureate_place is None or not (1 <= laureate_place <= category.laureate_places):
            raise DecisionRefused(
                _("Miejsce laureata w kategorii „%(category)s” to liczba od 1 do %(places)s.")
                % {"category": category.name, "places": category.laureate_places},
                reason="place_range",
            )
        holder = (
            Entry.objects.filter(category=category, laureate_place=laureate_place)
            .exclude(pk=entry.pk)
            .select_related("practice")
            .first()
        )
        if holder is not None:
            raise DecisionRefused(
                _(
                    "Miejsce %(place)s w kategorii „%(category)s” zajmuje już „%(title)s”. "
                    "Najpierw zmień jego miejsce."
                )
                % {"place": laureate_place, "category": category.name, "title": holder.practice},
                reason="place_taken",
            )
    else:
        laureate_place = None
    before = _entry_state(entry)
    entry.status, entry.laureate_place, entry.distinction = status, laureate_place, distinction
    after = _entry_state(entry)
    if before == after:
        return entry
    try:
        with transaction.atomic():
            entry.save(update_fields=["status", "laureate_place", "distinction"])
    except IntegrityError as error:
        # Someone took the place at the same moment; the database kept the rule.
        raise DecisionRefused(
            _("Nie zapisano: %(rule)s. Odśwież stronę i spróbuj ponownie.")
            % {"rule": _DECISION_RULES.get(_constraint(error), _("naruszona reguła konkursu"))},
            reason=_constraint(error) or "integrity",
        ) from error
    _log(
        edition=edition,
        entry=entry,
        action=DecisionAction.RESULT,
        actor=actor,
        before=before,
        after=after,
        reason=reason.strip(),
    )
    practice_refresh_index(practice_ids=[entry.practice_id])
    return entry


_DECISION_RULES = {
    "entry_laureate_place_unique": _("to miejsce ma już laureata w tej kategorii"),
    "entry_laureate_place_within_category": _("miejsce spoza liczby miejsc kategorii"),
    "entry_vote_rules_locked": _("głosowanie jest otwarte i laureaci są już ustaleni"),
}


@transaction.atomic
def category_resolve_tie(
    *, category: Category, entry: Entry, actor: AbstractBaseUser | None, reason: str
) -> TieResolution:
    """The chair names the winner of a category tied on votes, with a reason (logged).

    Only after the vote has closed and before the results are published, only
    for a category whose leaders are tied, and only one of those leaders.
    """
    category = Category.objects.select_for_update().select_related("edition").get(pk=category.pk)
    edition = category.edition
    if edition.phase != EditionPhase.PUBLIC_VOTE or not vote_is_closed(edition):
        raise DecisionRefused(
            _("Remis rozstrzyga się po zamknięciu głosowania, przed ogłoszeniem wyników."),
            reason="phase",
        )
    reason = reason.strip()
    if not reason:
        raise DecisionRefused(_("Podaj uzasadnienie rozstrzygnięcia remisu."), reason="reason")
    leaders = category_leaders(vote_tally_unrevealed(edition).get(category.pk, {}))
    if len(leaders) < 2:
        raise DecisionRefused(_("W tej kategorii nie ma remisu."), reason="no_tie")
    if entry.pk not in leaders:
        raise DecisionRefused(
            _("Zwycięzcę wybiera się spośród zgłoszeń, które zremisowały."), reason="not_tied"
        )
    previous = TieResolution.objects.filter(category=category).first()
    resolution, _created = TieResolution.objects.update_or_create(
        category=category,
        defaults={
            "entry": entry,
            "reason": reason,
            "resolved_by": actor if actor is not None and actor.is_authenticated else None,
            "resolved_at": timezone.now(),
        },
    )
    _log(
        edition=edition,
        category=category,
        entry=entry,
        action=DecisionAction.TIE,
        actor=actor,
        before={"entry": previous.entry_id if previous else None},
        after={"entry": entry.pk, "tied": leaders},
        reason=reason,
    )
    return resolution


# --- ballots and votes -----------------------------------------------------------------


@dataclass(frozen=True)
class IssuedCode:
    code: str
    label: str


@transaction.atomic
def ballot_issue(
    *,
    edition: Edition,
    issued_by: AbstractBaseUser | None,
    count: int | None = None,
    labels: Iterable[str] | None = None,
) -> list[IssuedCode]:
    """Make one-time codes for an edition's vote: `count` of them, or one per label
    (e.g. participants). Returns the codes in plain text: the only time they exist
    so; only their hashes are stored. Hand them out, then let them go.
    """
    edition = Edition.objects.select_for_update().get(pk=edition.pk)
    if not edition.has_public_vote:
        raise BallotRefused(_("Ta edycja nie ma głosowania publicznego."), reason="no_vote")
    if edition.phase in (EditionPhase.RESULTS, EditionPhase.ARCHIVED) or vote_is_closed(edition):
        raise BallotRefused(
            _("Głosowanie w tej edycji jest zakończone; nowe kody nie są potrzebne."),
            reason="closed",
        )
    if (count is None) == (labels is None):
        raise BallotRefused(
            _("Podaj liczbę kodów albo listę uczestników, nie oba naraz."), reason="input"
        )
    if labels is not None:
        wanted = [label.strip() for label in labels if label.strip()]
        if not wanted:
            raise BallotRefused(_("Lista uczestników jest pusta."), reason="input")
        too_long = [label for label in wanted if len(label) > MAX_LABEL_LENGTH]
        if too_long:
            raise BallotRefused(
                _("Opis może mieć do %(max)s znaków: „%(label)s…”.")
                % {"max": MAX_LABEL_LENGTH, "label": too_long[0][:40]},
                reason="input",
            )
    else:
        if count < 1:
            raise BallotRefused(_("Liczba kodów musi być dodatnia."), reason="input")
        wanted = [""] * count
    if len(wanted) > MAX_BALLOTS_PER_BATCH:
        raise BallotRefused(
            _("Jednorazowo można wydać do %(max)s kodów.") % {"max": MAX_BALLOTS_PER_BATCH},
            reason="input",
        )
    codes: dict[str, str] = {}  # hash → code
    while len(codes) < len(wanted):
        batch = {}
        for _i in range(len(wanted) - len(codes)):
            code = code_generate()
            batch[code_hash(code_normalise(code))] = code
        # With ~59 bits a clash is practically impossible; checking costs one query.
        taken = set(Ballot.objects.filter(code_hash__in=batch).values_list("code_hash", flat=True))
        codes.update({h: c for h, c in batch.items() if h not in taken})
    batch_row = BallotBatch.objects.create(
        edition=edition,
        issued_by=issued_by if issued_by is not None and issued_by.is_authenticated else None,
        size=len(wanted),
    )
    pairs = list(zip(codes.items(), wanted, strict=True))
    Ballot.objects.bulk_create(
        Ballot(edition=edition, batch=batch_row, code_hash=h, label=label)
        for (h, _code), label in pairs
    )
    return [IssuedCode(code=code, label=label) for (_h, code), label in pairs]


def _window_refusal(edition: Edition, now: datetime) -> VoteRefused | None:
    if edition.phase != EditionPhase.PUBLIC_VOTE or edition.vote_opens_at is None:
        return VoteRefused(
            _("Głosowanie w tej edycji nie trwa (etap: %(phase)s).")
            % {"phase": edition.get_phase_display()},
            reason="phase",
        )
    if now < edition.vote_opens_at:
        return VoteRefused(
            _("Głosowanie jeszcze się nie rozpoczęło. Zapraszamy od %(at)s.")
            % {"at": _local(edition.vote_opens_at)},
            reason="not_open_yet",
        )
    if now >= edition.vote_closes_at:
        return VoteRefused(
            _("Głosowanie zakończyło się %(at)s. Głosów nie można już oddawać.")
            % {"at": _local(edition.vote_closes_at)},
            reason="closed",
        )
    return None


def ballot_authenticate(*, edition: Edition, code: str) -> Ballot:
    """The edition's ballot for a typed code, if the vote is open and the code has a
    category left to vote in. Refusals name the rule: `not_open_yet`, `closed`,
    `phase`, `malformed`, `unknown` (the only one that counts as a wrong guess), `used`.
    """
    refusal = _window_refusal(edition, timezone.now())
    if refusal:
        raise refusal
    normalised = code_normalise(code)
    if normalised is None:
        raise VoteRefused(
            _(
                "To nie wygląda na kod do głosowania: kod ma 12 znaków (litery i cyfry, "
                "np. ABCD-EFGH-JKMN) i nie zawiera liter I, L, O ani cyfr 0 i 1."
            ),
            reason="malformed",
        )
    ballot = Ballot.objects.filter(edition=edition, code_hash=code_hash(normalised)).first()
    if ballot is None:
        raise VoteRefused(
            _("Nie znamy takiego kodu w tym głosowaniu. Sprawdź, czy został przepisany dokładnie."),
            reason="unknown",
        )
    categories = Category.objects.filter(edition=edition, entries__status=EntryStatus.LAUREATE)
    if not categories.exclude(votes__ballot=ballot).exists():
        raise VoteRefused(
            _("Ten kod został już wykorzystany: oddano nim głos we wszystkich kategoriach."),
            reason="used",
        )
    return ballot


@transaction.atomic
def vote_cast(*, ballot: Ballot, category_id: int, entry_id: int) -> Vote:
    """Cast a ballot's one vote in a category, for one of its laureates. Final.

    The ballot row is locked, so two requests with the same code wait for each
    other and the second sees the first's vote; the database's UNIQUE and
    triggers refuse anything that slips past. Every refusal is a VoteRefused
    and leaves nothing written.
    """
    ballot = (
        Ballot.objects.select_for_update(of=("self",))
        .select_related("edition")
        .filter(pk=ballot.pk)
        .first()
    )
    if ballot is None:
        raise VoteRefused(_("Nie znamy takiego kodu w tym głosowaniu."), reason="unknown")
    edition = ballot.edition
    refusal = _window_refusal(edition, timezone.now())
    if refusal:
        raise refusal
    entry = Entry.objects.select_related("category").filter(pk=entry_id).first()
    if entry is None or entry.category.edition_id != edition.pk:
        raise VoteRefused(
            _("To zgłoszenie nie bierze udziału w tym głosowaniu (należy do innej edycji)."),
            reason="other_edition",
        )
    if entry.category_id != category_id:
        raise VoteRefused(
            _("To zgłoszenie należy do innej kategorii; wybierz laureata z tej kategorii."),
            reason="other_category",
        )
    if entry.status != EntryStatus.LAUREATE:
        raise VoteRefused(
            _("Głosować można tylko na laureatów wskazanych przez jury."), reason="not_laureate"
        )
    category = entry.category
    if Vote.objects.filter(ballot=ballot, category=category).exists():
        raise VoteRefused(
            _("Tym kodem oddano już głos w kategorii „%(category)s”. Głos jest ostateczny.")
            % {"category": category.name},
            reason="used",
        )
    try:
        with transaction.atomic():
            return Vote.objects.create(ballot=ballot, category=category, entry=entry)
    except IntegrityError as error:
        rule = _constraint(error)
        if rule == "vote_one_per_ballot_per_category":
            raise VoteRefused(
                _("Tym kodem oddano już głos w kategorii „%(category)s”. Głos jest ostateczny.")
                % {"category": category.name},
                reason="used",
            ) from error
        if rule == "vote_within_window":
            raise VoteRefused(_("Głosowanie nie trwa."), reason="closed") from error
        raise VoteRefused(
            _("Tego głosu nie można przyjąć (%(rule)s).") % {"rule": rule}, reason=rule or "db"
        ) from error
