"""The voter's journey in Chromium: a code from the card, one vote in each category,
a typo forgiven, a used code refused in words; with the keyboard alone."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from competitions.enums import EditionPhase
from competitions.models import Vote
from tests.browser.conftest import assert_no_axe_violations
from tests.browser.training import training_for_browser


@pytest.fixture(scope="module")
def training(site, django_db_blocker):
    return training_for_browser(django_db_blocker, EditionPhase.PUBLIC_VOTE)


def vote_path(edition) -> str:
    return f"/konkursy/{edition.competition.slug}/{edition.year}/glosowanie/"


def typo(code: str) -> str:
    """The code with its first letter changed: what a hurried voter types."""
    first = "B" if code[0] != "B" else "C"
    return first + code[1:]


def test_a_voter_votes_in_every_category_and_the_code_is_then_spent(site, training, new_context):
    edition = training.edition
    code = training.codes[0]
    categories = list(edition.categories.order_by("order", "id"))
    page = new_context().new_page()
    page.goto(f"{site}{edition.get_absolute_url()}")
    page.get_by_role("link", name="Przejdź do głosowania").click()

    # A typo is told apart from a guess and costs nothing.
    page.get_by_label("Kod do głosowania").fill(typo(code))
    page.get_by_role("button", name="Dalej").click()
    expect(page.get_by_role("alert")).to_contain_text("Sprawdź, czy został przepisany dokładnie.")
    assert_no_axe_violations(page)
    page.get_by_label("Kod do głosowania").fill(code.lower())
    page.get_by_role("button", name="Dalej").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Karta do głosowania")
    assert_no_axe_violations(page)

    for category in categories:
        section = page.locator(f"#category-{category.pk}")
        group = section.get_by_role(
            "group", name=f"Wybierz jedną praktykę w kategorii „{category.name}”"
        )
        group.get_by_role("radio").first.check()
        section.get_by_role("button", name=f"Oddaj głos w kategorii „{category.name}”").click()
        expect(page.locator(f"#category-{category.pk}")).to_contain_text("Twój głos")

    expect(page.locator("body")).to_contain_text("Oddano głosy we wszystkich kategoriach")
    assert Vote.objects.filter(ballot__edition=edition).count() == len(categories)
    page.get_by_role("button", name="Zakończ głosowanie na tym urządzeniu").click()

    # The same code on another device: spent, said in words, no second vote.
    other = new_context().new_page()
    other.goto(f"{site}{vote_path(edition)}")
    other.get_by_label("Kod do głosowania").fill(code)
    other.get_by_role("button", name="Dalej").click()
    expect(other.get_by_role("alert")).to_contain_text(
        "Ten kod został już wykorzystany: oddano nim głos we wszystkich kategoriach."
    )
    expect(other.get_by_role("radio")).to_have_count(0)
    assert Vote.objects.filter(ballot__edition=edition).count() == len(categories)


def test_a_voter_with_the_keyboard_alone(site, training, new_context):
    edition = training.edition
    code = training.codes[1]
    first = edition.categories.order_by("order", "id").first()
    before = Vote.objects.filter(ballot__edition=edition, category=first).count()
    page = new_context().new_page()
    page.goto(f"{site}{vote_path(edition)}")

    page.get_by_label("Kod do głosowania").focus()
    page.keyboard.type(code)
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Karta do głosowania")
    section = page.locator(f"#category-{first.pk}")
    section.get_by_role("radio").first.focus()
    page.keyboard.press("Space")
    page.keyboard.press("Tab")
    expect(section.get_by_role("button")).to_be_focused()
    page.keyboard.press("Enter")

    expect(page.locator(f"#category-{first.pk}")).to_contain_text("Twój głos")
    assert Vote.objects.filter(ballot__edition=edition, category=first).count() == before + 1
