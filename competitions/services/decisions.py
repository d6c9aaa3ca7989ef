"""The jury chair's decisions (an entry's status, place and distinction; the winner
of a tied category), the winners named when results are published, and the
decision log every one of them writes. For the chair's jury pages and for
`phases`.
"""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from competitions.enums import DecisionAction, EditionPhase, EntryStatus
from competitions.models import Category, DecisionLog, Edition, Entry, TieResolution
from competitions.selectors import category_leaders, vote_is_closed, vote_tally_unrevealed
from competitions.services.refusals import DecisionRefused, violated_constraint


def decision_log(
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
    """Write one line of the edition's decision log, with the state before and after.

    Call it inside the transaction of the service whose step it records
    (a decision, a tie resolved, a phase moved, a winner named), never alone.
    """
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
        rule = violated_constraint(error)
        raise DecisionRefused(
            _("Nie zapisano: %(rule)s. Odśwież stronę i spróbuj ponownie.")
            % {"rule": _DECISION_RULES.get(rule, _("naruszona reguła konkursu"))},
            reason=rule or "integrity",
        ) from error
    decision_log(
        edition=edition,
        entry=entry,
        action=DecisionAction.RESULT,
        actor=actor,
        before=before,
        after=after,
        reason=reason.strip(),
    )
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
    decision_log(
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


def edition_names_winners(edition: Edition) -> bool:
    """Whether publishing this edition's results names winners: by the public vote, or,
    without one, by the jury's first places when the edition's rules say so."""
    return edition.has_public_vote or edition.jury_names_winners


def edition_winners(edition: Edition) -> list[tuple[Category, int | None]]:
    """(category, winner's entry id) per category with laureates; None: an unresolved tie
    (or, where the jury names the winners, no laureate in place 1).

    Read from the votes before they are revealed: `phases` asks it whether the
    results may be published, and `edition_name_winners` names them.
    """
    if not edition.has_public_vote:
        return _jury_winners(edition) if edition.jury_names_winners else []
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


def _jury_winners(edition: Edition) -> list[tuple[Category, int | None]]:
    """Per category with laureates, its laureate in place 1 (None if place 1 is empty)."""
    laureates = Entry.objects.filter(category__edition=edition, status=EntryStatus.LAUREATE)
    with_laureates = set(laureates.values_list("category_id", flat=True))
    first = dict(laureates.filter(laureate_place=1).values_list("category_id", "pk"))
    return [
        (category, first.get(category.pk))
        for category in edition.categories.order_by("order", "id")
        if category.pk in with_laureates
    ]


def edition_name_winners(*, edition: Edition, actor: AbstractBaseUser | None) -> None:
    """Mark each category's winner (and unmark former ones), logged, as the results are
    published. Only `edition_advance_phase` calls it, inside its transaction, once
    it has checked that no tie is left unresolved.
    """
    winners = edition_winners(edition)
    previous = set(
        Entry.objects.filter(category__edition=edition, is_winner=True).values_list("pk", flat=True)
    )
    Entry.objects.filter(pk__in=previous).update(is_winner=False)
    tally = vote_tally_unrevealed(edition) if edition.has_public_vote else {}
    for category, winner_id in winners:
        Entry.objects.filter(pk=winner_id).update(is_winner=True)
        entry = Entry.objects.select_related("category").get(pk=winner_id)
        if edition.has_public_vote:
            counts = tally.get(category.pk, {})
            after = {
                "is_winner": True,
                "votes": counts.get(winner_id, 0),
                "tie": len(category_leaders(counts)) > 1,
            }
        else:
            after = {"is_winner": True, "by": "jury", "laureate_place": entry.laureate_place}
        decision_log(
            edition=edition,
            entry=entry,
            action=DecisionAction.WINNER,
            actor=actor,
            before={"is_winner": winner_id in previous},
            after=after,
        )
