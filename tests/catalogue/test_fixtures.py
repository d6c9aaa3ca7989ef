"""The fixtures carry the seeds' facts, and loading them twice duplicates nothing."""

import datetime
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command

from competitions.models import Category, Edition, EditionOrganiser, Entry
from organisations.models import Membership, Organisation
from practices.models import FundingSource, Partnership, Practice, PracticeType, Topic

pytestmark = pytest.mark.django_db

EXPECTED_COUNTS = {
    Organisation: 126,
    Membership: 29,
    FundingSource: 20,
    Practice: 81,
    Partnership: 71,
    PracticeType: 7,
    Topic: 18,
    Edition: 3,
    Category: 6,
    Entry: 39,
}


def counts() -> dict:
    return {model: model.objects.count() for model in EXPECTED_COUNTS}


def test_catalogue_loads_every_seed_object(catalogue):
    assert counts() == EXPECTED_COUNTS
    assert Entry.objects.filter(status="laureate").count() == 15
    assert Entry.objects.filter(is_winner=True).count() == 5
    assert not Practice.objects.exclude(status="published").exists()


def test_loading_again_changes_and_duplicates_nothing(catalogue):
    before = counts()

    out = StringIO()

    call_command("load_catalogue", stdout=out)

    assert counts() == before
    assert "Created: nothing new." in out.getvalue()


def test_kdp_2020_has_five_categories_of_three_ranked_laureates(catalogue):
    edition = Edition.objects.get(competition__slug="konkurs-dobrych-praktyk-kongresu", year=2020)

    categories = list(edition.categories.order_by("order").values_list("name", flat=True))
    places = {
        category.name: sorted(category.entries.values_list("laureate_place", flat=True))
        for category in edition.categories.all()
    }
    winners = Entry.objects.filter(category__edition=edition, is_winner=True)

    assert categories == [
        "Samorząd",
        "Kultura i turystyka",
        "Edukacja",
        "Pomoc społeczna",
        "Przedsiębiorczość",
    ]
    assert all(value == [1, 2, 3] for value in places.values())
    assert sorted(winners.values_list("practice__lead_organisation__name", flat=True)) == sorted(
        [
            "Gmina Miasta Gdynia",
            "Urząd Miasta Kamieniec-Podolski",
            "Młodzieżowa Aglomeracja Kijowa",
            "Centrum Aktywności Seniora",
            "Edukacyjno-analityczne centrum rozwoju społeczności",
        ]
    )
    assert (edition.reported_submissions, edition.reported_countries) == (49, 10)
    assert set(edition.countries_named) == {"PS", "GE", "ES", "FR", "LT", "LV", "PL", "TR", "UA"}
    assert (edition.event_starts_on, edition.event_ends_on) == (
        datetime.date(2020, 10, 6),
        datetime.date(2020, 10, 9),
    )


def test_kdp_2021_is_announced_without_categories(catalogue):
    edition = Edition.objects.get(competition__slug="konkurs-dobrych-praktyk-kongresu", year=2021)

    assert edition.phase == "announced"
    assert "współpracy międzysektorowej" in edition.theme
    assert not edition.categories.exists()


def test_cwd_lof_practice_has_its_value_period_and_partner_gminy(catalogue):
    practice = Practice.objects.get(slug="lof-informatyzacja-procesow-administracyjnych")

    assert (practice.total_value, practice.currency) == (Decimal("4061351.04"), "PLN")
    assert (practice.started_on, practice.ended_on) == (
        datetime.date(2017, 6, 15),
        datetime.date(2021, 6, 30),
    )
    assert practice.practice_type_id == "it"
    assert set(practice.partners.values_list("name", flat=True)) >= {
        "Gmina Strzyżewice",
        "Gmina Jastków",
        "Gmina Niedrzwica Duża",
    }


def test_strefa_centralna_has_its_money_and_nineteen_members(catalogue):
    practice = Practice.objects.get(slug="strefa-centralna-publiczny-transport-zbiorowy")
    partnership = practice.lead_organisation

    assert (practice.co_financing, practice.total_value) == (
        Decimal("5329500.00"),
        Decimal("6270000.00"),
    )
    assert partnership.kind == "partnership"
    assert partnership.members.filter(kind="county").count() == 3
    assert partnership.members.exclude(kind="county").count() == 16


def test_zmp_projects_keep_years_funders_and_foreign_currencies(catalogue):
    zmp = Organisation.objects.get(slug="zwiazek-miast-polskich")
    norwegian = Practice.objects.get(
        title__startswith="Budowanie potencjału jednostek samorządu terytorialnego"
    )

    assert zmp.short_name == "ZMP"
    assert (norwegian.started_on.year, norwegian.ended_on.year) == (2007, 2011)
    assert (norwegian.co_financing, norwegian.currency) == (Decimal("2900000.00"), "EUR")
    assert Practice.objects.filter(currency="USD").count() == 2
    assert Practice.objects.filter(lead_organisation=zmp).count() >= 30


def test_gzm_platform_and_the_seven_type_definitions(catalogue):
    platform = Practice.objects.get(title__icontains="Platforma Dobrych Praktyk")
    types = dict(PracticeType.objects.values_list("code", "name"))

    assert platform.lead_organisation.kind == "metropolitan_union"
    assert types == {
        "procedural": "Proceduralne",
        "investment": "Inwestycyjne",
        "it": "IT",
        "social": "Społeczne",
        "organisational": "Organizacyjne",
        "promotional": "Promocyjne",
        "project": "Projektowe",
    }
    assert PracticeType.objects.get(code="investment").definition.startswith("działania „twarde”")


def test_slz_2022_has_its_organisers_figures_and_distinguished_cities(catalogue):
    edition = Edition.objects.get(competition__name="Samorządowy Lider Zarządzania", year=2022)
    entries = Entry.objects.filter(category__edition=edition)
    roles = set(
        EditionOrganiser.objects.filter(edition=edition).values_list(
            "organisation__short_name", "role"
        )
    )

    assert (
        edition.reported_submissions,
        edition.reported_applicants,
        edition.reported_finalists,
    ) == (39, 31, 30)
    assert ("ZMP", "lead") in roles
    assert entries.count() == 24
    assert set(entries.values_list("status", flat=True)) == {"finalist"}
    assert entries.get(practice__lead_organisation__name="Zabrze").distinction == "Empatia"
    assert entries.filter(practice__lead_organisation__name="Kraków").count() == 2
    assert entries.filter(distinction="Skuteczność").get().practice.lead_organisation.name == (
        "Konin"
    )


def test_loaded_practices_are_indexed_for_search_and_filters(catalogue):
    gdynia = Practice.objects.get(slug="gdynia-gdynskie-centrum-kontaktu")

    assert gdynia.countries == ["PL"]
    assert gdynia.award_levels == ["finalist", "laureate", "winner"]
    assert gdynia.search_vector is not None
    assert Practice.objects.filter(search_vector__isnull=True).count() == 0


def test_a_fixture_naming_an_unknown_organisation_is_refused_with_its_file(tmp_path):
    from catalogue.fixtures import FixtureError, read_catalogue

    (tmp_path / "taxonomy.toml").write_text(
        '[[practice_type]]\ncode = "it"\nname = "IT"\ndefinition = "x"\n', encoding="utf-8"
    )
    (tmp_path / "001_test.toml").write_text(
        '[[practice]]\nslug = "p"\ntitle = "P"\npractice_type = "it"\nlead = "nikt"\n',
        encoding="utf-8",
    )

    with pytest.raises(FixtureError) as refusal:
        read_catalogue(tmp_path)

    assert str(refusal.value) == "001_test.toml: practice 'p': unknown organisation 'nikt'"


@pytest.mark.parametrize(
    ("fixture", "refusal_text"),
    [
        (
            '[[organisation]]\nslug = "g"\nname = "G"\nkind = "gmina"\n'
            'website = "javascript:alert(1)"\n',
            "001_test.toml: organisation 'g': not a web address: 'javascript:alert(1)'",
        ),
        (
            '[[organisation]]\nslug = "g"\nname = "G"\nkind = "gmina"\n'
            '[[practice]]\nslug = "p"\ntitle = "P"\npractice_type = "it"\nlead = "g"\n'
            '[[practice.link]]\nurl = "data:text/html,<script>alert(1)</script>"\n',
            "001_test.toml: practice 'p': not a web address: "
            "'data:text/html,<script>alert(1)</script>'",
        ),
    ],
)
def test_a_fixture_with_an_address_that_is_not_a_web_address_is_refused(
    tmp_path, fixture, refusal_text
):
    from catalogue.fixtures import FixtureError, read_catalogue

    (tmp_path / "taxonomy.toml").write_text(
        '[[practice_type]]\ncode = "it"\nname = "IT"\ndefinition = "x"\n', encoding="utf-8"
    )
    (tmp_path / "001_test.toml").write_text(fixture, encoding="utf-8")

    with pytest.raises(FixtureError) as refusal:
        read_catalogue(tmp_path)

    assert str(refusal.value) == refusal_text


def test_load_catalogue_command_fills_an_empty_database():
    out = StringIO()

    call_command("load_catalogue", stdout=out)

    assert counts() == EXPECTED_COUNTS
    assert "Created: " in out.getvalue()
    assert "categories: 6" in out.getvalue()
    assert "practices: 81" in out.getvalue()


def test_loader_reads_translation_keys_and_blanks_missing_ones(db):
    from catalogue.fixtures import _translations

    item = {"title": "Szkoła", "title_en": " School ", "summary_uk": "Школа"}
    assert _translations(item, "title", "summary") == {
        "title_en": "School",
        "title_uk": "",
        "summary_en": "",
        "summary_uk": "Школа",
    }


def test_real_catalogue_ships_english_titles_and_summaries(catalogue):
    """Every practice of the real catalogue has an English title and summary (editorial
    translations in fixtures/catalogue/)."""
    untranslated = Practice.objects.filter(title_en="") | Practice.objects.filter(summary_en="")
    assert list(untranslated.values_list("slug", flat=True)) == []
