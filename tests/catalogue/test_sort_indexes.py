"""Every catalogue order but relevance is read from an index in that order.

A page's practices are found by their ids first, in the chosen order
(catalogue.views.practices.KnownCountPaginator). With an index whose order is the
page's, PostgreSQL reads the first rows and stops; without one it sorts every
published practice, which at a million practices costs a third of a second.
The test catalogue is too small for the planner to choose an index on its
own, so sorting and sequential scans are priced out, as they would be at size.
"""

import pytest
from django.db import connection

from catalogue.selectors import SORTINGS, practice_catalogue
from practices.models import Practice

pytestmark = pytest.mark.django_db


def _plan_of_first_page(sort: str) -> str:
    queryset = practice_catalogue(Practice.objects.published(), sort=sort)
    ids = queryset.values_list("pk", flat=True)[:20]
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_sort = off")
        cursor.execute("SET LOCAL enable_seqscan = off")
        plan = ids.explain()
        cursor.execute("RESET enable_sort")
        cursor.execute("RESET enable_seqscan")
    return plan


@pytest.mark.parametrize(
    ("sort", "index"),
    [
        ("newest", "practice_newest_idx"),
        ("title", "practice_title_idx"),
        ("value", "practice_value_sort_idx"),
    ],
)
def test_the_first_page_in_an_order_reads_its_index_without_sorting(catalogue, sort, index):
    assert sort in SORTINGS

    plan = _plan_of_first_page(sort)

    assert index in plan
    assert "Sort" not in plan
