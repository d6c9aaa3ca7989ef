"""Ballot batches, ballots and votes: votes are not listed before the results are public."""

from __future__ import annotations

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from competitions.admin.base import ReadOnlyAdmin
from competitions.enums import RESULTS_PUBLIC_PHASES
from competitions.models import (
    Ballot,
    BallotBatch,
    Vote,
)
from core.admin import PrivateLookupsMixin


@admin.register(BallotBatch)
class BallotBatchAdmin(ReadOnlyAdmin):
    list_display = ["edition", "size", "issued_by", "issued_at"]
    list_filter = ["edition"]
    search_fields = ["edition__name", "issued_by__username"]
    list_select_related = ["edition", "issued_by"]


@admin.register(Ballot)
class BallotAdmin(PrivateLookupsMixin, admin.ModelAdmin):
    """Codes are issued by the edition's action; a lost, unused code may be deleted."""

    list_display = ["__str__", "edition", "batch", "created_at"]
    list_filter = ["edition", "batch"]
    search_fields = ["label"]
    list_select_related = ["edition", "batch"]
    readonly_fields = ["edition", "batch", "label", "created_at"]
    fields = readonly_fields

    def get_actions(self, request):
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)  # a bulk delete could take votes with it
        return actions

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        if obj is not None and obj.votes.exists():
            return False
        return super().has_delete_permission(request, obj)


@admin.register(Vote)
class VoteAdmin(ReadOnlyAdmin):
    """Votes of editions with published results only: before that, not even their number."""

    list_display = ["category", "entry", "ballot", "cast_at"]
    search_fields = ["entry__practice__title", "ballot__label"]
    list_select_related = ["category__edition", "entry__practice", "ballot"]

    def get_queryset(self, request):
        return (
            super().get_queryset(request).filter(category__edition__phase__in=RESULTS_PUBLIC_PHASES)
        )

    def changelist_view(self, request, extra_context=None):
        extra_context = {
            **(extra_context or {}),
            "subtitle": _("Głosy pokazujemy dopiero po ogłoszeniu wyników edycji."),
        }
        return super().changelist_view(request, extra_context)
