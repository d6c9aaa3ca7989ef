from django.urls import path
from django.utils.translation import gettext_lazy as _

from core import views

app_name = "core"

urlpatterns = [
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
