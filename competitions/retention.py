"""The retention rule for personal data, as the privacy notice states it: contact data
of submitters and applicants, unsent entry forms, ballot descriptions and sign-in
records are erased PERSONAL_DATA_RETENTION_DAYS after what made them needed ended.

Here, at the top of the apps that hold such data, because a practice entered in a
competition keeps its submitter's contacts until the edition's results are old
enough, which practices cannot see. `manage.py purge_personal_data` runs it (daily,
from cron); README, "Personal data".
"""

from __future__ import annotations

import datetime
import logging

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from competitions.models import Application, ApplicationAttachment, Ballot, Entry
from core.retention import login_records_purge
from practices.retention import practice_contacts_erase, practices_past_retention

logger = logging.getLogger(__name__)

# Keys of an application's stored form (Application.data) that identify the applicant.
APPLICATION_CONTACT_KEYS = ("contact_name", "email", "contact_phone")


def retention_cutoff(now: datetime.datetime | None = None) -> datetime.datetime:
    days = settings.PERSONAL_DATA_RETENTION_DAYS
    return (now or timezone.now()) - datetime.timedelta(days=days)


def _results_before(cutoff: datetime.datetime, prefix: str) -> Q:
    return Q(**{f"{prefix}results_published_at__lt": cutoff})


def personal_data_purge(
    *, now: datetime.datetime | None = None, dry_run: bool = False
) -> dict[str, int]:
    """Erase what the retention rule says is due at `now`; returns how many rows of each
    kind were (with `dry_run`, would be) erased. All of it in one transaction; running
    it again erases nothing more. Attachment files of deleted entry forms are deleted
    from storage once the transaction commits."""
    cutoff = retention_cutoff(now)
    with transaction.atomic():
        # A practice entered in a competition is needed until its edition's results are
        # old enough (the applicant is told of them), whatever its own status.
        pending = Entry.objects.exclude(_results_before(cutoff, "category__edition__"))
        practices = practices_past_retention(cutoff=cutoff).exclude(
            pk__in=pending.values("practice")
        )
        counts = practice_contacts_erase(practices=practices, cutoff=cutoff, dry_run=dry_run)
        counts |= _applications_purge(cutoff, dry_run)
        ballots = Ballot.objects.filter(_results_before(cutoff, "edition__")).exclude(label="")
        counts["ballot_labels"] = ballots.count() if dry_run else ballots.update(label="")
        counts |= login_records_purge(cutoff=cutoff, dry_run=dry_run)
    logger.info(
        "personal data %s: %s",
        "due for erasure (dry run)" if dry_run else "erased",
        ", ".join(f"{name}={count}" for name, count in counts.items()),
    )
    return counts


def _applications_purge(cutoff: datetime.datetime, dry_run: bool) -> dict[str, int]:
    """Unsent entry forms last saved before `cutoff` go, with their files; sent ones keep
    their content (it is the entry's) without the applicant's contacts once the
    edition's results, or the sending of a form whose entry is gone, are that old."""
    unsent = Application.objects.filter(submitted_at__isnull=True, saved_at__lt=cutoff)
    sent = Application.objects.filter(submitted_at__isnull=False).filter(
        _results_before(cutoff, "edition__") | Q(entry__isnull=True, submitted_at__lt=cutoff)
    )
    identified = sent.filter(
        ~Q(contact_name="") | ~Q(email="") | Q(data__has_any_keys=list(APPLICATION_CONTACT_KEYS))
    )
    if dry_run:
        return {"unsent_applications": unsent.count(), "application_contacts": identified.count()}
    files = list(
        ApplicationAttachment.objects.filter(application__in=unsent).values_list("file", flat=True)
    )
    deleted = unsent.delete()[1].get(Application._meta.label, 0)
    storage = ApplicationAttachment._meta.get_field("file").storage
    transaction.on_commit(lambda: [storage.delete(name) for name in files if name])
    anonymised = 0
    for application in identified.select_for_update():
        application.contact_name = ""
        application.email = ""
        for key in APPLICATION_CONTACT_KEYS:
            application.data.pop(key, None)
        application.save(update_fields=["contact_name", "email", "data"])
        anonymised += 1
    return {"unsent_applications": deleted, "application_contacts": anonymised}
