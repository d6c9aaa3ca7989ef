"""Online entry during an edition's call for entries: an applicant without an account
starts an entry form, saves it and comes back through a private link sent by e-mail,
and submits it before the deadline. Submitting makes a draft practice and an entry
in the organiser's queue; nothing the applicant typed is public until an editor
publishes the practice.

The private link carries a random key; only its SHA-256 is stored, so the table
never holds a working link. Every step checks the call is open (phase and deadline,
by the server's clock) and takes the application's row lock, so a double click or
two tabs cannot submit twice.
"""

from __future__ import annotations

import datetime
import hashlib
import secrets
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from competitions.enums import EditionPhase, EntryStatus
from competitions.models import (
    Application,
    ApplicationAttachment,
    Category,
    Edition,
    EditionQuestion,
    Entry,
    EntryAnswer,
)
from competitions.services.refusals import CompetitionRefused, format_moment
from core.links import absolute_url
from core.mail import mail_on_commit
from core.roles import ADMINISTRATORS, role_emails
from organisations.services import organisation_get_or_create
from practices.enums import PracticeOrigin, PracticeStatus
from practices.models import Practice, PracticeAttachment, PracticeType, Topic
from practices.services import practice_unique_slug
from practices.uploads import attachment_name

# How many files one application may carry (each checked as every upload is).
MAX_APPLICATION_ATTACHMENTS = 5


class ApplicationRefused(CompetitionRefused):
    pass


@dataclass(frozen=True)
class Upload:
    """A file the applicant added, already checked (`practices.uploads`)."""

    file: object
    content_type: str


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def call_refusal(edition: Edition, *, now: datetime.datetime | None = None) -> str | None:
    """Why the edition takes no entries now, in words for the applicant; None if it does."""
    now = now or timezone.now()
    if edition.phase != EditionPhase.SUBMISSIONS:
        return _("Ta edycja nie przyjmuje teraz zgłoszeń (etap: %(phase)s).") % {
            "phase": edition.get_phase_display()
        }
    if edition.submissions_open_at and now < edition.submissions_open_at:
        return _("Nabór zaczyna się %(opens)s (czasu polskiego).") % {
            "opens": format_moment(edition.submissions_open_at)
        }
    if edition.submissions_close_at and now >= edition.submissions_close_at:
        return _(
            "Nabór zakończył się %(closes)s (czasu polskiego); zgłoszeń już nie przyjmujemy."
        ) % {"closes": format_moment(edition.submissions_close_at)}
    return None


def _check_open(edition: Edition) -> None:
    refusal = call_refusal(edition)
    if refusal:
        raise ApplicationRefused(refusal, reason="closed")


def application_link(application: Application, token: str) -> str:
    edition = application.edition
    path = {"competition_slug": edition.competition.slug, "year": edition.year}
    return absolute_url(reverse("competitions:application-form", kwargs={**path, "token": token}))


def _new_token(application: Application) -> str:
    token = secrets.token_urlsafe(32)
    application.token_hash = token_hash(token)
    return token


@transaction.atomic
def application_start(
    *, edition: Edition, contact_name: str, email: str
) -> tuple[Application, str]:
    """Open a new entry form for the applicant and e-mail them its private link.

    Returns the application and the key of its link (shown once, never stored).
    """
    edition = Edition.objects.select_related("competition").get(pk=edition.pk)
    _check_open(edition)
    application = Application(
        edition=edition,
        contact_name=" ".join(contact_name.split()),
        email=email.strip(),
        folder=secrets.token_hex(16),
    )
    token = _new_token(application)
    application.save()
    link = application_link(application, token)
    _send_link(application, link)
    return application, token


@transaction.atomic
def application_resend_links(*, edition: Edition, email: str) -> int:
    """E-mail a fresh private link for every unsent application of this address in the
    edition (the older links stop working). Says nothing to the asker about whether
    any exist; returns how many were sent, for tests and logs."""
    edition = Edition.objects.select_related("competition").get(pk=edition.pk)
    if call_refusal(edition):
        return 0
    drafts = list(
        Application.objects.select_for_update().filter(
            edition=edition, email__iexact=email.strip(), submitted_at__isnull=True
        )
    )
    for application in drafts:
        token = _new_token(application)
        application.save(update_fields=["token_hash"])
        link = application_link(application, token)
        _send_link(application, link)
    return len(drafts)


def _locked(application: Application) -> Application:
    application = (
        Application.objects.select_for_update()
        .select_related("edition__competition")
        .get(pk=application.pk)
    )
    if application.submitted_at is not None:
        raise ApplicationRefused(
            _("To zgłoszenie zostało już wysłane %(at)s; nie można go zmienić.")
            % {"at": format_moment(application.submitted_at)},
            reason="submitted",
        )
    _check_open(application.edition)
    return application


def _add_files(application: Application, uploads: list[Upload], remove: list[int]) -> None:
    if remove:
        for attachment in application.attachments.filter(pk__in=remove):
            attachment.file.delete(save=False)
            attachment.delete()
    if not uploads:
        return
    kept = application.attachments.count()
    if kept + len(uploads) > MAX_APPLICATION_ATTACHMENTS:
        raise ApplicationRefused(
            ngettext(
                "Zgłoszenie może mieć najwyżej %(max)s załącznik.",
                "Zgłoszenie może mieć najwyżej %(max)s załączników.",
                MAX_APPLICATION_ATTACHMENTS,
            )
            % {"max": MAX_APPLICATION_ATTACHMENTS},
            reason="too_many_files",
        )
    for upload in uploads:
        upload.file.name = attachment_name(upload.file.name)
        ApplicationAttachment.objects.create(
            application=application,
            file=upload.file,
            title=upload.file.name,
            content_type=upload.content_type,
            size=upload.file.size,
        )


@transaction.atomic
def application_save(
    *,
    application: Application,
    data: dict,
    uploads: list[Upload] = (),
    remove_attachments: list[int] = (),
) -> Application:
    """Keep what the applicant has typed so far (a draft: fields may be missing)."""
    application = _locked(application)
    application.data = data
    application.save(update_fields=["data", "saved_at"])
    _add_files(application, list(uploads), list(remove_attachments))
    return application


@transaction.atomic
def application_submit(
    *,
    application: Application,
    data: dict,
    uploads: list[Upload] = (),
    remove_attachments: list[int] = (),
) -> Entry:
    """Send the application: a draft practice, its organisation, attachments and the
    entry in the chosen category, with the answers; e-mails the applicant and the
    organisers. `data` is the complete form (validated by `ApplicationForm`)."""
    application = _locked(application)
    _add_files(application, list(uploads), list(remove_attachments))
    edition = application.edition
    category = Category.objects.get(pk=data["category"], edition=edition)
    organisation, _created = organisation_get_or_create(
        name=data["organisation_name"],
        kind=data["organisation_kind"],
        country=data["organisation_country"],
        locality=data.get("organisation_locality", ""),
    )
    total_value = Decimal(data["total_value"]) if data.get("total_value") else None
    practice = Practice.objects.create(
        title=data["title"],
        slug=practice_unique_slug(data["title"]),
        practice_type=PracticeType.objects.get(pk=data["practice_type"]),
        lead_organisation=organisation,
        summary=data["summary"],
        description=data.get("description", ""),
        started_on=datetime.date(data["started_year"], 1, 1) if data.get("started_year") else None,
        started_precision="year",
        ended_on=datetime.date(data["ended_year"], 12, 31) if data.get("ended_year") else None,
        ended_precision="year",
        total_value=total_value,
        currency=data.get("currency", "") if total_value is not None else "",
        status=PracticeStatus.DRAFT,
        origin=PracticeOrigin.FORM,
        contact_name=application.contact_name,
        contact_email=application.email,
        contact_phone=data.get("contact_phone", ""),
        source_name=_("Zgłoszenie do konkursu: %(edition)s") % {"edition": edition.name},
    )
    practice.topics.set(Topic.objects.filter(pk__in=data.get("topics", [])))
    for attachment in application.attachments.all():
        PracticeAttachment.objects.create(
            practice=practice,
            file=attachment.file.name,
            title=attachment.title,
            content_type=attachment.content_type,
            size=attachment.size,
        )
    now = timezone.now()
    entry = Entry.objects.create(
        category=category, practice=practice, status=EntryStatus.SUBMITTED, submitted_at=now
    )
    answers = data.get("answers", {})
    EntryAnswer.objects.bulk_create(
        EntryAnswer(entry=entry, question=question, text=answers.get(str(question.pk), ""))
        for question in EditionQuestion.objects.filter(edition=edition)
    )
    application.data = data
    application.submitted_at = now
    application.entry = entry
    application.save(update_fields=["data", "submitted_at", "entry", "saved_at"])
    _send_confirmation(application, entry)
    return entry


# --- e-mails -------------------------------------------------------------------------
# Made inside the write's transaction and sent once it commits (`core.mail`).


def _send_link(application: Application, link: str) -> None:
    edition = application.edition
    deadline = (
        _("Nabór trwa do %(closes)s (czasu polskiego).")
        % {"closes": format_moment(edition.submissions_close_at)}
        if edition.submissions_close_at
        else ""
    )
    mail_on_commit(
        subject=_("Twoje zgłoszenie do konkursu: %(edition)s") % {"edition": edition.name},
        body=_(
            "Dzień dobry,\n\n"
            "rozpoczęto zgłoszenie do konkursu „%(edition)s”. Pod tym adresem możesz je "
            "uzupełniać, zapisywać i wysłać:\n\n%(link)s\n\n"
            "Link jest prywatny: kto go ma, może zmienić zgłoszenie, więc nikomu go nie "
            "przekazuj. %(deadline)s\n\n"
            "Jeśli to nie Ty, zignoruj tę wiadomość.\n"
        )
        % {"edition": edition.name, "link": link, "deadline": deadline},
        to=[application.email],
    )


def _send_confirmation(application: Application, entry: Entry) -> None:
    edition = application.edition
    mail_on_commit(
        subject=_("Potwierdzenie zgłoszenia: %(title)s") % {"title": entry.practice.title[:120]},
        body=_(
            "Dzień dobry,\n\n"
            "dziękujemy: zgłoszenie „%(title)s” do konkursu „%(edition)s” w kategorii "
            "„%(category)s” wpłynęło %(at)s (czasu polskiego).\n\n"
            "Organizator sprawdzi je i przekaże jury. Opis praktyki nie jest publiczny, "
            "dopóki redakcja katalogu go nie opublikuje.\n"
        )
        % {
            "title": entry.practice.title,
            "edition": edition.name,
            "category": entry.category.display_name,
            "at": format_moment(entry.submitted_at),
        },
        to=[application.email],
    )
    organisers = role_emails(ADMINISTRATORS) | set(settings.CATALOGUE_EDITORS_EMAILS)
    if not organisers:
        return
    link = absolute_url(reverse("admin:competitions_entry_change", args=[entry.pk]))
    mail_on_commit(
        subject=_("Nowe zgłoszenie do konkursu: %(title)s") % {"title": entry.practice.title[:120]},
        body=_(
            "Przez formularz konkursu „%(edition)s” wpłynęło zgłoszenie.\n\n"
            "Tytuł: %(title)s\nKategoria: %(category)s\nZgłaszający: %(contact)s <%(email)s>\n\n"
            "Zgłoszenie w panelu: %(link)s\n"
        )
        % {
            "edition": edition.name,
            "title": entry.practice.title,
            "category": entry.category.display_name,
            "contact": application.contact_name,
            "email": application.email,
            "link": link,
        },
        to=sorted(organisers),
    )
