"""The practices app's own public pages: the submission form.

Mounted by catalogue/urls.py under /praktyki/ (namespace "practices"), next to
the catalogue's practice pages.
"""

from django.urls import path
from django.utils.translation import gettext_lazy as _

from practices import views

urlpatterns = [
    path(_("zglos/"), views.PracticeSubmitView.as_view(), name="practice-submit"),
    path(
        _("zglos/dziekujemy/"),
        views.PracticeSubmitThanksView.as_view(),
        name="practice-submit-thanks",
    ),
]
