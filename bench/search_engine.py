"""A search-engine catalogue page, for comparison only (the benchmark's third peer).

What a team that puts a Lucene-class engine beside PostgreSQL would build: the
published practices indexed in tantivy (its Python bindings, the benchmark's
optional `bench` dependency group), a minimal view that answers the catalogue's
query strings (`q`, `type`, `country`, `topic`, `org_kind`, `region`, `award`,
`edition`, `page`) with the top 20 hits and the same facet counts, and the
titles read from PostgreSQL by id in one query. The site never uses it.

The engine is given the catalogue's own search terms, not its own analysis:
each practice's four weighted parts are read back from the stored search
vector (lexemes in document order, one per position), and tantivy splits them
on whitespace. Polish folding and stemming (core.text) are then the same on
both sides, a query matches the same practices, and the comparison measures
the engines rather than two analysers. Ranking differs: tantivy scores BM25
over every match, each part boosted by the weight the catalogue ranks it with
(catalogue.search.SEARCH_RANK_WEIGHTS); the catalogue ranks its 10,000 newest
matches with `ts_rank`. Counts are exact here at any size; the catalogue
estimates those of large sets over a sample.
"""

from __future__ import annotations

import os
import time
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import tantivy
from django.db import connection
from django.views.generic import TemplateView
from tantivy import Occur, Query

from catalogue.search import SEARCH_RANK_WEIGHTS
from catalogue.vocabulary import catalogue_vocabulary
from core.text import query_groups
from practices.dimensions import FACETS
from practices.models import Practice

PAGE_SIZE = 20
# The search vector's parts (catalogue.index.rows.index_row) as fields, with the weight
# the catalogue ranks each with: A the title … D the vocabulary.
TEXT_FIELDS = dict(
    zip(("title", "summary", "body", "vocabulary"), SEARCH_RANK_WEIGHTS[::-1], strict=True)
)
# Each facet dimension a raw, fast text field named as its filter, holding the values the
# practice row stores (type codes; country codes; topic, edition ids as text …).
FACET_NAMES = tuple(dimension.name for dimension in FACETS)
# The highest value a terms aggregation returns per dimension: above any vocabulary's size.
MAX_OPTIONS = 10_000

# Lexemes of each weight in document order, one per position (the term frequencies the
# catalogue's ranking sees), with the facet arrays, for a batch of published practices.
# Hand-written: the ORM cannot unnest a tsvector.
_DOCUMENTS_SQL = """
SELECT p.id, p.practice_type_id, p.countries, p.topic_ids, p.organisation_kinds,
       p.regions, p.award_levels, p.edition_ids, d.a, d.b, d.c, d.d
  FROM practices_practice p
  LEFT JOIN LATERAL (
      SELECT string_agg(u.lexeme, ' ' ORDER BY x.pos) FILTER (WHERE x.w = 'A') AS a,
             string_agg(u.lexeme, ' ' ORDER BY x.pos) FILTER (WHERE x.w = 'B') AS b,
             string_agg(u.lexeme, ' ' ORDER BY x.pos) FILTER (WHERE x.w = 'C') AS c,
             string_agg(u.lexeme, ' ' ORDER BY x.pos) FILTER (WHERE x.w = 'D') AS d
        FROM unnest(p.search_vector) AS u, unnest(u.positions, u.weights) AS x(pos, w)
  ) d ON true
 WHERE p.status = 'published' AND p.id > %s
 ORDER BY p.id
 LIMIT %s
"""


def index_path() -> Path:
    """Where the benchmark keeps the index (BENCH_SEARCH_INDEX; bench/out/ is git-ignored)."""
    return Path(
        os.environ.get("BENCH_SEARCH_INDEX")
        or Path(__file__).resolve().parent / "out" / "search-index"
    )


def schema() -> tantivy.Schema:
    builder = tantivy.SchemaBuilder()
    builder.add_integer_field("id", fast=True)
    # The catalogue's default order (newest first: published_at, then id) as one number.
    builder.add_integer_field("newest", fast=True)
    for name in TEXT_FIELDS:
        # Whitespace: the terms are the catalogue's own, folded and stemmed already.
        builder.add_text_field(name, tokenizer_name="whitespace", index_option="freq")
    for name in FACET_NAMES:
        builder.add_text_field(name, tokenizer_name="raw", fast=True)
    return builder.build()


@dataclass(frozen=True)
class BuildReport:
    documents: int
    seconds: float


def build_index(path: Path, *, batch: int = 5000) -> BuildReport:
    """Index every published practice into a new index at `path` (what was there goes)."""
    started = time.perf_counter()
    path.mkdir(parents=True, exist_ok=True)
    index = tantivy.Index(schema(), path=str(path), reuse=False)
    newest = {
        pk: position
        for position, pk in enumerate(
            Practice.objects.published().order_by("published_at", "id").values_list("id", flat=True)
        )
    }
    documents = 0
    with index.writer(heap_size=256_000_000) as writer, connection.cursor() as cursor:
        last = 0
        while True:
            cursor.execute(_DOCUMENTS_SQL, [last, batch])
            rows = cursor.fetchall()
            if not rows:
                break
            for pk, type_code, countries, topics, kinds, regions, awards, editions, *parts in rows:
                writer.add_document(
                    tantivy.Document(
                        id=pk,
                        newest=newest[pk],
                        **{name: part or "" for name, part in zip(TEXT_FIELDS, parts, strict=True)},
                        type=[type_code],
                        country=countries,
                        topic=[str(t) for t in topics],
                        org_kind=kinds,
                        region=regions,
                        award=awards,
                        edition=[str(e) for e in editions],
                    )
                )
            documents += len(rows)
            last = rows[-1][0]
        writer.commit()
        writer.wait_merging_threads()
    return BuildReport(documents=documents, seconds=time.perf_counter() - started)


@cache
def _searcher(path: str) -> tuple[tantivy.Searcher, tantivy.Schema]:
    """One searcher per process: the index does not change during a run."""
    index = tantivy.Index.open(path)
    return index.searcher(), index.schema


def _words_query(schema, groups: list[frozenset[str]]) -> Query:
    """Every word (AND), each matching any of its terms in any part, weighted as ranked."""
    return Query.boolean_query(
        [
            (
                Occur.Must,
                Query.boolean_query(
                    [
                        (
                            Occur.Should,
                            Query.boost_query(
                                Query.term_query(schema, field, term, index_option="freq"),
                                weight,
                            ),
                        )
                        for field, weight in TEXT_FIELDS.items()
                        for term in sorted(group)
                    ]
                ),
            )
            for group in groups
        ]
    )


@dataclass
class EngineResults:
    ids: list[int]
    total: int
    #: {dimension: {value: count}}: each dimension counted over every filter but its own.
    facets: dict[str, dict[str, int]]


def engine_search(params, *, path: Path | None = None) -> EngineResults:
    """The catalogue's query string (a QueryDict) answered by the engine."""
    searcher, schema = _searcher(str(path or index_path()))
    vocabulary = catalogue_vocabulary()
    filters: dict[str, list[str]] = {}
    for dimension in FACETS:
        values = [value for value in params.getlist(dimension.name) if value]
        if not values:
            continue
        if dimension.by_slug:  # topics and editions: slugs in the address, ids in the index
            ids = vocabulary.ids(dimension.name)
            values = [str(ids[value]) for value in values if value in ids]
        filters[dimension.name] = values
    groups = query_groups(params.get("q", ""))

    def query(without: str | None = None) -> Query:
        clauses = [(Occur.Must, _words_query(schema, groups) if groups else Query.all_query())]
        clauses += [
            (Occur.Must, Query.term_set_query(schema, name, values))
            for name, values in filters.items()
            if name != without
        ]
        return clauses[0][1] if len(clauses) == 1 else Query.boolean_query(clauses)

    try:
        page = max(1, int(params.get("page", 1)))
    except ValueError:
        page = 1
    found = searcher.search(
        query(),
        PAGE_SIZE,
        count=True,
        offset=(page - 1) * PAGE_SIZE,
        order_by_field=None if groups else "newest",
    )
    ids = [int(pk) for pk in searcher.fast_field_values("id", [a for _s, a in found.hits])]

    def terms(on: Query, names) -> dict[str, dict[str, int]]:
        answer = searcher.aggregate(
            on, {name: {"terms": {"field": name, "size": MAX_OPTIONS}} for name in names}
        )
        return {
            name: {bucket["key"]: bucket["doc_count"] for bucket in answer[name]["buckets"]}
            for name in names
        }

    # The dimensions nobody filters on share one aggregation over the results; each one
    # filtered on gets its own, over every filter but its own (as the catalogue counts).
    facets = terms(query(), [n for n in FACET_NAMES if n not in filters])
    for name in filters:
        facets |= terms(query(without=name), [name])
    return EngineResults(ids=ids, total=found.count, facets=facets)


class SearchEngineCatalogueView(TemplateView):
    template_name = "bench/search_engine.html"

    def get_context_data(self, **kwargs):
        results = engine_search(self.request.GET)
        titles = Practice.objects.only("title", "slug").in_bulk(results.ids)  # one query
        return super().get_context_data(
            total=results.total,
            practices=[titles[pk] for pk in results.ids if pk in titles],
            facets={name: sorted(options.items()) for name, options in results.facets.items()},
            **kwargs,
        )
