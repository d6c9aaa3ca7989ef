"""sitemap.xml: every public page, with its address in every interface language as alternates."""

from urllib.parse import urlsplit

from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from competitions.models import Edition
from competitions.selectors import competition_list
from core.links import site_origin
from organisations.models import Organisation
from practices.models import Practice


class I18nSitemap(Sitemap):
    """Addresses on SITE_URL's scheme and host, never the request's (core.links)."""

    i18n = True
    alternates = True
    x_default = True

    def get_protocol(self, protocol=None):
        return urlsplit(site_origin()).scheme

    def get_domain(self, site=None):
        return urlsplit(site_origin()).netloc


class StaticPagesSitemap(I18nSitemap):
    priority = 0.6

    def items(self):
        return [
            "catalogue:home",
            "practices:practice-list",
            "organisations:organisation-list",
            "competitions:competition-list",
            "catalogue:overview",
            "catalogue:open-data",
            "core:accessibility",
            "core:about",
            "core:privacy",
            "core:contact",
        ]

    def location(self, item):
        return reverse(item)


class PracticeSitemap(I18nSitemap):
    priority = 0.8
    limit = 5000

    def items(self):
        return Practice.objects.published().only("slug", "updated_at").order_by("id")

    def lastmod(self, practice):
        return practice.updated_at


class OrganisationSitemap(I18nSitemap):
    limit = 5000

    def items(self):
        return Organisation.objects.published().only("slug").order_by("id")


class CompetitionSitemap(I18nSitemap):
    def items(self):
        # The public list's competitions: none made only of training editions.
        return competition_list().order_by("id")


class EditionSitemap(I18nSitemap):
    def items(self):
        # A training edition is reachable by its address only, never listed.
        return (
            Edition.objects.filter(is_training=False).select_related("competition").order_by("id")
        )


SITEMAPS = {
    "pages": StaticPagesSitemap,
    "practices": PracticeSitemap,
    "organisations": OrganisationSitemap,
    "competitions": CompetitionSitemap,
    "editions": EditionSitemap,
}
