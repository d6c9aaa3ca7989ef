"""The jury's members and criteria, and read-only records of its work."""

from __future__ import annotations

from django.contrib import admin

from competitions.admin.base import EditionScopedAdmin, ReadOnlyAdmin
from competitions.models import (
    ConflictOfInterest,
    Criterion,
    DecisionLog,
    JuryMember,
    JurySubmission,
    Score,
    TieResolution,
)


@admin.register(JuryMember)
class JuryMemberAdmin(EditionScopedAdmin):
    list_display = ["user", "edition", "is_chair"]
    list_filter = ["is_chair", "edition"]
    search_fields = ["user__username", "user__last_name", "edition__name"]
    autocomplete_fields = ["user", "edition"]
    list_select_related = ["user", "edition"]


@admin.register(Criterion)
class CriterionAdmin(EditionScopedAdmin):
    list_display = ["name", "edition", "weight", "scale_min", "scale_max", "order"]
    list_filter = ["edition"]
    search_fields = ["name", "edition__name"]
    autocomplete_fields = ["edition"]
    list_select_related = ["edition"]


@admin.register(Score)
class ScoreAdmin(ReadOnlyAdmin):
    list_display = ["member", "entry", "criterion", "value", "updated_at"]
    list_filter = ["entry__category__edition", "criterion"]
    search_fields = ["entry__practice__title", "member__user__username", "comment"]
    list_select_related = ["member__user", "member__edition", "entry__practice", "criterion"]


@admin.register(JurySubmission)
class JurySubmissionAdmin(ReadOnlyAdmin):
    list_display = ["member", "entry", "submitted_at"]
    list_filter = ["entry__category__edition"]
    search_fields = ["entry__practice__title", "member__user__username"]
    list_select_related = ["member__user", "member__edition", "entry__practice"]


@admin.register(ConflictOfInterest)
class ConflictOfInterestAdmin(ReadOnlyAdmin):
    list_display = ["member", "entry", "reason", "declared_at"]
    list_filter = ["entry__category__edition"]
    search_fields = ["entry__practice__title", "member__user__username", "reason"]
    list_select_related = ["member__user", "member__edition", "entry__practice"]


@admin.register(DecisionLog)
class DecisionLogAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "edition", "action", "entry", "actor", "before", "after"]
    list_filter = ["action", "edition"]
    search_fields = ["entry__practice__title", "actor__username", "reason"]
    list_select_related = ["edition", "entry__practice", "actor"]
    date_hierarchy = "created_at"


@admin.register(TieResolution)
class TieResolutionAdmin(ReadOnlyAdmin):
    list_display = ["category", "entry", "resolved_by", "resolved_at"]
    list_filter = ["category__edition"]
    search_fields = ["category__name", "entry__practice__title", "reason"]
    list_select_related = ["category__edition", "entry__practice", "resolved_by"]
