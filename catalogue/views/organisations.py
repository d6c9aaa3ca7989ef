"""The catalogue's organisation pages: the list with its filters, and an organisation."""

from django.core.paginator import Paginator
from django.http import Http404
from django.utils.decorators import method_decorator
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.generic import DetailView, ListView

from catalogue.facets import FacetGroup, FacetOption, group_regions, region_label
from catalogue.filters import OrganisationFilterSet
from catalogue.selectors import (
    ORGANISATION_PAGE_CARDS,
    organisation_awards,
    organisation_facet_counts,
    organisation_for_page,
    organisation_links,
    organisation_list,
    organisation_practices,
)
from core.i18n import country_name
from core.links import absolute_url
from core.pagecache import cache_public_page
from core.paging import page_or_nearest
from core.text import polish_sort_key
from organisations.enums import OrganisationKind
from organisations.models import Organisation
from organisations.selectors import region_countries


@method_decorator(
    cache_public_page(query=(*OrganisationFilterSet.base_filters, "page")), name="dispatch"
)
class OrganisationListView(ListView):
    template_name = "catalogue/organisation_list.html"
    context_object_name = "organisations"
    paginate_by = 50

    @cached_property
    def filterset(self) -> OrganisationFilterSet:
        filterset = OrganisationFilterSet(
            self.request.GET, queryset=Organisation.objects.published()
        )
        filterset.is_valid()
        return filterset

    def get_queryset(self):
        return organisation_list(self.filterset.qs)

    def paginate_queryset(self, queryset, page_size):
        paginator = Paginator(queryset, page_size)
        page, self.page_notice = page_or_nearest(paginator, self.request.GET.get("page") or 1)
        return paginator, page, page.object_list, page.has_other_pages()

    def facet_groups(self) -> list[FacetGroup]:
        counts = organisation_facet_counts(self.filterset, Organisation.objects.published())
        data = self.filterset.form.cleaned_data
        labels = {
            "country": country_name,
            "kind": lambda code: (
                str(OrganisationKind(code).label) if code in OrganisationKind.values else code
            ),
            "region": region_label,
        }
        titles = {"country": _("Kraj"), "kind": _("Rodzaj"), "region": _("Region")}
        groups = []
        for name in OrganisationFilterSet.FACETS:
            chosen = set(data.get(name) or [])
            values = set(counts[name]) | chosen
            options = [
                FacetOption(value, labels[name](value), counts[name].get(value, 0), value in chosen)
                for value in values
            ]
            options.sort(key=lambda option: polish_sort_key(option.label))
            if name == "region":
                group_regions(options, region_countries())
            groups.append(FacetGroup(name, titles[name], options))
        return groups

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        page = context["page_obj"]
        context.update(
            form=self.filterset.form,
            facet_groups=self.facet_groups(),
            ignored=self.filterset.ignored_input(),
            page_notice=self.page_notice,
            page_range=page.paginator.get_elided_page_range(page.number, on_each_side=2),
            filtered=any(
                self.filterset.form.cleaned_data.get(n)
                for n in ("q", *OrganisationFilterSet.FACETS)
            ),
        )
        return context


@method_decorator(cache_public_page, name="dispatch")
class OrganisationDetailView(DetailView):
    template_engine = "jinja2"  # catalogue/jinja2.py
    template_name = "catalogue/organisation_detail.html"
    context_object_name = "organisation"

    def get_object(self, queryset=None):
        organisation = organisation_for_page(self.kwargs["slug"])
        if organisation is None:
            raise Http404
        return organisation

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        organisation = self.object
        led = organisation_practices(organisation, led=True)
        partnered = organisation_practices(organisation, led=False)
        awards, awarded_practices = organisation_awards(organisation)
        links = organisation_links(organisation)
        members = links["members"]
        context.update(
            # A list cut short (ORGANISATION_PAGE_CARDS) says so, and the page links the
            # catalogue filtered by the organisation, which counts and pages them all.
            led=led[:ORGANISATION_PAGE_CARDS],
            partnered=partnered[:ORGANISATION_PAGE_CARDS],
            led_more=len(led) > ORGANISATION_PAGE_CARDS,
            partnered_more=len(partnered) > ORGANISATION_PAGE_CARDS,
            awards=awards,
            awarded_practices=awarded_practices,
            canonical_url=absolute_url(organisation.get_absolute_url()),
            members=members,
            groups=links["groups"],
            roles=links["roles"],
            members_heading=ngettext(
                "Członek (%(counter)s)", "Członkowie (%(counter)s)", len(members)
            )
            % {"counter": len(members)},
        )
        return context
