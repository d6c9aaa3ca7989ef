"""Downloads per client address: a visitor cannot tie up the workers with exports."""

import pytest

from tests.factories import PracticeFactory, UserFactory

pytestmark = pytest.mark.django_db

EXPORTS = [
    "/praktyki/eksport.csv",
    "/praktyki/eksport.json",
    "/praktyki/eksport.xlsx",
    "/praktyki/eksport-excel.csv",
]


@pytest.fixture
def two_a_window(settings):
    settings.CATALOGUE_EXPORTS_PER_CLIENT = 2
    settings.CATALOGUE_EXPORT_WINDOW_SECONDS = 600


def test_downloads_past_the_limit_get_a_page_saying_when_to_come_back(client, two_a_window):
    PracticeFactory(title="Budżet obywatelski")
    assert client.get(EXPORTS[0], {"type": "it"}).status_code == 200
    spreadsheet = client.get(EXPORTS[2])
    assert spreadsheet.status_code == 200
    spreadsheet.close()  # its temporary file

    for path in EXPORTS:  # every kind of download counts, with any filters
        refused = client.get(path, {"country": "PL"})
        assert refused.status_code == 429
        assert 0 < int(refused["Retry-After"]) <= 600
        assert refused["Cache-Control"] == "no-store"
        page = refused.content.decode()
        assert "Zbyt wiele pobrań z tego adresu" in page
        assert "Spróbuj ponownie za" in page


def test_the_refusal_is_in_the_readers_language(client, two_a_window):
    for _ in range(2):
        client.get("/en/practices/export.csv")

    refused = client.get("/en/practices/export.csv")
    assert refused.status_code == 429
    assert "Too many downloads from this address" in refused.content.decode()

    refused = client.get("/uk/practices/export.csv")
    assert "Забагато завантажень із цієї адреси" in refused.content.decode()


def test_each_client_address_has_its_own_budget(client, two_a_window):
    for _ in range(3):
        client.get(EXPORTS[0], REMOTE_ADDR="203.0.113.7")
    assert client.get(EXPORTS[0], REMOTE_ADDR="203.0.113.7").status_code == 429

    assert client.get(EXPORTS[0], REMOTE_ADDR="198.51.100.2").status_code == 200


def test_staff_are_not_counted(client, two_a_window):
    client.force_login(UserFactory(is_staff=True))
    for _ in range(4):
        response = client.get(EXPORTS[0])
        assert response.status_code == 200
