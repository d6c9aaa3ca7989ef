"""The catalogue's facet dimensions: the one list every part of the catalogue reads.

A dimension is a facet of the public catalogue: a filter in the address
(`?country=UA`), a column of the practice row it overlaps, a group of options
with counts on the page, a key of the counts PostgreSQL keeps
(`practices_facetcount`, migrations 0005 and 0007) and a filter of the
benchmark's peers. The models build the catalogue's GIN indexes from it, the
FilterSet its filters, the counting its GROUPING SETS, the page its option
groups, and a test checks the kept-count triggers against it.

It lives with the practice model, whose columns it names, so that the model
(a lower layer) can read it; what each dimension's options are called is the
catalogue's business (catalogue.facets).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Dimension:
    #: The filter's name in the address and the key of the kept counts.
    name: str
    #: The practice array column the filter overlaps (a key of the catalogue's GIN indexes).
    column: str
    #: The column the counts group by (the type is counted by its plain foreign key).
    count_column: str
    #: The heading of its options on the page, and of its chips.
    label: Promise
    #: Show every option, even with no practice (a short, fixed list).
    keep_empty_options: bool
    #: Options in Polish alphabetical order of their labels (else in the vocabulary's order).
    sort_by_label: bool
    #: The option values in the address are slugs of vocabulary rows, stored as their ids.
    by_slug: bool = False
    #: A practice has exactly one value (its type): counts given several of its values
    #: add up, and the counts group by a plain column rather than an array.
    one_per_practice: bool = False


FACETS: tuple[Dimension, ...] = (
    Dimension(
        "type",
        "type_codes",
        "practice_type_id",
        _("Typ praktyki"),
        True,
        False,
        one_per_practice=True,
    ),
    Dimension("country", "countries", "countries", _("Kraj"), False, True),
    Dimension("topic", "topic_ids", "topic_ids", _("Obszar tematyczny"), True, True, by_slug=True),
    Dimension(
        "org_kind", "organisation_kinds", "organisation_kinds", _("Rodzaj organizacji"), False, True
    ),
    Dimension("region", "regions", "regions", _("Region"), False, True),
    Dimension("award", "award_levels", "award_levels", _("Nagroda"), True, False),
    Dimension(
        "edition", "edition_ids", "edition_ids", _("Konkurs i edycja"), False, False, by_slug=True
    ),
)
FACETS_BY_NAME: dict[str, Dimension] = {dimension.name: dimension for dimension in FACETS}

# Filters on the practice row that are not facets (no option counts): the
# competition (all its editions) and one organisation (led or took part).
OTHER_FILTER_COLUMNS = ("competition_ids", "organisation_ids")
