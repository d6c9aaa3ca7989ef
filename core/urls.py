from django.urls import path
from django.utils.translation import gettext_lazy as _

from core import views
from core.enums import SitePageSlug

app_name = "core"

urlpatterns = [
    path(
        _("deklaracja-dostepnosci/"),
        views.SitePageView.as_view(slug=SitePageSlug.ACCESSIBILITY),
        name="accessibility",
    ),
    path(
        _("ochrona-danych/"),
        views.SitePageView.as_view(slug=SitePageSlug.PRIVACY),
        name="privacy",
    ),
    path(
        _("kontakt/"),
        views.SitePageView.as_view(slug=SitePageSlug.CONTACT),
        name="contact",
    ),
    path(
        _("o-katalogu/"),
        views.StaticPageView.as_view(template_name="core/about.html"),
        name="about",
    ),
]
