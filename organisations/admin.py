"""Organisations in the admin: members inline, matched by name, with history."""

from django.contrib import admin
from django.db.models import Count
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from core.admin import URL_FIELD_OVERRIDES, PrivateLookupsMixin
from organisations.models import Membership, Organisation


class MemberInline(admin.TabularInline):
    """The organisation's members (for a union, partnership or metropolis)."""

    model = Membership
    fk_name = "group"
    extra = 1
    autocomplete_fields = ["member"]
    verbose_name = _("członek")
    verbose_name_plural = _("członkowie (dla związków, partnerstw i metropolii)")


class GroupInline(admin.TabularInline):
    """The unions and partnerships the organisation belongs to."""

    model = Membership
    fk_name = "member"
    extra = 0
    autocomplete_fields = ["group"]
    verbose_name = _("przynależność")
    verbose_name_plural = _("należy do")


@admin.register(Organisation)
class OrganisationAdmin(PrivateLookupsMixin, SimpleHistoryAdmin):
    formfield_overrides = URL_FIELD_OVERRIDES
    list_display = ["name", "short_name", "kind", "country", "region", "locality", "practice_count"]
    list_filter = ["kind", "country"]
    show_facets = admin.ShowFacets.ALWAYS
    search_fields = ["name", "short_name", "locality", "region", "slug"]
    search_help_text = _("Nazwa, skrót, miejscowość, region lub adres.")
    prepopulated_fields = {"slug": ["name"]}
    ordering = ["sort_name"]
    inlines = [MemberInline, GroupInline]
    readonly_fields = ["created_at", "updated_at"]
    fieldsets = [
        (None, {"fields": ["name", "short_name", "slug", "kind"]}),
        (_("Położenie"), {"fields": ["country", "region", "locality"]}),
        (_("Opis"), {"fields": ["website", "description"]}),
        (_("Zmiany"), {"fields": ["created_at", "updated_at"]}),
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(led_total=Count("led_practices"))

    @admin.display(description=_("prowadzone praktyki"), ordering="led_total")
    def practice_count(self, organisation):
        return organisation.led_total


@admin.register(Membership)
class MembershipAdmin(PrivateLookupsMixin, SimpleHistoryAdmin):
    list_display = ["member", "group", "role"]
    list_select_related = ["member", "group"]
    search_fields = ["member__name", "group__name", "role"]
    autocomplete_fields = ["member", "group"]
