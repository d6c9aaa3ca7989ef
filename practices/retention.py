"""Erasing submitters' contact data once the decision on their submission is old enough.

The privacy notice (core.SitePage "privacy") promises it; competitions.retention
runs it with the rest of the retention rule (`manage.py purge_personal_data`).
"""

from __future__ import annotations

import datetime

from django.db.models import Max, Q, QuerySet
from django.db.models.functions import Coalesce

from practices.enums import PracticeStatus
from practices.models import Practice

CONTACT_FIELDS = ("contact_name", "contact_email", "contact_phone")
DECIDED = (PracticeStatus.PUBLISHED, PracticeStatus.ARCHIVED)
UNDECIDED = (PracticeStatus.DRAFT, PracticeStatus.IN_REVIEW)


def has_contact_data() -> Q:
    return ~Q(contact_name="") | ~Q(contact_email="") | ~Q(contact_phone="")


def practices_past_retention(*, cutoff: datetime.datetime) -> QuerySet[Practice]:
    """Practices whose contact data are no longer needed: decided (published or archived,
    i.e. rejected) before `cutoff`, or undecided and untouched since before it.

    The decision is the last status change (or the publication, for practices that
    never went through the workflow). The caller may narrow it further (competition
    entries whose results are not yet old enough).
    """
    return Practice.objects.annotate(
        decided_at=Coalesce("status_changed_at", "published_at", "updated_at")
    ).filter(
        Q(status__in=DECIDED, decided_at__lt=cutoff)
        | Q(status__in=UNDECIDED, updated_at__lt=cutoff)
    )


def practice_contacts_erase(
    *, practices: QuerySet[Practice], cutoff: datetime.datetime, dry_run: bool = False
) -> dict[str, int]:
    """Blank the contact fields of `practices` and of every historical version of them,
    and of the history of deleted practices last changed before `cutoff`.

    Returns how many practices and historical rows held contact data (and, unless
    `dry_run`, were erased). Idempotent: rows already blank are not counted again.
    Run it inside the caller's transaction.
    """
    history = Practice.history.model
    blank = dict.fromkeys(CONTACT_FIELDS, "")
    current = Practice.objects.filter(pk__in=practices.values("pk")).filter(has_contact_data())
    deleted = (
        history.objects.values("id")
        .annotate(last=Max("history_date"))
        .filter(last__lt=cutoff)
        .exclude(id__in=Practice.objects.values("pk"))
        .values("id")
    )
    past = history.objects.filter(has_contact_data()).filter(
        Q(id__in=practices.values("pk")) | Q(id__in=deleted)
    )
    if dry_run:
        return {"practices": current.count(), "practice_history": past.count()}
    return {"practices": current.update(**blank), "practice_history": past.update(**blank)}
