"""The Django admin's changelist as a team would configure it (the benchmark's second
peer), on a site of its own at /bench-admin/ (bench/urls.py; the site's admin is
untouched).

The filters are the catalogue's dimensions as a team writes them first: the
type and the topics as related-field filters (joins), the organisation kind
through the lead organisation (`lead_organisation__kind`, the naive choice: the
catalogue's filter also counts partners, its `organisation_kinds` array), the
country and the award as simple filters on the practice's arrays. Facets are
always shown, search reads the title, summary and description (`icontains`),
and the list shows every practice, drafts too, as an admin does.
"""

from django.contrib import admin
from django_countries import countries

from organisations.models import Organisation
from practices.enums import AwardLevel
from practices.models import Practice

bench_admin_site = admin.AdminSite(name="bench_admin")


class CountryFilter(admin.SimpleListFilter):
    title = "kraj"
    parameter_name = "country"

    def lookups(self, request, model_admin):
        codes = (
            Organisation.objects.exclude(country="")
            .order_by("country")
            .values_list("country", flat=True)
            .distinct()
        )
        return [(code, countries.name(code)) for code in codes]

    def queryset(self, request, queryset):
        if self.value():
            return queryset.filter(countries__contains=[self.value()])
        return queryset


class AwardFilter(admin.SimpleListFilter):
    title = "nagroda"
    parameter_name = "award"

    def lookups(self, request, model_admin):
        return AwardLevel.choices

    def queryset(self, request, queryset):
        if self.value():
            return queryset.filter(award_levels__contains=[self.value()])
        return queryset


class BenchPracticeAdmin(admin.ModelAdmin):
    list_display = ["title", "practice_type", "lead_organisation", "status", "published_at"]
    list_filter = [
        "practice_type",
        CountryFilter,
        "topics",
        "lead_organisation__kind",
        AwardFilter,
    ]
    show_facets = admin.ShowFacets.ALWAYS
    search_fields = ["title", "summary", "description"]
    list_select_related = ["practice_type", "lead_organisation"]
    list_per_page = 20


bench_admin_site.register(Practice, BenchPracticeAdmin)
