"""Writes to practices. Views, admin actions, commands and imports all come here."""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.conf import settings
from django.contrib.auth.models import User
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from core.links import absolute_url
from core.mail import mail_on_commit
from core.roles import EDITORS, role_emails
from core.text import slugify_pl
from organisations.models import Organisation
from organisations.services import organisation_get_or_create, organisation_publish
from practices.enums import PracticeOrigin, PracticeStatus
from practices.models import Partnership, Practice, PracticeAttachment, PracticeStatusChange
from practices.uploads import attachment_name


def practice_unique_slug(title: str) -> str:
    """A slug for a new practice from its title, numbered if the plain one is taken."""
    base = slugify_pl(title)[:100] or "praktyka"
    slug, n = base, 1
    while Practice.objects.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug


# --- moderation ------------------------------------------------------------------


class TransitionRefused(ValueError):
    """A status change the workflow does not allow; the message is for the editor."""


# Which status may follow which. Editors may publish a draft directly; "in
# review" is for submissions that need a second pair of eyes.
TRANSITIONS: dict[str, set[str]] = {
    PracticeStatus.DRAFT: {
        PracticeStatus.IN_REVIEW,
        PracticeStatus.PUBLISHED,
        PracticeStatus.ARCHIVED,
    },
    PracticeStatus.IN_REVIEW: {
        PracticeStatus.DRAFT,
        PracticeStatus.PUBLISHED,
        PracticeStatus.ARCHIVED,
    },
    PracticeStatus.PUBLISHED: {PracticeStatus.DRAFT, PracticeStatus.ARCHIVED},
    PracticeStatus.ARCHIVED: {PracticeStatus.DRAFT, PracticeStatus.PUBLISHED},
}


@transaction.atomic
def practice_change_status(
    *, practice: Practice, to_status: str, by: User | None, note: str = ""
) -> Practice:
    """Move a practice along the moderation workflow and record who did it and when.

    Raises TransitionRefused when the workflow does not allow the step (e.g.
    archiving an archived practice), or when the database's rules do: a laureate
    of a vote that has not ended stays published (competitions migration 0006).
    Publishing sets `published_at` the first time (to the source's own date when it
    gives one: Practice.save), and publishes the practice's draft organisations with
    it (practices.receivers).
    """
    practice = Practice.objects.select_for_update().get(pk=practice.pk)
    from_status = practice.status
    if to_status not in TRANSITIONS.get(from_status, set()):
        raise TransitionRefused(
            _("„%(title)s”: nie można zmienić statusu z „%(from)s” na „%(to)s”.")
            % {
                "title": practice.title,
                "from": PracticeStatus(from_status).label,
                "to": PracticeStatus(to_status).label,
            }
        )
    now = timezone.now()
    practice.status = to_status
    practice.status_changed_at = now
    practice.status_changed_by = by
    if to_status == PracticeStatus.PUBLISHED and practice.published_at is None:
        practice.published_at = now
    try:
        with transaction.atomic():
            practice.save(
                update_fields=["status", "status_changed_at", "status_changed_by", "published_at"]
            )
    except IntegrityError as error:
        rule = getattr(getattr(error.__cause__, "diag", None), "constraint_name", None)
        if rule != "practice_laureate_on_open_ballot":
            raise
        raise TransitionRefused(
            _(
                "„%(title)s” jest laureatem głosowania, które jeszcze trwa: zostaje "
                "opublikowana do ogłoszenia wyników, żeby głosujący mogli ją przeczytać."
            )
            % {"title": practice.title}
        ) from error
    PracticeStatusChange.objects.create(
        practice=practice, from_status=from_status, to_status=to_status, changed_by=by, note=note
    )
    return practice


def practice_publish_organisations(*, practice_ids: Iterable[int]) -> int:
    """Publish the draft lead and partner organisations of those of these practices that
    are published; returns how many were drafts.

    Called by practices.receivers after every write that publishes a practice or
    links an organisation to a published one, inside that write's transaction; a
    caller need not call it itself.
    """
    published = Practice.objects.filter(pk__in=list(practice_ids), status=PracticeStatus.PUBLISHED)
    return organisation_publish(
        organisations=Organisation.objects.filter(
            Q(pk__in=published.values("lead_organisation"))
            | Q(pk__in=Partnership.objects.filter(practice__in=published).values("organisation"))
        )
    )


# What only practice_change_status writes: a save of the content keeps them as stored.
MODERATION_FIELDS = ("status", "published_at", "status_changed_at", "status_changed_by")


def practice_keep_moderation_fields(practice: Practice) -> str | None:
    """Put the stored moderation fields back on `practice`, about to be saved with new
    content; returns the stored status when `practice` carried another one.

    For the admin's saves that are not status changes: a history revert brings an
    old version whole (published, with its dates), and a forged form may carry a
    status. Call before saving; the status itself moves only through
    `practice_change_status`, which checks the workflow and logs the step.
    """
    columns = [Practice._meta.get_field(name).attname for name in MODERATION_FIELDS]
    stored = Practice.objects.filter(pk=practice.pk).values(*columns).first()
    if stored is None:
        return None
    differed = practice.status != stored["status"]
    for column in columns:
        setattr(practice, column, stored[column])
    return stored["status"] if differed else None


def practice_change_status_many(
    *, practices: Iterable[Practice], to_status: str, by: User | None
) -> tuple[int, list[str]]:
    """Change the status of several practices; each succeeds or is refused on its own.

    Returns how many changed and the editor-facing reasons for the others.
    """
    changed, refusals = 0, []
    for practice in practices:
        try:
            practice_change_status(practice=practice, to_status=to_status, by=by)
        except TransitionRefused as refusal:
            refusals.append(str(refusal))
        else:
            changed += 1
    return changed, refusals


# --- public submissions ------------------------------------------------------------


@transaction.atomic
def practice_submit(
    *,
    title: str,
    practice_type,
    topics,
    summary: str,
    description: str,
    started_year: int | None,
    ended_year: int | None,
    total_value,
    currency: str,
    organisation_name: str,
    organisation_kind: str,
    organisation_country: str,
    organisation_locality: str,
    contact_name: str,
    contact_email: str,
    contact_phone: str,
    attachment=None,
    attachment_type: str = "",
) -> Practice:
    """Create a draft practice from the public form; editors are told by e-mail once it
    is committed (a mail server that is down is logged, the draft stays, once).

    The organisation is matched by name and country, or created. Nothing is
    public until an editor publishes the practice.
    """
    organisation, _created = organisation_get_or_create(
        name=organisation_name,
        kind=organisation_kind,
        country=organisation_country,
        locality=organisation_locality,
    )
    practice = Practice.objects.create(
        title=title,
        slug=practice_unique_slug(title),
        practice_type=practice_type,
        lead_organisation=organisation,
        summary=summary,
        description=description,
        started_on=datetime.date(started_year, 1, 1) if started_year else None,
        started_precision="year",
        ended_on=datetime.date(ended_year, 12, 31) if ended_year else None,
        ended_precision="year",
        total_value=total_value,
        currency=currency if total_value is not None else "",
        status=PracticeStatus.DRAFT,
        origin=PracticeOrigin.FORM,
        contact_name=contact_name,
        contact_email=contact_email,
        contact_phone=contact_phone,
        source_name=_("Formularz zgłoszeniowy katalogu"),
    )
    practice.topics.set(topics)
    if attachment is not None:
        attachment.name = attachment_name(attachment.name)
        PracticeAttachment.objects.create(
            practice=practice,
            file=attachment,
            title=attachment.name,
            content_type=attachment_type,
            size=attachment.size,
        )
    _notify_editors(practice)
    return practice


def _notify_editors(practice: Practice) -> None:
    """Tell the editors of a new submission, once it is committed (`core.mail`)."""
    recipients = role_emails(EDITORS) | set(settings.CATALOGUE_EDITORS_EMAILS)
    if not recipients:
        return
    link = absolute_url(reverse("admin:practices_submission_change", args=[practice.pk]))
    mail_on_commit(
        subject=_("Nowe zgłoszenie praktyki: %(title)s") % {"title": practice.title[:120]},
        body=_(
            "Przez formularz zgłoszono nową praktykę.\n\n"
            "Tytuł: %(title)s\nOrganizacja: %(organisation)s\n"
            "Zgłaszający: %(contact)s <%(email)s>\n\n"
            "Kolejka moderacji: %(link)s\n"
        )
        % {
            "title": practice.title,
            "organisation": getattr(practice.lead_organisation, "name", ""),
            "contact": practice.contact_name,
            "email": practice.contact_email,
            "link": link,
        },
        to=sorted(recipients),
    )
