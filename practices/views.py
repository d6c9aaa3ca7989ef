from django.views.generic import DetailView, ListView

from practices.models import Practice
from practices.selectors import practice_list_published


class PracticeListView(ListView):
    template_name = "practices/practice_list.html"
    context_object_name = "practices"
    paginate_by = 20

    def get_queryset(self):
        return practice_list_published()


class PracticeDetailView(DetailView):
    template_name = "practices/practice_detail.html"
    context_object_name = "practice"

    def get_queryset(self):
        return Practice.objects.published().select_related("lead_organisation", "practice_type")
