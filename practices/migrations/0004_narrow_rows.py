"""Keep practice rows narrow: long texts and the search vector out of line, filter columns in.

The catalogue's filters and facet counts read only the short columns (type,
status, dates, amounts and the denormalised arrays). With the long texts
inline a row is over a kilobyte and counting facets reads all of it;
`toast_tuple_target` moves long values to the TOAST table, and PLAIN storage
keeps the small arrays and the title in the row itself (they are never
compressed or moved, so reading them costs nothing extra).
"""

from django.db import migrations

INLINE = [
    "title",
    "sort_title",
    "countries",
    "regions",
    "organisation_ids",
    "organisation_kinds",
    "topic_ids",
    "competition_ids",
    "edition_ids",
    "award_levels",
]

FORWARD = (
    "ALTER TABLE practices_practice "
    + ", ".join(f"ALTER COLUMN {column} SET STORAGE PLAIN" for column in INLINE)
    + "; ALTER TABLE practices_practice SET (toast_tuple_target = 256);"
)
BACKWARD = (
    "ALTER TABLE practices_practice "
    + ", ".join(f"ALTER COLUMN {column} SET STORAGE EXTENDED" for column in INLINE)
    + "; ALTER TABLE practices_practice RESET (toast_tuple_target);"
)


class Migration(migrations.Migration):
    dependencies = [("practices", "0003_synthetic_origin")]

    operations = [migrations.RunSQL(FORWARD, BACKWARD)]
