"""Open data: the current filtered list as CSV and JSON (all pages, streamed) and as Atom.

The exports take exactly the catalogue's filters (same FilterSet, same bad-input
tolerance) and stream row by row, so a large result never sits in memory. The
field list in EXPORT_FIELDS is also what the open-data page documents.
"""

from __future__ import annotations

import itertools
import json
import math
from collections.abc import Iterator
from functools import wraps
from typing import NamedTuple

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.db.models import QuerySet
from django.http import StreamingHttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import escape
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from catalogue.filters import PracticeFilterSet
from catalogue.vocabulary import catalogue_vocabulary
from competitions.models import Entry
from core.csvdownload import csv_response
from core.links import absolute_url
from core.ratelimit import client_address, rate_limit_hit
from practices.models import Partnership, Practice

CHUNK = 500

EXPORT_FIELDS: list[tuple[str, str]] = [
    ("slug", _("stały identyfikator praktyki (część adresu strony)")),
    ("url", _("adres strony praktyki")),
    ("title", _("tytuł")),
    (
        "type",
        _("typ praktyki: procedural, investment, it, social, organisational, promotional, project"),
    ),
    ("topics", _("obszary tematyczne (identyfikatory)")),
    ("lead_organisation", _("nazwa lidera")),
    ("lead_organisation_slug", _("identyfikator lidera")),
    ("partners", _("partnerzy z rolami")),
    ("countries", _("kraje lidera i partnerów (ISO 3166-1 alfa-2)")),
    ("regions", _("regiony lidera i partnerów")),
    ("started_on", _("początek realizacji (RRRR-MM-DD)")),
    ("started_precision", _("dokładność początku: day, month, year")),
    ("ended_on", _("koniec realizacji (RRRR-MM-DD; rok lub miesiąc jako ich ostatni dzień)")),
    ("ended_precision", _("dokładność końca: day, month, year")),
    ("total_value", _("wartość całkowita (liczba z kropką dziesiętną)")),
    ("co_financing", _("kwota dofinansowania")),
    ("currency", _("waluta kwot (ISO 4217)")),
    ("funding_sources", _("źródła finansowania")),
    ("awards", _("nagrody: edycja, kategoria, status, miejsce, wyróżnienie, zwycięzca")),
    ("summary", _("streszczenie")),
    ("source", _("źródło opisu")),
    (
        "published_at",
        _(
            "data publikacji (ISO 8601): data ze źródła, jeśli ją podaje, inaczej chwila "
            "pierwszej publikacji w katalogu"
        ),
    ),
]


def filtered_practices(request) -> QuerySet[Practice]:
    """The catalogue's list as the request's filters narrow it, newest first."""
    filterset = PracticeFilterSet(
        request.GET, queryset=Practice.objects.published(), vocabulary=catalogue_vocabulary()
    )
    filterset.is_valid()
    return filterset.qs.order_by("-published_at", "-id")


# What an export row reads of a practice (and its lead organisation): not the long
# texts, nor the search vector, which a million-row export would otherwise carry.
EXPORT_COLUMNS = (
    "slug",
    "title",
    "practice_type_id",
    "topic_ids",
    "countries",
    "regions",
    "started_on",
    "started_precision",
    "ended_on",
    "ended_precision",
    "total_value",
    "co_financing",
    "currency",
    "summary",
    "source_name",
    "published_at",
    "lead_organisation__name",
    "lead_organisation__slug",
)


def exported_practices(practices: QuerySet[Practice]) -> QuerySet[Practice]:
    """`practices` with only what an export row reads, and their lead organisations."""
    return practices.select_related("lead_organisation").only(*EXPORT_COLUMNS)


def _grouped(rows) -> dict[int, list[tuple]]:
    """(practice id, …) rows as {practice id: [(…), …]}, in the rows' order."""
    grouped: dict[int, list[tuple]] = {}
    for practice_id, *values in rows:
        grouped.setdefault(practice_id, []).append(tuple(values))
    return grouped


class Related(NamedTuple):
    """A chunk's related rows, each {practice id: [row, …]}.

    partners: (name, slug, role); sources: (name,); awards: (edition, category,
    status, place, distinction, winner).
    """

    partners: dict[int, list[tuple]]
    sources: dict[int, list[tuple]]
    awards: dict[int, list[tuple]]


def _related_rows(ids: list[int]) -> Related:
    """Partners, funding sources and awards of the practices `ids`: one query each.

    Plain rows, not model instances: prefetch_related would build a queryset per
    practice and relation, which was most of an export's time. The orders are the
    models' own (partners by their order, sources by name, awards by category).
    """
    partners = _grouped(
        Partnership.objects.filter(practice_id__in=ids).values_list(
            "practice_id", "organisation__name", "organisation__slug", "role"
        )
    )
    sources = _grouped(
        Practice.funding_sources.through.objects.filter(practice_id__in=ids)
        .order_by("fundingsource__name", "fundingsource_id")
        .values_list("practice_id", "fundingsource__name")
    )
    awards = _grouped(
        Entry.objects.public()
        .filter(practice_id__in=ids)
        .values_list(
            "practice_id",
            "category__edition__name",
            "category__name",
            "status",
            "laureate_place",
            "distinction",
            "is_winner",
        )
    )
    return Related(partners, sources, awards)


def practice_rows(practices: QuerySet[Practice]) -> Iterator[tuple[Practice, str, Related]]:
    """Each practice of `practices` with its absolute address and its chunk's related rows.

    Reads CHUNK practices at a time (only EXPORT_COLUMNS) and their partners, sources
    and awards in one query each, so the queries per chunk are fixed and a large list
    never sits in memory. Every export format builds its rows from this.
    """
    # Every practice's address differs only in its slug.
    marker = "practice-slug-marker"
    address = absolute_url(reverse("practices:practice-detail", kwargs={"slug": marker}))
    rows = exported_practices(practices).iterator(chunk_size=CHUNK)
    while chunk := list(itertools.islice(rows, CHUNK)):
        related = _related_rows([practice.pk for practice in chunk])
        for practice in chunk:
            yield practice, address.replace(marker, practice.slug), related


def _record(practice: Practice, url: str, topic_slugs: dict[int, str], related: Related) -> dict:
    partners, sources, awards = related
    lead = practice.lead_organisation
    return {
        "slug": practice.slug,
        "url": url,
        "title": practice.title,
        "type": practice.practice_type_id,
        "topics": [topic_slugs[i] for i in practice.topic_ids if i in topic_slugs],
        "lead_organisation": lead.name if lead else "",
        "lead_organisation_slug": lead.slug if lead else "",
        "partners": [
            {"name": name, "slug": slug, "role": role}
            for name, slug, role in partners.get(practice.pk, [])
        ],
        "countries": list(practice.countries),
        "regions": list(practice.regions),
        "started_on": practice.started_on.isoformat() if practice.started_on else None,
        "started_precision": practice.started_precision if practice.started_on else None,
        "ended_on": practice.ended_on.isoformat() if practice.ended_on else None,
        "ended_precision": practice.ended_precision if practice.ended_on else None,
        "total_value": str(practice.total_value) if practice.total_value is not None else None,
        "co_financing": str(practice.co_financing) if practice.co_financing is not None else None,
        "currency": practice.currency or None,
        "funding_sources": [name for (name,) in sources.get(practice.pk, [])],
        "awards": [
            {
                "edition": edition,
                "category": category,
                "status": status,
                "place": place,
                "distinction": distinction or None,
                "winner": winner,
            }
            for edition, category, status, place, distinction, winner in awards.get(practice.pk, [])
        ],
        "summary": practice.summary,
        "source": practice.source_name,
        "published_at": practice.published_at.isoformat() if practice.published_at else None,
    }


def _records(request) -> Iterator[dict]:
    topic_slugs = {topic.pk: topic.slug for topic in catalogue_vocabulary().topics}
    for practice, url, related in practice_rows(filtered_practices(request)):
        yield _record(practice, url, topic_slugs, related)


def _cell(value):
    """An export value as a CSV cell (the formula rule is `core.csvdownload`'s)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return " | ".join(
            ", ".join(f"{k}={v}" for k, v in item.items() if v not in (None, ""))
            if isinstance(item, dict)
            else str(item)
            for item in value
        )
    return value


def limit_exports(view):
    """At most CATALOGUE_EXPORTS_PER_CLIENT downloads per client address per window; past
    that, a page in the reader's language says when to come back (429, Retry-After).
    Staff are not counted (editors check exports while they work)."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_staff:
            allowed, retry_after = rate_limit_hit(
                "catalogue-export",
                client_address(request),
                limit=settings.CATALOGUE_EXPORTS_PER_CLIENT,
                window_seconds=settings.CATALOGUE_EXPORT_WINDOW_SECONDS,
            )
            if not allowed:
                response = render(
                    request,
                    "catalogue/export_limited.html",
                    {"minutes": max(1, math.ceil(retry_after / 60))},
                    status=429,
                )
                response["Retry-After"] = str(retry_after)
                response["Cache-Control"] = "no-store"
                return response
        return view(request, *args, **kwargs)

    return wrapper


@require_GET
@limit_exports
def practice_export_csv(request):
    names = [name for name, _label in EXPORT_FIELDS]
    rows = ([_cell(record[name]) for name in names] for record in _records(request))
    return csv_response("dobre-praktyki.csv", names, rows, streaming=True)


@require_GET
@limit_exports
def practice_export_json(request):
    def chunks() -> Iterator[str]:
        yield "["
        for index, record in enumerate(_records(request)):
            yield ("," if index else "") + "\n" + json.dumps(record, ensure_ascii=False)
        yield "\n]\n"

    response = StreamingHttpResponse(chunks(), content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="dobre-praktyki.json"'
    return response


class PracticeFeed(Feed):
    """Newly published practices; the query string narrows it like the catalogue's filters.

    Every address in it is absolute from SITE_URL (core.links): Django's Feed would
    otherwise build them from the request's Host.
    """

    feed_type = Atom1Feed
    title = _("Katalog dobrych praktyk – nowe praktyki")
    subtitle = _("Ostatnio opublikowane dobre praktyki samorządów.")

    def get_object(self, request, *args, **kwargs):
        self.request = request
        return request

    def link(self, request):
        query = request.GET.urlencode()
        return absolute_url(reverse("practices:practice-list") + (f"?{query}" if query else ""))

    def feed_url(self, request):
        return absolute_url(request.get_full_path())

    def item_link(self, practice):
        return absolute_url(practice.get_absolute_url())

    def items(self, request):
        return list(
            filtered_practices(request).select_related("lead_organisation", "practice_type")[:30]
        )

    def item_title(self, practice):
        return practice.title

    def item_description(self, practice):
        # Atom declares the summary as HTML; the practice's text is plain text.
        return escape(practice.summary or practice.description[:500])

    def item_author_name(self, practice):
        # None (no author element) where the source names no lead.
        lead = practice.lead_organisation
        return lead.name if lead else None

    def item_pubdate(self, practice):
        return practice.published_at

    def item_updateddate(self, practice):
        return practice.updated_at

    def item_categories(self, practice):
        return [practice.practice_type.name]
