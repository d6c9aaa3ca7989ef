from django.core.paginator import InvalidPage, Paginator
from django.utils.functional import cached_property
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.generic import DetailView, ListView

from core.text import highlight, query_groups
from practices.facets import active_chips, facet_groups
from practices.filters import MAX_QUERY_LENGTH, PracticeFilterSet, SortOrder
from practices.models import Practice
from practices.selectors import (
    catalogue_vocabulary,
    practice_catalogue,
    practice_facet_counts,
)


class KnownCountPaginator(Paginator):
    """A paginator told the total in advance (the facet query already counted it)."""

    def __init__(self, *args, count: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.__dict__["count"] = count


class PracticeListView(ListView):
    """The catalogue: filters with facet counts, chips, sorting and pagination."""

    template_name = "practices/practice_list.html"
    context_object_name = "practices"
    paginate_by = 20

    @cached_property
    def vocabulary(self):
        return catalogue_vocabulary()

    @cached_property
    def filterset(self) -> PracticeFilterSet:
        return PracticeFilterSet(
            self.request.GET,  # always bound: no filters is a valid, empty form
            queryset=Practice.objects.published(),
            vocabulary=self.vocabulary,
        )

    @cached_property
    def search_groups(self):
        self.filterset.is_valid()
        query = self.filterset.form.cleaned_data.get("q") or ""
        return query_groups(query[:MAX_QUERY_LENGTH])

    @property
    def sort(self) -> str:
        chosen = self.filterset.form.cleaned_data.get("sort")
        if chosen == SortOrder.RELEVANCE and not self.search_groups:
            return SortOrder.NEWEST
        return chosen or (SortOrder.RELEVANCE if self.search_groups else SortOrder.NEWEST)

    def get_queryset(self):
        self.filterset.is_valid()
        self.counts = practice_facet_counts(self.filterset, self.filterset.queryset)
        return practice_catalogue(self.filterset.qs, sort=self.sort)

    def paginate_queryset(self, queryset, page_size):
        paginator = KnownCountPaginator(queryset, page_size, count=self.counts["total"].get("", 0))
        requested = self.request.GET.get("page") or 1
        self.page_notice = ""
        try:
            page = paginator.page(requested)
        except InvalidPage:
            # A page past the end (or "abc") shows the nearest real page and says so.
            page = paginator.page(paginator.num_pages if str(requested).isdigit() else 1)
            self.page_notice = _(
                "Nie ma strony „%(page)s”; pokazujemy stronę %(shown)s z %(total)s."
            ) % {"page": str(requested)[:20], "shown": page.number, "total": paginator.num_pages}
        return paginator, page, page.object_list, page.has_other_pages()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        groups = facet_groups(self.filterset, self.counts, self.vocabulary)
        for practice in context["practices"]:
            text = practice.summary or practice.description
            practice.snippet = mark_safe(highlight(text, self.search_groups))  # highlight() escapes
        context.update(
            filterset=self.filterset,
            form=self.filterset.form,
            facet_groups=groups,
            chips=active_chips(self.filterset, groups, self.vocabulary),
            ignored=self.filterset.ignored_input(),
            page_notice=self.page_notice,
            result_count=self.counts["total"].get("", 0),
            sort=self.sort,
            sort_choices=[
                (value, label)
                for value, label in SortOrder.CHOICES
                if value != SortOrder.RELEVANCE or self.search_groups
            ],
            searching=bool(self.search_groups),
        )
        return context


class PracticeDetailView(DetailView):
    template_name = "practices/practice_detail.html"
    context_object_name = "practice"

    def get_queryset(self):
        return Practice.objects.published().select_related("lead_organisation", "practice_type")
