"""The site header tells signed-in people who they are and lets them sign out;
anonymous visitors, whose pages are cached and shared, see none of it."""

import pytest
from django.test import Client

from tests.factories import JuryMemberFactory, PracticeFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_signed_in_header_names_the_user_and_signs_out_by_post(client):
    client.force_login(UserFactory(username="redaktorka", first_name="Ewa", last_name="Nowak"))

    html = client.get("/praktyki/").content.decode()

    assert "Zalogowano: Ewa Nowak" in html
    form = html.split('<form class="site-account__form"', 1)[1].split("</form>", 1)[0]
    assert 'method="post" action="/konto/wylogowanie/"' in form
    assert 'name="csrfmiddlewaretoken"' in form
    assert '<button type="submit" class="site-account__button">Wyloguj</button>' in form
    assert "Strony jury" not in html  # no seat on any jury


def test_header_falls_back_to_the_user_name_without_a_full_name(client):
    client.force_login(UserFactory(username="jurorka7"))

    assert "Zalogowano: jurorka7" in client.get("/").content.decode()


def test_juror_header_links_to_the_jury_pages(client):
    member = JuryMemberFactory()
    client.force_login(member.user)

    html = client.get("/praktyki/").content.decode()

    assert '<a class="site-account__link" href="/konkursy/jury/">Strony jury</a>' in html


def test_signing_out_from_the_header_ends_the_session(client):
    client.force_login(UserFactory())

    response = client.post("/konto/wylogowanie/")

    assert response.status_code == 302
    assert "Zalogowano" not in client.get("/").content.decode()


def test_anonymous_header_has_no_account_box(client):
    html = client.get("/praktyki/").content.decode()

    assert "Zalogowano" not in html
    assert "Wyloguj" not in html
    assert "csrfmiddlewaretoken" not in html


def test_cached_anonymous_page_never_carries_a_signed_in_name():
    PracticeFactory()
    signed_in = Client()
    signed_in.force_login(UserFactory(first_name="Anna", last_name="Tajna"))
    anonymous = Client()

    first = anonymous.get("/praktyki/")  # stored in the page cache
    theirs = signed_in.get("/praktyki/")
    again = anonymous.get("/praktyki/")  # served from the cache

    assert "Zalogowano: Anna Tajna" in theirs.content.decode()
    assert "private" in theirs["Cache-Control"]
    assert again["ETag"] == first["ETag"]
    assert "Anna Tajna" not in again.content.decode()
    assert "Zalogowano" not in again.content.decode()
