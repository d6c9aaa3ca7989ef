"""Filters of the organisation list: search, country, kind, region."""

from __future__ import annotations

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.text import fold, words
from organisations.enums import OrganisationKind
from organisations.models import Organisation
from practices.filters import (
    COUNTRY_CODES,
    MAX_QUERY_LENGTH,
    FacetedFilterSetMixin,
    LenientMultipleChoiceFilter,
)


class OrganisationFilterSet(FacetedFilterSetMixin, django_filters.FilterSet):
    q = django_filters.CharFilter(method="filter_search", label=_("Szukaj"))
    country = LenientMultipleChoiceFilter(
        field_name="country", allowed=COUNTRY_CODES, label=_("Kraj")
    )
    kind = LenientMultipleChoiceFilter(
        field_name="kind", choices=OrganisationKind.choices, label=_("Rodzaj")
    )
    region = LenientMultipleChoiceFilter(field_name="region", accept_any=True, label=_("Region"))

    FACETS = ("country", "kind", "region")

    class Meta:
        model = Organisation
        fields: list[str] = []

    def filter_search(self, queryset, name, value):
        """Every word of the query in the name, abbreviation or place; case and diacritics aside."""
        condition = Q()
        for word in words(value[:MAX_QUERY_LENGTH])[:8]:
            condition &= Q(search_text__contains=fold(word))
        return queryset.filter(condition)
