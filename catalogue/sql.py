"""Every statement of the catalogue written in SQL rather than through the ORM.

Each is a named template here, and each is pinned by a test to the ORM (or
Python) result it must equal (tests/catalogue/test_sql.py and the counting
tests). Hand-written SQL elsewhere in the catalogue is a defect.

Why SQL at all: the index is written from a batch of rows in one statement
(the ORM would update row by row); the facet counts group each filtered set
by every facet column in one scan (GROUPING SETS, which the ORM cannot
express) and read sampled sets through the partial index of the level a
probe chose for each; a relevance page ranks only a window of matches.
"""

from __future__ import annotations

# --- the index (catalogue/index/) ----------------------------------------------

# The catalogue row's arrays, as the practice table stores them (and the JSON the
# index sends: one object per practice, see catalogue.index.IndexRow).
INDEX_ARRAYS = {
    "countries": "varchar(2)[]",
    "regions": "varchar(120)[]",
    "organisation_ids": "bigint[]",
    "organisation_kinds": "varchar(32)[]",
    "topic_ids": "bigint[]",
    "competition_ids": "bigint[]",
    "edition_ids": "bigint[]",
    "award_levels": "varchar(16)[]",
}


def search_vector(
    a: str, b: str, c: str, d: str, english: tuple[str, str, str, str] | None = None
) -> str:
    """The search vector from the four parts of the document (each a string of terms),
    weighted A (title) to D (vocabulary). The generator of the benchmark uses it too.

    `english` are the same four parts of the English translations (English-stem terms,
    core.text.english_word_terms). They come after all the Polish parts: `||` shifts the
    positions of its right side only, so the Polish terms keep theirs and a Polish
    query ranks exactly as without them."""
    parts = zip((a, b, c, d, *(english or ())), "ABCDABCD", strict=False)
    return " || ".join(
        f"setweight(to_tsvector('simple', {part}), '{weight}')" for part, weight in parts
    )


_ROWS = (
    "jsonb_to_recordset(%s::jsonb) AS v(id bigint, doc_a text, doc_b text, doc_c text, "
    "doc_d text, doc_a_en text, doc_b_en text, doc_c_en text, doc_d_en text, "
    + ", ".join(f"{name} {kind}" for name, kind in INDEX_ARRAYS.items())
    + ")"
)
_VECTOR = search_vector(
    "v.doc_a",
    "v.doc_b",
    "v.doc_c",
    "v.doc_d",
    english=("v.doc_a_en", "v.doc_b_en", "v.doc_c_en", "v.doc_d_en"),
)
_DIFFERS = " OR ".join(
    [f"p.search_vector IS DISTINCT FROM {_VECTOR}"]
    + [f"p.{name} IS DISTINCT FROM v.{name}" for name in INDEX_ARRAYS]
)

# Write the rows (a JSON array of IndexRow) where they differ from what is stored.
INDEX_UPDATE = (
    f"UPDATE practices_practice AS p SET search_vector = {_VECTOR}, "
    + ", ".join(f"{name} = v.{name}" for name in INDEX_ARRAYS)
    + f" FROM {_ROWS} WHERE p.id = v.id AND ({_DIFFERS})"
)

# (practice id, the columns that differ) of the stored rows that differ from the given ones.
INDEX_DRIFT = (
    "SELECT p.id, array_remove(ARRAY["
    + ", ".join(
        [f"CASE WHEN p.search_vector IS DISTINCT FROM {_VECTOR} THEN 'search_vector' END"]
        + [f"CASE WHEN p.{n} IS DISTINCT FROM v.{n} THEN '{n}' END" for n in INDEX_ARRAYS]
    )
    + f"], NULL) FROM practices_practice AS p JOIN {_ROWS} ON p.id = v.id "
    f"WHERE {_DIFFERS} ORDER BY p.id"
)

# Mark practices stale (an array of ids), in the writing transaction.
STALE_MARK = (
    "INSERT INTO catalogue_stalepractice (practice_id) SELECT unnest(%s::bigint[]) "
    "ON CONFLICT (practice_id) DO NOTHING"
)
# Claim up to N stale practices: unmarked now, rebuilt by the caller in the same
# transaction; rows another flush holds are skipped, not waited for.
STALE_CLAIM = (
    "DELETE FROM catalogue_stalepractice WHERE practice_id IN ("
    "SELECT practice_id FROM catalogue_stalepractice ORDER BY practice_id "
    "LIMIT %s FOR UPDATE SKIP LOCKED) RETURNING practice_id"
)
STALE_COUNT = "SELECT count(*) FROM catalogue_stalepractice"


# --- facet counts (catalogue/counting.py) ------------------------------------------

# The whole catalogue's counts of some dimensions, kept by PostgreSQL's triggers.
KEPT_COUNTS = (
    "SELECT dimension, key, count FROM practices_facetcount WHERE dimension = ANY(%s) AND count > 0"
)
# Some dimensions' counts given one value of another (several values only of a
# dimension a practice has one of: the sums are then exact).
PAIR_COUNTS = (
    "SELECT dimension, key, sum(count)::bigint FROM practices_facetpaircount "
    "WHERE given_dimension = %s AND given_key = ANY(%s) AND dimension = ANY(%s) "
    "AND count > 0 GROUP BY dimension, key"
)
# The number of practices with any of these values of a dimension, from the kept counts.
KEPT_TOTAL = (
    "SELECT 'total', '', sum(count)::bigint FROM practices_facetcount "
    "WHERE dimension = %s AND key = ANY(%s) HAVING sum(count) > 0"
)


# A scan's column that says whether a row is also one of the results (RESULTS_FLAG:
# the results folded into a scan of a larger set, catalogue.counting.fold_results).
RESULTS_FLAG = "in_results"


def grouped_counts(
    name: str,
    rows_sql: str,
    columns: dict[str, tuple[str, bool]],
    *,
    total: bool,
    weight: str,
    results: dict[str, tuple[str, bool]] | None = None,
) -> tuple[str, list[str]]:
    """A CTE `name` grouping the rows of `rows_sql` by each dimension's column, and its reads.

    `columns` maps each dimension counted to (its column, whether a practice has
    exactly one value: a plain column, else an array). Array columns are grouped
    as whole arrays first (few distinct ones) and only those groups are
    unnested (GROUPING SETS: one scan for every dimension). The empty grouping
    set, if `total`, is the number of rows. Each count is multiplied by `weight`
    (SQL: a sample's scale, or 1). Every read gives (dimension, key, count).

    `results`, like `columns`, are dimensions counted over the rows whose RESULTS_FLAG
    column is true, which the total then counts (`total` is then not asked for): the
    results of a page read with a larger set that holds them, in the same scan.
    """
    flag = f"s.{RESULTS_FLAG}"
    selected, sets, reads = [], [], []
    counted = [(dimension, *spec, False) for dimension, spec in columns.items()]
    counted += [(dimension, *spec, True) for dimension, spec in (results or {}).items()]
    for dimension, column, plain, flagged in counted:
        selected += [f"GROUPING(s.{column}) AS g_{dimension}", f"s.{column}"]
        sets.append(f"({flag}, s.{column})" if flagged else f"(s.{column})")
        only = f" AND {name}.{RESULTS_FLAG}" if flagged else ""
        if plain:
            reads.append(
                f"SELECT '{dimension}', {name}.{column}::text, {name}.n FROM {name} "
                f"WHERE {name}.g_{dimension} = 0 AND {name}.{column} IS NOT NULL{only}"
            )
        else:
            reads.append(
                f"SELECT '{dimension}', k::text, sum({name}.n)::bigint "
                f"FROM {name} CROSS JOIN LATERAL unnest({name}.{column}) AS k "
                f"WHERE {name}.g_{dimension} = 0{only} GROUP BY 2"
            )
    whole = " AND ".join(f"{name}.g_{dimension} = 1" for dimension, *_rest in counted) or "TRUE"
    if results is not None:
        selected += [f"GROUPING({flag}) AS g_{RESULTS_FLAG}", flag]
        sets.append(f"({flag})")
        reads.append(
            f"SELECT 'total', '', {name}.n FROM {name} WHERE {whole} "
            f"AND {name}.g_{RESULTS_FLAG} = 0 AND {name}.{RESULTS_FLAG} AND {name}.n > 0"
        )
    elif total:
        sets.append("()")
        reads.append(f"SELECT 'total', '', {name}.n FROM {name} WHERE {whole} AND {name}.n > 0")
    selected.append(f"count(*) * {weight} AS n")
    cte = (
        f"{name} AS (SELECT {', '.join(selected)} FROM ({rows_sql}) AS s "
        f"GROUP BY GROUPING SETS ({', '.join(sets)}))"
    )
    return cte, reads


def sample_probe(probe_sql: str, scans: int) -> str:
    """How many practices of the probe each scan's set holds (n0, n1…), one row.

    `probe_sql` selects one boolean per scan (c0, c1…: whether a practice of the probe,
    one sample level of the whole catalogue, is in that scan's set); n_i × 2**level
    estimates the set's size (catalogue.counting.sample_level chooses from it).
    """
    counts = ", ".join(f"count(*) FILTER (WHERE s.c{i})" for i in range(scans))
    return f"SELECT {counts} FROM ({probe_sql}) AS s"


# Stand in the rows every scan reads, compiled once, for each scan's own columns (the
# SELECT list, named SCAN_COLUMNS) and facet conditions (the last condition of WHERE).
SCAN_COLUMNS = "practices_scan_columns"
SCAN_MARKER = "practices_scan_conditions"


def scan_rows(
    rows_sql: str,
    params: list,
    conditions: list[tuple[str, list]],
    columns: list[str],
    *,
    flags: dict[str, tuple[str, list]] | None = None,
) -> tuple[str, list]:
    """A scan's rows: `rows_sql` (with its `params`) selecting the scan's `columns` (SQL
    names, as the ORM writes them) and with its facet `conditions` (each SQL and its
    parameters, as the ORM compiled them) in place of the markers. Each of `flags`, a
    condition too, is selected as a boolean column of its name (RESULTS_FLAG: whether a
    row is one of the results; the probe's c0, c1…: whether it is in each scan's set).

    The conditions' parameters follow the rows' own: every parameter of `rows_sql` must
    come before the marker (the marker is the last condition of its WHERE clause), and
    none before the columns (the flags' parameters come first).
    """
    selected = f'({SCAN_COLUMNS}) AS "{SCAN_COLUMNS}"'
    if rows_sql.count(selected) != 1 or rows_sql.count(SCAN_MARKER) != 1:
        raise AssertionError(f"the scan's markers are not once each in {rows_sql}")
    if rows_sql.split(SCAN_MARKER)[0].count("%s") != len(params):
        raise AssertionError(f"a parameter of the rows follows the scan marker in {rows_sql}")
    if "%s" in rows_sql.split(selected)[0]:
        raise AssertionError(f"a parameter of the rows comes before its columns in {rows_sql}")
    where = " AND ".join(f"({text})" for text, _params in conditions) or "TRUE"
    flags = flags or {}
    columns = [*columns, *(f"({text}) AS {name}" for name, (text, _params) in flags.items())]
    rows = rows_sql.replace(selected, ", ".join(columns) or "1").replace(SCAN_MARKER, where)
    return rows, [
        *(param for _text, flag_params in flags.values() for param in flag_params),
        *params,
        *(param for _text, condition_params in conditions for param in condition_params),
    ]


# Stands in a scan's SQL, compiled once, for the conditions of its sample level.
BRANCH_MARKER = "practices_sample_branch_conditions"


def sampled_rows(rows_sql: str, level: int, *, index_levels: list[int]) -> str:
    """A scan's rows read at sample `level` (0: every row of its set).

    `rows_sql` holds BRANCH_MARKER once, in place of the level's conditions. A level
    k > 0 reads the partial index of the highest indexed level not above k, whose
    literal condition (`sample_levels @> ARRAY[t]`, as the ORM writes the index's
    predicate) is repeated so that the planner can use it. The level is chosen before
    the statement (catalogue.counting), so PostgreSQL plans only the rows it reads,
    not one branch per level (a fifth of a millisecond each, a dozen per page).
    """
    if rows_sql.count(BRANCH_MARKER) != 1:
        raise AssertionError(f"the marker of the branch conditions is not once in {rows_sql}")
    conditions = ["TRUE"]
    if level:
        indexed = max((t for t in index_levels if t <= level), default=None)
        conditions = [
            f'"practices_practice"."sample_levels" @> (ARRAY[{t}])::integer[]'
            for t in dict.fromkeys(t for t in (level, indexed) if t is not None)
        ]
    return rows_sql.replace(BRANCH_MARKER, " AND ".join(conditions))


# --- pages (catalogue/selectors.py) -------------------------------------------------


def ranked_window_page(window_sql: str) -> str:
    """Ids of a page of a relevance order whose ranking stops at a window of matches.

    `window_sql` selects (w_id, w_rank, w_at): the window's matches with their rank,
    then (for a page crossing its end) later matches with a NULL rank. Parameters:
    window_sql's, then OFFSET and LIMIT.
    """
    return (
        f"SELECT u.w_id FROM ({window_sql}) AS u "
        "ORDER BY u.w_rank DESC NULLS LAST, u.w_at DESC, u.w_id DESC OFFSET %s LIMIT %s"
    )
