from django.shortcuts import get_object_or_404
from django.views.generic import DetailView, ListView

from competitions.models import Competition, Edition


class CompetitionListView(ListView):
    template_name = "competitions/competition_list.html"
    context_object_name = "competitions"
    queryset = Competition.objects.prefetch_related("editions")


class CompetitionDetailView(DetailView):
    template_name = "competitions/competition_detail.html"
    context_object_name = "competition"
    model = Competition


class EditionDetailView(DetailView):
    template_name = "competitions/edition_detail.html"
    context_object_name = "edition"

    def get_object(self, queryset=None):
        return get_object_or_404(
            Edition.objects.select_related("competition"),
            competition__slug=self.kwargs["competition_slug"],
            year=self.kwargs["year"],
        )
