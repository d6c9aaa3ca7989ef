from django.urls import path
from django.utils.translation import gettext_lazy as _

from practices import exports, views

app_name = "practices"

urlpatterns = [
    path("", views.PracticeListView.as_view(), name="practice-list"),
    path(_("eksport.csv"), exports.practice_export_csv, name="practice-export-csv"),
    path(_("eksport.json"), exports.practice_export_json, name="practice-export-json"),
    path(_("kanal.atom"), exports.PracticeFeed(), name="practice-feed"),
    path(_("zglos/"), views.PracticeSubmitView.as_view(), name="practice-submit"),
    path(
        _("zglos/dziekujemy/"),
        views.PracticeSubmitThanksView.as_view(),
        name="practice-submit-thanks",
    ),
    path("<slug:slug>/", views.PracticeDetailView.as_view(), name="practice-detail"),
]
