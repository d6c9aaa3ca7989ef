"""Organisations in the admin: members inline, matched by name, with history; drafts
from submissions and imports, published by an editor or with their first practice."""

from django import forms
from django.contrib import admin, messages
from django.db.models import Count
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from core.admin import URL_FIELD_OVERRIDES, PrivateLookupsMixin
from organisations.enums import Voivodeship
from organisations.models import Membership, Organisation
from organisations.services import organisation_publish, organisation_unpublish


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


class OrganisationAdminForm(forms.ModelForm):
    """A Polish organisation's region is chosen from the 16 voivodeships, not typed; the
    free-text region is for the rest of the world."""

    voivodeship = forms.ChoiceField(
        label=_("województwo"),
        choices=[("", "—"), *Voivodeship.choices],
        required=False,
        help_text=_("Dla organizacji z Polski."),
    )

    class Meta:
        model = Organisation
        # The admin adds the rest of its fieldsets' fields (with its URL widgets).
        fields = ["country", "region", "county"]
        labels = {"region": _("region poza Polską")}
        help_texts = {"region": _("Obwód, prowincja, kraj związkowy… jak podaje źródło.")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.country == "PL" and self.instance.region in Voivodeship.values:
            self.initial["voivodeship"] = self.instance.region
            self.initial["region"] = ""

    def clean(self):
        data = super().clean()
        country, voivodeship = data.get("country"), data.get("voivodeship")
        region = data.get("region", "")
        if country == "PL":
            voivodeship = voivodeship or Voivodeship.from_text(region) or ""
            if region and not voivodeship:
                self.add_error(
                    "region",
                    _("W Polsce region to województwo: wybierz je z listy „województwo”."),
                )
            data["region"] = voivodeship
        elif voivodeship:
            self.add_error(
                "voivodeship",
                _("Województwo wybiera się tylko dla organizacji z Polski; zostaw puste."),
            )
        return data


@admin.action(description=_("Opublikuj"), permissions=["publish"])
def publish(modeladmin, request, queryset):
    count = organisation_publish(organisations=queryset)
    modeladmin.message_user(
        request, _("Opublikowano organizacje: %(count)s.") % {"count": count}, messages.SUCCESS
    )


@admin.action(description=_("Wycofaj z publikacji (do szkiców)"), permissions=["publish"])
def unpublish(modeladmin, request, queryset):
    count, refusals = organisation_unpublish(organisations=queryset)
    if count:
        modeladmin.message_user(
            request,
            _("Wycofano z publikacji organizacje: %(count)s.") % {"count": count},
            messages.SUCCESS,
        )
    for refusal in refusals:
        modeladmin.message_user(request, refusal, messages.WARNING)


@admin.register(Organisation)
class OrganisationAdmin(PrivateLookupsMixin, SimpleHistoryAdmin):
    form = OrganisationAdminForm
    formfield_overrides = URL_FIELD_OVERRIDES
    list_display = [
        "name",
        "short_name",
        "kind",
        "country",
        "region",
        "locality",
        "is_published",
        "practice_count",
    ]
    list_filter = ["is_published", "kind", "country"]
    show_facets = admin.ShowFacets.ALWAYS
    search_fields = ["name", "short_name", "locality", "county", "region", "slug"]
    search_help_text = _("Nazwa, skrót, miejscowość, powiat, region lub adres.")
    prepopulated_fields = {"slug": ["name"]}
    ordering = ["sort_name"]
    inlines = [MemberInline, GroupInline]
    actions = [publish, unpublish]
    readonly_fields = ["is_published", "created_at", "updated_at"]
    fieldsets = [
        (None, {"fields": ["name", "short_name", "slug", "kind", "is_published"]}),
        (
            _("Położenie"),
            {"fields": ["country", "voivodeship", "region", "county", "locality"]},
        ),
        (_("Opis"), {"fields": ["website", "description", ("description_en", "description_uk")]}),
        (_("Zmiany"), {"fields": ["created_at", "updated_at"]}),
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(led_total=Count("led_practices"))

    def has_publish_permission(self, request):
        return request.user.has_perm("organisations.publish_organisation")

    def save_model(self, request, obj, form, change):
        """Save the content; publication stays as stored (the actions change it).

        A history revert saves a whole old version: without this, reverting to a
        draft version would hide the lead of a published practice, and reverting
        to a published one would publish a submitted organisation unasked.
        """
        if change:
            stored = Organisation.objects.filter(pk=obj.pk).values("is_published").first()
            if stored is not None and stored["is_published"] != obj.is_published:
                obj.is_published = stored["is_published"]
                self.message_user(
                    request,
                    _(
                        "Przywrócono treść tej wersji; publikacja organizacji się nie zmieniła "
                        "(zmieniają ją akcje listy organizacji)."
                    ),
                    messages.WARNING,
                )
        super().save_model(request, obj, form, change)

    @admin.display(description=_("prowadzone praktyki"), ordering="led_total")
    def practice_count(self, organisation):
        return organisation.led_total


@admin.register(Membership)
class MembershipAdmin(PrivateLookupsMixin, SimpleHistoryAdmin):
    list_display = ["member", "group", "role"]
    list_select_related = ["member", "group"]
    search_fields = ["member__name", "group__name", "role"]
    autocomplete_fields = ["member", "group"]
