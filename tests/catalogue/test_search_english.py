"""Search in the reader's language: on the English pages English words find the editorial
translations (Snowball English stems), and a match in English ranks first; the Polish
search sees the same document as before."""

import pytest
from django.urls import reverse
from django.utils import translation

from catalogue.search import practice_search
from practices.models import Practice
from tests.factories import PracticeFactory

pytestmark = pytest.mark.django_db


def found(query: str, language: str) -> list[str]:
    results = practice_search(Practice.objects.published(), query=query, language=language)
    return list(results.order_by("-rank", "id").values_list("slug", flat=True))


@pytest.fixture
def translated_practices(db):
    PracticeFactory(
        slug="szkoly",
        title="Zdalne lekcje w szkołach podstawowych",
        title_en="Remote lessons in primary schools",
    )
    PracticeFactory(
        slug="maseczki",
        title="Szycie maseczek",
        summary="Mieszkańcy uszyli tysiące maseczek ochronnych.",
        summary_en="Residents sewed thousands of protective masks.",
    )
    PracticeFactory(
        slug="seniorzy",
        title="Telefon dla seniora",
        description="Wolontariusze dzwonią do osób starszych.",
        description_en="Volunteers call elderly people who live alone.",
    )
    PracticeFactory(
        slug="rolnicy",
        title="Targ online",
        summary_en="A platform where farmers sell food directly.",
    )
    PracticeFactory(slug="bez-tlumaczenia", title="Szkoła bez barier")


@pytest.mark.parametrize(
    ("query", "slug"),
    [
        ("schools", "szkoly"),
        ("school", "szkoly"),
        ("masks", "maseczki"),
        ("mask", "maseczki"),
        ("elderly", "seniorzy"),
        ("farmers", "rolnicy"),
        ("farmer", "rolnicy"),
    ],
)
def test_english_words_find_english_translations(translated_practices, query, slug):
    assert found(query, "en") == [slug]


def test_english_stop_words_do_not_rule_out_practices(translated_practices):
    assert found("masks for the residents", "en") == ["maseczki"]


def test_polish_words_still_find_on_english_pages(translated_practices):
    assert set(found("szkoła", "en")) == {"szkoly", "bez-tlumaczenia"}


def test_polish_search_does_not_see_english_translations(translated_practices):
    # The English terms are prefixed: a Polish query matches the Polish text only.
    assert found("schools", "pl") == []
    assert found("farmers", "pl") == []
    assert set(found("szkoła", "pl")) == {"szkoly", "bez-tlumaczenia"}


def test_match_in_english_ranks_above_match_in_polish_only(db):
    PracticeFactory(slug="polski-tytul", title="Festiwal Bikes and Beats")
    PracticeFactory(slug="angielski-tytul", title="Rowery miejskie", title_en="City bikes")
    assert found("bikes", "en") == ["angielski-tytul", "polski-tytul"]


def test_search_language_follows_the_page(translated_practices):
    with translation.override("en"):
        on_english_page = list(
            practice_search(Practice.objects.published(), query="masks").values_list(
                "slug", flat=True
            )
        )
    with translation.override("pl"):
        on_polish_page = list(
            practice_search(Practice.objects.published(), query="masks").values_list(
                "slug", flat=True
            )
        )
    assert on_english_page == ["maseczki"]
    assert on_polish_page == []


def test_english_list_page_finds_and_shows_the_translation(client, translated_practices):
    with translation.override("en"):
        url = reverse("practices:practice-list")
    html = client.get(url, {"q": "schools"}).content.decode()
    assert "Remote lessons in primary schools" in html
    assert "Zdalne lekcje" not in html


@pytest.mark.parametrize(
    ("query", "slug"),
    [
        ("schools", "kijow-symulator-dom-dobrodzieja"),
        ("masks", "muratpasa-dystrybucja-masek-ochronnych"),
        ("elderly", "gdynia-cas-wsparcie-seniorow"),
        ("farmers", "tarnopol-open-market"),
    ],
)
def test_real_catalogue_answers_english_queries(catalogue, query, slug):
    """Needs the English titles and summaries of the real catalogue's fixtures."""
    assert slug in found(query, "en")
