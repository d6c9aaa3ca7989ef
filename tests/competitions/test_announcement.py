"""The jury's decisions are drafts until the organiser announces them.

A laureate place, a finalist and a distinction saved by the chair during the
jury review must not reach any public page, export, search or filter; opening
the vote (or, without a vote, publishing the results) announces them all at
once, everywhere.
"""

import datetime
import json

import pytest
from django.utils import timezone

from competitions.models import DecisionLog
from competitions.services.decisions import entry_decide
from competitions.services.phases import edition_advance_phase, edition_set_vote_window
from tests.competitions.conftest import jury_review
from tests.conftest import after_commit

pytestmark = pytest.mark.django_db


@pytest.fixture
def decided():
    """An edition in its jury review whose chair has saved a laureate and a finalist."""
    jury = jury_review(entries=3)
    laureate, finalist, _other = jury.entries
    for entry, title in ((laureate, "Kamenets Digital"), (finalist, "Miasto poczeka")):
        entry.practice.title = title
        entry.practice.save()
    with after_commit():
        entry_decide(
            entry=laureate,
            actor=jury.chair.user,
            status="laureate",
            laureate_place=1,
            distinction="Empatia",
        )
        entry_decide(entry=finalist, actor=jury.chair.user, status="finalist")
    return jury


def public_view(client, jury) -> dict[str, str]:
    """Every public place a decision could show, as an anonymous visitor gets it."""
    laureate = jury.entries[0]
    edition = jury.edition
    pages = {
        "list, laureates": "/praktyki/?award=laureate",
        "list, finalists": "/praktyki/?award=finalist",
        "list, edition": f"/praktyki/?edition={edition.slug}",
        "list, competition": f"/praktyki/?competition={edition.competition.slug}",
        "search": "/praktyki/?q=empatia",
        "list": "/praktyki/",
        "practice": laureate.practice.get_absolute_url(),
        "organisation": laureate.practice.lead_organisation.get_absolute_url(),
        "home": "/",
        "edition": edition.get_absolute_url(),
        "csv": "/praktyki/eksport.csv",
        "json": "/praktyki/eksport.json",
        "feed": "/praktyki/kanal.atom",
    }
    seen = {}
    for name, url in pages.items():
        response = client.get(url)
        assert response.status_code == 200, url
        body = response.getvalue() if response.streaming else response.content
        seen[name] = body.decode()
    return seen


def test_decisions_saved_in_the_jury_review_are_public_nowhere(client, decided):
    seen = public_view(client, decided)

    for name in ("list, laureates", "list, finalists", "list, edition", "list, competition"):
        assert "Kamenets Digital" not in seen[name], name
        assert "Miasto poczeka" not in seen[name], name
    assert "0 praktyk" in seen["search"]
    for name, text in seen.items():
        assert "Empatia" not in text, name
        assert "1. miejsce" not in text, name
    for dimension in ("award:laureate", "award:finalist", "award:distinction"):
        assert f'data-facet-count="{dimension}">(0)' in seen["list"], dimension
    assert "Kamenets Digital" not in seen["home"].split("Ostatni laureaci")[-1]
    exported = {record["title"]: record for record in json.loads(seen["json"])}
    assert exported["Kamenets Digital"]["awards"] == []
    assert "ogłosimy, gdy rozpocznie się głosowanie" in seen["edition"]


def test_opening_the_vote_announces_every_decision_at_once(client, decided):
    edition = decided.edition
    now = timezone.now()
    edition_set_vote_window(
        edition=edition,
        opens_at=now - datetime.timedelta(minutes=1),
        closes_at=now + datetime.timedelta(hours=2),
    )

    with after_commit():
        edition_advance_phase(edition=edition, actor=decided.chair.user)
    seen = public_view(client, decided)

    assert "Kamenets Digital" in seen["list, laureates"]
    assert "Miasto poczeka" in seen["list, finalists"]
    assert "Kamenets Digital" in seen["list, edition"] and "Miasto poczeka" in seen["list, edition"]
    assert "Kamenets Digital" in seen["search"]
    assert "Empatia" in seen["practice"] and "Laureat – 1. miejsce" in seen["practice"]
    assert "Empatia" in seen["organisation"]
    assert "Kamenets Digital" in seen["home"].split("Ostatni laureaci")[-1]
    assert "Kamenets Digital" in seen["edition"] and "Empatia" in seen["edition"]
    exported = {record["title"]: record for record in json.loads(seen["json"])}
    assert [a["status"] for a in exported["Kamenets Digital"]["awards"]] == ["laureate"]
    announcement = DecisionLog.objects.get(edition=edition, action="announce")
    laureate, finalist, _other = decided.entries
    assert announcement.actor == decided.chair.user
    assert (announcement.after["laureates"], announcement.after["finalists"]) == (
        [laureate.pk],
        [finalist.pk],
    )
    assert announcement.after["distinctions"] == [laureate.pk]
    # The vote runs: its counts are still nobody's business.
    assert "głos (" not in seen["edition"] and "głosy (" not in seen["edition"]


def test_without_a_vote_the_results_announce_the_decisions(client, decided):
    edition = decided.edition
    type(edition).objects.filter(pk=edition.pk).update(has_public_vote=False)
    edition.refresh_from_db()
    assert "ogłosimy razem z wynikami" in client.get(edition.get_absolute_url()).content.decode()

    with after_commit():
        edition_advance_phase(edition=edition, actor=decided.chair.user)

    edition.refresh_from_db()
    assert edition.phase == "results"
    laureates = client.get("/praktyki/", {"award": "laureate"}).content.decode()
    assert "Kamenets Digital" in laureates
