"""The pages a public body must publish: statement, privacy notice, contact (issue 24)."""

import datetime

import pytest
from django.urls import reverse
from django.utils import translation

from core.markup import render_markup
from core.models import SitePage
from core.sitepages import SHIPPED_PREPARED_ON, shipped_text
from tests.factories import PracticeFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def operator(settings):
    settings.SITE_OWNER_NAME = "Związek Testowy Gmin"
    settings.SITE_OWNER_ADDRESS = "ul. Próbna 1, 00-001 Warszawa"
    settings.SITE_CONTACT_EMAIL = "biuro@example.org"
    settings.SITE_CONTACT_PHONE = "+48 22 000 00 00"
    settings.DATA_PROTECTION_OFFICER_EMAIL = "iod@example.org"
    settings.ACCESSIBILITY_CONTACT_NAME = "Maria Dostępna"
    settings.ACCESSIBILITY_CONTACT_EMAIL = "dostepnosc@example.org"
    settings.ACCESSIBILITY_CONTACT_PHONE = "+48 22 111 11 11"
    settings.SITE_PUBLISHED_ON = "2026-01-15"
    settings.SITE_UPDATED_ON = "2026-12-01"
    settings.SITE_URL = "https://katalog.example.org"
    return settings


def _url(name: str, language: str = "pl") -> str:
    with translation.override(language):
        return reverse(f"core:{name}")


def _shipped_row(slug: str) -> SitePage:
    """The row as the data migration makes it (a transactional test may have flushed it)."""
    title_pl, body_pl = shipped_text(slug, "pl")
    title_en, body_en = shipped_text(slug, "en")
    title_uk, body_uk = shipped_text(slug, "uk")
    page, _created = SitePage.objects.update_or_create(
        slug=slug,
        defaults={
            "title_pl": title_pl,
            "body_pl": body_pl,
            "title_en": title_en,
            "body_en": body_en,
            "title_uk": title_uk,
            "body_uk": body_uk,
            "prepared_on": datetime.date(2026, 12, 6),
            "reviewed_on": datetime.date(2026, 12, 6),
        },
    )
    return page


STATEMENT_SECTIONS = [
    'id="a11y-podmiot"',
    'id="a11y-url"',
    'id="a11y-data-publikacja"',
    'id="a11y-data-aktualizacja"',
    'id="a11y-status"',
    'id="a11y-przygotowanie"',
    'id="a11y-data-sporzadzenie"',
    'id="a11y-data-przeglad"',
    'id="a11y-skroty"',
    'id="a11y-kontakt"',
    'id="a11y-osoba"',
    'id="a11y-email"',
    'id="a11y-telefon"',
    'id="a11y-procedura"',
    'id="a11y-architektura"',
    'id="a11y-jezyk-migowy"',
    'id="a11y-aplikacje"',
    'href="https://bip.brpo.gov.pl/',
]


@pytest.mark.parametrize("language", ["pl", "en", "uk"])
def test_statement_has_every_section_the_act_and_the_model_require(client, operator, language):
    _shipped_row("accessibility")

    html = client.get(_url("accessibility", language)).content.decode()

    missing = [marker for marker in STATEMENT_SECTIONS if marker not in html]
    assert missing == []
    assert '<span id="a11y-podmiot">Związek Testowy Gmin</span>' in html
    assert '<a href="https://katalog.example.org/">katalog.example.org</a>' in html
    assert '<span id="a11y-data-publikacja">2026-01-15</span>' in html
    assert '<span id="a11y-data-sporzadzenie">2026-12-06</span>' in html
    assert '<span id="a11y-osoba">Maria Dostępna</span>' in html
    assert "dostepnosc@example.org" in html and "+48 22 111 11 11" in html


def test_statement_says_honestly_it_is_partially_compliant(client, operator):
    html = client.get(_url("accessibility")).content.decode()

    assert "<strong>częściowo zgodna</strong>" in html
    assert "Niezgodności" in html
    assert "nie są sprawdzane pod kątem dostępności" in html  # applicants' attachments
    assert "7 dni" in html and "2 miesiące" in html
    assert "Serwis jest zgodny z WCAG" not in html


def test_statement_in_english_is_english(client, operator):
    html = client.get(_url("accessibility", "en")).content.decode()

    assert "<h1>Accessibility statement</h1>" in html
    assert "<strong>partially compliant</strong>" in html
    assert "Commissioner for Human Rights" in html


@pytest.mark.parametrize(("language", "words"), [("pl", "200 dniach"), ("en", "200 days")])
def test_privacy_notice_shows_the_retention_period_of_the_setting(
    client, operator, language, words
):
    operator.PERSONAL_DATA_RETENTION_DAYS = 200
    _shipped_row("privacy")

    html = client.get(_url("privacy", language)).content.decode()

    assert words in html
    assert "365" not in html
    assert "Związek Testowy Gmin" in html
    assert "iod@example.org" in html
    assert ("Prezesa Urzędu Ochrony Danych Osobowych" if language == "pl" else "President") in html


def test_privacy_notice_names_every_right_and_what_is_kept(client, operator):
    html = client.get(_url("privacy")).content.decode()

    for words in [
        "dostępu do swoich danych",
        "sprostowania",
        "usunięcia",
        "ograniczenia przetwarzania",
        "sprzeciwu",
        "skargi do Prezesa Urzędu Ochrony Danych Osobowych",
        "Imię i nazwisko, adres e-mail i numer telefonu",
        "art. 6 ust. 1 lit. e RODO",
    ]:
        assert words in html, words


def test_contact_page_shows_only_what_is_configured(client, operator):
    operator.SITE_CONTACT_PHONE = ""

    html = client.get(_url("contact")).content.decode()

    assert "<h1>Kontakt i kto prowadzi serwis</h1>" in html
    assert 'href="mailto:biuro@example.org"' in html
    assert "ul. Próbna 1, 00-001 Warszawa" in html
    assert "Telefon" not in html.split("<footer")[0]


def test_contact_page_in_english(client, operator):
    html = client.get(_url("contact", "en")).content.decode()

    assert "<h1>Contact and who runs the site</h1>" in html
    assert 'lang="en"' in html


@pytest.mark.parametrize("shipped_only", [True, False])
def test_site_pages_in_ukrainian_are_ukrainian(client, operator, shipped_only):
    """A Ukrainian reader gets the statement, the notice and the contact page in
    Ukrainian, as shipped or as the editors keep them, not the Polish text marked."""
    for slug in ("accessibility", "privacy", "contact"):
        if shipped_only:
            SitePage.objects.filter(slug=slug).delete()
        else:
            _shipped_row(slug)

    statement = client.get(_url("accessibility", "uk")).content.decode()
    privacy = client.get(_url("privacy", "uk")).content.decode()
    contact = client.get(_url("contact", "uk")).content.decode()

    assert "<h1>Декларація доступності</h1>" in statement
    assert "<strong>частково відповідає</strong>" in statement
    assert "7 днів" in statement and "2 місяці" in statement
    assert "<h1>Захист персональних даних</h1>" in privacy
    assert "стаття 17 GDPR" in privacy
    assert "<h1>Контакти та хто веде сайт</h1>" in contact
    assert 'href="mailto:biuro@example.org"' in contact
    for html in (statement, privacy, contact):
        assert '<html lang="uk">' in html
        assert 'lang="pl"' not in html.split("<main")[1].split("</main>")[0]


def test_a_ukrainian_edit_in_the_admin_shows_on_the_ukrainian_page(client, operator):
    page = _shipped_row("contact")
    page.title_uk = "Зв'язок"
    page.body_uk = "Пишіть нам: {contact_email}."
    page.save()

    html = client.get(_url("contact", "uk")).content.decode()

    assert "<h1>Зв&#x27;язок</h1>" in html
    assert "Пишіть нам:" in html and "biuro@example.org" in html


def _footer(html: str) -> str:
    return html[html.index('<footer class="site-footer">') :]


@pytest.mark.parametrize("language", ["pl", "en", "uk"])
def test_every_kind_of_page_links_the_three_pages_and_names_the_operator(
    client, operator, language
):
    practice = PracticeFactory()
    prefix = "" if language == "pl" else f"/{language}"
    with translation.override(language):
        pages = [
            reverse("catalogue:home"),
            reverse("practices:practice-list"),
            practice.get_absolute_url(),
            reverse("organisations:organisation-list"),
            reverse("competitions:competition-list"),
            reverse("login"),
            reverse("core:about"),
            reverse("core:privacy"),
            f"{prefix}/nie-ma-takiej-strony/",
        ]
    links = [f'href="{_url(name, language)}"' for name in ("contact", "accessibility", "privacy")]

    for address in pages:
        response = client.get(address)
        footer = _footer(response.content.decode())
        assert all(link in footer for link in links), address
        assert "Związek Testowy Gmin" in footer, address
        assert 'href="mailto:biuro@example.org"' in footer, address


def test_an_admin_edit_shows_on_the_next_request(client, operator):
    page = _shipped_row("privacy")
    address = _url("privacy")
    client.get(address)  # now cached
    admin = UserFactory(is_staff=True, is_superuser=True)
    editor = client.__class__()
    editor.force_login(admin)

    response = editor.post(
        reverse("admin:core_sitepage_change", args=[page.pk]),
        {
            "slug": "privacy",
            "prepared_on": "2026-12-06",
            "reviewed_on": "2026-12-07",
            "title_pl": "Prywatność po zmianie",
            "body_pl": "## Nowa sekcja\n\nOkres: {retention_days} dni.",
            "title_en": page.title_en,
            "body_en": page.body_en,
        },
    )
    html = client.get(address).content.decode()

    assert response.status_code == 302
    assert "<h1>Prywatność po zmianie</h1>" in html
    assert "<h2>Nowa sekcja</h2>" in html
    assert page.history.count() >= 2


def test_admin_refuses_an_unknown_placeholder_with_a_message(client):
    page = _shipped_row("contact")
    client.force_login(UserFactory(is_staff=True, is_superuser=True))

    response = client.post(
        reverse("admin:core_sitepage_change", args=[page.pk]),
        {
            "slug": "contact",
            "prepared_on": "2026-12-06",
            "reviewed_on": "2026-12-01",
            "title_pl": "Kontakt",
            "body_pl": "Pisz do {adres_email}.",
            "title_en": "",
            "body_en": "",
        },
    )
    html = response.content.decode()

    assert response.status_code == 200
    assert "Nieznane pola w nawiasach klamrowych: {adres_email}" in html
    assert "Data przeglądu nie może być wcześniejsza niż data sporządzenia." in html


def test_without_a_row_or_a_translation_the_shipped_text_shows(client, operator):
    SitePage.objects.filter(slug="accessibility").delete()
    SitePage.objects.update_or_create(
        slug="contact",
        defaults={
            "title_pl": "Kontakt (zmieniony)",
            "body_pl": "Tylko po polsku.",
            "title_en": "",
            "body_en": "",
            "prepared_on": SHIPPED_PREPARED_ON,
        },
    )

    statement = client.get(_url("accessibility")).content.decode()
    contact_en = client.get(_url("contact", "en")).content.decode()
    contact_pl = client.get(_url("contact")).content.decode()

    assert 'id="a11y-procedura"' in statement
    assert "<h1>Contact and who runs the site</h1>" in contact_en
    assert "<p>Tylko po polsku.</p>" in contact_pl


@pytest.mark.parametrize("name", ["accessibility", "privacy", "contact"])
def test_a_page_costs_one_query_and_none_once_cached(
    client, operator, name, django_assert_num_queries
):
    _shipped_row(name)

    with django_assert_num_queries(1):
        first = client.get(_url(name))
    with django_assert_num_queries(0):
        second = client.get(_url(name))

    assert first.status_code == second.status_code == 200
    assert second.content == first.content


def test_markup_escapes_what_an_editor_types():
    html = render_markup(
        "## Tytuł {#sekcja}\n\n<script>alert(1)</script> [x](javascript:alert(1)) "
        "[RPO](https://bip.brpo.gov.pl/?a=1&b=2) **ważne**\n\n- jeden\n- dwa\n  ciąg dalszy"
    )

    assert '<h2 id="sekcja">Tytuł</h2>' in html
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert 'href="javascript' not in html
    assert '<a href="https://bip.brpo.gov.pl/?a=1&amp;b=2">RPO</a>' in html
    assert "<strong>ważne</strong>" in html
    assert "<ul><li>jeden</li><li>dwa ciąg dalszy</li></ul>" in html


@pytest.mark.parametrize("language", ["pl", "en", "uk"])
def test_admin_checks_the_placeholders_of_every_languages_body(client, language):
    page = _shipped_row("contact")
    before = SitePage.objects.get(pk=page.pk).body_pl
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    data = {
        "slug": "contact",
        "prepared_on": "2026-12-01",
        "reviewed_on": "2026-12-06",
        "title_pl": "Kontakt",
        "body_pl": "Pisz do {contact_email}.",
        "title_en": "",
        "body_en": "",
        "title_uk": "",
        "body_uk": "",
    }
    data[f"body_{language}"] = "Pisz do {adres_email}."

    response = client.post(reverse("admin:core_sitepage_change", args=[page.pk]), data)

    assert response.status_code == 200  # the form again, not a redirect
    errors = response.context["adminform"].form.errors
    assert list(errors) == [f"body_{language}"]
    assert "Nieznane pola w nawiasach klamrowych: {adres_email}" in errors[f"body_{language}"][0]
    assert SitePage.objects.get(pk=page.pk).body_pl == before
