"""The catalogue's index: one denormalised row per practice, kept true by construction.

Search and filters read the practice row alone: its search vector and the
arrays the filters overlap (countries, regions, organisations and their kinds,
topics, competitions, editions, award levels). Those columns are made from
other rows (the lead organisation and partners, topics, funding sources,
entries in competitions), and they are written here only.

How it stays true:

* `sources.SOURCES` declares, once, every model and field the row is made from and how
  to get from a changed row to the practices it feeds. The loader
  (`rows.practice_facts`) reads exactly those fields and nothing else, so the row
  cannot depend on something the declaration leaves out.
* Receivers (`receivers.connect_receivers`, called by the app's `ready()`) watch every
  write to those models: `post_save`/`pre_delete`, `m2m_changed` for topics
  and funding sources, and `core.signals` for `QuerySet.update()` and
  `bulk_create()`. A write that changes a declared field marks the practices it
  reaches as stale, in a table (`catalogue.StalePractice`) and in the writing
  transaction, so a rolled-back write marks nothing and a committed one is
  never forgotten.
* After the commit, `refresh.index_flush()` takes the stale practices and rebuilds
  their rows from the committed data. A failed flush leaves them marked; the
  next write's flush, or `manage.py check_catalogue_index --fix`, picks them up.

The row itself is a pure function of plain facts (`rows.index_row`), so the
benchmark's generator builds its million rows with the same code.

This package holds no code of its own: import from its modules.
"""
