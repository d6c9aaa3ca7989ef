from django.urls import path
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from competitions.views import apply, jury, public, vote

app_name = "competitions"

edition_prefix = "<slug:competition_slug>/<int:year>/"
jury_prefix = format_lazy("{}<slug:edition_slug>/", _("jury/"))

urlpatterns = [
    path("", public.CompetitionListView.as_view(), name="competition-list"),
    # The jury's pages come before "<slug>/", so "jury" is never read as a competition.
    path(_("jury/"), jury.JuryHomeView.as_view(), name="jury-home"),
    path(jury_prefix, jury.JuryEditionView.as_view(), name="jury-edition"),
    path(
        format_lazy("{}{}", jury_prefix, _("zgloszenia/<int:entry_id>/")),
        jury.JuryEntryView.as_view(),
        name="jury-entry",
    ),
    path(
        format_lazy("{}{}", jury_prefix, _("zgloszenia/<int:entry_id>/konflikt/")),
        jury.JuryConflictView.as_view(),
        name="jury-conflict",
    ),
    path(
        format_lazy("{}{}", jury_prefix, _("zgloszenia/<int:entry_id>/decyzja/")),
        jury.JuryDecisionView.as_view(),
        name="jury-decision",
    ),
    path(
        format_lazy("{}{}", jury_prefix, _("ranking/")),
        jury.JuryRankingView.as_view(),
        name="jury-ranking",
    ),
    path(
        format_lazy("{}{}", jury_prefix, _("kategorie/<int:category_id>/remis/")),
        jury.JuryTieView.as_view(),
        name="jury-tie",
    ),
    path(
        format_lazy("{}{}", jury_prefix, _("dziennik/")),
        jury.JuryDecisionLogView.as_view(),
        name="jury-log",
    ),
    path("<slug:slug>/", public.CompetitionDetailView.as_view(), name="competition-detail"),
    path(edition_prefix, public.EditionDetailView.as_view(), name="edition-detail"),
    path(
        format_lazy("{}{}", edition_prefix, _("wyniki.csv")),
        public.edition_results_csv,
        name="edition-results-csv",
    ),
    path(
        format_lazy("{}{}", edition_prefix, _("glosowanie/")),
        vote.VoteCodeView.as_view(),
        name="vote-code",
    ),
    path(
        format_lazy("{}{}", edition_prefix, _("glosowanie/karta/")),
        vote.BallotView.as_view(),
        name="vote-ballot",
    ),
    path(
        format_lazy("{}{}", edition_prefix, _("glosowanie/zakoncz/")),
        vote.BallotForgetView.as_view(),
        name="vote-forget",
    ),
    path(
        format_lazy("{}{}", edition_prefix, _("zgloszenie/")),
        apply.ApplicationStartView.as_view(),
        name="application-start",
    ),
    path(
        format_lazy("{}{}", edition_prefix, _("zgloszenie/nowy-link/")),
        apply.ApplicationResendView.as_view(),
        name="application-resend",
    ),
    path(
        format_lazy("{}{}", edition_prefix, _("zgloszenie/link-wyslany/")),
        apply.ApplicationLinkSentView.as_view(),
        name="application-sent-link",
    ),
    # The private link: its key is 43 characters, never one of the words above.
    path(
        format_lazy("{}{}", edition_prefix, _("zgloszenie/<str:token>/")),
        apply.ApplicationFormView.as_view(),
        name="application-form",
    ),
]
