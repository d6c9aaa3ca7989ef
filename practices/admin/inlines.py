"""What a practice's admin page edits beside it: partners, amounts, milestones, links,
attachments (checked as uploads), and its read-only status history."""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from core.admin import URL_FIELD_OVERRIDES
from practices.models import (
    Partnership,
    PracticeAmount,
    PracticeAttachment,
    PracticeLink,
    PracticeMilestone,
    PracticeStatusChange,
)
from practices.uploads import attachment_validate


class PartnershipInline(admin.TabularInline):
    model = Partnership
    extra = 1
    autocomplete_fields = ["organisation"]
    fields = ["organisation", "role", "note", "order"]


class PracticeAmountInline(admin.TabularInline):
    """Amounts other than the total value and co-financing: never in the value filter."""

    model = PracticeAmount
    extra = 0
    fields = ["measure", "amount", "currency", "approximate", "note", "order"]


class PracticeMilestoneInline(admin.TabularInline):
    """Dated steps that are not the period of realisation (an application, an agreement)."""

    model = PracticeMilestone
    extra = 0
    fields = ["kind", "date", "precision", "note", "order"]


class PracticeLinkInline(admin.TabularInline):
    formfield_overrides = URL_FIELD_OVERRIDES
    model = PracticeLink
    extra = 0
    fields = ["url", "label", "order"]


class AttachmentForm(forms.ModelForm):
    class Meta:
        model = PracticeAttachment
        fields = ["file", "title"]

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload and hasattr(upload, "content_type"):
            self.detected_type = attachment_validate(upload)
        return upload

    def save(self, commit=True):
        attachment = super().save(commit=False)
        upload = self.cleaned_data["file"]
        if hasattr(self, "detected_type"):
            attachment.content_type = self.detected_type
            attachment.size = upload.size
        if commit:
            attachment.save()
        return attachment


class PracticeAttachmentInline(admin.TabularInline):
    model = PracticeAttachment
    form = AttachmentForm
    extra = 0
    fields = ["file", "title", "content_type", "size"]
    readonly_fields = ["content_type", "size"]


class StatusChangeInline(admin.TabularInline):
    model = PracticeStatusChange
    extra = 0
    can_delete = False
    fields = ["changed_at", "from_status", "to_status", "changed_by", "note"]
    readonly_fields = fields
    verbose_name_plural = _("historia moderacji")

    def has_add_permission(self, request, obj=None):
        return False
