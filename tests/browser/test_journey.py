"""The user journey of the issue: search, narrow down with two filters, open the one
practice left, read it, and switch to English, with and without JavaScript."""

import re
from urllib.parse import parse_qs, urlsplit

import pytest
from playwright.sync_api import expect

SLUG = "kijow-symulator-dom-dobrodzieja"
TITLE = "Online Symulator „Dom dobrodzieja” (Online Simulator «House of Integrity»)"
TITLE_EN = "Online Simulator «House of Integrity»"  # the fixtures' editorial translation


def _query(url: str) -> dict[str, list[str]]:
    return parse_qs(urlsplit(url).query)


@pytest.mark.parametrize("javascript", [True, False], ids=["with-javascript", "without-javascript"])
def test_journey_search_filter_open_and_switch_to_english(site, new_context, javascript):
    page = new_context(java_script_enabled=javascript).new_page()
    page.goto(f"{site}/praktyki/")
    expect(page.locator("html")).to_have_attribute("lang", "pl")

    # Search.
    search = page.get_by_role("searchbox", name="Szukaj w katalogu")
    search.fill("szkoły")
    search.press("Enter")
    page.wait_for_url(lambda url: _query(url).get("q") == ["szkoły"])
    expect(page.get_by_role("link", name="Szukaj: „szkoły” – usuń ten filtr")).to_be_visible()

    # Filter by type and country, ticking the boxes by their labels.
    if javascript:
        page.evaluate("window.stillTheSamePage = true")
    it = page.get_by_role("group", name="Typ praktyki").get_by_label(re.compile(r"^IT \(\d+\)$"))
    ukraine = page.get_by_role("group", name="Kraj").get_by_label(re.compile(r"^Ukraina \(\d+\)$"))
    it.check()
    ukraine.check()
    if javascript:
        # The script fetches the results in place and records them in the address.
        expect(page).to_have_url(re.compile(r"[?&]country=UA(&|$)"))
    else:
        page.get_by_role("button", name="Zastosuj filtry").click()
    page.wait_for_url(
        lambda url: (
            (query := _query(url)).get("q") == ["szkoły"]
            and query.get("type") == ["it"]
            and query.get("country") == ["UA"]
        )
    )

    results = page.locator("#results")
    expect(results.locator("#results-count")).to_have_text("1 praktyka")
    expect(results).not_to_have_attribute("aria-busy", "true")
    cards = results.locator("ol.cards > li")
    expect(cards).to_have_count(1)
    expect(cards.get_by_role("heading", level=3)).to_have_text(TITLE)
    expect(cards.locator("mark")).to_have_text(["szkół"])
    expect(it).to_be_checked()
    expect(ukraine).to_be_checked()
    expect(search).to_have_value("szkoły")
    if javascript:
        assert page.evaluate("window.stillTheSamePage") is True, "the page was reloaded"

    # Open the practice.
    cards.get_by_role("link", name=TITLE).click()
    page.wait_for_url(f"{site}/praktyki/{SLUG}/")
    expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)
    facts = page.get_by_role("complementary", name="W skrócie")
    expect(facts.locator("dt:text-is('Lider') + dd")).to_have_text(
        "Młodzieżowa Aglomeracja Kijowa, Ukraina"
    )
    expect(facts.get_by_role("link", name="Młodzieżowa Aglomeracja Kijowa")).to_have_attribute(
        "href", "/organizacje/mlodziezowa-aglomeracja-kijowa/"
    )
    expect(page.get_by_role("heading", level=2, name="Nagrody i wyróżnienia")).to_be_visible()
    expect(page.locator(".award-list > li")).to_have_text(
        ["Zwycięzca Konkurs Dobrych Praktyk 2020, kategoria Edukacja Laureat – 1. miejsce"]
    )
    expect(page.get_by_role("link", name="Konkurs Dobrych Praktyk 2020")).to_have_attribute(
        "href", "/konkursy/konkurs-dobrych-praktyk-kongresu/2020/"
    )

    # Switch to English with the link in the header.
    page.locator(".language-switch").get_by_role("link", name="English").click()
    page.wait_for_url(f"{site}/en/practices/{SLUG}/")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("heading", level=1)).to_have_text(TITLE_EN)
    expect(page.get_by_text("Editorial translation").first).to_be_visible()
    expect(page.get_by_role("heading", level=2, name="At a glance")).to_be_visible()
    expect(page.get_by_role("heading", level=2, name="Awards and special mentions")).to_be_visible()
    expect(page.locator(".award-list strong")).to_have_text(["Winner"])
    # The other two languages are links; English, the current one, is not.
    expect(page.locator(".language-switch").get_by_role("link")).to_have_text(
        ["Polski – wersja polska", "Українська – українська версія"]
    )
