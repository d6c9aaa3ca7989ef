"""Site-wide views that show no catalogue data: fixed pages, robots.txt, the health
check, and the password reset by e-mail."""

import hashlib
import json

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.core.cache import cache
from django.db import connection
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET
from django.views.generic import TemplateView

from core.pagecache import cache_public_page
from core.ratelimit import client_address, rate_limit_hit

# Password reset e-mails: at most this many to one address, and this many requests
# from one client address, per hour. The form answers the same way whether or not
# an address has an account, and whether or not its e-mail went out.
PASSWORD_RESETS_PER_EMAIL = 3
PASSWORD_RESETS_PER_CLIENT = 20
PASSWORD_RESET_WINDOW_SECONDS = 3600


@method_decorator(cache_public_page, name="dispatch")
class StaticPageView(TemplateView):
    """A page of fixed text (accessibility statement, about)."""


@require_GET
@cache_control(max_age=86400, public=True)
def robots_txt(request):
    sitemap = request.build_absolute_uri(reverse("sitemap"))
    lines = [
        "User-agent: *",
        "Disallow: /admin/",
        "Disallow: /en/admin/",
        "Disallow: /*?*page=",
        f"Sitemap: {sitemap}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")


@require_GET
def healthz(request):
    """For the load balancer: 200 when the database and the cache answer, else 503."""
    checks = {}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
        checks["database"] = "ok"
    except Exception as error:
        checks["database"] = f"error: {type(error).__name__}"
    try:
        cache.set("healthz", "ok", 10)
        checks["cache"] = "ok" if cache.get("healthz") == "ok" else "error: no round trip"
    except Exception as error:
        checks["cache"] = f"error: {type(error).__name__}"
    healthy = all(value == "ok" for value in checks.values())
    response = HttpResponse(
        json.dumps({"status": "ok" if healthy else "error", **checks}),
        content_type="application/json",
        status=200 if healthy else 503,
    )
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
