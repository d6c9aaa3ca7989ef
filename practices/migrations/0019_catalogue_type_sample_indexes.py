"""One GIN index of each practice type's level-2 sample (practices.models): a count sampled
at level 2 or 3 of one type reads posting lists a quarter as long as in the type's own
index (catalogue_<type>_idx, 0013), where the level is one key among the others."""

import django.contrib.postgres.indexes
from django.db import migrations, models

# As practices.models.CATALOGUE_TYPE_INDEX_FIELDS and PracticeTypeCode were when written.
FIELDS = [
    "search_vector",
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
TYPE_CODES = [
    "procedural",
    "investment",
    "it",
    "social",
    "organisational",
    "promotional",
    "project",
]


class Migration(migrations.Migration):
    dependencies = [
        ("practices", "0018_source_faithful"),
    ]

    operations = [
        migrations.RunSQL("SET LOCAL maintenance_work_mem = '512MB'", migrations.RunSQL.noop),
        *(
            migrations.AddIndex(
                model_name="practice",
                index=django.contrib.postgres.indexes.GinIndex(
                    condition=models.Q(
                        ("sample_levels__contains", [2]),
                        ("status", "published"),
                        ("type_codes__overlap", [code]),
                    ),
                    fields=FIELDS,
                    name=f"type_{code}_l2_idx",
                ),
            )
            for code in TYPE_CODES
        ),
    ]
