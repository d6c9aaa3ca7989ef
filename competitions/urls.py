from django.urls import path
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from competitions import views

app_name = "competitions"

edition = "<slug:competition_slug>/<int:year>/"
jury = format_lazy("{}<slug:edition_slug>/", _("jury/"))

urlpatterns = [
    path("", views.CompetitionListView.as_view(), name="competition-list"),
    # The jury's pages come before "<slug>/", so "jury" is never read as a competition.
    path(_("jury/"), views.JuryHomeView.as_view(), name="jury-home"),
    path(jury, views.JuryEditionView.as_view(), name="jury-edition"),
    path(
        format_lazy("{}{}", jury, _("zgloszenia/<int:entry_id>/")),
        views.JuryEntryView.as_view(),
        name="jury-entry",
    ),
    path(
        format_lazy("{}{}", jury, _("zgloszenia/<int:entry_id>/konflikt/")),
        views.JuryConflictView.as_view(),
        name="jury-conflict",
    ),
    path(
        format_lazy("{}{}", jury, _("zgloszenia/<int:entry_id>/decyzja/")),
        views.JuryDecisionView.as_view(),
        name="jury-decision",
    ),
    path(
        format_lazy("{}{}", jury, _("ranking/")),
        views.JuryRankingView.as_view(),
        name="jury-ranking",
    ),
    path(
        format_lazy("{}{}", jury, _("kategorie/<int:category_id>/remis/")),
        views.JuryTieView.as_view(),
        name="jury-tie",
    ),
    path(
        format_lazy("{}{}", jury, _("dziennik/")),
        views.JuryDecisionLogView.as_view(),
        name="jury-log",
    ),
    path("<slug:slug>/", views.CompetitionDetailView.as_view(), name="competition-detail"),
    path(edition, views.EditionDetailView.as_view(), name="edition-detail"),
    path(
        format_lazy("{}{}", edition, _("wyniki.csv")),
        views.edition_results_csv,
        name="edition-results-csv",
    ),
    path(
        format_lazy("{}{}", edition, _("glosowanie/")),
        views.VoteCodeView.as_view(),
        name="vote-code",
    ),
    path(
        format_lazy("{}{}", edition, _("glosowanie/karta/")),
        views.BallotView.as_view(),
        name="vote-ballot",
    ),
    path(
        format_lazy("{}{}", edition, _("glosowanie/zakoncz/")),
        views.BallotForgetView.as_view(),
        name="vote-forget",
    ),
]
