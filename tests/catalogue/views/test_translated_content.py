"""Content in the reader's language, or the original marked as such: never mislabelled."""

import re

import pytest
from django.urls import reverse
from django.utils import translation

from tests.factories import PracticeFactory

pytestmark = pytest.mark.django_db


def english(name: str, **kwargs) -> str:
    with translation.override("en"):
        return reverse(name, **kwargs)


def note(msgid: str, language: str) -> str:
    with translation.override(language):
        return translation.gettext(msgid)


def test_untranslated_practice_on_english_page_is_marked_polish(client):
    practice = PracticeFactory(title="Szkoła bez barier", summary="Uczniowie projektują boisko.")
    html = client.get(english("practices:practice-detail", kwargs={"slug": practice.slug})).content
    html = html.decode()
    assert '<h1 lang="pl">Szkoła bez barier</h1>' in html
    assert '<p class="lead" lang="pl">Uczniowie projektują boisko.</p>' in html
    assert note("Tekst w języku polskim", "en") in html
    # The <title> has no markup: just the text.
    assert "<title>Szkoła bez barier" in html


def test_translated_practice_on_english_page_is_marked_editorial(client):
    practice = PracticeFactory(
        title="Szkoła bez barier",
        title_en="A school without barriers",
        summary="Uczniowie projektują boisko.",
        summary_en="Pupils design their playground.",
    )
    html = client.get(english("practices:practice-detail", kwargs={"slug": practice.slug})).content
    html = html.decode()
    assert "<h1>A school without barriers</h1>" in html
    assert '<p class="lead">Pupils design their playground.</p>' in html
    assert note("Tłumaczenie redakcji", "en") in html
    assert note("Tekst w języku polskim", "en") not in html
    assert 'og:title" content="A school without barriers"' in html


def test_polish_page_shows_the_original_without_notes(client):
    practice = PracticeFactory(title="Szkoła bez barier", title_en="A school without barriers")
    with translation.override("pl"):
        url = practice.get_absolute_url()
    html = client.get(url).content.decode()
    assert "<h1>Szkoła bez barier</h1>" in html
    assert "A school without barriers" not in html
    assert 'class="lang-note' not in html


def test_english_cards_mark_each_untranslated_title(client):
    PracticeFactory(title="Rowery miejskie", title_en="City bikes")
    PracticeFactory(title="Szkoła bez barier")
    html = client.get(english("practices:practice-list")).content.decode()
    assert re.search(r'<a href="[^"]+">City bikes</a>', html)
    assert re.search(r'<a href="[^"]+" lang="pl">Szkoła bez barier</a>', html)


def test_english_list_reads_translations_without_extra_queries(
    client, django_assert_max_num_queries
):
    for n in range(3):
        PracticeFactory(title=f"Praktyka {n}", title_en=f"Practice {n}", summary_en="Summary")
    url = english("practices:practice-list")
    client.get(url)  # warm the vocabulary and the page's caches
    with django_assert_max_num_queries(12):
        html = client.get(url, {"sort": "title"}).content.decode()
    assert "Practice 2" in html
