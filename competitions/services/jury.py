"""A juror's scores and declared conflicts of interest, for the jury's pages.

The chair's decisions on entries are in `decisions`.
"""

from __future__ import annotations

from collections.abc import Mapping

from django.db import transaction
from django.utils.translation import gettext as _

from competitions.enums import EditionPhase, EntryStatus
from competitions.models import (
    ConflictOfInterest,
    Criterion,
    Entry,
    JuryMember,
    JurySubmission,
    Score,
)
from competitions.services.refusals import JuryRefused
from core.i18n import translated


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
                % {
                    "name": translated(criterion, "name").text,
                    "min": criterion.scale_min,
                    "max": criterion.scale_max,
                },
                reason="scale",
            )
    if submit:
        missing = [
            translated(c, "name").text for pk, c in criteria.items() if values.get(pk) is None
        ]
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
