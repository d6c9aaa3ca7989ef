"""The public vote: ballot codes, for the organiser who hands them out (admin), and
signing in with a code and casting votes, for the voter (the vote pages).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from django.contrib.auth.models import AbstractBaseUser
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from competitions.codes import code_generate, code_hash, code_near_misses, code_normalise
from competitions.enums import EditionPhase, EntryStatus
from competitions.models import Ballot, BallotBatch, Category, Edition, Entry, Vote
from competitions.selectors import vote_is_closed
from competitions.services.refusals import (
    BallotRefused,
    VoteRefused,
    format_moment,
    violated_constraint,
)

MAX_BALLOTS_PER_BATCH = 5000
MAX_LABEL_LENGTH = 200


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
            % {"at": format_moment(edition.vote_opens_at)},
            reason="not_open_yet",
        )
    if now >= edition.vote_closes_at:
        return VoteRefused(
            _("Głosowanie zakończyło się %(at)s. Głosów nie można już oddawać.")
            % {"at": format_moment(edition.vote_closes_at)},
            reason="closed",
        )
    return None


def ballot_authenticate(*, edition: Edition, code: str) -> Ballot:
    """The edition's ballot for a typed code, if the vote is open and the code has a
    category left to vote in. Refusals name the rule: `not_open_yet`, `closed`,
    `phase`, `malformed`, `mistyped` (one typo away from an issued code), `unknown`
    (anything else: the only one that counts as a guess), `used`.
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
        # The same words for a typo and a guess: only the count of guesses differs.
        near = [code_hash(variant) for variant in code_near_misses(normalised)]
        mistyped = Ballot.objects.filter(edition=edition, code_hash__in=near).exists()
        raise VoteRefused(
            _("Nie znamy takiego kodu w tym głosowaniu. Sprawdź, czy został przepisany dokładnie."),
            reason="mistyped" if mistyped else "unknown",
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
        rule = violated_constraint(error)
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
