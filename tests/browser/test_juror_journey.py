"""The juror's journey in Chromium: sign in, see who is signed in and the progress per
category, score an entry on criteria of different scales, confirm the final submit,
go on to the next entry, and sign out from the page they work on."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from competitions.enums import EditionPhase
from competitions.models import JurySubmission
from tests.browser.conftest import assert_no_axe_violations
from tests.browser.training import password_of, sign_in, training_for_browser

JUROR = "szkolenie-juror-1"


@pytest.fixture(scope="module")
def training(site, django_db_blocker):
    return training_for_browser(django_db_blocker, EditionPhase.JURY_REVIEW)


def test_a_juror_scores_confirms_goes_on_and_signs_out(site, training, new_context):
    edition = training.edition
    criteria = list(edition.criteria.order_by("order", "id"))
    page = new_context().new_page()
    sign_in(page, site, JUROR, password_of(training, JUROR), "/konkursy/jury/")

    header = page.locator("header")
    expect(header).to_contain_text("Zalogowano: Szkolenie Juror 1")
    expect(header.get_by_role("button", name="Wyloguj")).to_be_visible()
    first_category = edition.categories.order_by("order", "id").first()
    expect(page.locator("main")).to_contain_text(first_category.name)
    expect(page.locator("main")).to_contain_text("0 z 3 ocenionych")
    assert_no_axe_violations(page)

    page.get_by_role("link", name=edition.name).first.click()
    page.locator("main a[href*='/zgloszenia/']").first.click()
    title = page.get_by_role("heading", level=1).inner_text()
    assert_no_axe_violations(page)
    for criterion in criteria:
        page.get_by_label(f"{criterion.name} – ocena").fill(str(criterion.scale_max))
    page.get_by_role("button", name="Prześlij oceny…").click()

    # Nothing is final before the confirmation.
    expect(page.get_by_role("heading", level=1)).to_have_text("Potwierdź przesłanie ocen")
    expect(page.locator("main")).to_contain_text("100,00 pkt na 100")
    assert_no_axe_violations(page)
    assert not JurySubmission.objects.filter(entry__category__edition=edition).exists()
    page.get_by_role("button", name="Potwierdzam, wysyłam ostatecznie").click()

    expect(page.locator("main")).to_contain_text("Twoje oceny są przesłane i ostateczne")
    assert_no_axe_violations(page)
    assert JurySubmission.objects.filter(
        member__user__username=JUROR, entry__practice__title=title
    ).exists()
    page.locator("main").get_by_role(
        "link", name=re.compile("^Następne zgłoszenie do oceny")
    ).first.click()
    expect(page.get_by_role("heading", level=1)).not_to_have_text(title)
    expect(page.get_by_role("button", name="Prześlij oceny…")).to_be_visible()

    page.goto(f"{site}/konkursy/jury/")
    expect(page.locator("main")).to_contain_text("1 z 3 ocenionych")
    page.locator("header").get_by_role("button", name="Wyloguj").click()
    page.goto(f"{site}/konkursy/jury/")
    expect(page).to_have_url(re.compile(r"/konto/logowanie/"))
    expect(page.locator("header")).not_to_contain_text("Zalogowano")
