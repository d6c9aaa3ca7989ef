"""Writes to organisations."""

from __future__ import annotations

from functools import reduce
from operator import or_

from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from core.text import fold, slugify_pl
from organisations.enums import OrganisationKind, Voivodeship
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
    """Match an organisation by name and country, or create it with what is known.

    For names typed by people outside the editorial team (the public form, the
    competition entry form, a spreadsheet import): a new organisation is a draft,
    public only once an editor publishes it or its first practice
    (`organisation_publish`). A matched one is returned as it is.
    """
    name = " ".join(name.split())
    if country == "PL":
        # The database keeps a Polish region to the 16 voivodeships; other text is dropped.
        region = Voivodeship.from_text(region) or ""
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
        is_published=False,
    )
    return organisation, True


# --- publication ---------------------------------------------------------------------

# Conditions (lookups from Organisation) under which a public page shows an
# organisation through another app's rows: leading or partnering a published
# practice. Registered by those apps (practices.apps), which this app may not import.
_PUBLIC_REFERENCES: list[Q] = []


def organisation_register_public_reference(condition: Q) -> None:
    """Declare that organisations matching `condition` are shown by public pages of the
    registering app, so that they may not be withdrawn while they match."""
    if condition not in _PUBLIC_REFERENCES:
        _PUBLIC_REFERENCES.append(condition)


def organisation_publish(*, organisations: QuerySet[Organisation]) -> int:
    """Publish the drafts among `organisations`; returns how many were drafts.

    Reads once when there is nothing to publish (the common case when a practice
    is saved).
    """
    drafts = list(organisations.filter(is_published=False).order_by().values_list("pk", flat=True))
    if not drafts:
        return 0
    return Organisation.objects.filter(pk__in=set(drafts)).update(is_published=True)


@transaction.atomic
def organisation_unpublish(*, organisations: QuerySet[Organisation]) -> tuple[int, list[str]]:
    """Turn published organisations back into drafts, except those a published page
    shows through another app (`organisation_register_public_reference`).

    Returns how many were withdrawn and the editor-facing reasons for the others.
    """
    candidates = organisations.filter(is_published=True)
    refused: list[Organisation] = []
    if _PUBLIC_REFERENCES:
        shown = reduce(or_, _PUBLIC_REFERENCES)
        refused = list(
            Organisation.objects.filter(pk__in=candidates.values("pk"))
            .filter(pk__in=Organisation.objects.filter(shown).values("pk"))
            .order_by("sort_name", "id")
        )
    withdrawn = (
        Organisation.objects.filter(pk__in=candidates.values("pk"))
        .exclude(pk__in=[o.pk for o in refused])
        .update(is_published=False)
    )
    reasons = [
        _(
            "„%(name)s” prowadzi opublikowaną praktykę albo jest jej partnerem: zostaje "
            "opublikowana, dopóki ta praktyka jest publiczna."
        )
        % {"name": organisation.name}
        for organisation in refused
    ]
    return withdrawn, reasons
