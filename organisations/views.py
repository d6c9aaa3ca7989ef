from django.views.generic import DetailView, ListView

from organisations.models import Organisation


class OrganisationListView(ListView):
    template_name = "organisations/organisation_list.html"
    context_object_name = "organisations"
    paginate_by = 50
    queryset = Organisation.objects.order_by("sort_name", "id")


class OrganisationDetailView(DetailView):
    template_name = "organisations/organisation_detail.html"
    context_object_name = "organisation"
    model = Organisation
