from django.shortcuts import get_object_or_404
from django.views.generic import DetailView, ListView

from competitions.selectors import competition_list, edition_detail_queryset, edition_vote_counts


class CompetitionListView(ListView):
    template_name = "competitions/competition_list.html"
    context_object_name = "competitions"

    def get_queryset(self):
        return competition_list()


class CompetitionDetailView(DetailView):
    template_name = "competitions/competition_detail.html"
    context_object_name = "competition"

    def get_queryset(self):
        return competition_list()


class EditionDetailView(DetailView):
    """An edition: theme, dates, figures, categories with laureates, finalists and votes."""

    template_name = "competitions/edition_detail.html"
    context_object_name = "edition"

    def get_object(self, queryset=None):
        return get_object_or_404(
            edition_detail_queryset(),
            competition__slug=self.kwargs["competition_slug"],
            year=self.kwargs["year"],
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        votes = edition_vote_counts(self.object)
        for category in self.object.categories.all():
            entries = list(category.entries.all())
            total = sum(votes.get(entry.pk, 0) for entry in entries)
            for entry in entries:
                entry.votes_count = votes.get(entry.pk)
                entry.votes_percent = round(100 * votes.get(entry.pk, 0) / total) if total else None
            category.entry_list = entries
            category.laureates = [e for e in entries if e.status == "laureate"]
            category.others = [e for e in entries if e.status != "laureate"]
            category.votes_total = total
        context["has_votes"] = bool(votes)
        context["canonical_url"] = self.request.build_absolute_uri(self.object.get_absolute_url())
        return context
