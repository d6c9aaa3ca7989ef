"""Keep the search vector in the practice row (STORAGE MAIN) instead of the TOAST table.

Ranking a search reads the vector of every practice that matches; out of line, each
one was a lookup in the TOAST table's index and a read of its chunks, more than the
rank itself. With the facet counts read from samples (migration 0010) the wider row
costs the filters little, and a search matching tens of thousands of practices ranks
several times faster. The rewrite moves the vectors already stored.
"""

from django.db import migrations

FORWARD = """
ALTER TABLE practices_practice ALTER COLUMN search_vector SET STORAGE MAIN;
UPDATE practices_practice SET search_vector = search_vector || ''::tsvector
 WHERE search_vector IS NOT NULL;
"""
BACKWARD = "ALTER TABLE practices_practice ALTER COLUMN search_vector SET STORAGE EXTENDED"


class Migration(migrations.Migration):
    dependencies = [("practices", "0010_sample_level_indexes")]

    operations = [migrations.RunSQL(FORWARD, BACKWARD)]
