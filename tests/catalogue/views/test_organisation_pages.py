import pytest

from catalogue.index.refresh import index_flush
from competitions.enums import OrganiserRole
from competitions.models import EditionOrganiser
from organisations.models import Membership
from practices.models import Partnership, Practice
from tests.factories import CategoryFactory, EntryFactory, OrganisationFactory, PracticeFactory

pytestmark = pytest.mark.django_db

LIST = "/organizacje/"


def names(response) -> list[str]:
    return [organisation.name for organisation in response.context["organisations"]]


@pytest.mark.parametrize("items", [1, 3])
def test_organisation_list_query_count_does_not_grow_with_items(
    client, django_assert_num_queries, items
):
    for _ in range(items):
        OrganisationFactory()

    # count, page, one facet query per dimension (country, kind, region) and the
    # regions' countries
    with django_assert_num_queries(6):
        response = client.get(LIST, {"country": "PL"})

    assert len(names(response)) == items


def test_organisation_list_sorts_in_polish_order(client):
    for name in ["Żory", "Łobez", "Lublin", "Zabrze", "Świdwin", "Sosnowiec"]:
        OrganisationFactory(name=name)

    assert names(client.get(LIST)) == ["Lublin", "Łobez", "Sosnowiec", "Świdwin", "Zabrze", "Żory"]


def test_organisation_search_ignores_case_and_diacritics(client):
    OrganisationFactory(name="Łódź", locality="Łódź")
    OrganisationFactory(name="Związek Miast Polskich", short_name="ZMP")
    OrganisationFactory(name="Kraków")

    assert names(client.get(LIST, {"q": "lodz"})) == ["Łódź"]
    assert names(client.get(LIST, {"q": "zmp"})) == ["Związek Miast Polskich"]
    assert names(client.get(LIST, {"q": "miast polskich"})) == ["Związek Miast Polskich"]


def test_organisation_filters_by_country_kind_and_region_with_counts(client):
    OrganisationFactory(name="Winnica NGO", country="UA", kind="ngo", region="obwód winnicki")
    OrganisationFactory(name="Kijów NGO", country="UA", kind="ngo")
    OrganisationFactory(name="Gdynia", country="PL", kind="city")
    OrganisationFactory(name="Stocznia", country="PL", kind="ngo")

    response = client.get(LIST, {"country": "UA", "kind": "ngo"})
    groups = {
        g.name: {o.value: o.count for o in g.options} for g in response.context["facet_groups"]
    }

    assert sorted(names(response)) == ["Kijów NGO", "Winnica NGO"]
    # Countries are counted with the kind filter applied but not the country one.
    assert groups["country"] == {"UA": 2, "PL": 1}
    assert groups["kind"] == {"ngo": 2}
    assert groups["region"] == {"obwód winnicki": 1}


def test_organisation_list_bad_filters_are_reported(client):
    OrganisationFactory(name="Jedna")

    response = client.get(LIST, {"kind": "imperium", "country": "ZZ", "page": "500"})

    assert names(response) == ["Jedna"]
    assert ("Rodzaj", "imperium") in response.context["ignored"]
    assert ("Kraj", "ZZ") in response.context["ignored"]
    assert "Nie ma strony „500”" in response.content.decode()


def test_organisation_page_shows_practices_awards_members_and_unions(client, catalogue):
    partnership = client.get("/organizacje/partnerstwo-strefa-centralna/")
    zmp = client.get("/organizacje/zwiazek-miast-polskich/")
    gdynia = client.get("/organizacje/gmina-miasta-gdynia/")

    assert "Powiat drawski" in partnership.content.decode()
    assert len(partnership.context["led"]) == 1
    # The union leads over thirty: the page shows the newest twenty of them.
    assert len(zmp.context["led"]) == 20
    assert zmp.context["led_more"]
    assert "Rada Gmin i Regionów Europy" in zmp.content.decode()
    assert [e.practice.slug for e in gdynia.context["awards"]] == [
        "gdynia-gdynskie-centrum-kontaktu"
    ]


def test_organisation_page_query_count_is_fixed(client, django_assert_num_queries):
    """Members, practices, awards of its own and of its partners' practices, and its
    roles in editions, in a fixed number of queries: the columns each query leaves
    unread (catalogue.selectors) are never read by the page, one row at a time."""
    group = OrganisationFactory(slug="grupa", kind="partnership")
    members = []
    for n in range(3):
        member = OrganisationFactory(name=f"Członek {n}")
        Membership.objects.create(member=member, group=group)
        members.append(member)
        practice = PracticeFactory(lead_organisation=member)
        Partnership.objects.create(practice=practice, organisation=group, role="partner")
    index_flush()  # what the commit would do: the practices now name the group
    own = PracticeFactory(title="Praktyka grupy", lead_organisation=group)
    category = CategoryFactory(name="Współpraca", edition__phase="results")
    EntryFactory(
        practice=own, entrant=group, category=category, status="laureate", laureate_place=1
    )
    partnered = Practice.objects.filter(lead_organisation=members[0]).get()
    EntryFactory(practice=partnered, entrant=members[0], category=category, status="finalist")
    EditionOrganiser.objects.create(
        edition=category.edition, organisation=group, role=OrganiserRole.PARTNER
    )
    union = OrganisationFactory(name="Związek Gmin Pomorskich", slug="zwiazek")
    Membership.objects.create(member=group, group=union, role="członek założyciel")

    # organisation, members, unions, edition roles, practices it led, the others, awards
    with django_assert_num_queries(7):
        response = client.get("/organizacje/grupa/")
    page = response.content.decode()
    assert [entry.practice.title for entry in response.context["awards"]] == ["Praktyka grupy"]
    assert "Członek 2" in page
    assert "zgłaszający: Członek 0" in page
    assert f'{category.edition.name}</a> <span class="muted">(partner)' in page
    assert '<a href="/organizacje/zwiazek/">Związek Gmin Pomorskich</a>' in page
    assert "(członek założyciel)" in page


def test_a_long_list_shows_the_newest_and_links_the_catalogue(client, django_assert_num_queries):
    """An organisation with more practices than a page shows (a city with hundreds)
    lists the newest of each kind, says so, and links the catalogue filtered by it,
    which counts and pages through all of them; the queries stay the same."""
    city = OrganisationFactory(slug="miasto", name="Miasto Duże")
    for year in range(2000, 2022):  # 22 led, newest 2021
        PracticeFactory(
            title=f"Praktyka z {year}", lead_organisation=city, started_on=f"{year}-01-01"
        )
    partnered = PracticeFactory(title="Praktyka partnerska")
    leaderless = PracticeFactory(title="Praktyka bez lidera", lead_organisation=None)
    for practice in (partnered, leaderless):
        Partnership.objects.create(practice=practice, organisation=city, role="partner")
    index_flush()

    with django_assert_num_queries(7):
        response = client.get("/organizacje/miasto/")
    page = response.content.decode()

    led = [practice.title for practice in response.context["led"]]
    assert led == [f"Praktyka z {year}" for year in range(2021, 2001, -1)]  # 20 newest
    # Those it took part in count together, with a lead or without one.
    assert sorted(p.title for p in response.context["partnered"]) == [
        "Praktyka bez lidera",
        "Praktyka partnerska",
    ]
    assert "(20 najnowszych)" in page
    assert 'href="/praktyki/?organisation=miasto"' in page
    assert "Wszystkie praktyki tej organizacji w katalogu" in page
    catalogue = client.get("/praktyki/", {"organisation": "miasto"})
    assert catalogue.context["result_count"] == 24


def test_a_short_list_shows_everything_and_no_catalogue_link(client):
    org = OrganisationFactory(slug="wies")
    PracticeFactory(lead_organisation=org)

    page = client.get("/organizacje/wies/").content.decode()

    assert "najnowszych" not in page
    assert "Wszystkie praktyki tej organizacji" not in page
