"""Reads of organisations that other apps' pages share."""

from __future__ import annotations

from organisations.models import Organisation


def region_countries() -> dict[str, str]:
    """{region: country code} for the regions published organisations name.

    A region name found in two countries (rare: "Limburg") goes with the first in
    code order; the facet then lists it under that country only.
    """
    pairs = (
        Organisation.objects.published()
        .exclude(region="")
        .order_by("region", "country")
        .values_list("region", "country")
        .distinct()
    )
    countries: dict[str, str] = {}
    for region, country in pairs:
        countries.setdefault(region, country)
    return countries
