"""Signals for the writes Django's model signals do not see.

`QuerySet.update()`, `bulk_create()` and `bulk_update()` write rows without
`pre_save`/`post_save`. A model whose rows something else is derived from (the
catalogue's index, cached pages) uses `core.models.SignallingQuerySet`, which
sends these around such writes, so that one receiver sees every write path.
"""

from django.dispatch import Signal

# Before `QuerySet.update()`: sender (the model), pks (the rows about to change),
# fields (the names of the fields being set).
pre_update = Signal()
# After `QuerySet.update()` (and so `bulk_update()`): sender, pks, fields.
post_update = Signal()
# After `bulk_create()`: sender, pks (of the rows created).
post_bulk_create = Signal()
