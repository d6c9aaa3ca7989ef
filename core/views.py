"""Site-wide views that show no catalogue data: fixed pages, robots.txt, the health check."""

import json

from django.core.cache import cache
from django.db import connection
from django.http import HttpResponse
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET
from django.views.generic import TemplateView

from core.pagecache import cache_public_page


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
