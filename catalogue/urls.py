"""The catalogue's public addresses, in the namespaces the site has always used.

The address space follows what a visitor sees, not the code's layers: under
/praktyki/ ("practices") the catalogue's list, exports, feed and practice pages
and the practices app's own submission form; under /organizacje/
("organisations") the organisation pages; the home, overview and open-data
pages ("catalogue") at the top. config/urls.py mounts each.
"""

from django.urls import path
from django.utils.translation import gettext_lazy as _

from catalogue import exports, spreadsheets
from catalogue.views import organisations, practices, site
from practices import urls as submission_urls

practice_urls = (
    [
        path("", practices.PracticeListView.as_view(), name="practice-list"),
        path(_("eksport.csv"), exports.practice_export_csv, name="practice-export-csv"),
        path(_("eksport.json"), exports.practice_export_json, name="practice-export-json"),
        path(_("eksport.xlsx"), spreadsheets.practice_export_xlsx, name="practice-export-xlsx"),
        path(
            _("eksport-excel.csv"),
            spreadsheets.practice_export_excel_csv,
            name="practice-export-excel-csv",
        ),
        path(_("kanal.atom"), exports.PracticeFeed(), name="practice-feed"),
        *submission_urls.urlpatterns,
        # Last: any other single segment is a practice's slug.
        path("<slug:slug>/", practices.PracticeDetailView.as_view(), name="practice-detail"),
    ],
    "practices",
)

organisation_urls = (
    [
        path("", organisations.OrganisationListView.as_view(), name="organisation-list"),
        path(
            "<slug:slug>/",
            organisations.OrganisationDetailView.as_view(),
            name="organisation-detail",
        ),
    ],
    "organisations",
)

site_urls = (
    [
        path("", site.HomeView.as_view(), name="home"),
        path(_("przeglad/"), site.OverviewView.as_view(), name="overview"),
        path(_("otwarte-dane/"), site.OpenDataView.as_view(), name="open-data"),
    ],
    "catalogue",
)
