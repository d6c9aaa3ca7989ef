"""Addresses of slug-named pages and of pages without arguments, as reverse() gives them,
without its walk each time."""

import pytest
from django.urls import NoReverseMatch, reverse, set_script_prefix
from django.utils import translation

from core.links import page_url, slug_url, slug_urls

VIEWS = ["practices:practice-detail", "organisations:organisation-detail"]


@pytest.mark.parametrize("viewname", VIEWS)
@pytest.mark.parametrize("language", ["pl", "en", "uk"])
def test_slug_url_is_what_reverse_gives_in_every_language(viewname, language):
    with translation.override(language):
        for slug in ["gmina-wolow", "a", "x_1-2", "0-slug-0"]:
            assert slug_url(viewname, slug) == reverse(viewname, kwargs={"slug": slug})


@pytest.mark.parametrize("language", ["pl", "en", "uk"])
def test_slug_urls_name_each_slug_in_the_language_given(language):
    """The cards' form: one view and language for many slugs, whatever language is active."""
    addresses = slug_urls(VIEWS[0], language)
    with translation.override(language):
        expected = [reverse(VIEWS[0], kwargs={"slug": s}) for s in ["gmina-wolow", "a", "x_1"]]
    with translation.override("pl" if language != "pl" else "en"):
        assert [addresses(slug) for slug in ["gmina-wolow", "a", "x_1"]] == expected
        with pytest.raises(NoReverseMatch):
            addresses("a/b")


def test_slug_url_follows_the_script_prefix():
    """A site served under a path (SCRIPT_NAME) gets it in every address."""
    try:
        set_script_prefix("/katalog/")
        assert slug_url(VIEWS[0], "gmina-wolow") == "/katalog/praktyki/gmina-wolow/"
    finally:
        set_script_prefix("/")
    assert slug_url(VIEWS[0], "gmina-wolow") == "/praktyki/gmina-wolow/"


@pytest.mark.parametrize("slug", ["", "zażółć", "a/b", "a b", "../admin"])
def test_slug_url_refuses_what_reverse_refuses(slug):
    with pytest.raises(NoReverseMatch):
        slug_url(VIEWS[0], slug)


@pytest.mark.parametrize("language", ["pl", "en", "uk"])
@pytest.mark.parametrize(
    "viewname", ["catalogue:home", "practices:practice-list", "core:privacy", "logout"]
)
def test_page_url_is_reverse_in_every_language(viewname, language):
    with translation.override(language):
        assert page_url(viewname) == reverse(viewname)


def test_page_url_keeps_the_script_prefix():
    set_script_prefix("/katalog/")
    try:
        assert page_url("practices:practice-list") == "/katalog/praktyki/"
    finally:
        set_script_prefix("/")
    assert page_url("practices:practice-list") == "/praktyki/"
