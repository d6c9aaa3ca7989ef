"""The training edition (manage.py create_training_edition): a whole competition to try
on the real catalogue, walked with the real services, that awards nothing real,
shows up on no public list, and goes without a trace.
"""

from __future__ import annotations

import datetime
import json
import re
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.utils import timezone

from competitions.models import (
    Ballot,
    Competition,
    DecisionLog,
    Edition,
    Entry,
    JuryMember,
    Score,
    Vote,
)
from competitions.selectors import edition_jury_ranking
from competitions.services.ballots import ballot_authenticate, ballot_issue, vote_cast
from competitions.services.decisions import entry_decide
from competitions.services.jury import jury_scores_save
from competitions.services.phases import (
    edition_advance_phase,
    edition_change_vote_close,
    edition_set_vote_window,
)
from competitions.services.training import (
    CHAIR,
    JURORS,
    ORGANISER,
    USERNAMES,
    training_edition_create,
    training_edition_delete,
)
from core.roles import ADMINISTRATORS, JURY
from practices.models import Practice
from tests.conftest import after_commit

pytestmark = pytest.mark.django_db

BANNER = "Edycja szkoleniowa — tylko do ćwiczeń, nic tu nie jest prawdziwe"
NOINDEX = '<meta name="robots" content="noindex">'


def run(*args: str) -> str:
    out = StringIO()
    with after_commit():
        call_command("create_training_edition", *args, stdout=out)
    return out.getvalue()


def printed_passwords(output: str) -> dict[str, str]:
    return dict(re.findall(r"^\s+(szkolenie-[\w-]+)\s+(\S+)\s", output, flags=re.MULTILINE))


def printed_codes(output: str) -> list[str]:
    return re.findall(r"^\s+([A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4})$", output, flags=re.MULTILINE)


def index_rows(practice_ids) -> dict[int, tuple]:
    """The catalogue index's award columns of these practices, as the list filters read them."""
    return {
        row[0]: row[1:]
        for row in Practice.objects.filter(pk__in=practice_ids).values_list(
            "id", "award_levels", "edition_ids", "competition_ids", "search_vector"
        )
    }


def test_command_builds_the_training_edition_and_prints_the_accounts(catalogue):
    first_published = list(
        Practice.objects.published().order_by("slug").values_list("pk", flat=True)[:6]
    )

    output = run()

    edition = Edition.objects.get(is_training=True)
    year = timezone.localdate().year
    assert (edition.competition.slug, edition.name, edition.phase) == (
        "szkolenie",
        f"Edycja szkoleniowa {year}",
        "submissions",
    )
    assert "wyłącznie do ćwiczeń" in edition.description
    assert [c.name for c in edition.categories.order_by("order")] == [
        "Usługi dla mieszkańców",
        "Zarządzanie i współpraca",
    ]
    assert sorted(edition.criteria.values_list("weight", "scale_min", "scale_max")) == [
        (1, 1, 5),
        (1, 1, 5),
        (2, 1, 10),
    ]
    entries = Entry.objects.filter(category__edition=edition)
    assert sorted(entries.values_list("practice_id", flat=True)) == sorted(first_published)
    assert set(entries.values_list("status", flat=True)) == {"submitted"}
    jury = {m.user.username: m.is_chair for m in edition.jury_members.select_related("user")}
    assert jury == {CHAIR: True, JURORS[0]: False, JURORS[1]: False}
    users = {u.username: u for u in get_user_model().objects.filter(username__in=USERNAMES)}
    assert set(users[ORGANISER].groups.values_list("name", flat=True)) == {ADMINISTRATORS}
    assert all(set(users[name].groups.values_list("name", flat=True)) == {JURY} for name in jury)
    assert all(user.is_staff and not user.is_superuser for user in users.values())
    passwords = printed_passwords(output)
    assert set(passwords) == set(USERNAMES)
    for username, password in passwords.items():
        assert len(password) >= 20
        assert users[username].check_password(password)
        assert password not in users[username].password  # only the hash is kept
    assert f"/admin/competitions/edition/{edition.pk}/pulpit/" in output
    assert f"/konkursy/szkolenie/{year}/glosowanie/" in output
    assert "--delete" in output
    assert printed_codes(output) == []


def test_command_run_twice_refuses_and_says_how_to_delete(catalogue):
    run()
    counts = (Edition.objects.count(), Entry.objects.count(), get_user_model().objects.count())

    with pytest.raises(CommandError) as refusal:
        run()

    assert "Edycja szkoleniowa już istnieje" in str(refusal.value)
    assert "create_training_edition --delete" in str(refusal.value)
    assert (Edition.objects.count(), Entry.objects.count(), get_user_model().objects.count()) == (
        counts
    )


def test_command_on_an_empty_catalogue_says_so_and_writes_nothing(db):
    with pytest.raises(CommandError) as refusal:
        run()

    assert "0 opublikowanych praktyk" in str(refusal.value)
    assert "load_catalogue" in str(refusal.value)
    assert not Competition.objects.exists()
    assert not get_user_model().objects.filter(username__in=USERNAMES).exists()


def test_the_training_edition_walks_from_call_to_results(client, catalogue):
    with after_commit():
        made = training_edition_create()
    edition = made.edition
    organiser = get_user_model().objects.get(username=ORGANISER)
    members = list(JuryMember.objects.filter(edition=edition).select_related("user"))
    criteria = list(edition.criteria.order_by("order"))
    entries = list(Entry.objects.filter(category__edition=edition).order_by("id"))

    # The call closes; every juror scores every entry on the criteria's own scales.
    edition = edition_advance_phase(edition=edition, actor=organiser, expected_phase="submissions")
    for member in members:
        for n, entry in enumerate(entries):
            values = {c.pk: c.scale_max - (n % 3) for c in criteria}
            jury_scores_save(member=member, entry=entry, values=values, submit=True)
    assert Score.objects.filter(entry__in=entries).count() == len(members) * 6 * len(criteria)

    # The chair names two laureates per category from the ranking, the third a finalist.
    chair = next(m for m in members if m.is_chair).user
    for ranking in edition_jury_ranking(edition):
        for place, row in enumerate(ranking.rows, start=1):
            entry_decide(
                entry=row.entry,
                actor=chair,
                status="laureate" if place <= 2 else "finalist",
                laureate_place=place if place <= 2 else None,
            )
    now = timezone.now()
    edition_set_vote_window(
        edition=edition,
        opens_at=now - datetime.timedelta(minutes=1),
        closes_at=now + datetime.timedelta(days=1),
    )
    with after_commit():
        edition = edition_advance_phase(edition=edition, actor=organiser)
    assert edition.phase == "public_vote"

    # Three voters: two for place 1, one for place 2, in every category.
    codes = [issued.code for issued in ballot_issue(edition=edition, issued_by=organiser, count=3)]
    categories = list(edition.categories.order_by("order"))
    for code, choice in zip(codes, (1, 1, 2), strict=True):
        ballot = ballot_authenticate(edition=edition, code=code)
        for category in categories:
            laureate = category.entries.get(laureate_place=choice)
            vote_cast(ballot=ballot, category_id=category.pk, entry_id=laureate.pk)
    edition_change_vote_close(
        edition=edition, closes_at=timezone.now(), actor=organiser, reason="Koniec ćwiczenia."
    )
    with after_commit():
        edition = edition_advance_phase(edition=edition, actor=organiser)

    assert edition.phase == "results"
    winners = Entry.objects.filter(category__edition=edition, is_winner=True)
    assert sorted(winners.values_list("laureate_place", flat=True)) == [1, 1]
    assert Vote.objects.filter(ballot__edition=edition).count() == 6
    page = client.get(edition.get_absolute_url()).content.decode()
    assert BANNER in page and NOINDEX in page
    assert "Zwycięzca kategorii" in page and "2 głosy (67%)" in page


def test_phase_public_vote_has_laureates_chosen_and_prints_working_codes(client, catalogue):
    output = run("--phase", "public_vote", "--codes", "4")

    edition = Edition.objects.get(is_training=True)
    assert edition.phase == "public_vote" and edition.vote_rules_locked_at is not None
    laureates = Entry.objects.filter(category__edition=edition, status="laureate")
    assert sorted(laureates.values_list("laureate_place", flat=True)) == [1, 1, 2, 2]
    assert Score.objects.filter(entry__category__edition=edition).count() == 3 * 6 * 3
    codes = printed_codes(output)
    assert len(codes) == 4 == Ballot.objects.filter(edition=edition).count()
    assert ballot_authenticate(edition=edition, code=codes[0]).edition_id == edition.pk
    vote_page = client.get(f"/konkursy/szkolenie/{edition.year}/glosowanie/").content.decode()
    assert BANNER in vote_page


@pytest.mark.parametrize("phase", ["jury_review", "results"])
def test_phase_option_leaves_the_edition_there(catalogue, phase):
    output = run("--phase", phase)

    edition = Edition.objects.get(is_training=True)
    assert edition.phase == phase
    assert printed_codes(output) == []  # no codes to hand out: not yet, or no longer
    if phase == "results":
        assert Entry.objects.filter(category__edition=edition, is_winner=True).count() == 2


def test_delete_removes_it_all_and_leaves_everything_else_as_it_was(catalogue):
    User = get_user_model()

    def state():
        return {
            "practices": list(
                Practice.objects.order_by("id").values_list("id", "status", "updated_at")
            ),
            "index": index_rows(Practice.objects.values("pk")),
            "competitions": list(Competition.objects.order_by("id").values_list("id", "slug")),
            "editions": list(Edition.objects.order_by("id").values_list("id", "phase")),
            "entries": list(Entry.objects.order_by("id").values_list("id", "status")),
            "users": list(User.objects.order_by("id").values_list("id", "username")),
            "log": list(DecisionLog.objects.order_by("id").values_list("id", flat=True)),
        }

    before = state()
    # Left in a running vote: its categories and laureates are locked by the database.
    output = run("--phase", "public_vote", "--codes", "2")
    edition = Edition.objects.get(is_training=True)
    ballot = ballot_authenticate(edition=edition, code=printed_codes(output)[0])
    category = edition.categories.order_by("order").first()
    vote_cast(
        ballot=ballot,
        category_id=category.pk,
        entry_id=category.entries.get(laureate_place=1).pk,
    )

    deleted = run("--delete")

    assert "Usunięto: Edycja szkoleniowa" in deleted
    assert "Usunięte zgłoszenia: 6" in deleted
    assert state() == before
    assert not Vote.objects.filter(ballot__edition_id=edition.pk).exists()


def test_delete_with_nothing_to_delete_says_so(db):
    with pytest.raises(CommandError) as refusal:
        run("--delete")

    assert "nie ma czego usuwać" in str(refusal.value)


def test_delete_keeps_an_account_that_acted_outside_the_training(catalogue):
    training_edition_create()
    real = Edition.objects.filter(is_training=False).first()
    chair = get_user_model().objects.get(username=CHAIR)
    JuryMember.objects.create(edition=real, user=chair)

    done = training_edition_delete()

    chair.refresh_from_db()
    assert done.deactivated_users == [CHAIR]
    assert not chair.is_active and not chair.has_usable_password()
    assert JuryMember.objects.filter(edition=real, user=chair).exists()
    assert not get_user_model().objects.filter(username=ORGANISER).exists()


def test_the_training_edition_and_its_awards_are_on_no_public_page(client, catalogue):
    used = list(Practice.objects.published().order_by("slug").values_list("pk", flat=True)[:6])
    rows_before = index_rows(used)
    found_before = client.get("/praktyki/?q=edycja+szkoleniowa").content.decode()

    run("--phase", "results")

    edition = Edition.objects.get(is_training=True)
    winner = Entry.objects.select_related("practice__lead_organisation").get(
        category__edition=edition, is_winner=True, category__order=0
    )
    # The catalogue index gives the practices used no award, edition or competition.
    assert index_rows(used) == rows_before
    pages = {
        "competitions": "/konkursy/",
        "home": "/",
        "list": "/praktyki/",
        "list, training edition": f"/praktyki/?edition={edition.slug}",
        "list, training competition": "/praktyki/?competition=szkolenie",
        "practice": winner.practice.get_absolute_url(),
        "organisation": winner.practice.lead_organisation.get_absolute_url(),
        "csv": "/praktyki/eksport.csv",
        "json": "/praktyki/eksport.json",
        "feed": "/praktyki/kanal.atom",
        "sitemap": "/sitemap.xml",
        "overview": "/przeglad/",
    }
    for name, url in pages.items():
        response = client.get(url)
        if response.status_code == 404:
            continue
        assert response.status_code == 200, url
        body = (response.getvalue() if response.streaming else response.content).decode()
        for trace in ("Edycja szkoleniowa", "Konkurs szkoleniowy", "/konkursy/szkolenie/"):
            assert trace not in body, (name, trace)
    # The search page echoes the words typed: it finds what it found before, no more.
    found_after = client.get("/praktyki/?q=edycja+szkoleniowa").content.decode()
    counted = re.findall(r"\d+ praktyk", found_before)
    assert counted and re.findall(r"\d+ praktyk", found_after) == counted
    exported = json.loads(client.get("/praktyki/eksport.json").getvalue())
    awards = {a["edition"] for record in exported for a in record["awards"]}
    assert edition.name not in awards


def test_training_pages_are_reachable_by_address_under_a_banner(client, catalogue):
    run("--phase", "jury_review")
    edition = Edition.objects.get(is_training=True)
    real = Edition.objects.filter(is_training=False).select_related("competition").first()

    edition_page = client.get(edition.get_absolute_url()).content.decode()
    competition_page = client.get("/konkursy/szkolenie/").content.decode()
    real_page = client.get(real.get_absolute_url()).content.decode()
    real_competition = client.get(real.competition.get_absolute_url()).content.decode()
    client.force_login(get_user_model().objects.get(username=JURORS[0]))
    jury_page = client.get(f"/konkursy/jury/{edition.slug}/").content.decode()

    assert BANNER in edition_page and NOINDEX in edition_page
    assert BANNER in competition_page and NOINDEX in competition_page
    assert edition.name in competition_page
    assert BANNER in jury_page and edition.name in jury_page
    assert BANNER not in real_page and NOINDEX not in real_page
    assert BANNER not in real_competition and edition.name not in real_competition
