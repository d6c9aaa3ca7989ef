from django.urls import path

from competitions import views

app_name = "competitions"

urlpatterns = [
    path("", views.CompetitionListView.as_view(), name="competition-list"),
    path("<slug:slug>/", views.CompetitionDetailView.as_view(), name="competition-detail"),
    path(
        "<slug:competition_slug>/<int:year>/",
        views.EditionDetailView.as_view(),
        name="edition-detail",
    ),
]
