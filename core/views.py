from django.views.generic import TemplateView

from practices.selectors import practice_list_published


class HomeView(TemplateView):
    template_name = "core/home.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["practices"] = practice_list_published()
        return context
