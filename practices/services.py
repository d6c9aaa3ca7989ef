"""Writes to practices. Views, admin actions, commands and imports all come here."""

from __future__ import annotations

import json
from collections.abc import Iterable

from django.contrib.auth.models import User
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from competitions.enums import EntryStatus
from core.pagecache import catalogue_changed
from core.text import document_text
from practices.enums import AwardLevel, PracticeStatus
from practices.models import Practice, PracticeStatusChange
from practices.selectors import practice_index_prefetches

# The search document has four weighted parts: A the title; B the summary and
# who did it where; C the full text; D the vocabulary (type, topics, funding,
# awards). Ranking counts A above B above C above D.
_UPDATE_INDEX_SQL = """
    UPDATE practices_practice AS p SET
        search_vector =
            setweight(to_tsvector('simple', v.doc_a), 'A')
            || setweight(to_tsvector('simple', v.doc_b), 'B')
            || setweight(to_tsvector('simple', v.doc_c), 'C')
            || setweight(to_tsvector('simple', v.doc_d), 'D'),
        countries = v.countries,
        regions = v.regions,
        organisation_ids = v.organisation_ids,
        organisation_kinds = v.organisation_kinds,
        topic_ids = v.topic_ids,
        competition_ids = v.competition_ids,
        edition_ids = v.edition_ids,
        award_levels = v.award_levels
    FROM jsonb_to_recordset(%s::jsonb) AS v(
        id bigint, doc_a text, doc_b text, doc_c text, doc_d text,
        countries varchar(2)[], regions varchar(120)[], organisation_ids bigint[],
        organisation_kinds varchar(32)[], topic_ids bigint[], competition_ids bigint[],
        edition_ids bigint[], award_levels varchar(16)[]
    )
    WHERE p.id = v.id
"""


def _country_names(codes: Iterable[str]) -> list[str]:
    """Country names in both interface languages, so "Ukraina" and "Ukraine" both find."""
    from django_countries import countries

    names = []
    for language in ("pl", "en"):
        with override(language):
            names.extend(str(countries.name(code)) for code in codes)
    return names


def practice_index_values(practice: Practice) -> dict:
    """Everything the catalogue's search and filters read from one practice row.

    `practice` must come with `practice_index_prefetches()` applied, or this
    runs a query per relation.
    """
    organisations = [practice.lead_organisation] + [
        partnership.organisation for partnership in practice.partnerships.all()
    ]
    countries = sorted({str(o.country) for o in organisations if o.country})
    regions = sorted({o.region for o in organisations if o.region})
    topics = list(practice.topics.all())
    entries = [e for e in practice.entries.all() if e.status != EntryStatus.WITHDRAWN]

    award_levels = set()
    for entry in entries:
        if entry.status in (EntryStatus.FINALIST, EntryStatus.LAUREATE):
            award_levels.add(AwardLevel.FINALIST)
        if entry.status == EntryStatus.LAUREATE:
            award_levels.add(AwardLevel.LAUREATE)
        if entry.is_winner:
            award_levels.add(AwardLevel.WINNER)
        if entry.distinction:
            award_levels.add(AwardLevel.DISTINCTION)

    places = [practice.place] + [o.locality for o in organisations] + regions
    who = [f"{o.name} {o.short_name}" for o in organisations]
    return {
        "id": practice.pk,
        "doc_a": document_text([practice.title]),
        "doc_b": document_text([practice.summary, *who, *places, *_country_names(countries)]),
        "doc_c": document_text(
            [practice.description, practice.problem, practice.actions, practice.results]
        ),
        "doc_d": document_text(
            [
                practice.practice_type.name,
                practice.author,
                *(f"{t.name} {t.name_en}" for t in topics),
                *(source.name for source in practice.funding_sources.all()),
                *(f"{e.category.edition.name} {e.category.name} {e.distinction}" for e in entries),
            ]
        ),
        "countries": countries,
        "regions": regions,
        "organisation_ids": sorted({o.pk for o in organisations}),
        "organisation_kinds": sorted({o.kind for o in organisations}),
        "topic_ids": sorted(t.pk for t in topics),
        "competition_ids": sorted({e.category.edition.competition_id for e in entries}),
        "edition_ids": sorted({e.category.edition_id for e in entries}),
        "award_levels": sorted(award_levels),
    }


@transaction.atomic
def practice_refresh_index(*, practice_ids: Iterable[int]) -> int:
    """Recompute the search vector and the filter columns of these practices.

    Call it after anything a practice's index reads has changed: the practice,
    its partners, topics, funding, organisations' names or places, its entries.
    Returns the number of practices updated.
    """
    ids = list(practice_ids)
    if not ids:
        return 0
    practices = practice_index_prefetches(Practice.objects.filter(pk__in=ids))
    rows = [practice_index_values(practice) for practice in practices]
    if not rows:
        return 0
    with connection.cursor() as cursor:
        cursor.execute(_UPDATE_INDEX_SQL, [json.dumps(rows)])
    # A raw UPDATE sends no signal: mark the public pages stale ourselves.
    transaction.on_commit(catalogue_changed)
    return len(rows)


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
    archiving an archived practice). Publishing sets `published_at` the first time.
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
    practice.save(
        update_fields=["status", "status_changed_at", "status_changed_by", "published_at"]
    )
    PracticeStatusChange.objects.create(
        practice=practice, from_status=from_status, to_status=to_status, changed_by=by, note=note
    )
    return practice


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
    """Create a draft practice from the public form; editors are told by e-mail.

    The organisation is matched by name and country, or created. Nothing is
    public until an editor publishes the practice.
    """
    import datetime

    from organisations.services import organisation_get_or_create
    from practices.enums import PracticeOrigin
    from practices.imports import _unique_practice_slug
    from practices.models import PracticeAttachment

    organisation, _created = organisation_get_or_create(
        name=organisation_name,
        kind=organisation_kind,
        country=organisation_country,
        locality=organisation_locality,
    )
    practice = Practice.objects.create(
        title=title,
        slug=_unique_practice_slug(title),
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
        PracticeAttachment.objects.create(
            practice=practice,
            file=attachment,
            title=attachment.name,
            content_type=attachment_type,
            size=attachment.size,
        )
    practice_refresh_index(practice_ids=[practice.pk])
    transaction.on_commit(lambda: _notify_editors(practice))
    return practice


def _notify_editors(practice: Practice) -> None:
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.core.mail import send_mail
    from django.urls import reverse

    from core.roles import EDITORS

    recipients = set(
        get_user_model()
        .objects.filter(groups__name=EDITORS, is_active=True)
        .exclude(email="")
        .values_list("email", flat=True)
    )
    recipients |= set(settings.CATALOGUE_EDITORS_EMAILS)
    if not recipients:
        return
    link = settings.SITE_URL.rstrip("/") + reverse(
        "admin:practices_submission_change", args=[practice.pk]
    )
    send_mail(
        subject=_("Nowe zgłoszenie praktyki: %(title)s") % {"title": practice.title[:120]},
        message=_(
            "Przez formularz zgłoszono nową praktykę.\n\n"
            "Tytuł: %(title)s\nOrganizacja: %(organisation)s\n"
            "Zgłaszający: %(contact)s <%(email)s>\n\n"
            "Kolejka moderacji: %(link)s\n"
        )
        % {
            "title": practice.title,
            "organisation": practice.lead_organisation.name,
            "contact": practice.contact_name,
            "email": practice.contact_email,
            "link": link,
        },
        from_email=None,
        recipient_list=sorted(recipients),
    )
