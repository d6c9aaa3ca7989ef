"""Open data: the current filtered list as CSV and JSON (all pages, streamed) and as Atom.

The exports take exactly the catalogue's filters (same FilterSet, same bad-input
tolerance) and stream row by row, so a large result never sits in memory. The
field list in EXPORT_FIELDS is also what the open-data page documents.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator

from django.contrib.syndication.views import Feed
from django.db.models import Prefetch, QuerySet
from django.http import StreamingHttpResponse
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import escape
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from competitions.models import Entry
from practices.filters import PracticeFilterSet
from practices.models import Partnership, Practice
from practices.selectors import catalogue_vocabulary

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
    ("published_at", _("data publikacji w katalogu (ISO 8601)")),
]


def filtered_practices(request) -> QuerySet[Practice]:
    filterset = PracticeFilterSet(
        request.GET, queryset=Practice.objects.published(), vocabulary=catalogue_vocabulary()
    )
    filterset.is_valid()
    return (
        filterset.qs.select_related("lead_organisation", "practice_type")
        .prefetch_related(
            Prefetch("partnerships", queryset=Partnership.objects.select_related("organisation")),
            "funding_sources",
            Prefetch(
                "entries",
                queryset=Entry.objects.exclude(status="withdrawn").select_related(
                    "category__edition"
                ),
            ),
        )
        .order_by("-published_at", "-id")
    )


def _record(practice: Practice, request, topic_slugs: dict[int, str]) -> dict:
    return {
        "slug": practice.slug,
        "url": request.build_absolute_uri(practice.get_absolute_url()),
        "title": practice.title,
        "type": practice.practice_type_id,
        "topics": [topic_slugs[i] for i in practice.topic_ids if i in topic_slugs],
        "lead_organisation": practice.lead_organisation.name,
        "lead_organisation_slug": practice.lead_organisation.slug,
        "partners": [
            {"name": p.organisation.name, "slug": p.organisation.slug, "role": p.role}
            for p in practice.partnerships.all()
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
        "funding_sources": [source.name for source in practice.funding_sources.all()],
        "awards": [
            {
                "edition": entry.category.edition.name,
                "category": entry.category.name,
                "status": entry.status,
                "place": entry.laureate_place,
                "distinction": entry.distinction or None,
                "winner": entry.is_winner,
            }
            for entry in practice.entries.all()
        ],
        "summary": practice.summary,
        "source": practice.source_name,
        "published_at": practice.published_at.isoformat() if practice.published_at else None,
    }


def _records(request) -> Iterator[dict]:
    topic_slugs = {topic.pk: topic.slug for topic in catalogue_vocabulary().topics}
    for practice in filtered_practices(request).iterator(chunk_size=CHUNK):
        yield _record(practice, request, topic_slugs)


class _Echo:
    """A file-like object whose write() hands the line back, for streaming csv.writer."""

    def write(self, value: str) -> str:
        return value


def _cell(value) -> str:
    """A CSV cell; text a spreadsheet would run as a formula gets a leading apostrophe."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        value = " | ".join(
            ", ".join(f"{k}={v}" for k, v in item.items() if v not in (None, ""))
            if isinstance(item, dict)
            else str(item)
            for item in value
        )
    text = str(value)
    if text[:1] in ("=", "+", "-", "@", "\t", "\r"):
        text = "'" + text
    return text


@require_GET
def practice_export_csv(request):
    writer = csv.writer(_Echo())
    names = [name for name, _label in EXPORT_FIELDS]

    def rows() -> Iterator[str]:
        yield "\ufeff" + writer.writerow(names)  # BOM: spreadsheets then read UTF-8
        for record in _records(request):
            yield writer.writerow([_cell(record[name]) for name in names])

    response = StreamingHttpResponse(rows(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="dobre-praktyki.csv"'
    return response


@require_GET
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
    """Newly published practices; the query string narrows it like the catalogue's filters."""

    feed_type = Atom1Feed
    title = _("Katalog dobrych praktyk – nowe praktyki")
    subtitle = _("Ostatnio opublikowane dobre praktyki samorządów.")

    def get_object(self, request, *args, **kwargs):
        self.request = request
        return request

    def link(self, request):
        from django.urls import reverse

        query = request.GET.urlencode()
        return reverse("practices:practice-list") + (f"?{query}" if query else "")

    def items(self, request):
        return list(filtered_practices(request)[:30])

    def item_title(self, practice):
        return practice.title

    def item_description(self, practice):
        # Atom declares the summary as HTML; the practice's text is plain text.
        return escape(practice.summary or practice.description[:500])

    def item_author_name(self, practice):
        return practice.lead_organisation.name

    def item_pubdate(self, practice):
        return practice.published_at

    def item_updateddate(self, practice):
        return practice.updated_at

    def item_categories(self, practice):
        return [practice.practice_type.name]
