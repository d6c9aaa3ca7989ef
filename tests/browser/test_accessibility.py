"""Every kind of page passes axe-core with no violations, in Polish, English and Ukrainian.

axe runs every rule it runs by default (WCAG 2.0/2.1 A and AA and its best
practices) on the page as the browser shows it, scripts included.
"""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import PHONE, assert_no_axe_violations

# (name, Polish address, English address, HTTP status); the Ukrainian address is the
# English one under /uk/ (the URL paths are English in both).
PAGES = [
    ("home", "/", "/en/", 200),
    ("practice-list", "/praktyki/", "/en/practices/", 200),
    ("practice-list-page-2", "/praktyki/?page=2", "/en/practices/?page=2", 200),
    (
        "practice-list-filtered",
        "/praktyki/?type=social&country=PL&award=distinction&year_from=2015",
        "/en/practices/?type=social&country=PL&award=distinction&year_from=2015",
        200,
    ),
    (
        # Every filter group open (each has a choice), the range fields filled in,
        # and no practice left: the "nothing found" notice.
        "practice-list-every-filter-no-results",
        "/praktyki/?type=it&country=UA&topic=seniorzy&org_kind=city&region=Antalya"
        "&award=winner&edition=samorzadowy-lider-zarzadzania-2022"
        "&year_from=2000&year_to=2030&value_min=1&value_max=1000000&currency=PLN",
        "/en/practices/?type=it&country=UA&topic=seniorzy&org_kind=city&region=Antalya"
        "&award=winner&edition=samorzadowy-lider-zarzadzania-2022"
        "&year_from=2000&year_to=2030&value_min=1&value_max=1000000&currency=PLN",
        200,
    ),
    (
        "practice-list-search-highlighted",
        "/praktyki/?q=szkoły&type=it",
        "/en/practices/?q=szkoły&type=it",
        200,
    ),
    (
        "practice-list-invalid-address",
        "/praktyki/?year_from=abc&type=no-such-type&page=99",
        "/en/practices/?year_from=abc&type=no-such-type&page=99",
        200,
    ),
    (
        "practice",
        "/praktyki/gdynia-gdynskie-centrum-kontaktu/",
        "/en/practices/gdynia-gdynskie-centrum-kontaktu/",
        200,
    ),
    (
        "practice-awarded",
        "/praktyki/kijow-symulator-dom-dobrodzieja/",
        "/en/practices/kijow-symulator-dom-dobrodzieja/",
        200,
    ),
    ("organisation-list", "/organizacje/", "/en/organisations/", 200),
    (
        "organisation",
        "/organizacje/zwiazek-miast-polskich/",
        "/en/organisations/zwiazek-miast-polskich/",
        200,
    ),
    ("competition-list", "/konkursy/", "/en/competitions/", 200),
    (
        "competition",
        "/konkursy/konkurs-dobrych-praktyk-kongresu/",
        "/en/competitions/konkurs-dobrych-praktyk-kongresu/",
        200,
    ),
    (
        "edition-konkurs-2020",
        "/konkursy/konkurs-dobrych-praktyk-kongresu/2020/",
        "/en/competitions/konkurs-dobrych-praktyk-kongresu/2020/",
        200,
    ),
    (
        "edition-lider-2022",
        "/konkursy/samorzadowy-lider-zarzadzania/2022/",
        "/en/competitions/samorzadowy-lider-zarzadzania/2022/",
        200,
    ),
    ("overview", "/przeglad/", "/en/overview/", 200),
    ("open-data", "/otwarte-dane/", "/en/open-data/", 200),
    ("accessibility-statement", "/deklaracja-dostepnosci/", "/en/accessibility/", 200),
    ("privacy-notice", "/ochrona-danych/", "/en/privacy/", 200),
    ("contact", "/kontakt/", "/en/contact/", 200),
    ("about", "/o-katalogu/", "/en/about/", 200),
    ("sign-in", "/konto/logowanie/", "/en/account/sign-in/", 200),
    ("password-reset", "/konto/haslo/reset/", "/en/account/password/reset/", 200),
    ("password-reset-sent", "/konto/haslo/reset/wyslano/", "/en/account/password/reset/sent/", 200),
    ("not-found", "/nie-ma-takiej-strony/", "/en/no-such-page/", 404),
]

LANGUAGES = ["pl", "en", "uk"]


def _address(polish: str, english: str, language: str) -> str:
    if language == "uk":
        return "/uk/" + english.removeprefix("/en/")
    return polish if language == "pl" else english


def _open(page, url: str, language: str, status: int = 200) -> None:
    response = page.goto(url)
    assert response is not None and response.status == status, (url, response and response.status)
    # The page really is in the language asked for (not a fallback to Polish).
    expect(page.locator("html")).to_have_attribute("lang", language)


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize(
    ("polish", "english", "status"),
    [pytest.param(pl, en, status, id=name) for name, pl, en, status in PAGES],
)
def test_page_has_no_axe_violations(site, page, language, polish, english, status):
    _open(page, site + _address(polish, english, language), language, status)

    assert_no_axe_violations(page)


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize(
    ("polish", "english"),
    [
        pytest.param("/praktyki/?q=szkoły", "/en/practices/?q=szkoły", id="practice-list"),
        pytest.param(
            "/praktyki/kijow-symulator-dom-dobrodzieja/",
            "/en/practices/kijow-symulator-dom-dobrodzieja/",
            id="practice",
        ),
    ],
)
def test_page_on_a_phone_has_no_axe_violations(site, new_context, language, polish, english):
    page = new_context(viewport=PHONE, is_mobile=True, has_touch=True).new_page()
    _open(page, site + _address(polish, english, language), language)

    assert_no_axe_violations(page)


@pytest.mark.parametrize("language", LANGUAGES)
def test_practice_list_on_a_phone_with_filters_unfolded_has_no_axe_violations(
    site, new_context, language
):
    page = new_context(viewport=PHONE, is_mobile=True, has_touch=True).new_page()
    _open(page, site + _address("/praktyki/", "/en/practices/", language), language)
    toggle = page.locator("details.filters-toggle")
    # The filters are served folded, so that on a phone the results come first.
    expect(toggle).to_have_js_property("open", False)

    toggle.locator("summary").first.tap()

    expect(toggle).to_have_js_property("open", True)
    expect(page.locator("#filters")).to_be_visible()
    assert_no_axe_violations(page)


@pytest.mark.parametrize(
    ("language", "address", "type_group", "it_type", "results"),
    [
        pytest.param(
            "pl", "/praktyki/", "Typ praktyki", "IT", re.compile(r"^\d+ praktyk[ai]?$"), id="pl"
        ),
        pytest.param(
            "en",
            "/en/practices/",
            "Type of practice",
            "IT",
            re.compile(r"^\d+ practices?$"),
            id="en",
        ),
        pytest.param(
            "uk",
            "/uk/practices/",
            "Тип практики",
            "(?:IT|ІТ)",  # the type's Ukrainian name, or its Polish original until it has one
            re.compile(r"^\d+ практик[аи]?$"),
            id="uk",
        ),
    ],
)
def test_practice_list_updated_in_place_has_no_axe_violations(
    site, page, language, address, type_group, it_type, results
):
    _open(page, site + address, language)
    heading = page.locator("#results-count")
    before = heading.inner_text()

    it_option = re.compile(rf"^{it_type} \(\d+\)$")
    page.get_by_role("group", name=type_group).get_by_label(it_option).check()

    # The script swapped in the new results: the count changed, the page stayed.
    expect(heading).not_to_have_text(before)
    expect(heading).to_have_text(results)
    expect(page.locator("#results")).not_to_have_attribute("aria-busy", "true")
    assert_no_axe_violations(page)
