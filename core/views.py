"""Site-wide views that show no catalogue data: fixed pages, robots.txt, the health
check, and the password reset by e-mail."""

import hashlib
import json
import sys
import time

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.core.cache import cache
from django.db import InterfaceError, OperationalError, connection
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.template import loader
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.utils.translation import get_language
from django.views import defaults
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET
from django.views.generic import TemplateView

from core.cache import shared_cache_down
from core.enums import SitePageSlug
from core.links import absolute_url
from core.pagecache import cache_public_page
from core.ratelimit import client_address, rate_limit_hit
from core.sitepages import contact, site_page

# Password reset e-mails: at most this many to one address, and this many requests
# from one client address, per hour. The form answers the same way whether or not
# an address has an account, and whether or not its e-mail went out.
PASSWORD_RESETS_PER_EMAIL = 3
PASSWORD_RESETS_PER_CLIENT = 20
PASSWORD_RESET_WINDOW_SECONDS = 3600


@method_decorator(cache_public_page, name="dispatch")
class StaticPageView(TemplateView):
    """A page of fixed text (about)."""


@method_decorator(cache_public_page, name="dispatch")
class SitePageView(TemplateView):
    """A page a public body must publish, as its editors wrote it (core.sitepages):
    the accessibility statement, the privacy notice, the contact page."""

    slug: str = ""
    template_name = "core/site_page.html"

    def get_context_data(self, **kwargs):
        text, body = site_page(self.slug)
        in_page_language = text.language == (get_language() or "pl").split("-")[0]
        return super().get_context_data(
            **kwargs,
            slug=self.slug,
            title=text.title,
            # <title> cannot carry a `lang`: a page shown in another language is named
            # in the page's own.
            document_title=text.title if in_page_language else SitePageSlug(self.slug).label,
            text_language=text.language,
            body=body,
            contact=contact(),
        )


@require_GET
@cache_control(max_age=86400, public=True)
def robots_txt(request):
    sitemap = absolute_url(reverse("sitemap"))
    lines = [
        "User-agent: *",
        "Disallow: /admin/",
        "Disallow: /en/admin/",
        "Disallow: /*?*page=",
        f"Sitemap: {sitemap}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")


# How long the database may fail to answer this process before /healthz says 503.
# A saturated database refuses some connections and accepts others: within this
# grace a failure reads "busy" with 200, so the load balancer does not flap every
# instance in and out (README, "Deploying").
HEALTHZ_DATABASE_GRACE_SECONDS = 10.0
_database_answered = {"at": None}  # monotonic time of this process's last answer


@require_GET
def healthz(request):
    """For the load balancer: 200 while the site can serve, 503 when it cannot.

    The database is required: 503 when it has not answered this process for
    HEALTHZ_DATABASE_GRACE_SECONDS (at once if it never has); a failure within
    that grace answers 200 with `"database": "busy: …"`. The cache is not
    required — the site serves without it (core.cache) — so an unavailable cache
    answers 200 with `"cache": "degraded"`: with one Redis shared by every
    instance, a 503 would take every instance out for a part the site can do
    without.
    """
    checks = {}
    healthy = True
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
        checks["database"] = "ok"
        _database_answered["at"] = time.monotonic()
    except Exception as error:
        last = _database_answered["at"]
        if last is not None and time.monotonic() - last < HEALTHZ_DATABASE_GRACE_SECONDS:
            checks["database"] = f"busy: {type(error).__name__}"
        else:
            checks["database"] = f"error: {type(error).__name__}"
            healthy = False
    try:
        cache.set("healthz", "ok", 10)
        answered = cache.get("healthz") == "ok" and not shared_cache_down()
        checks["cache"] = "ok" if answered else "degraded"
    except Exception as error:  # the database cache (DJANGO_CACHE=database) fails with it
        checks["cache"] = f"degraded: {type(error).__name__}"
    status = "ok" if all(v == "ok" for v in checks.values()) else "degraded"
    response = HttpResponse(
        json.dumps({"status": status if healthy else "error", **checks}),
        content_type="application/json",
        status=200 if healthy else 503,
    )
    response["Cache-Control"] = "no-store"
    return response


# Seconds a client is asked to wait when the database is unavailable or saturated.
DATABASE_RETRY_AFTER_SECONDS = 10


def server_error(request):
    """handler500: the site's 503 page with Retry-After when the database is unavailable
    or saturated (refused, timed out, out of connections, pool exhausted); Django's
    500 page for anything else.

    Rendered without the request's context (no user, no session): the database
    may be what failed. The language LocaleMiddleware chose is still active.
    """
    error = sys.exc_info()[1]
    if not isinstance(error, (OperationalError, InterfaceError)):
        return defaults.server_error(request)
    body = loader.get_template("503.html").render()
    response = HttpResponse(body, status=503)
    response["Retry-After"] = str(DATABASE_RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    return response


class PasswordResetView(auth_views.PasswordResetView):
    """Django's password reset, with links to SITE_URL and limits against spamming.

    An address gets at most PASSWORD_RESETS_PER_EMAIL e-mails an hour: over
    that, the form still says "sent" and sends nothing, so it never tells
    whether an address has an account. A client address sending more than
    PASSWORD_RESETS_PER_CLIENT requests an hour is asked to wait (429).
    """

    def post(self, request, *args, **kwargs):
        allowed, retry_after = rate_limit_hit(
            "password-reset-client",
            client_address(request),
            limit=PASSWORD_RESETS_PER_CLIENT,
            window_seconds=PASSWORD_RESET_WINDOW_SECONDS,
        )
        if not allowed:
            response = render(
                request,
                "registration/password_reset_limited.html",
                {"minutes": max(1, retry_after // 60)},
                status=429,
            )
            response["Retry-After"] = str(retry_after)
            return response
        return super().post(request, *args, **kwargs)

    def form_valid(self, form):
        email = form.cleaned_data["email"].strip().lower()
        allowed, _retry_after = rate_limit_hit(
            "password-reset-email",
            hashlib.sha256(email.encode()).hexdigest(),
            limit=PASSWORD_RESETS_PER_EMAIL,
            window_seconds=PASSWORD_RESET_WINDOW_SECONDS,
        )
        if not allowed:
            return HttpResponseRedirect(self.get_success_url())
        self.extra_email_context = {"site_url": settings.SITE_URL.rstrip("/")}
        return super().form_valid(form)
