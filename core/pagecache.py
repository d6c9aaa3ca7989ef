"""Whole-page caching for anonymous visitors, invalidated by a catalogue version.

Every public page depends on the catalogue's data. Rather than track which
page shows which row, the cache keys carry a *catalogue version*: one integer
in the shared cache, bumped by any write to the catalogue (signals, and the
services that write with raw SQL). A bump makes every cached page unreachable
at once, on every app instance that shares the cache (Redis in production).

Signed-in people (editors previewing drafts) always get fresh pages.
"""

from __future__ import annotations

import hashlib
import time
from functools import wraps

from django.core.cache import cache
from django.http import HttpResponse
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.utils.http import http_date

VERSION_KEY = "catalogue:version"
PAGE_TIMEOUT = 600
BROWSER_MAX_AGE = 60


def catalogue_version() -> int:
    """The current version; created on first use (its value is when it was created)."""
    version = cache.get(VERSION_KEY)
    if version is None:
        cache.add(VERSION_KEY, int(time.time() * 1000), timeout=None)
        version = cache.get(VERSION_KEY)
    return version


def catalogue_changed(**_kwargs) -> None:
    """Call after any write the public pages show (signals call it for model saves).

    The new version is the current time in milliseconds, so it also serves as
    the pages' Last-Modified; `incr` keeps concurrent bumps from colliding.
    """
    now = int(time.time() * 1000)
    current = cache.get(VERSION_KEY)
    if current is None or current < now:
        cache.set(VERSION_KEY, now, timeout=None)
    else:
        try:
            cache.incr(VERSION_KEY)
        except ValueError:
            cache.set(VERSION_KEY, now, timeout=None)


def versioned_key(*parts: str) -> str:
    raw = "|".join(str(part) for part in parts)
    return f"v{catalogue_version()}:" + hashlib.sha256(raw.encode()).hexdigest()


def cache_public_page(view):
    """Serve and store the page in the shared cache for anonymous GET requests.

    A stored page is (catalogue version, status, headers, body) under a key made
    from the URL alone, and is read together with the current version in one
    round trip (MGET): it is served only when the two versions match, so a bump
    still retires every page at once, on every instance.

    Adds Cache-Control (public, short max-age), Last-Modified (the catalogue
    version) and an ETag, so browsers and proxies revalidate cheaply; Django's
    ConditionalGetMiddleware answers 304 when they match.
    """

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        personal = request.user.is_authenticated or "messages" in request.COOKIES
        if request.method not in ("GET", "HEAD") or personal:
            response = view(request, *args, **kwargs)
            patch_cache_control(response, private=True, no_cache=True)
            return response
        key = "page:" + hashlib.sha256(request.get_full_path().encode()).hexdigest()
        found = cache.get_many([VERSION_KEY, key])
        version = found.get(VERSION_KEY)
        stored = found.get(key)
        if version is None:
            version = catalogue_version()
        elif stored is not None and stored[0] == version:
            _version, status, headers, content = stored
            return HttpResponse(content, status=status, headers=headers)
        response = view(request, *args, **kwargs)
        if hasattr(response, "render") and callable(response.render):
            response = response.render()
        if response.status_code == 200 and not response.streaming and not response.cookies:
            digest = hashlib.md5(response.content, usedforsecurity=False).hexdigest()
            response["ETag"] = f'"{digest}"'
            response["Last-Modified"] = http_date(version / 1000)
            patch_cache_control(response, public=True, max_age=BROWSER_MAX_AGE)
            patch_vary_headers(response, ["Cookie"])
            stored = (version, response.status_code, dict(response.items()), response.content)
            cache.set(key, stored, PAGE_TIMEOUT)
        return response

    return wrapper
