"""The organisers' admin: codes issued as CSV, phases, results export, votes kept hidden."""

import csv
import io

import pytest
from django.contrib.auth.models import Group

from competitions.codes import code_hash, code_normalise
from competitions.models import Ballot, BallotBatch, Edition, Vote
from competitions.services.ballots import vote_cast
from core.roles import JURY
from tests.admin_forms import admin_post
from tests.factories import CategoryFactory, EditionFactory, JuryMemberFactory, UserFactory

pytestmark = pytest.mark.django_db

CHANGELIST = "/admin/competitions/edition/"

MODELS = [
    "competition",
    "edition",
    "category",
    "entry",
    "jurymember",
    "criterion",
    "score",
    "jurysubmission",
    "conflictofinterest",
    "decisionlog",
    "tieresolution",
    "ballotbatch",
    "ballot",
    "vote",
]


@pytest.mark.parametrize("model", MODELS)
def test_admin_lists_every_competitions_model(admin_client, vote, model):
    assert admin_client.get(f"/admin/competitions/{model}/").status_code == 200


def test_admin_edition_page_opens_with_its_inlines(admin_client, vote):
    response = admin_client.get(f"{CHANGELIST}{vote.edition.pk}/change/")

    assert response.status_code == 200
    assert "vote_opens_at" not in response.context["adminform"].form.fields  # locked: read-only


def test_admin_issue_ballots_asks_how_many_first(admin_client):
    edition = EditionFactory(phase="jury_review")

    response = admin_client.post(
        CHANGELIST, {"action": "issue_ballots", "_selected_action": [edition.pk]}
    )

    assert response.status_code == 200
    assert "Kody pojawią się tylko raz" in response.content.decode()
    assert not Ballot.objects.exists()


def test_admin_issue_ballots_downloads_the_codes_once_as_csv(admin_client):
    edition = EditionFactory(phase="jury_review")

    response = admin_client.post(
        CHANGELIST,
        {"action": "issue_ballots", "_selected_action": [edition.pk], "apply": "1", "count": 3},
    )
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))

    assert response["Content-Disposition"] == f'attachment; filename="kody-{edition.slug}-3.csv"'
    assert rows[0] == ["kod", "opis"]
    codes = [row[0] for row in rows[1:]]
    assert len(codes) == 3
    assert set(Ballot.objects.values_list("code_hash", flat=True)) == {
        code_hash(code_normalise(c)) for c in codes
    }
    assert BallotBatch.objects.get().size == 3


def test_admin_issue_ballots_for_a_list_of_participants(admin_client):
    edition = EditionFactory(phase="jury_review")

    response = admin_client.post(
        CHANGELIST,
        {
            "action": "issue_ballots",
            "_selected_action": [edition.pk],
            "apply": "1",
            "labels": "Jan Kowalski\r\nAnna Nowak\r\n",
        },
    )
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))

    assert [row[1] for row in rows[1:]] == ["Jan Kowalski", "Anna Nowak"]


def test_admin_issue_ballots_after_the_vote_shows_the_refusal(admin_client):
    edition = EditionFactory(phase="results")

    response = admin_client.post(
        CHANGELIST,
        {"action": "issue_ballots", "_selected_action": [edition.pk], "apply": "1", "count": 3},
    )

    assert response.status_code == 200
    assert "Głosowanie w tej edycji jest zakończone" in response.content.decode()
    assert not Ballot.objects.exists()


def test_admin_advance_phase_moves_ready_editions_and_explains_the_others(admin_client):
    ready = EditionFactory(name="Gotowa", year=2030)
    CategoryFactory(edition=ready)
    empty = EditionFactory(name="Pusta", year=2031)

    response = admin_client.post(
        CHANGELIST,
        {"action": "advance_phase", "_selected_action": [ready.pk, empty.pk]},
        follow=True,
    )
    html = response.content.decode()

    assert Edition.objects.get(pk=ready.pk).phase == "submissions"
    assert Edition.objects.get(pk=empty.pk).phase == "announced"
    assert "Gotowa: teraz „nabór zgłoszeń”." in html
    assert "Pusta: Dodaj co najmniej jedną kategorię" in html


def test_admin_export_results_before_publication_is_refused(admin_client, vote):
    response = admin_client.post(
        CHANGELIST,
        {"action": "export_results", "_selected_action": [vote.edition.pk]},
        follow=True,
    )

    assert "wyniki nie są jeszcze ogłoszone" in response.content.decode()


def test_admin_export_results_after_publication_sends_the_csv(admin_client, vote):
    Edition.objects.filter(pk=vote.edition.pk).update(phase="results")

    response = admin_client.post(
        CHANGELIST, {"action": "export_results", "_selected_action": [vote.edition.pk]}
    )

    assert response.status_code == 302
    assert response["Location"] == vote.edition.get_absolute_url() + "wyniki.csv"


def test_admin_hides_votes_until_the_results_are_published(admin_client, vote):
    category = vote.categories[0]
    vote_cast(
        ballot=vote.ballots[0][0],
        category_id=category.pk,
        entry_id=vote.laureates[category.pk][0].pk,
    )

    hidden = admin_client.get("/admin/competitions/vote/")
    Edition.objects.filter(pk=vote.edition.pk).update(phase="results")
    shown = admin_client.get("/admin/competitions/vote/")

    assert hidden.context["cl"].result_count == 0
    assert "Głosy pokazujemy dopiero po ogłoszeniu wyników edycji." in hidden.content.decode()
    assert shown.context["cl"].result_count == Vote.objects.count() == 1


def test_admin_entry_decisions_are_read_only(admin_client, vote):
    entry = vote.laureates[vote.categories[0].pk][0]

    response = admin_client.get(f"/admin/competitions/entry/{entry.pk}/change/")

    fields = response.context["adminform"].form.fields
    assert not {"status", "laureate_place", "is_winner", "distinction"} & set(fields)


def test_admin_shows_a_juror_only_the_editions_they_sit_on(client):
    mine, other = EditionFactory(name="Moja edycja", year=2030), EditionFactory(year=2031)
    juror = UserFactory(is_staff=True)
    juror.groups.add(Group.objects.get(name=JURY))
    JuryMemberFactory(edition=mine, user=juror)
    client.force_login(juror)

    response = client.get(CHANGELIST)

    assert list(response.context["cl"].queryset) == [mine]
    assert client.get(f"{CHANGELIST}{other.pk}/change/").status_code == 302
    assert client.get("/admin/competitions/vote/").status_code == 403


def test_admin_ballots_cannot_be_added_by_hand(admin_client):
    assert admin_client.get("/admin/competitions/ballot/add/").status_code == 403


def test_admin_new_edition_gets_its_slug_from_competition_and_year(admin_client):
    taken = EditionFactory(year=2026)
    competition = taken.competition
    Edition.objects.filter(pk=taken.pk).update(slug=f"{competition.slug}-2027")

    admin_post(
        admin_client,
        f"{CHANGELIST}add/",
        competition=competition.pk,
        year="2027",
        name="Edycja 2027",
        slug="",
        funding_sources=[],
    )
    admin_post(
        admin_client,
        f"{CHANGELIST}add/",
        competition=competition.pk,
        year="2028",
        name="Edycja 2028",
        slug="",
        funding_sources=[],
    )

    created = dict(Edition.objects.filter(year__in=[2027, 2028]).values_list("year", "slug"))
    assert created == {2027: f"{competition.slug}-2027-2", 2028: f"{competition.slug}-2028"}


INLINES = ("categories", "criteria", "jury_members", "organiser_links")


def test_admin_refuses_a_jury_winner_rule_with_a_public_vote_in_words(admin_client):
    edition = EditionFactory(phase="announced", has_public_vote=True)

    response = admin_client.post(
        f"{CHANGELIST}{edition.pk}/change/",
        {
            "competition": edition.competition.pk,
            "year": edition.year,
            "name": edition.name,
            "slug": edition.slug,
            "has_public_vote": "on",
            "jury_names_winners": "on",
            **{
                f"{p}-TOTAL_FORMS": "0"
                for p in ("categories", "criteria", "jury_members", "organiser_links")
            },
            **{
                f"{p}-INITIAL_FORMS": "0"
                for p in ("categories", "criteria", "jury_members", "organiser_links")
            },
        },
    )

    assert response.status_code == 200
    assert "w edycji z głosowaniem zwycięzcę wybierają głosujący" in response.content.decode()
    assert Edition.objects.get(pk=edition.pk).jury_names_winners is False
