from django.http import HttpResponse
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET
from django.views.generic import TemplateView
from django_countries import countries

from core.i18n import localized
from core.pagecache import cache_public_page
from core.selectors import (
    bars,
    latest_laureates,
    newest_practices,
    practices_by_start_year,
    site_counts,
)
from core.text import polish_sort_key
from core.tilemap import tile_map
from practices.filters import PracticeFilterSet
from practices.models import Practice
from practices.selectors import catalogue_vocabulary, practice_facet_counts


def catalogue_facets():
    """Facet counts of the whole published catalogue (no filters), and the vocabulary."""
    from django.http import QueryDict

    vocabulary = catalogue_vocabulary()
    filterset = PracticeFilterSet(
        QueryDict(), queryset=Practice.objects.published(), vocabulary=vocabulary
    )
    filterset.is_valid()
    return practice_facet_counts(filterset, filterset.queryset), vocabulary


def _by_type(facets, vocabulary, list_url):
    return [
        (localized(t, "name"), facets["type"].get(t.code, 0), f"{list_url}?type={t.code}")
        for t in vocabulary.practice_types
    ]


def _by_country(facets, list_url):
    rows = [
        (str(countries.name(code)), count, f"{list_url}?country={code}")
        for code, count in facets["country"].items()
    ]
    return sorted(rows, key=lambda row: (-row[1], polish_sort_key(row[0])))


@method_decorator(cache_public_page, name="dispatch")
class HomeView(TemplateView):
    template_name = "core/home.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        facets, vocabulary = catalogue_facets()
        list_url = reverse("practices:practice-list")
        context.update(
            counts=site_counts(facets),
            newest=newest_practices(),
            laureates=latest_laureates(),
            types=_by_type(facets, vocabulary, list_url),
            countries=_by_country(facets, list_url)[:12],
        )
        return context


@method_decorator(cache_public_page, name="dispatch")
class OverviewView(TemplateView):
    """Charts of the catalogue by type, country and year, and a map of countries."""

    template_name = "core/overview.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        facets, vocabulary = catalogue_facets()
        list_url = reverse("practices:practice-list")
        years = practices_by_start_year()
        on_map, off_map, size = tile_map(
            facets["country"], lambda code: f"{list_url}?country={code}"
        )
        context.update(
            total=facets["total"].get("", 0),
            by_type=bars(_by_type(facets, vocabulary, list_url)),
            by_country=bars(_by_country(facets, list_url)),
            by_year=bars(
                [
                    (str(year), count, f"{list_url}?year_from={year}&year_to={year}")
                    for year, count in years
                ]
            ),
            tiles=on_map,
            off_map=off_map,
            map_size=size,
        )
        return context


@method_decorator(cache_public_page, name="dispatch")
class StaticPageView(TemplateView):
    """A page of fixed text (accessibility statement, about)."""


@method_decorator(cache_public_page, name="dispatch")
class OpenDataView(TemplateView):
    """How to download the catalogue: the exports, their fields, the feed, the sitemap."""

    template_name = "core/open_data.html"

    def get_context_data(self, **kwargs):
        from practices.exports import EXPORT_FIELDS

        return super().get_context_data(fields=EXPORT_FIELDS, **kwargs)


@require_GET
@cache_control(max_age=86400, public=True)
def robots_txt(request):
    sitemap = request.build_absolute_uri(reverse("sitemap"))
    lines = [
        "User-agent: *",
        "Disallow: /admin/",
        "Disallow: /en/admin/",
        "Disallow: /*?*page=",
        f"Sitemap: {sitemap}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")


@require_GET
def healthz(request):
    """For the load balancer: 200 when the database and the cache answer, else 503."""
    import json

    from django.core.cache import cache
    from django.db import connection

    checks = {}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
        checks["database"] = "ok"
    except Exception as error:
        checks["database"] = f"error: {type(error).__name__}"
    try:
        cache.set("healthz", "ok", 10)
        checks["cache"] = "ok" if cache.get("healthz") == "ok" else "error: no round trip"
    except Exception as error:
        checks["cache"] = f"error: {type(error).__name__}"
    healthy = all(value == "ok" for value in checks.values())
    response = HttpResponse(
        json.dumps({"status": "ok" if healthy else "error", **checks}),
        content_type="application/json",
        status=200 if healthy else 503,
    )
    response["Cache-Control"] = "no-store"
    return response
