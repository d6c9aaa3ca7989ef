"""The competitions' forms as a screen reader gets them (Chromium's accessibility tree):
after a failed submit the focus is on the error summary and every invalid field's
accessible description holds its error text: the ballot code, a juror's scores, an
application (start and the entry form with its radio group). The vote page does not
scroll sideways at 320 px. The training edition is built at each test's stage and
removed before the next stage (one training edition at a time)."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from competitions.enums import EditionPhase
from competitions.services.training import training_edition_delete
from tests.browser.test_assistive_tech import (
    NARROWEST,
    assert_errors_and_hints_described,
    assert_focus_on_error_summary,
)
from tests.browser.training import password_of, sign_in, training_for_browser

JUROR = "szkolenie-juror-1"


@pytest.fixture(scope="module")
def training(request, site, django_db_blocker):
    """The training edition at the stage a test names (indirect parametrisation),
    committed for the live server; tests of one stage share it, and it is removed
    before the next stage is built (one training edition at a time)."""
    from django.db import transaction

    from core.pagecache import catalogue_changed

    made = training_for_browser(django_db_blocker, request.param)
    yield made
    with django_db_blocker.unblock():
        with transaction.atomic():
            training_edition_delete()
        catalogue_changed()


def at(phase: str):
    return pytest.mark.parametrize("training", [phase], indirect=True, ids=[str(phase)])


def _vote_path(edition) -> str:
    return f"/konkursy/{edition.competition.slug}/{edition.year}/glosowanie/"


@at(EditionPhase.PUBLIC_VOTE)
def test_vote_code_error_is_described_and_focused(site, page, training):
    page.goto(site + _vote_path(training.edition))

    page.get_by_label("Kod do głosowania").fill("ZZZZ-ZZZZ")
    page.get_by_role("button", name="Dalej").click()

    assert_focus_on_error_summary(page)
    assert_errors_and_hints_described(page, at_least=1)


@at(EditionPhase.PUBLIC_VOTE)
@pytest.mark.parametrize("language", ["pl", "en"])
def test_vote_pages_do_not_scroll_sideways_at_320_px(site, new_context, training, language):
    page = new_context(viewport=NARROWEST).new_page()
    path = _vote_path(training.edition)
    page.goto(site + (path if language == "pl" else "/en" + page_path_in_english(path)))
    expect(page.locator("html")).to_have_attribute("lang", language)
    assert page.evaluate("document.documentElement.scrollWidth") <= NARROWEST["width"]

    page.get_by_role("textbox").first.fill(training.codes[0])
    page.locator("main form [type=submit]").first.click()
    expect(page.locator("main fieldset").first).to_be_visible()  # the ballot
    assert page.evaluate("document.documentElement.scrollWidth") <= NARROWEST["width"]


def page_path_in_english(path: str) -> str:
    from django.urls import translate_url

    return translate_url(path, "en").removeprefix("/en")


@at(EditionPhase.JURY_REVIEW)
def test_juror_score_errors_are_described_and_focused(site, page, training):
    edition = training.edition
    criterion = edition.criteria.order_by("order", "id").first()
    sign_in(page, site, JUROR, password_of(training, JUROR), "/konkursy/jury/")
    page.get_by_role("link", name=edition.name).first.click()
    page.locator("main a[href*='/zgloszenia/']").first.click()

    page.get_by_label(f"{criterion.name} – ocena").fill(str(criterion.scale_max + 50))
    page.get_by_role("button", name="Prześlij oceny…").click()

    assert_focus_on_error_summary(page)
    assert_errors_and_hints_described(page, at_least=1)


@at(EditionPhase.SUBMISSIONS)
def test_application_errors_are_described_and_focused(site, page, training, settings):
    settings.SUBMISSIONS_PER_HOUR = 1000
    mail.outbox = []
    page.goto(f"{site}{training.edition.get_absolute_url()}")
    page.get_by_role("link", name="Zgłoś się do konkursu").click()

    # The start: name, e-mail, consent, all missing.
    page.get_by_role("button", name="Otwórz formularz zgłoszenia").click()
    assert_focus_on_error_summary(page)
    assert_errors_and_hints_described(page, at_least=3)

    page.get_by_label("Imię i nazwisko").fill("Anna Kowalska")
    page.get_by_label("Adres e-mail").fill("anna@example.org")
    page.get_by_label(re.compile("Zgadzam się na przetwarzanie")).check()
    page.get_by_role("button", name="Otwórz formularz zgłoszenia").click()
    expect(page.get_by_label("Nazwa praktyki")).to_be_visible()

    # The entry form sent empty: the category (a radio group) and the practice's fields.
    page.get_by_role("button", name="Wyślij zgłoszenie").click()
    assert_focus_on_error_summary(page)
    assert_errors_and_hints_described(page, at_least=4)
    group = page.get_by_role("group", name="Kategoria konkursu")
    expect(group).to_have_attribute("aria-describedby", re.compile(r"_error\b"))
