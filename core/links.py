"""Absolute addresses of the site's pages, from SITE_URL alone.

Pages, feeds, sitemaps, exports and e-mails that name the site's own address
take it from the SITE_URL setting, never from the request: the Host header is
the client's to choose (any name in ALLOWED_HOSTS passes), and a cached page
would repeat one client's choice to everyone.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from urllib.parse import urlsplit

from django.conf import settings
from django.urls import get_script_prefix, reverse
from django.utils.translation import get_language, override


def site_origin() -> str:
    """SITE_URL's scheme and host, e.g. `https://katalog.example.org` (no slash)."""
    parts = urlsplit(settings.SITE_URL)
    return f"{parts.scheme}://{parts.netloc}"


def absolute_url(path: str) -> str:
    """The absolute address of `path`, an address from reverse() or get_absolute_url()
    (which already holds any script prefix): SITE_URL's scheme and host before it."""
    return site_origin() + "/" + path.lstrip("/")


# The address of a page named by a slug, per view, language and script prefix: reverse()
# walks the URL patterns each time (about forty times on a catalogue page: its cards, its
# links), and what it builds differs between two slugs only in the slug.
_SLUG_MARK = "0-slug-0"
_SLUG = re.compile(r"[-a-zA-Z0-9_]+")  # Django's `slug` path converter
_slug_addresses: dict[tuple[str, str | None, str], tuple[str, str]] = {}


def slug_url(viewname: str, slug: str, language: str | None = None) -> str:
    """reverse(viewname, kwargs={"slug": slug}), for URL patterns with `<slug:slug>`, in
    the active language or `language`."""
    return slug_urls(viewname, language)(slug)


def slug_urls(viewname: str, language: str | None = None) -> Callable[[str], str]:
    """slug_url(viewname, …, language) for many slugs: the language and the script prefix
    are looked up once, not for each (each lookup is a context-local read, about 2 µs;
    the cards of a catalogue page are twenty addresses)."""
    language = language or get_language()
    key = (viewname, language, get_script_prefix())
    parts = _slug_addresses.get(key)
    if parts is None:
        with override(language):
            address = reverse(viewname, kwargs={"slug": _SLUG_MARK})
        before, _mark, after = address.rpartition(_SLUG_MARK)
        parts = _slug_addresses[key] = (before, after)
    before, after = parts

    def address(slug: str) -> str:
        if not _SLUG.fullmatch(slug):
            with override(language):
                return reverse(viewname, kwargs={"slug": slug})  # refuses it as reverse() does
        return before + slug + after

    return address


# The address of a page without arguments (the header's, the footer's), per view,
# language and script prefix: a page names about twenty, each a walk of the URL patterns.
_page_addresses: dict[tuple[str, str | None, str], str] = {}


def page_url(viewname: str, language: str | None = None) -> str:
    """reverse(viewname), for URL patterns without arguments, in the active language or
    `language`."""
    key = (viewname, language or get_language(), get_script_prefix())
    address = _page_addresses.get(key)
    if address is None:
        with override(key[1]):
            address = _page_addresses[key] = reverse(viewname)
    return address
