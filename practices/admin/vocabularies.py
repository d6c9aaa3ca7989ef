"""The vocabularies: practice types, topics, funding sources, and status changes."""

from __future__ import annotations

from django.contrib import admin
from django.db.models import Count
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from core.admin import PrivateLookupsMixin
from practices.models import (
    FundingSource,
    PracticeStatusChange,
    PracticeType,
    Topic,
)


@admin.register(PracticeType)
class PracticeTypeAdmin(PrivateLookupsMixin, admin.ModelAdmin):
    list_display = ["name", "code", "order", "practice_count"]
    ordering = ["order"]
    readonly_fields = ["code"]
    fields = [
        "code",
        ("name", "name_en", "name_uk"),
        ("definition", "definition_en", "definition_uk"),
        "order",
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(practice_total=Count("practices"))

    @admin.display(description=_("praktyki"), ordering="practice_total")
    def practice_count(self, practice_type):
        return practice_type.practice_total

    def has_add_permission(self, request):
        return False  # the seven types are fixed (GZM definitions)

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Topic)
class TopicAdmin(PrivateLookupsMixin, SimpleHistoryAdmin):
    list_display = ["name", "name_en", "slug", "order", "practice_count"]
    list_editable = ["order"]
    search_fields = ["name", "name_en", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    ordering = ["order", "name"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(practice_total=Count("practices"))

    @admin.display(description=_("praktyki"), ordering="practice_total")
    def practice_count(self, topic):
        return topic.practice_total


@admin.register(FundingSource)
class FundingSourceAdmin(PrivateLookupsMixin, SimpleHistoryAdmin):
    list_display = ["name", "organisation", "practice_count"]
    search_fields = ["name", "description", "organisation__name"]
    autocomplete_fields = ["organisation"]
    prepopulated_fields = {"slug": ["name"]}

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related("organisation")
            .annotate(practice_total=Count("practices"))
        )

    @admin.display(description=_("praktyki"), ordering="practice_total")
    def practice_count(self, source):
        return source.practice_total


@admin.register(PracticeStatusChange)
class PracticeStatusChangeAdmin(PrivateLookupsMixin, admin.ModelAdmin):
    """Read-only log of the moderation workflow."""

    list_display = ["practice", "from_status", "to_status", "changed_by", "changed_at", "note"]
    list_filter = ["to_status", "from_status"]
    list_select_related = ["practice", "changed_by"]
    search_fields = ["practice__title", "changed_by__username", "note"]
    date_hierarchy = "changed_at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
