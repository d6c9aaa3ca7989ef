"""The catalogue states what its sources say, and nothing more (read on the real fixtures).

Each test names the source's words it holds the pages to: roles as the source gives
them, awards to the entrant only, the stages an edition really had, a theme that is
not a category, amounts and dates qualified, countries named as the source names them.
"""

import re
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from catalogue.fixtures import DEFAULT_DIRECTORY, FixtureError, load_catalogue, read_catalogue
from catalogue.selectors import organisation_awards
from competitions.models import Category, Edition, Entry
from organisations.models import Organisation
from practices.models import Practice

pytestmark = pytest.mark.django_db

SLZ = "/konkursy/samorzadowy-lider-zarzadzania/2022/"
KDP_2020 = "/konkursy/konkurs-dobrych-praktyk-kongresu/2020/"
KDP_2021 = "/konkursy/konkurs-dobrych-praktyk-kongresu/2021/"


def page(client, path: str) -> BeautifulSoup:
    response = client.get(path)
    assert response.status_code == 200, path
    return BeautifulSoup(response.content, "html.parser")


def section(soup: BeautifulSoup, heading: str) -> str:
    """The text of the list that follows the <h2> named `heading` ("" if none)."""
    for h2 in soup.find_all("h2"):
        if h2.get_text(strip=True) == heading:
            following = h2.find_next_sibling("ul")
            return following.get_text(" ", strip=True) if following else ""
    return ""


def facts(soup: BeautifulSoup) -> dict[str, str]:
    """The page's fact box as {term: description}."""
    box = soup.select_one("aside.facts dl")
    return {
        dt.get_text(" ", strip=True): dt.find_next_sibling("dd").get_text(" ", strip=True)
        for dt in box.find_all("dt")
    }


def source(number: str) -> str:
    """The fixture file of seed `number`: its texts are the seed document's own words."""
    (path,) = DEFAULT_DIRECTORY.glob(f"{number}_*.toml")
    return path.read_text(encoding="utf-8")


# --- 1. an award belongs to the entrant -------------------------------------------------


@pytest.mark.parametrize(
    "slug", ["system-solution", "zagraniczne-osrodki-polskiej-organizacji-turystycznej"]
)
def test_a_supplier_or_promoter_of_an_awarded_practice_is_no_laureate(client, catalogue, slug):
    soup = page(client, f"/organizacje/{slug}/")

    assert section(soup, "Nagrody i wyróżnienia") == ""
    took_part = section(soup, "Udział w nagrodzonych praktykach")
    assert "Laureat" in took_part
    assert "zgłaszający:" in took_part


def test_the_entrant_shows_the_award_as_its_own(client, catalogue):
    soup = page(client, "/organizacje/podolska-agencja-rozwoju-regionalnego/")

    assert "Laureat – 2. miejsce" in section(soup, "Nagrody i wyróżnienia")


def test_no_organisation_lists_an_award_it_did_not_enter(catalogue):
    checked = 0
    for organisation in Organisation.objects.published():
        won, took_part = organisation_awards(organisation)
        assert all(entry.entrant_id == organisation.pk for entry in won), organisation.slug
        assert all(entry.entrant_id != organisation.pk for entry in took_part)
        checked += len(won) + len(took_part)
    assert checked > 0


def test_every_entry_of_the_sources_has_an_entrant(catalogue):
    assert not Entry.objects.filter(entrant__isnull=True).exists()
    # "Urząd Miasta Gdańsk, Wydział Polityki Gospodarczej": the department entered.
    entry = Entry.objects.get(practice__slug="gdansk-program-ogarnij-kryzys")
    assert entry.entrant.slug == "urzad-miasta-gdansk-wydzial-polityki-gospodarczej"
    assert "Urząd Miasta Gdańsk, Wydział Polityki Gospodarczej" in source("000")


# --- 2. roles as the source gives them -------------------------------------------------


@pytest.mark.parametrize(
    ("slug", "words"),
    [
        (
            "zmp-rola-stowarzyszen-we-wspolpracy-rozwojowej",
            "uczestniczył od kwietnia 2015 roku na zaproszenie Słowackiego Związku Miast",
        ),
        ("zmp-program-logon", "do udziału w nim został zaproszony Związek Miast Polskich"),
    ],
)
def test_zmp_is_a_participant_not_the_lead_where_it_was_invited(client, catalogue, slug, words):
    assert words in re.sub(r"\s+", " ", source("002"))
    practice = Practice.objects.get(slug=slug)

    assert practice.lead_organisation is None
    zmp = practice.partnerships.get(organisation__slug="zwiazek-miast-polskich")
    assert zmp.role == "participant"
    box = facts(page(client, practice.get_absolute_url()))
    assert "Lider" not in box
    assert "Związek Miast Polskich (uczestnik" in box["Organizacje"]


def test_partners_carry_the_role_the_source_names(catalogue):
    roles = dict(
        Practice.objects.filter(
            slug__in=["winnica-ratujac-lekarza-ratujesz-zycie", "gdansk-citywillwait"]
        ).values_list("partnerships__organisation__slug", "partnerships__role")
    )
    assert roles["system-solution"] == "supplier"
    assert roles["zagraniczne-osrodki-polskiej-organizacji-turystycznej"] == "promoter"


def edited_fixtures(tmp_path: Path, name: str, old: str, new: str) -> Path:
    """A copy of the real fixtures with one edit in one file, as an editor might make."""
    for path in DEFAULT_DIRECTORY.glob("*.toml"):
        text = path.read_text(encoding="utf-8")
        if path.name == name:
            assert text.count(old) == 1
            text = text.replace(old, new)
        (tmp_path / path.name).write_text(text, encoding="utf-8")
    return tmp_path


def test_a_practice_needs_a_lead_or_a_partner_but_not_a_lead(tmp_path):
    assert "lead" not in read_catalogue().practices["zmp-program-logon"]
    participant = """
[[practice.partner]]
organisation = "zwiazek-miast-polskich"
role = "participant"
note = "z Polski do udziału w programie został zaproszony Związek Miast Polskich"
"""
    orphan = edited_fixtures(tmp_path, "002_zmp.toml", participant, "")

    with pytest.raises(FixtureError, match="names no organisation"):
        read_catalogue(orphan)


# --- 3. the stages an edition really had -------------------------------------------------


def timeline(soup: BeautifulSoup) -> list[str]:
    """The timeline's stage names (without the step number a CSS counter may add)."""
    steps = soup.select("ol.phase-steps li")
    return [li.get_text(strip=True).lstrip("0123456789") for li in steps]


def test_slz_2022_shows_no_vote_its_source_does_not_describe(client, catalogue):
    assert "głosow" not in source("004").lower()
    edition = Edition.objects.get(slug="samorzadowy-lider-zarzadzania-2022")

    assert not edition.has_public_vote
    steps = timeline(page(client, SLZ))
    assert "Głosowanie" not in steps
    assert "Ocena jury" in steps


def test_kdp_2020_shows_the_online_vote_of_the_congress(client, catalogue):
    assert "uczestnicy głosowali on-line" in source("000")

    assert "Głosowanie" in timeline(page(client, KDP_2020))


def test_an_edition_whose_rules_are_unknown_shows_only_its_announcement(client, catalogue):
    assert "Więcej szczegółów już wkrótce" in source("000")
    soup = page(client, KDP_2021)

    assert timeline(soup) == ["Zapowiedziana"]
    assert "Regulamin tej edycji nie jest jeszcze znany" in soup.get_text()


def test_every_edition_shows_exactly_the_stages_its_fixture_names(client, catalogue):
    labels = {
        "submissions": "Nabór zgłoszeń",
        "jury_review": "Ocena jury",
        "public_vote": "Głosowanie",
        "results": "Wyniki ogłoszone",
    }
    for item in read_catalogue().editions:
        edition = Edition.objects.get(competition__slug=item["competition"], year=item["year"])
        shown = set(timeline(page(client, edition.get_absolute_url())))
        for stage, label in labels.items():
            assert (label in shown) == (stage in item["stages"]), (edition.slug, stage)


def test_an_edition_fixture_must_say_its_stages(tmp_path):
    silent = edited_fixtures(
        tmp_path, "004_slz.toml", 'stages = ["submissions", "jury_review", "results"]', ""
    )

    with pytest.raises(FixtureError, match="stages"):
        read_catalogue(silent)


# --- 4. a theme is not a category -------------------------------------------------------


def test_slz_2022_has_a_theme_and_no_categories(client, catalogue):
    edition = Edition.objects.get(slug="samorzadowy-lider-zarzadzania-2022")
    (whole,) = edition.categories.all()

    assert whole.is_whole_edition and whole.name == ""
    assert edition.theme == "Komunikacja – partycypacja – współzarządzanie"
    assert whole.entries.count() == 24
    soup = page(client, SLZ)
    assert "Kategorie i wyniki" not in soup.get_text()
    assert soup.find("h2", string="Zgłoszenia i wyniki")


def test_no_slz_practice_page_names_the_theme_as_a_category(client, catalogue):
    slugs = Entry.objects.filter(
        category__edition__slug="samorzadowy-lider-zarzadzania-2022"
    ).values_list("practice__slug", flat=True)
    assert len(slugs) == 24
    for slug in slugs:
        text = page(client, f"/praktyki/{slug}/").get_text(" ", strip=True)
        assert "kategoria" not in text.lower(), slug
        assert "Samorządowy Lider Zarządzania 2022" in text


def test_loading_over_the_theme_category_of_an_older_database_moves_nothing(catalogue):
    # A database loaded before editions could go without categories holds the theme
    # as the edition's only category; loading again turns that row into the edition.
    whole = Category.objects.get(edition__slug="samorzadowy-lider-zarzadzania-2022")
    Category.objects.filter(pk=whole.pk).update(
        is_whole_edition=False,
        slug="komunikacja-partycypacja-wspolzarzadzanie",
        name="Komunikacja – partycypacja – współzarządzanie",
    )
    entries = set(whole.entries.values_list("pk", flat=True))

    load_catalogue(read_catalogue())

    (after,) = Category.objects.filter(edition__slug="samorzadowy-lider-zarzadzania-2022")
    assert after.pk == whole.pk and after.is_whole_edition and after.name == ""
    assert set(after.entries.values_list("pk", flat=True)) == entries


# --- 5. amounts and dates say what they measure -------------------------------------------


def test_winnica_amount_is_the_approximate_value_of_goods_not_a_project_value(client, catalogue):
    assert "sprzęt o łącznej wartości około 180 000 UAH" in source("000")
    practice = Practice.objects.get(slug="winnica-ratujac-lekarza-ratujesz-zycie")

    assert practice.total_value is None
    (amount,) = practice.amounts.all()
    assert (amount.measure, amount.amount, amount.currency, amount.approximate) == (
        "goods",
        180000,
        "UAH",
        True,
    )
    box = facts(page(client, practice.get_absolute_url()))
    assert box["Wartość przekazanych dóbr"].startswith("ok. 180")
    assert "Wartość całkowita" not in box
    listed = page(client, "/praktyki/?currency=UAH&value_min=1").get_text()
    assert "Ratując lekarza" not in listed


def test_strefa_centralna_2017_dates_the_application_not_the_project(client, catalogue):
    practice = Practice.objects.get(slug="strefa-centralna-publiczny-transport-zbiorowy")

    assert practice.started_on is None and practice.ended_on is None
    assert [(m.kind, m.date.year) for m in practice.milestones.all()] == [
        ("application", 2017),
        ("agreement", 2017),
    ]
    box = facts(page(client, practice.get_absolute_url()))
    assert "Okres realizacji" not in box
    assert box["Złożenie wniosku"].startswith("2017")
    assert box["Podpisanie umowy"].startswith("2017")
    in_2017 = page(client, "/praktyki/?year_from=2017&year_to=2017").get_text()
    assert practice.title not in in_2017


def test_konin_has_no_funding_source_the_source_does_not_give(catalogue):
    practice = Practice.objects.get(slug="konin-strategia-z-mieszkancami")

    assert not practice.funding_sources.exists()


# --- 6. names as the source writes them ---------------------------------------------------


def test_the_palestinian_authority_is_named_as_the_source_names_it(client, catalogue):
    assert "Autonomia Palestyńska" in source("000")
    pages = [
        "/organizacje/gmina-ramallah/",
        "/praktyki/ramallah-miejskie-zarzadzanie-kryzysowe/",
        KDP_2020,
        "/praktyki/?country=PS",
    ]
    for path in pages:
        text = page(client, path).get_text(" ", strip=True)
        assert "Autonomia Palestyńska" in text, path
        assert not re.search(r"\bPalestyna\b", text), path


def test_the_2020_country_list_is_the_organisers_and_its_count_is_flagged(client, catalogue):
    named = (
        "Autonomia Palestyńska, Gruzja, Hiszpania, Francja, Litwa, Łotwa, Polska, Turcja, Ukraina"
    )
    assert f"z 10 krajów ({named})" in source("000")

    countries = facts(page(client, KDP_2020))["Kraje"]
    assert countries.startswith(f"10: {named}")
    assert "liczba krajów (10) i jego lista (9) się różnią" in countries


# --- 7. what was missing -------------------------------------------------------------------


def test_slz_2022_page_gives_the_oecd_addresses_and_the_twelfth_value(client, catalogue):
    text = source("004")
    assert "www.samoocena.monitorrozwoju.pl" in text and "www.miasta.pl" in text
    soup = page(client, SLZ)

    hrefs = {a["href"] for a in soup.select("aside.facts a[href]")}
    assert {"http://www.miasta.pl", "http://www.samoocena.monitorrozwoju.pl"} <= hrefs
    body = soup.select_one(".prose").get_text(" ", strip=True)
    assert "Odwaga: poszukiwania rozwiązań" in body
    assert "dzielenie się doświadczeniami" in body


def test_usaid_is_a_united_states_government_agency(catalogue):
    usaid = Organisation.objects.get(slug="usaid")

    assert (usaid.kind, usaid.country.code) == ("public_institution", "US")
