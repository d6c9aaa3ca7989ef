"""Results: hidden until published; then jury, laureates, votes and winner side by side, and CSV."""

import csv
import datetime
import io

import pytest
from django.utils import timezone

from competitions.models import Edition, TieResolution
from competitions.services.jury import jury_scores_save
from competitions.services.phases import edition_advance_phase
from tests.competitions.conftest import cast_in_the_past, closed_vote, laureate
from tests.factories import (
    BallotFactory,
    CategoryFactory,
    CriterionFactory,
    EditionFactory,
    JuryMemberFactory,
)

pytestmark = pytest.mark.django_db

HOUR = datetime.timedelta(hours=1)


def scored_and_voted(*, places: int = 3, votes: tuple[int, ...] = (3, 1, 0)):
    """An edition after its closed vote: one category, `places` laureates scored by the
    jury (the first best), then `votes[i]` votes for laureate i."""
    now = timezone.now()
    edition = EditionFactory(
        phase="jury_review", vote_opens_at=now - 3 * HOUR, vote_closes_at=now - HOUR
    )
    category = CategoryFactory(edition=edition, name="Samorząd", laureate_places=places)
    entries = [laureate(category, place) for place in range(1, places + 1)]
    criterion = CriterionFactory(edition=edition, scale_max=10)
    member = JuryMemberFactory(edition=edition)
    for place, entry in enumerate(entries, start=1):
        jury_scores_save(member=member, entry=entry, values={criterion.pk: 10 - place}, submit=True)
    Edition.objects.filter(pk=edition.pk).update(
        phase="public_vote", vote_rules_locked_at=now - 3 * HOUR
    )
    for entry, count in zip(entries, votes, strict=False):
        for _ in range(count):
            cast_in_the_past(BallotFactory(edition=edition), entry)
    edition.refresh_from_db()
    return edition, category, entries


def test_results_page_before_publication_shows_no_counts_ranking_or_csv(client):
    edition, _category, _entries = scored_and_voted()

    html = client.get(edition.get_absolute_url()).content.decode()
    csv_response = client.get(edition.get_absolute_url() + "wyniki.csv")

    assert "głos" not in html.split("Kategorie i wyniki")[1].split("</section>")[0]
    assert "Ranking jury" not in html
    assert "Pobierz wyniki (CSV)" not in html
    assert csv_response.status_code == 404


def test_results_page_after_publication_shows_jury_laureates_votes_and_winner(client):
    edition, _category, entries = scored_and_voted()
    edition_advance_phase(edition=edition, actor=None)

    response = client.get(edition.get_absolute_url())
    html = response.content.decode()
    category = response.context["edition"].categories.all()[0]

    assert [(e.votes_count, e.votes_percent, e.is_winner) for e in category.laureates] == [
        (3, 75, True),
        (1, 25, False),
        (0, 0, False),
    ]
    assert [(r.rank, r.entry.pk, r.votes_count) for r in category.ranking_rows] == [
        (1, entries[0].pk, 3),
        (2, entries[1].pk, 1),
        (3, entries[2].pk, 0),
    ]
    assert "3 głosy (75%)" in html
    assert "Zwycięzca kategorii" in html
    assert "Jury i głosowanie obok siebie: Samorząd" in html
    assert "Pobierz wyniki (CSV)" in html


def test_results_csv_after_publication_has_one_row_per_entry():
    from django.test import Client

    edition, _category, entries = scored_and_voted()
    edition_advance_phase(edition=edition, actor=None)

    response = Client().get(edition.get_absolute_url() + "wyniki.csv")
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))

    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert [
        (
            r["praktyka"],
            r["miejsce"],
            r["zwyciezca"],
            r["glosy"],
            r["udzial_proc"],
            r["jury_pozycja"],
        )
        for r in rows
    ] == [
        (entries[0].practice.title, "1", "tak", "3", "75.00", "1"),
        (entries[1].practice.title, "2", "nie", "1", "25.00", "2"),
        (entries[2].practice.title, "3", "nie", "0", "0.00", "3"),
    ]
    assert rows[0]["jury_punkty_0_100"] == "90.00"  # 9 on a 0–10 scale


def test_results_show_a_tie_as_a_tie_with_the_chairs_reason(client, tie):
    category = tie.categories[0]
    winner = tie.laureates[category.pk][1]
    TieResolution.objects.create(category=category, entry=winner, reason="Wyższa ocena jury")
    edition_advance_phase(edition=tie.edition, actor=None)

    html = client.get(tie.edition.get_absolute_url()).content.decode()

    assert "Remis w głosowaniu (1 głos na każde zgłoszenie)" in html
    assert f"Przewodniczący jury wskazał zwycięzcę: {winner.practice.title}." in html
    assert "Uzasadnienie: Wyższa ocena jury" in html


def test_edition_page_links_to_the_vote_while_it_is_open(client, vote):
    html = client.get(vote.edition.get_absolute_url()).content.decode()

    assert "Trwa głosowanie publiczne" in html
    assert f'href="{vote.edition.get_absolute_url()}glosowanie/"' in html
    assert "Liczby głosów pokażemy po ogłoszeniu wyników." in html


def test_edition_page_marks_the_current_phase(client, vote):
    html = client.get(vote.edition.get_absolute_url()).content.decode()

    assert '<li aria-current="step" class="is-current">Głosowanie</li>' in html


@pytest.mark.parametrize("places", [1, 3])
def test_published_edition_page_query_count_is_fixed(client, django_assert_num_queries, places):
    edition, category, entries = scored_and_voted(places=places, votes=(1,) * places)
    if places > 1:
        TieResolution.objects.create(category=category, entry=entries[0], reason="Losowanie")
    edition_advance_phase(edition=edition, actor=None)
    url = edition.get_absolute_url()

    # edition, categories, entries, organisers, funding, links, votes,
    # ranking (categories, entries, scores), tie resolutions
    with django_assert_num_queries(11):
        response = client.get(url)

    assert len(response.context["edition"].categories.all()[0].ranking_rows) == places


def test_closed_vote_fixture_counts_stay_secret_on_the_page(client):
    vote = closed_vote(choices=[0, 0, 1])

    html = client.get(vote.edition.get_absolute_url()).content.decode()

    assert "głosy (" not in html and "głos (" not in html
