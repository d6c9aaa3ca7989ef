"""Full-text search of the catalogue: the query folded as the documents are (core.text)."""

from __future__ import annotations

from django.contrib.postgres.search import SearchQuery, SearchRank
from django.db.models import F, QuerySet

from core.i18n import page_language
from core.text import ENGLISH_PREFIX, query_groups, tsquery_source
from practices.models import Practice

# Weights of the D, C, B and A parts of the search vector (catalogue.index.rows.index_row).
SEARCH_RANK_WEIGHTS = [0.1, 0.3, 0.6, 1.0]


def search_language(language: str | None = None) -> str:
    """The language a query is read in: English on the English pages, else Polish (the
    Ukrainian pages search the Polish texts as the Polish ones do)."""
    return "en" if (language or page_language()) == "en" else "pl"


def search_sources(groups: list[frozenset[str]]) -> tuple[str, str | None]:
    """The tsquery sources of a search (core.text.query_groups): every word's terms, and
    the English terms alone when there are any (they rank a second time, see below)."""
    english = sorted(
        {term for group in groups for term in group if term.startswith(ENGLISH_PREFIX)}
    )
    return tsquery_source(groups), tsquery_source([frozenset(english)]) if english else None


def practice_search(
    queryset: QuerySet[Practice],
    *,
    query: str = "",
    language: str | None = None,
    groups: list[frozenset[str]] | None = None,
) -> QuerySet[Practice]:
    """Practices matching `query` (Polish-aware, see core.text), with a `rank` annotation.

    On the English pages (or `language="en"`) each word also matches the English stem of
    the editorial translations, and a match in English ranks above one only in Polish.
    A query with no searchable word leaves the queryset as it is. `groups` are the
    query's words already read (query_groups, in the page's language).
    """
    if groups is None:
        groups = query_groups(query, language=search_language(language))
    if not groups:
        return queryset
    source, english = search_sources(groups)
    search_query = SearchQuery(source, search_type="raw", config="simple")
    rank = SearchRank(F("search_vector"), search_query, weights=SEARCH_RANK_WEIGHTS)
    if english:
        # The same weights again for the English terms alone: the reader's language first.
        english_query = SearchQuery(english, search_type="raw", config="simple")
        rank = rank + SearchRank(F("search_vector"), english_query, weights=SEARCH_RANK_WEIGHTS)
    return queryset.filter(search_vector=search_query).annotate(rank=rank)
