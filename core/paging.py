"""Pages of a list that never fail: a page past the end, or "abc", shows a real one."""

from __future__ import annotations

from django.core.paginator import InvalidPage, Page, Paginator
from django.utils.translation import gettext as _


def page_or_nearest(paginator: Paginator, requested) -> tuple[Page, str]:
    """The page asked for, or the nearest real one (the last, or the first for a
    page number that is not one) with a notice for the visitor saying so ("" if none)."""
    try:
        return paginator.page(requested), ""
    except InvalidPage:
        page = paginator.page(paginator.num_pages if str(requested).isdigit() else 1)
        notice = _("Nie ma strony „%(page)s”; pokazujemy stronę %(shown)s z %(total)s.") % {
            "page": str(requested)[:20],
            "shown": page.number,
            "total": paginator.num_pages,
        }
        return page, notice
