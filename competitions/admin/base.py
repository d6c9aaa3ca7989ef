"""What the competitions' admin pages share: an edition's organisers see only their
editions, and records nobody edits here are read-only."""

from __future__ import annotations

from django.contrib import admin

from competitions.models import (
    Edition,
)
from core.admin import PrivateLookupsMixin


def sees_every_edition(user) -> bool:
    """Organisers see all editions; a jury member (view rights only) sees their own."""
    return user.is_superuser or user.has_perm("competitions.change_edition")


class EditionScopedAdmin(PrivateLookupsMixin, admin.ModelAdmin):
    """Lists only the editions the user sits on, unless they organise competitions."""

    edition_lookup = "edition"

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if sees_every_edition(request.user):
            return queryset
        return queryset.filter(**{f"{self.edition_lookup}__jury_members__user": request.user})


class ReadOnlyAdmin(PrivateLookupsMixin, admin.ModelAdmin):
    """Records written by the services only: looked at here, never edited."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


def vote_rules_locked(edition: Edition | None) -> bool:
    """Whether the edition's vote rules are locked: its categories and entries then stay."""
    return edition is not None and edition.vote_rules_locked_at is not None
