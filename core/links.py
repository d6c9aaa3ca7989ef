"""Absolute addresses of the site's pages, from SITE_URL alone.

Pages, feeds, sitemaps, exports and e-mails that name the site's own address
take it from the SITE_URL setting, never from the request: the Host header is
the client's to choose (any name in ALLOWED_HOSTS passes), and a cached page
would repeat one client's choice to everyone.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from django.conf import settings


def site_origin() -> str:
    """SITE_URL's scheme and host, e.g. `https://katalog.example.org` (no slash)."""
    parts = urlsplit(settings.SITE_URL)
    return f"{parts.scheme}://{parts.netloc}"


def absolute_url(path: str) -> str:
    """The absolute address of `path`, an address from reverse() or get_absolute_url()
    (which already holds any script prefix): SITE_URL's scheme and host before it."""
    return site_origin() + "/" + path.lstrip("/")
