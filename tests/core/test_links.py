"""Addresses of slug-named pages, as reverse() gives them, without its walk each time."""

import pytest
from django.urls import NoReverseMatch, reverse, set_script_prefix
from django.utils import translation

from core.links import slug_url

VIEWS = ["practices:practice-detail", "organisations:organisation-detail"]


@pytest.mark.parametrize("viewname", VIEWS)
@pytest.mark.parametrize("language", ["pl", "en", "uk"])
def test_slug_url_is_what_reverse_gives_in_every_language(viewname, language):
    with translation.override(language):
        for slug in ["gmina-wolow", "a", "x_1-2", "0-slug-0"]:
            assert slug_url(viewname, slug) == reverse(viewname, kwargs={"slug": slug})


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
