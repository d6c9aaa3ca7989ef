"""Entries: their decisions are read-only here (the jury's chair makes them)."""

from __future__ import annotations

from django.contrib import admin

from competitions.admin.base import EditionScopedAdmin, vote_rules_locked
from competitions.models import (
    Entry,
    EntryAnswer,
)

DECISION_FIELDS = ["status", "laureate_place", "is_winner", "distinction"]


class EntryInline(admin.TabularInline):
    model = Entry
    extra = 0
    fields = ["practice", "entrant", "submitted_at", *DECISION_FIELDS]
    readonly_fields = DECISION_FIELDS
    autocomplete_fields = ["practice", "entrant"]
    show_change_link = True

    def has_delete_permission(self, request, obj=None):
        locked = obj is not None and vote_rules_locked(obj.edition)
        return not locked and super().has_delete_permission(request, obj)


class EntryAnswerInline(admin.StackedInline):
    model = EntryAnswer
    extra = 0
    fields = ["question", "text"]
    readonly_fields = ["question", "text"]
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Entry)
class EntryAdmin(EditionScopedAdmin):
    inlines = [EntryAnswerInline]
    edition_lookup = "category__edition"
    list_display = [
        "practice",
        "entrant",
        "category",
        "status",
        "laureate_place",
        "is_winner",
        "distinction",
    ]
    list_filter = ["status", "is_winner", "category__edition"]
    search_fields = ["practice__title", "category__name", "distinction"]
    autocomplete_fields = ["practice", "category", "entrant"]
    list_select_related = ["practice", "entrant", "category__edition"]
    fields = ["category", "practice", "entrant", "submitted_at", *DECISION_FIELDS]

    def get_readonly_fields(self, request, obj=None):
        # Decisions go through the chair's page (entry_decide), which logs them.
        return DECISION_FIELDS if obj is None else ["category", "practice", *DECISION_FIELDS]

    def has_delete_permission(self, request, obj=None):
        locked = obj is not None and vote_rules_locked(obj.category.edition)
        return not locked and super().has_delete_permission(request, obj)
