from django.urls import path
from django.utils.translation import gettext_lazy as _

from core import views

app_name = "core"

urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path(_("przeglad/"), views.OverviewView.as_view(), name="overview"),
    path(_("otwarte-dane/"), views.OpenDataView.as_view(), name="open-data"),
    path(
        _("deklaracja-dostepnosci/"),
        views.StaticPageView.as_view(template_name="core/accessibility.html"),
        name="accessibility",
    ),
    path(
        _("o-katalogu/"),
        views.StaticPageView.as_view(template_name="core/about.html"),
        name="about",
    ),
]
