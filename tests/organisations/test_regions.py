"""Regions: a Polish organisation's region is one of the 16 voivodeships, chosen from a
list in the admin, and the catalogue's region filter lists regions under their country."""

import re

import pytest
from django.db import IntegrityError, transaction

from organisations.enums import Voivodeship
from organisations.models import Organisation
from tests.admin_forms import admin_form_data
from tests.conftest import refused_by_database
from tests.factories import OrganisationFactory, PracticeFactory
from tests.practices.admin.conftest import staff_in

pytestmark = pytest.mark.django_db

# Polish bodies of the fixtures whose source names no place: national ones, and
# "Biełżyce", a name no Polish locality has (the source's spelling is kept).
NO_VOIVODESHIP = {
    "bielzyce",
    "departament-pozytku-publicznego-mpips",
    "kancelaria-prezydenta-rp",
    "maic",
    "ministerstwo-funduszy-i-rozwoju-regionalnego",
    "ministerstwo-spraw-zagranicznych-rp",
    "mswia",
    "ukie",
    "zagraniczne-osrodki-polskiej-organizacji-turystycznej",
    "zwiazek-gmin-wiejskich-rp",
    "zwiazek-miast-polskich",
    "zwiazek-powiatow-polskich",
}


def test_the_database_holds_a_polish_region_to_the_sixteen_voivodeships():
    with refused_by_database("organisation_polish_region_is_voivodeship"):
        OrganisationFactory(country="PL", region="Mazowsze")

    assert OrganisationFactory(country="PL", region="mazowieckie").region == "mazowieckie"
    assert OrganisationFactory(country="PL", region="").region == ""
    assert OrganisationFactory(country="UA", region="obwód winnicki").region == "obwód winnicki"


def test_moving_an_organisation_to_poland_with_a_foreign_region_is_refused():
    organisation = OrganisationFactory(country="UA", region="obwód winnicki")

    with pytest.raises(IntegrityError), transaction.atomic():
        Organisation.objects.filter(pk=organisation.pk).update(country="PL")


@pytest.mark.parametrize(
    ("typed", "voivodeship"),
    [
        ("lubelskie", "lubelskie"),
        ("Lubelskie", "lubelskie"),
        ("woj. lubelskie", "lubelskie"),
        ("Województwo  Łódzkie", "łódzkie"),
        ("Lubelszczyzna", None),
        ("", None),
    ],
)
def test_a_typed_voivodeship_is_recognised(typed, voivodeship):
    assert Voivodeship.from_text(typed) == voivodeship


def test_every_polish_organisation_of_the_fixtures_has_its_voivodeship(catalogue):
    polish = Organisation.objects.filter(country="PL")
    without = set(polish.filter(region="").values_list("slug", flat=True))

    assert without == NO_VOIVODESHIP
    assert set(polish.exclude(region="").values_list("region", flat=True)) <= set(
        Voivodeship.values
    )
    # Each local government the sources name by place has its voivodeship and county.
    jaslo = Organisation.objects.get(slug="jaslo")
    assert (jaslo.region, jaslo.county) == ("podkarpackie", "powiat jasielski")
    gdynia = Organisation.objects.get(slug="gmina-miasta-gdynia")
    assert (gdynia.region, gdynia.county) == ("pomorskie", "powiat m. Gdynia")
    assert Organisation.objects.get(slug="powiat-lobeski").region == "zachodniopomorskie"


class TestAdminForm:
    URL = "/admin/organisations/organisation/{}/change/"

    @pytest.fixture
    def admin_client(self, client):
        client.force_login(staff_in("Administratorzy"))
        return client

    def post(self, client, organisation, **changes):
        url = self.URL.format(organisation.pk)
        data = admin_form_data(client.get(url))
        data.update(changes)
        return client.post(url, data)

    def test_the_voivodeship_is_chosen_from_the_official_list(self, admin_client):
        organisation = OrganisationFactory(country="PL", region="lubelskie")

        page = admin_client.get(self.URL.format(organisation.pk)).content.decode()
        select = re.search(r'<select name="voivodeship".*?</select>', page, re.S).group(0)

        assert re.findall(r'<option value="([^"]+)"', select) == Voivodeship.values
        assert re.search(r'<option value="lubelskie" selected>', select)

    def test_choosing_a_voivodeship_saves_it_as_the_region(self, admin_client):
        organisation = OrganisationFactory(country="PL", region="")

        response = self.post(admin_client, organisation, voivodeship="świętokrzyskie", region="")

        assert response.status_code == 302
        organisation.refresh_from_db()
        assert organisation.region == "świętokrzyskie"

    def test_free_text_for_poland_is_refused_with_a_message(self, admin_client):
        organisation = OrganisationFactory(country="PL", region="lubelskie")

        response = self.post(admin_client, organisation, voivodeship="", region="Lubelszczyzna")

        assert response.status_code == 200
        assert "wybierz je z listy „województwo”" in response.content.decode()
        organisation.refresh_from_db()
        assert organisation.region == "lubelskie"

    def test_a_voivodeship_for_another_country_is_refused(self, admin_client):
        organisation = OrganisationFactory(country="UA", region="obwód winnicki")

        response = self.post(admin_client, organisation, voivodeship="lubelskie")

        assert response.status_code == 200
        assert "tylko dla organizacji z Polski" in response.content.decode()

    def test_abroad_the_region_is_free_text(self, admin_client):
        organisation = OrganisationFactory(country="UA", region="")

        response = self.post(admin_client, organisation, region="obwód lwowski")

        assert response.status_code == 302
        organisation.refresh_from_db()
        assert organisation.region == "obwód lwowski"


def _region_groups(html: str) -> list[tuple[str, list[str]]]:
    """(country heading, [region labels]) of the region facet, in the page's order."""
    facet = re.search(r'name="region".*', html, re.S)
    start = html.rfind("<details", 0, facet.start())
    block = html[start : html.index("</details>", start)]
    groups = []
    for legend, body in re.findall(
        r'<legend class="facet__subhead">([^<]+)</legend>(.*?)</fieldset>', block, re.S
    ):
        labels = re.findall(r'<label for="[^"]+">\s*([^<]+?) <span', body)
        groups.append((legend.strip(), labels))
    return groups


def test_the_region_filter_lists_regions_under_their_country_poland_first(client):
    for region, country in [("obwód winnicki", "UA"), ("mazowieckie", "PL"), ("Antalya", "TR")]:
        PracticeFactory(lead_organisation=OrganisationFactory(country=country, region=region))
    PracticeFactory(lead_organisation=OrganisationFactory(country="PL", region="dolnośląskie"))

    html = client.get("/praktyki/").content.decode()

    assert _region_groups(html) == [
        ("Polska", ["Dolnośląskie", "Mazowieckie"]),
        ("Turcja", ["Antalya"]),
        ("Ukraina", ["Obwód winnicki"]),
    ]


def test_the_organisation_list_groups_its_region_filter_too(client):
    OrganisationFactory(country="UA", region="obwód winnicki")
    OrganisationFactory(country="PL", region="lubelskie")

    html = client.get("/organizacje/").content.decode()

    assert _region_groups(html) == [("Polska", ["Lubelskie"]), ("Ukraina", ["Obwód winnicki"])]
