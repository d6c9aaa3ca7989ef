"""The public vote: code page, ballot page, one vote per category, throttled wrong codes."""

import datetime
import time

import pytest
from django.utils import timezone

from competitions.codes import code_generate
from competitions.models import Edition, Vote
from tests.competitions.conftest import open_vote
from tests.factories import EditionFactory

pytestmark = pytest.mark.django_db

HOUR = datetime.timedelta(hours=1)


def urls(edition):
    base = edition.get_absolute_url()
    return base + "glosowanie/", base + "glosowanie/karta/"


def sign_in_with_code(client, vote, index=0):
    code_url, ballot_url = urls(vote.edition)
    response = client.post(code_url, {"code": vote.ballots[index][1]})
    assert response.status_code == 302
    assert response["Location"] == ballot_url
    return ballot_url


def test_vote_code_page_explains_the_vote_and_asks_for_the_code(client, vote):
    html = client.get(urls(vote.edition)[0]).content.decode()

    assert html.count("<h1>") == 1
    assert '<label for="id_code">Kod do głosowania</label>' in html
    assert "Głos w każdej kategorii oddajesz osobno i jest on ostateczny." in html


def test_vote_ballot_lists_each_categorys_laureates_as_choices(client, vote):
    ballot_url = sign_in_with_code(client, vote)

    html = client.get(ballot_url).content.decode()

    for category in vote.categories:
        assert f"Oddaj głos w kategorii „{category.name}”" in html
        for entry in vote.laureates[category.pk]:
            assert (
                f'<input type="radio" name="entry" value="{entry.pk}" id="entry-{entry.pk}">'
                in html
            )


def test_vote_cast_from_the_ballot_page_is_recorded_and_shown_as_done(client, vote):
    ballot_url = sign_in_with_code(client, vote)
    category = vote.categories[0]
    entry = vote.laureates[category.pk][2]

    response = client.post(ballot_url, {"category": category.pk, "entry": entry.pk}, follow=True)
    html = response.content.decode()

    assert Vote.objects.get().entry == entry
    assert f"Głos w kategorii „{category.name}” został oddany. Dziękujemy!" in html
    assert f"Twój głos: <strong>{entry.practice.title}</strong>" in html
    assert f"Oddaj głos w kategorii „{category.name}”" not in html


def test_vote_cast_twice_in_a_category_is_refused_with_a_message(client, vote):
    ballot_url = sign_in_with_code(client, vote)
    category = vote.categories[0]
    first, second = vote.laureates[category.pk][:2]
    client.post(ballot_url, {"category": category.pk, "entry": first.pk})

    response = client.post(ballot_url, {"category": category.pk, "entry": second.pk})

    assert response.status_code == 400
    assert "Głos jest ostateczny." in response.content.decode()
    assert list(Vote.objects.values_list("entry", flat=True)) == [first.pk]


def test_vote_without_a_choice_asks_for_one(client, vote):
    ballot_url = sign_in_with_code(client, vote)
    category = vote.categories[0]

    response = client.post(ballot_url, {"category": category.pk})
    html = response.content.decode()

    assert response.status_code == 400
    assert (
        f'<a href="#category-{category.pk}">{category.name}: '
        "Wybierz jedną praktykę w tej kategorii.</a>"
    ) in html
    assert (
        f'<span class="field__error" id="category-{category.pk}-error">'
        "Wybierz jedną praktykę w tej kategorii.</span>"
    ) in html
    assert not Vote.objects.exists()


def test_vote_for_an_entry_of_another_category_is_refused_on_the_page(client, vote):
    ballot_url = sign_in_with_code(client, vote)
    education, culture = vote.categories

    response = client.post(
        ballot_url, {"category": education.pk, "entry": vote.laureates[culture.pk][0].pk}
    )

    assert response.status_code == 400
    assert "To zgłoszenie należy do innej kategorii" in response.content.decode()
    assert not Vote.objects.exists()


def test_vote_ballot_without_a_code_sends_to_the_code_page(client, vote):
    code_url, ballot_url = urls(vote.edition)

    response = client.post(ballot_url, {"category": 1, "entry": 1})

    assert response.status_code == 302
    assert response["Location"] == code_url
    assert not Vote.objects.exists()


def test_vote_code_unknown_gets_a_clear_message(client, vote):
    response = client.post(urls(vote.edition)[0], {"code": "abcd efgh jkmn"})

    assert response.status_code == 400
    assert "Nie znamy takiego kodu w tym głosowaniu." in response.content.decode()


def test_vote_code_malformed_gets_a_clear_message(client, vote):
    response = client.post(urls(vote.edition)[0], {"code": "1234"})

    assert response.status_code == 400
    assert "nie zawiera liter I, L, O ani cyfr 0 i 1" in response.content.decode()


def _guesses(count: int) -> list[str]:
    """Codes no ballot has, and none is a typo of (made apart from the issued ones)."""
    return [f"ABCD-EFGH-{code_generate()[-4:]}" for _ in range(count)]


def _typo(code: str) -> str:
    """The code with two neighbouring characters swapped, as a hurried voter types it."""
    raw = code.replace("-", "")
    position = next(i for i in range(len(raw) - 1) if raw[i] != raw[i + 1])
    return raw[:position] + raw[position + 1] + raw[position] + raw[position + 2 :]


def test_guesses_past_the_budget_are_paced_not_locked_out(client, vote, settings):
    settings.BALLOT_GUESSES_PER_ADDRESS = 3
    settings.BALLOT_PACE_SECONDS = 2
    code_url = urls(vote.edition)[0]

    statuses = [client.post(code_url, {"code": code}).status_code for code in _guesses(5)]
    paced = client.post(code_url, {"code": vote.ballots[0][1]})
    time.sleep(2.1)  # the pace has passed: the next attempt is checked
    right = client.post(code_url, {"code": vote.ballots[0][1]})

    # Three guesses within the budget, the next is checked (the pace lets one through),
    # the one after waits; then even the right code waits its turn, briefly.
    assert statuses == [400, 400, 400, 400, 429]
    assert paced.status_code == 429
    assert paced["Retry-After"] == "2"
    assert "sprawdzamy je wolniej" in paced.content.decode()
    assert right.status_code == 302


def test_typos_of_real_codes_are_forgiven_and_never_slow_anyone(client, vote, settings):
    settings.BALLOT_GUESSES_PER_ADDRESS = 1
    code_url = urls(vote.edition)[0]
    typos = [_typo(code) for _ballot, code in vote.ballots]

    answers = [client.post(code_url, {"code": typo}) for typo in typos * 3]
    right = client.post(code_url, {"code": vote.ballots[0][1]})

    assert [a.status_code for a in answers] == [400] * len(answers)
    assert "Nie znamy takiego kodu w tym głosowaniu." in answers[0].content.decode()
    assert right.status_code == 302


def test_guesses_from_another_address_are_counted_apart(client, vote, settings):
    settings.BALLOT_GUESSES_PER_ADDRESS = 3
    code_url = urls(vote.edition)[0]
    for code in _guesses(5):
        client.post(code_url, {"code": code}, REMOTE_ADDR="203.0.113.9")

    response = client.post(code_url, {"code": vote.ballots[0][1]}, REMOTE_ADDR="198.51.100.7")

    assert response.status_code == 302


def test_vote_code_before_the_window_says_when_it_opens(client):
    now = timezone.now()
    vote = open_vote(vote_opens_at=now + HOUR, vote_closes_at=now + 2 * HOUR)
    code_url = urls(vote.edition)[0]

    page = client.get(code_url).content.decode()
    response = client.post(code_url, {"code": vote.ballots[0][1]})

    assert "Głosowanie jeszcze się nie rozpoczęło." in page
    assert 'name="code"' not in page
    assert response.status_code == 400
    assert "Głosowanie jeszcze się nie rozpoczęło." in response.content.decode()


def test_vote_code_after_the_window_says_it_has_ended(client):
    now = timezone.now()
    vote = open_vote(vote_opens_at=now - 2 * HOUR, vote_closes_at=now - HOUR)

    response = client.post(urls(vote.edition)[0], {"code": vote.ballots[0][1]})

    assert response.status_code == 400
    assert "Głosowanie zakończyło się" in response.content.decode()


def test_vote_ballot_after_the_window_closed_offers_no_forms(client, vote):
    ballot_url = sign_in_with_code(client, vote)
    Edition.objects.filter(pk=vote.edition.pk).update(phase="results")
    category = vote.categories[0]

    page = client.get(ballot_url).content.decode()
    response = client.post(
        ballot_url, {"category": category.pk, "entry": vote.laureates[category.pk][0].pk}
    )

    assert "Głosowanie nie trwa: głosów nie można teraz oddawać." in page
    assert 'type="radio"' not in page
    assert response.status_code == 400
    assert not Vote.objects.exists()


def test_vote_forget_ends_voting_on_this_device(client, vote):
    code_url, ballot_url = urls(vote.edition)
    sign_in_with_code(client, vote)

    client.post(vote.edition.get_absolute_url() + "glosowanie/zakoncz/")

    assert client.get(ballot_url)["Location"] == code_url


def test_vote_page_of_an_edition_without_a_vote_is_not_found(client):
    edition = EditionFactory(has_public_vote=False)

    assert client.get(urls(edition)[0]).status_code == 404


def test_vote_pages_hide_counts_before_results(client, vote):
    ballot_url = sign_in_with_code(client, vote)
    category = vote.categories[0]
    client.post(ballot_url, {"category": category.pk, "entry": vote.laureates[category.pk][0].pk})

    pages = [
        client.get(url).content.decode() for url in (ballot_url, vote.edition.get_absolute_url())
    ]

    assert all("1 głos" not in page and "100%" not in page for page in pages)


@pytest.mark.parametrize("places", [1, 3])
def test_vote_ballot_page_query_count_is_fixed(client, django_assert_num_queries, places):
    vote = open_vote(categories=2, places=places)
    ballot_url = sign_in_with_code(client, vote)

    # session, edition, ballot, categories, laureates, the ballot's votes
    with django_assert_num_queries(6):
        response = client.get(ballot_url)

    assert len(response.context["categories"][0].laureates) == places
