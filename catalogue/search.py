"""Full-text search of the catalogue: the query folded as the documents are (core.text)."""

from __future__ import annotations

from django.contrib.postgres.search import SearchQuery, SearchRank
from django.db.models import F, QuerySet

from core.text import query_groups, tsquery_source
from practices.models import Practice

# Weights of the D, C, B and A parts of the search vector (catalogue.index.rows.index_row).
SEARCH_RANK_WEIGHTS = [0.1, 0.3, 0.6, 1.0]


def practice_search(queryset: QuerySet[Practice], *, query: str) -> QuerySet[Practice]:
    """Practices matching `query` (Polish-aware, see core.text), with a `rank` annotation.

    A query with no searchable word leaves the queryset as it is.
    """
    groups = query_groups(query)
    if not groups:
        return queryset
    search_query = SearchQuery(tsquery_source(groups), search_type="raw", config="simple")
    return queryset.filter(search_vector=search_query).annotate(
        rank=SearchRank(F("search_vector"), search_query, weights=SEARCH_RANK_WEIGHTS)
    )
