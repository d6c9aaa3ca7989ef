import re

import pytest

pytestmark = pytest.mark.django_db


def test_home_shows_counts_newest_laureates_and_entry_points(client, catalogue):
    response = client.get("/")
    html = response.content.decode()

    assert response.context["counts"] == {
        "practices": 81,
        "organisations": 126,
        "countries": 18,
        "competitions": 2,
    }
    assert len(response.context["newest"]) == 6
    assert all(e.status == "laureate" for e in response.context["laureates"])
    assert 'href="/praktyki/?type=it"' in html
    assert 'href="/praktyki/?country=UA"' in html


def test_home_query_count_is_fixed(client, catalogue, django_assert_num_queries):
    # vocabulary ×3, facets, newest, laureates, organisation and competition counts
    with django_assert_num_queries(8):
        client.get("/")


def chart_rows(html: str, chart_id: str) -> list[tuple[str, int, int]]:
    """(label, bar width in %, value) of each row of an overview chart, as the page has them."""
    chart = html.split(f'<ol class="bars" id="{chart_id}">', 1)[1].split("</ol>", 1)[0]
    found = re.findall(
        r'bars__label">([^<]*)</span>.*?width="(\d+)%".*?bars__value">(\d+)<', chart, re.S
    )
    return [(label, int(width), int(value)) for label, width, value in found]


def test_overview_has_charts_with_text_alternatives_and_a_map(client, catalogue):
    response = client.get("/przeglad/")
    html = response.content.decode()

    # Labels and values are the page's text (they read at the reader's text size on a
    # phone); only the bars are drawn, the largest at 85% of the line.
    assert chart_rows(html, "chart-type") == [
        ("Proceduralne", 3, 1),
        ("Inwestycyjne", 6, 2),
        ("IT", 28, 10),
        ("Społeczne", 54, 19),
        ("Organizacyjne", 14, 5),
        ("Promocyjne", 40, 14),
        ("Projektowe", 85, 30),
    ]
    assert chart_rows(html, "chart-country")[0] == ("Polska", 85, 72)
    assert "<text" not in html.split('id="chart-type-caption"', 1)[1]  # no SVG text in charts
    assert "Dane wykresu w tabeli" in html
    assert 'aria-label="PL – Polska: 72"' in html  # starts with the code the tile shows


@pytest.mark.parametrize("path", ["/otwarte-dane/", "/deklaracja-dostepnosci/", "/o-katalogu/"])
def test_static_pages_answer(client, path):
    response = client.get(path)

    assert response.status_code == 200
    assert "<h1>" in response.content.decode()


def test_open_data_page_documents_every_export_field(client):
    from catalogue.exports import EXPORT_FIELDS

    html = client.get("/otwarte-dane/").content.decode()

    assert all(f"<code>{name}</code>" in html for name, _ in EXPORT_FIELDS)


def test_unknown_page_is_a_friendly_404(client):
    response = client.get("/nie-ma-takiej-strony/")

    assert response.status_code == 404
    assert "Nie ma takiej strony" in response.content.decode()


def test_robots_txt_points_at_the_sitemap(client, settings):
    settings.SITE_URL = "https://katalog.example.org"  # never the request's host
    body = client.get("/robots.txt").content.decode()

    assert "Disallow: /admin/" in body
    assert "Sitemap: https://katalog.example.org/sitemap.xml" in body


def test_sitemap_lists_practices_with_language_alternates(client, catalogue, settings):
    settings.SITE_URL = "https://katalog.example.org"  # never the request's host
    body = client.get("/sitemap.xml").content.decode()

    practice = "https://katalog.example.org/praktyki/gdynia-gdynskie-centrum-kontaktu/"
    assert f"<loc>{practice}</loc>" in body
    assert 'hreflang="en"' in body
    assert body.count("<url>") > 81 * 2


def test_sitemap_gives_every_page_in_polish_english_and_ukrainian(client, catalogue, settings):
    settings.SITE_URL = "https://katalog.example.org"
    body = client.get("/sitemap.xml").content.decode()

    ukrainian = "https://katalog.example.org/uk/practices/gdynia-gdynskie-centrum-kontaktu/"
    assert f"<loc>{ukrainian}</loc>" in body
    assert f'<xhtml:link rel="alternate" hreflang="uk" href="{ukrainian}"/>' in body
    assert body.count("<url>") > 81 * 3


def test_page_gives_its_absolute_address_in_every_language(client, catalogue, settings):
    settings.SITE_URL = "https://katalog.example.org"
    body = client.get("/uk/practices/").content.decode()

    for language, path in [
        ("pl", "/praktyki/"),
        ("en", "/en/practices/"),
        ("uk", "/uk/practices/"),
        ("x-default", "/praktyki/"),
    ]:
        link = (
            f'<link rel="alternate" hreflang="{language}" href="https://katalog.example.org{path}">'
        )
        assert link in body
