"""The catalogue's site pages: home, overview (charts and map), open data."""

from django.http import QueryDict
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.utils.formats import number_format
from django.views.generic import TemplateView
from django_countries import countries

from catalogue.counting import FacetCounts, practice_facet_counts
from catalogue.exports import EXPORT_FIELDS
from catalogue.filters import PracticeFilterSet
from catalogue.selectors import (
    bars,
    latest_laureates,
    newest_practices,
    practices_by_start_year,
    site_counts,
)
from catalogue.spreadsheets import COLUMNS as SPREADSHEET_COLUMNS
from catalogue.spreadsheets import XLSX_MAX_ROWS
from catalogue.tilemap import tile_map
from catalogue.vocabulary import catalogue_vocabulary
from core.i18n import translated
from core.pagecache import cache_public_page
from core.text import polish_sort_key
from practices.models import Practice


def catalogue_facets():
    """Facet counts of the whole published catalogue (no filters), and the vocabulary."""
    vocabulary = catalogue_vocabulary()
    filterset = PracticeFilterSet(
        QueryDict(), queryset=Practice.objects.published(), vocabulary=vocabulary
    )
    filterset.is_valid()
    return practice_facet_counts(filterset, filterset.queryset), vocabulary


def _by_type(facets: FacetCounts, vocabulary, list_url):
    return [
        (translated(t, "name"), facets.options["type"].get(t.code, 0), f"{list_url}?type={t.code}")
        for t in vocabulary.practice_types
    ]


def _by_country(facets: FacetCounts, list_url):
    rows = [
        (str(countries.name(code)), count, f"{list_url}?country={code}")
        for code, count in facets.options["country"].items()
    ]
    return sorted(rows, key=lambda row: (-row[1], polish_sort_key(row[0])))


@method_decorator(cache_public_page, name="dispatch")
class HomeView(TemplateView):
    template_name = "catalogue/home.html"

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

    template_name = "catalogue/overview.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        facets, vocabulary = catalogue_facets()
        list_url = reverse("practices:practice-list")
        years = practices_by_start_year()
        on_map, off_map, size = tile_map(
            facets.options["country"], lambda code: f"{list_url}?country={code}"
        )
        context.update(
            total=facets.total,
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
class OpenDataView(TemplateView):
    """How to download the catalogue: the exports, their fields, the feed, the sitemap."""

    template_name = "catalogue/open_data.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            fields=EXPORT_FIELDS,
            spreadsheet_columns=SPREADSHEET_COLUMNS,
            xlsx_limit=number_format(XLSX_MAX_ROWS, force_grouping=True),
            **kwargs,
        )
