"""Organisations go public with their practice.

Whatever publishes a practice or links an organisation to a published one (the
moderation service, an admin form or inline, an import, a fixture load, a bulk
update), its lead and partner organisations are published in the same
transaction (`practices.services.practice_publish_organisations`): a published
practice never names a draft organisation.
"""

from __future__ import annotations

from django.db.models import Q
from django.db.models.signals import post_save

from core.signals import post_bulk_create, post_update
from organisations.services import organisation_register_public_reference
from practices.enums import PracticeStatus
from practices.models import Partnership, Practice
from practices.services import practice_publish_organisations

# The practice's fields that decide which organisations it shows.
_PRACTICE_FIELDS = frozenset({"status", "lead_organisation", "lead_organisation_id"})


def _on_practice_saved(sender, instance, raw=False, update_fields=None, **kwargs):
    if raw or instance.status != PracticeStatus.PUBLISHED:
        return
    if update_fields is not None and not _PRACTICE_FIELDS & set(update_fields):
        return
    practice_publish_organisations(practice_ids=[instance.pk])


def _on_practices_updated(sender, pks, fields, **kwargs):
    if _PRACTICE_FIELDS & set(fields):
        practice_publish_organisations(practice_ids=pks)


def _on_partnership_saved(sender, instance, raw=False, **kwargs):
    if not raw:
        practice_publish_organisations(practice_ids=[instance.practice_id])


def _on_partnerships_written(sender, pks, **kwargs):
    practice_ids = Partnership.objects.filter(pk__in=pks).values_list("practice_id", flat=True)
    practice_publish_organisations(practice_ids=set(practice_ids))


def connect_receivers() -> None:
    """Called once, by the app's ready()."""
    uid = "practices.publish-organisations"
    post_save.connect(_on_practice_saved, sender=Practice, dispatch_uid=uid)
    post_update.connect(_on_practices_updated, sender=Practice, dispatch_uid=uid)
    post_save.connect(_on_partnership_saved, sender=Partnership, dispatch_uid=uid)
    post_update.connect(_on_partnerships_written, sender=Partnership, dispatch_uid=uid)
    post_bulk_create.connect(_on_partnerships_written, sender=Partnership, dispatch_uid=uid)
    # An organisation a published practice shows stays published (organisation_unpublish).
    organisation_register_public_reference(
        Q(led_practices__status=PracticeStatus.PUBLISHED)
        | Q(partnerships__practice__status=PracticeStatus.PUBLISHED)
    )
