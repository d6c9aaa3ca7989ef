"""A textbook catalogue page, for comparison only (the benchmark's second reference).

What a first version usually looks like: a django-filter FilterView over the
normalised tables, `icontains` search, joins for every filter, one COUNT query
per facet option and the paginator's own COUNT. It is kept here, in the bench
folder, to measure the real page against; the site never uses it.
"""

import django_filters
from django.db.models import Q
from django_filters.views import FilterView

from organisations.enums import OrganisationKind
from practices.dimensions import FACETS_BY_NAME
from practices.enums import AwardLevel, PracticeTypeCode
from practices.models import Practice, Topic


class TextbookFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search")
    type = django_filters.MultipleChoiceFilter(
        field_name="practice_type_id", choices=PracticeTypeCode.choices
    )
    country = django_filters.CharFilter(method="by_country")
    topic = django_filters.CharFilter(field_name="topics__slug")
    org_kind = django_filters.MultipleChoiceFilter(
        field_name="lead_organisation__kind", choices=OrganisationKind.choices
    )
    award = django_filters.CharFilter(method="by_award")

    class Meta:
        model = Practice
        fields: list[str] = []

    def search(self, queryset, name, value):
        return queryset.filter(
            Q(title__icontains=value)
            | Q(summary__icontains=value)
            | Q(description__icontains=value)
            | Q(lead_organisation__name__icontains=value)
        )

    def by_country(self, queryset, name, value):
        return queryset.filter(
            Q(lead_organisation__country=value) | Q(partners__country=value)
        ).distinct()

    def by_award(self, queryset, name, value):
        if value == AwardLevel.WINNER:
            return queryset.filter(entries__is_winner=True).distinct()
        return queryset.filter(entries__status=value).distinct()


# The textbook filters the catalogue's own dimensions, under the same names, so the
# benchmark's URLs mean the same on both pages.
if not set(TextbookFilterSet.base_filters) - {"q"} <= set(FACETS_BY_NAME):
    raise ImportError("the textbook page filters a dimension the catalogue does not have")


class TextbookCatalogueView(FilterView):
    filterset_class = TextbookFilterSet
    template_name = "bench/textbook.html"
    paginate_by = 20

    def get_queryset(self):
        return (
            Practice.objects.filter(status="published")
            .select_related("lead_organisation", "practice_type")
            .order_by("-published_at", "-id")
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        results = self.object_list
        # One COUNT per facet option, as the textbook does.
        context["facets"] = {
            "type": [
                (label, results.filter(practice_type_id=code).count())
                for code, label in PracticeTypeCode.choices
            ],
            "topic": [
                (topic.name, results.filter(topics=topic).count()) for topic in Topic.objects.all()
            ],
            "org_kind": [
                (label, results.filter(lead_organisation__kind=code).count())
                for code, label in OrganisationKind.choices
            ],
            "country": [
                (code, results.filter(lead_organisation__country=code).count())
                for code in ("PL", "UA", "DE", "LT", "SK", "CZ", "FR", "ES", "TR", "GE", "LV")
            ],
        }
        return context
