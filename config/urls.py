from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.contrib.sitemaps.views import sitemap
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from catalogue import urls as catalogue_urls
from catalogue.sitemaps import SITEMAPS
from core.forms import SignInForm
from core.views import PasswordResetView, healthz, robots_txt

# A database that is down or saturated answers 503 with Retry-After (core.views).
handler500 = "core.views.server_error"

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("robots.txt", robots_txt, name="robots"),
    path("sitemap.xml", sitemap, {"sitemaps": SITEMAPS}, name="sitemap"),
]

# Polish addresses without a prefix; English ones under /en/ with translated paths.
urlpatterns += i18n_patterns(
    path("", include(catalogue_urls.site_urls)),
    path("", include("core.urls")),
    path(
        _("konto/logowanie/"),
        auth_views.LoginView.as_view(authentication_form=SignInForm),
        name="login",
    ),
    path(_("konto/wylogowanie/"), auth_views.LogoutView.as_view(), name="logout"),
    path(_("konto/haslo/reset/"), PasswordResetView.as_view(), name="password_reset"),
    path(
        _("konto/haslo/reset/wyslano/"),
        auth_views.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        _("konto/haslo/reset/<uidb64>/<token>/"),
        auth_views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        _("konto/haslo/reset/gotowe/"),
        auth_views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
    path(_("praktyki/"), include(catalogue_urls.practice_urls)),
    path(_("organizacje/"), include(catalogue_urls.organisation_urls)),
    path(_("konkursy/"), include("competitions.urls")),
    path("admin/", admin.site.urls),
    prefix_default_language=False,
)

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
