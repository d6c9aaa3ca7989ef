"""Konkurs Dobrych Praktyk 2020, replayed end to end through the workflow.

Seed 000: practices entered in five categories; the jury picked three
laureates per category; congress participants voted online for one practice
in each; the winners were announced at the closing. The catalogue records the
three as places 1–3 and place 1 as the winner. Here the edition is taken back
to the close of submissions and run again: jury, scores, laureates, codes,
votes, results, archive. It must end exactly where the seed says.
"""

import datetime
import time

import pytest
from django.utils import timezone

from catalogue.index.refresh import index_flush
from competitions.models import DecisionLog, Edition, Entry, JuryMember
from competitions.services.ballots import ballot_authenticate, ballot_issue, vote_cast
from competitions.services.jury import jury_conflict_declare, jury_scores_save
from competitions.services.phases import edition_advance_phase, edition_set_vote_window
from practices.models import Practice
from tests.conftest import after_commit
from tests.factories import CriterionFactory, UserFactory

pytestmark = pytest.mark.django_db

# Each ballot's choice in every category, as a laureate place: 3 : 2 : 1.
BALLOT_CHOICES = [1, 1, 1, 2, 2, 3]
# Long enough for the votes to be cast on a busy machine; the test then waits it out.
VOTE_SECONDS = 6


def outcome(edition) -> dict[str, tuple[str, int | None, bool]]:
    """{practice slug: (status, place, winner)} of the edition's entries."""
    return {
        e.practice.slug: (e.status, e.laureate_place, e.is_winner)
        for e in Entry.objects.filter(category__edition=edition).select_related("practice")
    }


def test_kdp_2020_replayed_end_to_end_ends_as_the_seed_says(client, catalogue):
    edition = Edition.objects.get(competition__slug="konkurs-dobrych-praktyk-kongresu", year=2020)
    seed = outcome(edition)
    seed_places = {e.pk: e.laureate_place for e in Entry.objects.filter(category__edition=edition)}
    seed_winners = set(
        Entry.objects.filter(category__edition=edition, is_winner=True).values_list(
            "practice__slug", flat=True
        )
    )
    assert len(seed) == 15 and len(seed_winners) == 5

    # Back to the close of submissions: fifteen entries, nothing decided.
    Entry.objects.filter(category__edition=edition).update(
        status="submitted", laureate_place=None, is_winner=False
    )
    Edition.objects.filter(pk=edition.pk).update(phase="submissions")
    index_flush()  # what the commit of these writes would do
    edition.refresh_from_db()
    organiser = UserFactory(username="organizator", is_staff=True)

    # The jury: a chair and two members; three weighted criteria on a 0–10 scale.
    chair_user = UserFactory(username="przewodniczaca", first_name="Ewa", last_name="Nowak")
    jurors = [
        JuryMember.objects.create(edition=edition, user=chair_user, is_chair=True),
        *(
            JuryMember.objects.create(edition=edition, user=UserFactory(username=f"juror{i}"))
            for i in (1, 2)
        ),
    ]
    criteria = [
        CriterionFactory(edition=edition, name="Innowacyjność", weight=2, order=1),
        CriterionFactory(edition=edition, name="Skuteczność", weight="1.5", order=2),
        CriterionFactory(edition=edition, name="Możliwość powielenia", weight=1, order=3),
    ]
    edition = edition_advance_phase(edition=edition, actor=organiser, expected_phase="submissions")
    assert edition.phase == "jury_review"

    # Scores: every juror rates the seed's place 1 above 2 above 3, each a little
    # differently; one juror has a conflict of interest and does not score that entry.
    entries = list(
        Entry.objects.filter(category__edition=edition).select_related("category", "practice")
    )
    conflicted = next(e for e in entries if e.practice.slug == "gdynia-gdynskie-centrum-kontaktu")
    jury_conflict_declare(member=jurors[2], entry=conflicted, reason="Współpraca z urzędem")
    for index, member in enumerate(jurors):
        for entry in entries:
            if member == jurors[2] and entry == conflicted:
                continue
            base = 10 - 3 * (seed_places[entry.pk] - 1)
            values = {c.pk: max(0, base - (index + n) % 2) for n, c in enumerate(criteria)}
            jury_scores_save(member=member, entry=entry, values=values, submit=True)

    # The chair reads the ranking and marks the laureates on the jury pages.
    client.force_login(chair_user)
    rankings = client.get(f"/konkursy/jury/{edition.slug}/ranking/").context["rankings"]
    assert [r.scorers for r in rankings[0].rows] == [2, 3, 3]  # one conflict in Samorząd
    for ranking in rankings:
        for row in ranking.rows:
            response = client.post(
                f"/konkursy/jury/{edition.slug}/zgloszenia/{row.entry.pk}/decyzja/",
                {"status": "laureate", "laureate_place": row.rank, "reason": "Ranking jury"},
            )
            assert response.status_code == 302
    assert DecisionLog.objects.filter(edition=edition, action="result").count() == 15
    assert {
        slug: (status, place) for slug, (status, place, _winner) in outcome(edition).items()
    } == {slug: (status, place) for slug, (status, place, _winner) in seed.items()}

    # Codes for the congress participants, the window around now, the vote opens.
    codes = ballot_issue(
        edition=edition,
        issued_by=organiser,
        labels=[f"Uczestnik Kongresu {n}" for n in range(1, len(BALLOT_CHOICES) + 1)],
    )
    now = timezone.now()
    edition_set_vote_window(
        edition=edition,
        opens_at=now - datetime.timedelta(minutes=1),
        closes_at=now + datetime.timedelta(seconds=VOTE_SECONDS),
    )
    edition = edition_advance_phase(edition=edition, actor=organiser)
    assert edition.phase == "public_vote" and edition.vote_rules_locked_at is not None

    # Participant 1 votes on the public pages; the others through the same service.
    client.logout()
    base = edition.get_absolute_url()
    categories = list(edition.categories.order_by("order"))
    laureates = {
        (e.category_id, e.laureate_place): e
        for e in Entry.objects.filter(category__edition=edition, status="laureate")
    }
    assert client.post(f"{base}glosowanie/", {"code": codes[0].code}).status_code == 302
    for category in categories:
        choice = laureates[(category.pk, BALLOT_CHOICES[0])]
        response = client.post(
            f"{base}glosowanie/karta/", {"category": category.pk, "entry": choice.pk}
        )
        assert response.status_code == 302
    for issued, place in zip(codes[1:], BALLOT_CHOICES[1:], strict=True):
        ballot = ballot_authenticate(edition=edition, code=issued.code)
        for category in categories:
            vote_cast(
                ballot=ballot,
                category_id=category.pk,
                entry_id=laureates[(category.pk, place)].pk,
            )
    during = client.get(base).content.decode()
    assert "głosy (" not in during and "głos (" not in during

    # The vote closes; the results are published; the edition goes to the archive.
    time.sleep(max(0.0, (edition.vote_closes_at - timezone.now()).total_seconds()) + 0.05)
    with after_commit():
        edition = edition_advance_phase(edition=edition, actor=organiser)
    assert edition.phase == "results"

    winners = set(
        Entry.objects.filter(category__edition=edition, is_winner=True).values_list(
            "practice__slug", flat=True
        )
    )
    assert winners == seed_winners
    html = client.get(base).content.decode()
    assert html.count("3 głosy (50%)") == 5
    assert html.count("2 głosy (33%)") == 5
    assert html.count("1 głos (17%)") == 5
    assert html.count("Zwycięzca kategorii") == 5
    assert html.count("Jury i głosowanie obok siebie") == 5
    csv_rows = client.get(f"{base}wyniki.csv").content.decode("utf-8-sig").splitlines()
    assert len(csv_rows) == 1 + 15
    assert sum(",tak,3,50.00," in row for row in csv_rows) == 5
    for slug in seed_winners:
        assert "winner" in Practice.objects.get(slug=slug).award_levels

    edition = edition_advance_phase(edition=edition, actor=organiser)
    assert edition.phase == "archived"
    assert outcome(edition) == seed
