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

A page is keyed by its path and the query parameters it reads, nothing else:
each view names them (`cache_public_page(query=...)`), and before the view runs
the request's query string is cut down to them, in a normal order (names
sorted, each name's values sorted, empty values dropped). So `?utm_source=…`
or a reordered query cannot multiply the stored pages, and the page cannot
show what the key does not hold. Absolute addresses in pages come from
SITE_URL (core.links), never from the request's Host.

When the shared cache is unavailable (core.cache) pages are served from the
database, uncached. A catalogue change made meanwhile cannot bump the version;
this process remembers it and bumps the version as soon as the cache answers
again, so pages stored before the outage are not served after it.
"""

from __future__ import annotations

import hashlib
import time
from functools import wraps

from django.conf import settings
from django.core.cache import cache, caches
from django.http import HttpResponse, QueryDict
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.utils.http import http_date

from core.cache import shared_cache_down

VERSION_KEY = "catalogue:version"
PAGE_TIMEOUT = 600
BROWSER_MAX_AGE = 60

# The catalogue version as this process last read it from the shared cache, and when;
# and whether a change made while the cache was unavailable still has to bump it.
_seen = {"version": None, "at": 0.0, "unsaved_change": False}


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


def catalogue_version() -> int | None:
    """The current version; created on first use (its value is when it was created).

    None while the shared cache is unavailable: nothing keyed by the version may
    be stored or trusted then. Within the recheck window the version this process
    last read is the answer, as it is for its pages: a catalogue page asks for the
    version three times (its page, its vocabulary, its facet counts), one round trip.
    """
    _save_unsaved_change()
    recent = _recent_version()
    if recent is not None:
        return recent
    version = cache.get(VERSION_KEY)
    if version is None:
        cache.add(VERSION_KEY, int(time.time() * 1000), timeout=None)
        version = cache.get(VERSION_KEY)
    if version is not None:
        _remember_version(version)
    return version


def catalogue_changed(**_kwargs) -> None:
    """Call after any write the public pages show (signals call it for model saves).

    The new version is the current time in milliseconds, so it also serves as
    the pages' Last-Modified; `incr` keeps concurrent bumps from colliding.
    """
    forget_local_pages()
    _seen["unsaved_change"] = False
    now = int(time.time() * 1000)
    current = cache.get(VERSION_KEY)
    if current is None or current < now:
        cache.set(VERSION_KEY, now, timeout=None)
    else:
        try:
            cache.incr(VERSION_KEY)
        except ValueError:
            cache.set(VERSION_KEY, now, timeout=None)
    if shared_cache_down():
        _seen["unsaved_change"] = True


def _save_unsaved_change() -> None:
    """Bump the version for a change made while the cache was unavailable, once it answers."""
    if _seen["unsaved_change"]:
        catalogue_changed()


def versioned_key(*parts: str) -> str | None:
    """A key that a catalogue change retires; None while the shared cache is unavailable."""
    version = catalogue_version()
    if version is None:
        return None
    raw = "|".join(str(part) for part in parts)
    return f"v{version}:" + hashlib.sha256(raw.encode()).hexdigest()


def normalise_query(request, names: frozenset[str]) -> str:
    """Cut the request's query string down to `names`, in a normal order; returns it.

    The request's GET and QUERY_STRING are replaced, so the view (its filters,
    its pagination links) sees exactly what the cache key holds.
    """
    query = QueryDict(mutable=True)
    for name in sorted(names & request.GET.keys()):
        values = sorted(value for value in request.GET.getlist(name) if value != "")
        if values:
            query.setlist(name, values)
    normal = query.urlencode()
    request.META["QUERY_STRING"] = normal
    request.GET = QueryDict(normal)
    return normal


def cache_public_page(view=None, *, query: tuple[str, ...] | frozenset[str] = ()):
    """Serve and store the page in the shared cache for anonymous GET requests.

    `query` names the query parameters the view reads (none by default); any
    other is dropped from the request before the view runs (normalise_query).
    Use bare (`@cache_public_page`) or with names
    (`@cache_public_page(query=("q", "page"))`).

    A stored page is (catalogue version, status, headers, body) under a key made
    from the path and the normalised query. Within the recheck window a page this process holds for
    the version it last read is served from its memory; otherwise the page is
    read together with the current version in one round trip (MGET). A page is
    served only when its version is the current one, so a bump still retires
    every page at once, on every instance.

    Adds Cache-Control (public, short max-age), Last-Modified (the catalogue
    version) and an ETag, so browsers and proxies revalidate cheaply; Django's
    ConditionalGetMiddleware answers 304 when they match.
    """

    if view is None:
        return lambda view: cache_public_page(view, query=query)
    names = frozenset(query)

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if request.method in ("GET", "HEAD"):
            normal = normalise_query(request, names)
        personal = request.user.is_authenticated or "messages" in request.COOKIES
        if request.method not in ("GET", "HEAD") or personal:
            response = view(request, *args, **kwargs)
            patch_cache_control(response, private=True, no_cache=True)
            return response
        _save_unsaved_change()
        address = request.path + (f"?{normal}" if normal else "")
        key = "page:" + hashlib.sha256(address.encode()).hexdigest()
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
            version = catalogue_version()  # None: the shared cache is unavailable
        elif stored is not None and stored[0] == version:
            _remember_version(version)
            local.set(key, stored, PAGE_TIMEOUT)
            return _served(stored)
        if version is not None:
            _remember_version(version)
        response = view(request, *args, **kwargs)
        if hasattr(response, "render") and callable(response.render):
            response = response.render()
        if response.status_code == 200 and not response.streaming and not response.cookies:
            digest = hashlib.md5(response.content, usedforsecurity=False).hexdigest()
            response["ETag"] = f'"{digest}"'
            patch_cache_control(response, public=True, max_age=BROWSER_MAX_AGE)
            patch_vary_headers(response, ["Cookie"])
            if version is not None:  # else built from the database, and not kept
                response["Last-Modified"] = http_date(version / 1000)
                stored = (version, response.status_code, dict(response.items()), response.content)
                cache.set(key, stored, PAGE_TIMEOUT)
                local.set(key, stored, PAGE_TIMEOUT)
        return response

    return wrapper


def _served(stored: tuple) -> HttpResponse:
    _version, status, headers, content = stored
    return HttpResponse(content, status=status, headers=headers)
