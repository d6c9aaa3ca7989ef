"""Facet counts given one other facet value, kept by statement triggers.

Like migration 0005's counts, but per pair of values of two different
dimensions that a published practice carries together. Every statement that
writes practices adds its new published rows' pairs and subtracts its old
rows' in one GROUP BY over the transition tables; pairs that did not change
cancel out and write nothing. TRUNCATE empties the table. Upserts go in key
order, so concurrent writers lock the same rows in the same order.
"""

from django.db import migrations, models

# The facet values of a practice row `r` (the dimensions of practices.filters.FACET_COLUMNS).
VALUES = """
           SELECT 'type', r.practice_type_id::text WHERE r.practice_type_id IS NOT NULL
 UNION ALL SELECT 'country', k::text FROM unnest(r.countries) k
 UNION ALL SELECT 'topic', k::text FROM unnest(r.topic_ids) k
 UNION ALL SELECT 'org_kind', k::text FROM unnest(r.organisation_kinds) k
 UNION ALL SELECT 'region', k::text FROM unnest(r.regions) k
 UNION ALL SELECT 'award', k::text FROM unnest(r.award_levels) k
 UNION ALL SELECT 'edition', k::text FROM unnest(r.edition_ids) k
"""

# Each pair of values of two different dimensions on the published rows of `{rows}`.
PAIRS = f"""
SELECT g.dimension, g.key, d.dimension, d.key, {{sign}} * count(*) AS n
  FROM {{rows}} r
 CROSS JOIN LATERAL ({VALUES}) AS g(dimension, key)
 CROSS JOIN LATERAL ({VALUES}) AS d(dimension, key)
 WHERE r.status = 'published' AND g.dimension <> d.dimension
 GROUP BY 1, 2, 3, 4
"""

UPSERT = """
INSERT INTO practices_facetpaircount AS f (given_dimension, given_key, dimension, key, count)
SELECT gd, gk, d, k, sum(n) FROM ({parts}) AS change(gd, gk, d, k, n)
 GROUP BY 1, 2, 3, 4 HAVING sum(n) <> 0 ORDER BY 1, 2, 3, 4
    ON CONFLICT (given_dimension, given_key, dimension, key)
    DO UPDATE SET count = f.count + EXCLUDED.count;
"""


def function(name: str, parts: list[str]) -> str:
    body = UPSERT.format(parts=" UNION ALL ".join(parts))
    return f"""
CREATE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
{body}
RETURN NULL;
END $$;
"""


FORWARD = (
    function("practices_facetpaircount_insert", [PAIRS.format(rows="new_rows", sign=1)])
    + function("practices_facetpaircount_delete", [PAIRS.format(rows="old_rows", sign=-1)])
    + function(
        "practices_facetpaircount_update",
        [PAIRS.format(rows="new_rows", sign=1), PAIRS.format(rows="old_rows", sign=-1)],
    )
    + """
CREATE FUNCTION practices_facetpaircount_truncate() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
DELETE FROM practices_facetpaircount;
RETURN NULL;
END $$;

CREATE TRIGGER practices_facetpaircount_insert AFTER INSERT ON practices_practice
REFERENCING NEW TABLE AS new_rows
FOR EACH STATEMENT EXECUTE FUNCTION practices_facetpaircount_insert();

CREATE TRIGGER practices_facetpaircount_update AFTER UPDATE ON practices_practice
REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
FOR EACH STATEMENT EXECUTE FUNCTION practices_facetpaircount_update();

CREATE TRIGGER practices_facetpaircount_delete AFTER DELETE ON practices_practice
REFERENCING OLD TABLE AS old_rows
FOR EACH STATEMENT EXECUTE FUNCTION practices_facetpaircount_delete();

CREATE TRIGGER practices_facetpaircount_truncate AFTER TRUNCATE ON practices_practice
FOR EACH STATEMENT EXECUTE FUNCTION practices_facetpaircount_truncate();
"""
    # The practices already stored.
    + UPSERT.format(parts=PAIRS.format(rows="practices_practice", sign=1))
)

BACKWARD = """
DROP TRIGGER practices_facetpaircount_insert ON practices_practice;
DROP TRIGGER practices_facetpaircount_update ON practices_practice;
DROP TRIGGER practices_facetpaircount_delete ON practices_practice;
DROP TRIGGER practices_facetpaircount_truncate ON practices_practice;
DROP FUNCTION practices_facetpaircount_insert();
DROP FUNCTION practices_facetpaircount_update();
DROP FUNCTION practices_facetpaircount_delete();
DROP FUNCTION practices_facetpaircount_truncate();
"""


class Migration(migrations.Migration):
    dependencies = [
        ("practices", "0006_facet_covering_index"),
    ]

    operations = [
        migrations.CreateModel(
            name="FacetPairCount",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("given_dimension", models.CharField(max_length=16)),
                ("given_key", models.CharField(max_length=200)),
                ("dimension", models.CharField(max_length=16)),
                ("key", models.CharField(max_length=200)),
                ("count", models.BigIntegerField(default=0)),
            ],
            options={
                "constraints": [
                    models.UniqueConstraint(
                        fields=("given_dimension", "given_key", "dimension", "key"),
                        name="facetpaircount_unique",
                    )
                ],
            },
        ),
        migrations.RunSQL(FORWARD, BACKWARD),
    ]
