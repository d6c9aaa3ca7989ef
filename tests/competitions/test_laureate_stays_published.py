"""A laureate standing on an open ballot cannot be unpublished until the results."""

import pytest

from competitions.services.phases import edition_advance_phase
from practices.models import Practice
from practices.services import TransitionRefused, practice_change_status
from tests.competitions.conftest import closed_vote
from tests.conftest import refused_by_database

pytestmark = pytest.mark.django_db


def test_unpublishing_a_laureate_during_the_vote_is_refused_with_a_reason(vote):
    laureate = vote.laureates[vote.categories[0].pk][0].practice

    with pytest.raises(TransitionRefused, match="jest laureatem głosowania, które jeszcze trwa"):
        practice_change_status(practice=laureate, to_status="draft", by=None)

    assert Practice.objects.get(pk=laureate.pk).status == "published"
    assert not laureate.status_changes.exists()


def test_the_database_refuses_it_on_any_path(vote):
    laureate = vote.laureates[vote.categories[0].pk][0].practice

    with refused_by_database("practice_laureate_on_open_ballot"):
        Practice.objects.filter(pk=laureate.pk).update(status="archived")


def test_the_admin_bulk_action_says_why(client, vote):
    from core.roles import EDITORS
    from tests.practices.admin.conftest import staff_in

    laureate = vote.laureates[vote.categories[0].pk][0].practice
    client.force_login(staff_in(EDITORS))

    response = client.post(
        "/admin/practices/practice/",
        {"action": "unpublish", "_selected_action": [laureate.pk]},
        follow=True,
    )

    assert "jest laureatem głosowania, które jeszcze trwa" in response.content.decode()
    assert Practice.objects.get(pk=laureate.pk).status == "published"


def test_after_the_results_it_may_be_unpublished():
    vote = closed_vote(choices=[0])
    edition_advance_phase(edition=vote.edition, actor=None)
    laureate = vote.laureates[vote.categories[0].pk][1].practice

    practice_change_status(practice=laureate, to_status="draft", by=None)

    assert Practice.objects.get(pk=laureate.pk).status == "draft"
