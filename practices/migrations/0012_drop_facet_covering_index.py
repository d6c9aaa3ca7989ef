"""Drop the covering index of migration 0006: the facet counts now read their rows
through the catalogue's GIN indexes (0009, 0010), whose conditions the type filter
(`type_codes`) is one of, so no plan reads it any more (224 MB at a million practices)."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("practices", "0011_search_vector_inline")]

    operations = [migrations.RemoveIndex(model_name="practice", name="practice_facets_idx")]
