"""Whole-page caching for anonymous visitors, invalidated by a catalogue version.

Every public page depends on the catalogue's data. Rather than track which
page shows which row, the cache keys carry a *catalogue version*: one integer
in the shared cache, bumped by any write to the catalogue (signals, and the
services that write with raw SQL). A bump makes every cached page unreachable
at once, on every app instance that shares the cache (Redis in production).

Pages are kept in two tiers: the shared cache, and each process's memory
(the `pages` cache, bounded). A process trusts the version it last read for
CATALOGUE_VERSION_RECHECK_SECONDS (default 1 s); within that window a page it
already holds is served from its own memory, without a round trip to Redis.
A write in the same process forgets the version at once; another instance's
write reaches this one within the window, far inside the minute that browsers
and proxies may keep a page anyway (Cache-Control: max-age=60).

Signed-in people (editors previewing drafts) always get fresh pages.
"""

from __future__ import annotations

import hashlib
import time
from functools import wraps

from django.conf import settings
from django.core.cache import cache, caches
from django.http import HttpResponse
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.utils.http import http_date

VERSION_KEY = "catalogue:version"
PAGE_TIMEOUT = 600
BROWSER_MAX_AGE = 60

# The catalogue version as this process last read it from the shared cache, and when.
_seen = {"version": None, "at": 0.0}


def _remember_version(version: int) -> None:
    _seen.update(version=version, at=time.monotonic())


def _recent_version() -> int | None:
    """The version read within the recheck window, if any; None means ask the shared cache."""
    window = settings.CATALOGUE_VERSION_RECHECK_SECONDS
    if _seen["version"] is not None and time.monotonic() - _seen["at"] < window:
        return _seen["version"]
    return None


def forget_local_pages() -> None:
    """Drop this process's copy of the version and of the pages (a write, or a test)."""
    _seen.update(version=None, at=0.0)
    caches["pages"].clear()


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
    forget_local_pages()
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
    from the URL alone. Within the recheck window a page this process holds for
    the version it last read is served from its memory; otherwise the page is
    read together with the current version in one round trip (MGET). A page is
    served only when its version is the current one, so a bump still retires
    every page at once, on every instance.

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
        local = caches["pages"]
        version = _recent_version()
        if version is not None:
            stored = local.get(key)
            if stored is not None and stored[0] == version:
                return _served(stored)
        found = cache.get_many([VERSION_KEY, key])
        version = found.get(VERSION_KEY)
        stored = found.get(key)
        if version is None:
            version = catalogue_version()
        elif stored is not None and stored[0] == version:
            _remember_version(version)
            local.set(key, stored, PAGE_TIMEOUT)
            return _served(stored)
        _remember_version(version)
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
            local.set(key, stored, PAGE_TIMEOUT)
        return response

    return wrapper


def _served(stored: tuple) -> HttpResponse:
    _version, status, headers, content = stored
    return HttpResponse(content, status=status, headers=headers)
