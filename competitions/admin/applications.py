"""Online entry: applications and their files, read-only."""

from __future__ import annotations

from django.contrib import admin

from competitions.admin.base import ReadOnlyAdmin, sees_every_edition
from competitions.models import (
    Application,
    ApplicationAttachment,
)


class ApplicationAttachmentInline(admin.TabularInline):
    model = ApplicationAttachment
    extra = 0
    fields = ["file", "title", "content_type", "size", "uploaded_at"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Application)
class ApplicationAdmin(ReadOnlyAdmin):
    """Entry forms as applicants fill them in; an application sent has its entry (and
    draft practice) in the queue. Read-only: the applicant owns it until it is sent."""

    list_display = ["contact_name", "email", "edition", "saved_at", "submitted_at", "entry"]
    list_filter = [("submitted_at", admin.EmptyFieldListFilter), "edition"]
    search_fields = ["contact_name", "email", "edition__name"]
    list_select_related = ["edition", "entry__practice"]
    fields = ["edition", "contact_name", "email", "created_at", "saved_at", "submitted_at", "entry"]
    readonly_fields = fields
    inlines = [ApplicationAttachmentInline]

    def has_view_permission(self, request, obj=None):
        # Personal data of people outside the organisation: the organisers only.
        return sees_every_edition(request.user) and super().has_view_permission(request, obj)
