"""The applicant's journey in Chromium: from the edition page during the call to a
sent entry, through a saved draft reopened from the e-mailed private link."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from competitions.enums import EditionPhase
from competitions.models import Application, Entry
from tests.browser.conftest import assert_no_axe_violations
from tests.browser.training import training_for_browser

PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture(scope="module")
def training(site, django_db_blocker):
    return training_for_browser(django_db_blocker, EditionPhase.SUBMISSIONS)


def test_an_applicant_saves_comes_back_through_the_link_and_sends(
    site, training, new_context, tmp_path, settings
):
    # Other browser tests send forms from this same address within the hour; the
    # per-address budget is tested on its own (tests/practices/views/).
    settings.SUBMISSIONS_PER_HOUR = 1000
    edition = training.edition
    mail.outbox = []
    page = new_context().new_page()
    page.goto(f"{site}{edition.get_absolute_url()}")
    expect(page.locator(".training-banner")).to_contain_text(
        "Edycja szkoleniowa — tylko do ćwiczeń"
    )

    page.get_by_role("link", name="Zgłoś się do konkursu").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Zgłoś się do konkursu")
    assert_no_axe_violations(page)
    page.get_by_label("Imię i nazwisko").fill("Anna Kowalska")
    page.get_by_label("Adres e-mail").fill("anna@example.org")
    page.get_by_label(re.compile("Zgadzam się na przetwarzanie")).check()
    page.get_by_role("button", name="Otwórz formularz zgłoszenia").click()

    # The form, and the same private link in the e-mail.
    expect(page.locator(".messages")).to_contain_text(
        "Link do niego wysłaliśmy też na anna@example.org"
    )
    link = re.search(r"http://\S+/zgloszenie/\S+/", mail.outbox[-1].body).group(0)
    private_path = link.split("://", 1)[1].split("/", 1)[1]
    assert page.url.endswith("/" + private_path)
    assert_no_axe_violations(page)

    category = edition.categories.order_by("order").first()
    page.get_by_role("radio", name=category.name).check()
    page.get_by_label("Nazwa praktyki").fill("Mobilny urzędnik dla seniorów")
    page.get_by_label("Krótki opis").fill("Urzędnik przyjeżdża do domu osoby starszej.")
    page.get_by_role("button", name="Zapisz i wróć później").click()
    expect(page.locator("body")).to_contain_text("Zapisano.")

    # Another browser, nothing but the link from the e-mail.
    later = new_context().new_page()
    later.goto(f"{site}/{private_path}")
    expect(later.get_by_label("Nazwa praktyki")).to_have_value("Mobilny urzędnik dla seniorów")
    expect(later.get_by_role("radio", name=category.name)).to_be_checked()

    # Sending too early lists what is missing, in words, and sends nothing.
    later.get_by_role("button", name="Wyślij zgłoszenie").click()
    summary = later.get_by_role("alert")
    expect(summary).to_contain_text("Popraw zaznaczone pola")
    expect(summary).to_contain_text("Typ praktyki: To pole jest wymagane.")
    assert_no_axe_violations(later)  # the form with its errors

    later.get_by_label("Typ praktyki").select_option(label="Społeczne")
    later.get_by_label("Nazwa organizacji").fill("Gmina Szkoleniowo")
    for question in edition.questions.all():
        later.get_by_label(question.text).fill("Odpowiedź na pytanie konkursu.")
    document = tmp_path / "opis.pdf"
    document.write_bytes(PDF)
    later.get_by_label("Dodaj załącznik").set_input_files(str(document))
    later.get_by_label(re.compile("Potwierdzam, że dane są prawdziwe")).check()
    later.get_by_role("button", name="Wyślij zgłoszenie").click()

    expect(later.locator(".messages")).to_contain_text("Zgłoszenie wysłane.")
    expect(later.locator(".notice[role=status]")).to_contain_text("Zgłoszenie wysłane")
    expect(later.get_by_role("button", name="Wyślij zgłoszenie")).to_have_count(0)
    expect(later.locator("dl")).to_contain_text("opis.pdf")
    assert_no_axe_violations(later)
    entry = Entry.objects.select_related("practice").get(
        category__edition=edition, practice__title="Mobilny urzędnik dla seniorów"
    )
    assert (entry.status, entry.practice.status) == ("submitted", "draft")
    assert Application.objects.get(entry=entry).email == "anna@example.org"
    assert any("Potwierdzenie zgłoszenia" in m.subject for m in mail.outbox)
