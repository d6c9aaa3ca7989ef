"""One GIN index per indexed sample level (practices.models.SAMPLE_INDEX_LEVELS): each
holds only the published practices of its level, for the facet counts read at that
level or a sparser one (practices.selectors.count_facets)."""

import django.contrib.postgres.indexes
from django.db import migrations, models

FIELDS = [
    "search_vector",
    "type_codes",
    "countries",
    "topic_ids",
    "organisation_kinds",
    "regions",
    "award_levels",
    "edition_ids",
    "competition_ids",
    "organisation_ids",
    "sample_levels",
]


class Migration(migrations.Migration):
    dependencies = [
        ("practices", "0009_catalogue_index"),
    ]

    operations = [
        migrations.RunSQL("SET LOCAL maintenance_work_mem = '512MB'", migrations.RunSQL.noop),
        *(
            migrations.AddIndex(
                model_name="practice",
                index=django.contrib.postgres.indexes.GinIndex(
                    condition=models.Q(
                        ("sample_levels__contains", [level]), ("status", "published")
                    ),
                    fields=FIELDS,
                    name=f"practice_catalogue_l{level}_idx",
                ),
            )
            for level in (2, 4, 6, 8, 10, 12)
        ),
    ]
