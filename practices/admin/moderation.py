"""Moving practices between statuses from the admin: list actions and the change page's
buttons, both through practices.services."""

from __future__ import annotations

from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _

from practices.enums import PracticeStatus
from practices.services import (
    TRANSITIONS,
    practice_change_status_many,
)


def _moderate(modeladmin, request, queryset, to_status: str, done_message: str) -> None:
    changed, refusals = practice_change_status_many(
        practices=queryset, to_status=to_status, by=request.user
    )
    if changed:
        modeladmin.message_user(request, done_message % {"count": changed}, messages.SUCCESS)
    for refusal in refusals:
        modeladmin.message_user(request, refusal, messages.WARNING)


@admin.action(description=_("Wyślij do recenzji"), permissions=["change"])
def send_for_review(modeladmin, request, queryset):
    _moderate(
        modeladmin,
        request,
        queryset,
        PracticeStatus.IN_REVIEW,
        _("Wysłano do recenzji: %(count)s."),
    )


@admin.action(description=_("Opublikuj"), permissions=["publish"])
def publish(modeladmin, request, queryset):
    _moderate(
        modeladmin, request, queryset, PracticeStatus.PUBLISHED, _("Opublikowano: %(count)s.")
    )


@admin.action(description=_("Wycofaj z publikacji (do szkiców)"), permissions=["publish"])
def unpublish(modeladmin, request, queryset):
    _moderate(
        modeladmin,
        request,
        queryset.filter(status=PracticeStatus.PUBLISHED),
        PracticeStatus.DRAFT,
        _("Wycofano z publikacji: %(count)s."),
    )


@admin.action(description=_("Archiwizuj"), permissions=["publish"])
def archive(modeladmin, request, queryset):
    _moderate(
        modeladmin, request, queryset, PracticeStatus.ARCHIVED, _("Zarchiwizowano: %(count)s.")
    )


def moderation_buttons(practice, request, model_admin) -> list[tuple[str, str]]:
    if practice is None:
        return []
    labels = {
        PracticeStatus.DRAFT: _("Przenieś do szkiców"),
        PracticeStatus.IN_REVIEW: _("Wyślij do recenzji"),
        PracticeStatus.PUBLISHED: _("Opublikuj"),
        PracticeStatus.ARCHIVED: _("Archiwizuj"),
    }
    buttons = []
    for status in sorted(TRANSITIONS[practice.status], key=PracticeStatus.values.index):
        if status != PracticeStatus.IN_REVIEW and not model_admin.has_publish_permission(request):
            continue
        buttons.append((f"_status_{status}", labels[status]))
    return buttons
