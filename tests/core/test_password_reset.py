"""Password reset by e-mail: a link to the site's address, a new password that
signs in, limits against spamming, and never a word on whether an address exists."""

import re

import pytest
from django.contrib.auth import get_user_model

from core.views import PASSWORD_RESETS_PER_CLIENT, PASSWORD_RESETS_PER_EMAIL
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

RESET_URL = "/konto/haslo/reset/"
DONE_URL = "/konto/haslo/reset/wyslano/"


@pytest.fixture
def juror():
    user = UserFactory(username="jurorka", email="jurorka@example.org")
    user.set_password("stare-haslo-123")
    user.save()
    return user


def test_login_page_links_to_the_password_reset(client):
    html = client.get("/konto/logowanie/").content.decode()

    assert f'<a href="{RESET_URL}">Nie pamiętasz hasła?</a>' in html


def test_reset_mails_a_link_to_the_site_url_and_the_new_password_signs_in(
    client, juror, mailoutbox, settings
):
    settings.SITE_URL = "https://katalog.example.pl/"

    response = client.post(RESET_URL, {"email": "Jurorka@example.org"})
    (mail,) = mailoutbox
    link = re.search(r"https://katalog\.example\.pl/konto/haslo/reset/\S+/\S+/", mail.body)
    form_page = client.get(link.group(0), follow=True)
    done = client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": "Nowe-Haslo-Jury-2026", "new_password2": "Nowe-Haslo-Jury-2026"},
        follow=True,
    )
    signed_in = client.post(
        "/konto/logowanie/", {"username": "jurorka", "password": "Nowe-Haslo-Jury-2026"}
    )

    assert response["Location"] == DONE_URL
    assert mail.to == ["jurorka@example.org"]
    assert mail.subject == "Ustawienie nowego hasła w Katalogu dobrych praktyk"
    assert "konta „jurorka”" in mail.body
    assert "Ustaw nowe hasło" in form_page.content.decode()
    assert "Hasło zmienione" in done.content.decode()
    assert signed_in.status_code == 302  # django-axes lets the right password in
    assert get_user_model().objects.get(pk=juror.pk).check_password("Nowe-Haslo-Jury-2026")


def test_reset_for_an_unknown_address_answers_the_same_and_sends_nothing(client, juror, mailoutbox):
    known = client.post(RESET_URL, {"email": "jurorka@example.org"})
    unknown = client.post(RESET_URL, {"email": "nikt@example.org"})

    assert (known.status_code, known["Location"]) == (unknown.status_code, unknown["Location"])
    assert [m.to for m in mailoutbox] == [["jurorka@example.org"]]
    page = client.get(DONE_URL).content.decode()
    assert "Jeśli podany adres należy do konta w katalogu" in page


def test_reset_mails_one_address_at_most_the_limit_and_still_answers_the_same(
    client, juror, mailoutbox
):
    responses = [
        client.post(RESET_URL, {"email": "jurorka@example.org"})
        for _ in range(PASSWORD_RESETS_PER_EMAIL + 2)
    ]

    assert len(mailoutbox) == PASSWORD_RESETS_PER_EMAIL
    assert {(r.status_code, r["Location"]) for r in responses} == {(302, DONE_URL)}


def test_reset_requests_from_one_client_past_the_limit_are_asked_to_wait(client, mailoutbox):
    for n in range(PASSWORD_RESETS_PER_CLIENT):
        client.post(RESET_URL, {"email": f"ktos{n}@example.org"})

    response = client.post(RESET_URL, {"email": "jeszcze@example.org"})

    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0
    assert "Zbyt wiele prób z tego adresu" in response.content.decode()


def test_reset_link_used_twice_is_refused(client, juror, mailoutbox):
    client.post(RESET_URL, {"email": "jurorka@example.org"})
    link = re.search(r"http\S+/konto/haslo/reset/\S+/\S+/", mailoutbox[0].body).group(0)
    path = link.split("://", 1)[1].split("/", 1)[1]
    form_page = client.get("/" + path, follow=True)
    client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": "Nowe-Haslo-Jury-2026", "new_password2": "Nowe-Haslo-Jury-2026"},
    )

    again = client.get("/" + path, follow=True).content.decode()

    assert "Ten link do ustawienia hasła jest nieważny" in again
