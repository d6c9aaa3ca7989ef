"""The query parameters the public lists read, taken from their filtersets.

A filter added to a filterset is thrown at by the security tests without
anyone having to remember to list it here.
"""

from catalogue.filters import OrganisationFilterSet, PracticeFilterSet

PRACTICE_FILTERS = [*PracticeFilterSet.base_filters, "page"]
ORGANISATION_FILTERS = [*OrganisationFilterSet.base_filters, "page"]
EVERY_FILTER = list(dict.fromkeys([*PRACTICE_FILTERS, *ORGANISATION_FILTERS]))
