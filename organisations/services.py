"""Writes to organisations."""

from __future__ import annotations

from django.db import transaction

from core.text import fold, slugify_pl
from organisations.enums import OrganisationKind
from organisations.models import Organisation


def organisation_unique_slug(name: str) -> str:
    base = slugify_pl(name)[:100] or "organizacja"
    slug, n = base, 1
    while Organisation.objects.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug


def organisation_find(*, name: str, country: str = "") -> Organisation | None:
    """The organisation with this name (case and diacritics aside) in this country, if any.

    Imports and the public form match organisations this way instead of
    creating a second "Gmina Lublin".
    """
    wanted = fold(" ".join(name.split()))
    candidates = Organisation.objects.filter(name__iexact=name.strip())
    if country:
        candidates = candidates.filter(country=country)
    for organisation in candidates:
        if fold(organisation.name) == wanted:
            return organisation
    for organisation in Organisation.objects.filter(search_text__startswith=wanted):
        if fold(organisation.name) == wanted and (not country or organisation.country == country):
            return organisation
    return None


@transaction.atomic
def organisation_get_or_create(
    *,
    name: str,
    kind: str = OrganisationKind.OTHER,
    country: str = "",
    region: str = "",
    locality: str = "",
) -> tuple[Organisation, bool]:
    """Match an organisation by name and country, or create it with what is known."""
    name = " ".join(name.split())
    existing = organisation_find(name=name, country=country)
    if existing:
        return existing, False
    organisation = Organisation.objects.create(
        name=name,
        slug=organisation_unique_slug(name),
        kind=kind or OrganisationKind.OTHER,
        country=country,
        region=region,
        locality=locality,
    )
    return organisation, True
