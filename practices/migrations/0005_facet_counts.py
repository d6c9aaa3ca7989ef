"""Facet counts of the unfiltered catalogue, kept by statement triggers.

Every statement that inserts, updates or deletes practices adds the facet
values of its new published rows and subtracts those of its old ones, in one
GROUP BY over the statement's transition tables (so a COPY of a million rows
costs one aggregate, and an edit that changes no facet writes nothing).
TRUNCATE empties the counts. Upserts go in (dimension, key) order, so
concurrent writers lock the same rows in the same order.
"""

from django.db import migrations, models

# The facet values of the published rows of `{rows}`, each counted `{sign}` times.
KEYS = """
SELECT d.dimension, d.key, {sign} * count(*) AS n
  FROM {rows} r
 CROSS JOIN LATERAL (
           SELECT 'total', ''
 UNION ALL SELECT 'type', r.practice_type_id::text WHERE r.practice_type_id IS NOT NULL
 UNION ALL SELECT 'country', k::text FROM unnest(r.countries) k
 UNION ALL SELECT 'topic', k::text FROM unnest(r.topic_ids) k
 UNION ALL SELECT 'org_kind', k::text FROM unnest(r.organisation_kinds) k
 UNION ALL SELECT 'region', k::text FROM unnest(r.regions) k
 UNION ALL SELECT 'award', k::text FROM unnest(r.award_levels) k
 UNION ALL SELECT 'edition', k::text FROM unnest(r.edition_ids) k
       ) AS d(dimension, key)
 WHERE r.status = 'published'
 GROUP BY 1, 2
"""

UPSERT = """
INSERT INTO practices_facetcount AS f (dimension, key, count)
SELECT dimension, key, sum(n) FROM ({parts}) AS change(dimension, key, n)
 GROUP BY 1, 2 HAVING sum(n) <> 0 ORDER BY 1, 2
    ON CONFLICT (dimension, key) DO UPDATE SET count = f.count + EXCLUDED.count;
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
    function("practices_facetcount_insert", [KEYS.format(rows="new_rows", sign=1)])
    + function("practices_facetcount_delete", [KEYS.format(rows="old_rows", sign=-1)])
    + function(
        "practices_facetcount_update",
        [KEYS.format(rows="new_rows", sign=1), KEYS.format(rows="old_rows", sign=-1)],
    )
    + """
CREATE FUNCTION practices_facetcount_truncate() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
DELETE FROM practices_facetcount;
RETURN NULL;
END $$;

CREATE TRIGGER practices_facetcount_insert AFTER INSERT ON practices_practice
REFERENCING NEW TABLE AS new_rows
FOR EACH STATEMENT EXECUTE FUNCTION practices_facetcount_insert();

CREATE TRIGGER practices_facetcount_update AFTER UPDATE ON practices_practice
REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
FOR EACH STATEMENT EXECUTE FUNCTION practices_facetcount_update();

CREATE TRIGGER practices_facetcount_delete AFTER DELETE ON practices_practice
REFERENCING OLD TABLE AS old_rows
FOR EACH STATEMENT EXECUTE FUNCTION practices_facetcount_delete();

CREATE TRIGGER practices_facetcount_truncate AFTER TRUNCATE ON practices_practice
FOR EACH STATEMENT EXECUTE FUNCTION practices_facetcount_truncate();
"""
    # The practices already stored.
    + UPSERT.format(parts=KEYS.format(rows="practices_practice", sign=1))
)

BACKWARD = """
DROP TRIGGER practices_facetcount_insert ON practices_practice;
DROP TRIGGER practices_facetcount_update ON practices_practice;
DROP TRIGGER practices_facetcount_delete ON practices_practice;
DROP TRIGGER practices_facetcount_truncate ON practices_practice;
DROP FUNCTION practices_facetcount_insert();
DROP FUNCTION practices_facetcount_update();
DROP FUNCTION practices_facetcount_delete();
DROP FUNCTION practices_facetcount_truncate();
"""


class Migration(migrations.Migration):
    dependencies = [
        ("practices", "0004_narrow_rows"),
    ]

    operations = [
        migrations.CreateModel(
            name="FacetCount",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("dimension", models.CharField(max_length=16)),
                ("key", models.CharField(max_length=200)),
                ("count", models.BigIntegerField(default=0)),
            ],
            options={
                "constraints": [
                    models.UniqueConstraint(
                        fields=("dimension", "key"), name="facetcount_dimension_key"
                    )
                ],
            },
        ),
        migrations.RunSQL(FORWARD, BACKWARD),
    ]
