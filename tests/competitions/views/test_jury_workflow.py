"""A juror's way through the work: progress per category, the confirmation before
the final submit, moving to the next entry, and the ranking's flags."""

import pytest

from competitions.models import JurySubmission, Score
from competitions.services.jury import jury_conflict_declare, jury_scores_save
from tests.competitions.conftest import jury_review
from tests.competitions.views.test_jury_pages import jury_url, score_data
from tests.factories import CategoryFactory, EditionFactory, EntryFactory, JuryMemberFactory

pytestmark = pytest.mark.django_db


def submit(jury, member, entry, value):
    jury_scores_save(
        member=member, entry=entry, values={c.pk: value for c in jury.criteria}, submit=True
    )


def test_final_submit_first_shows_the_scores_for_confirmation(client, jury):
    member, entry = jury.members[1], jury.entries[0]
    client.force_login(member.user)
    url = jury_url(jury, f"zgloszenia/{entry.pk}/")

    response = client.post(url, score_data(jury, 8, 5, submit=True, comment="Mocna strona"))
    html = response.content.decode()

    assert response.status_code == 200
    assert "Potwierdź przesłanie ocen" in html
    assert "Potwierdzam, wysyłam ostatecznie" in html
    assert "Mocna strona" in html
    assert "Twoja ocena tego zgłoszenia: 70,00 pkt na 100." in html  # (2×80 + 50) / 3
    assert f'<input type="hidden" name="value_{jury.criteria[0].pk}" value="8"' in html
    assert not JurySubmission.objects.exists()
    # kept as a draft meanwhile, so leaving the page loses nothing
    assert sorted(Score.objects.values_list("value", flat=True)) == [5, 8]


def test_final_submit_happens_only_with_the_confirmation(client, jury):
    member, entry = jury.members[1], jury.entries[0]
    client.force_login(member.user)
    url = jury_url(jury, f"zgloszenia/{entry.pk}/")

    client.post(url, score_data(jury, 8, 5, submit=True))
    submitted_before = JurySubmission.objects.exists()
    response = client.post(url, score_data(jury, 8, 5, confirm=True), follow=True)

    assert submitted_before is False
    assert JurySubmission.objects.filter(member=member, entry=entry).exists()
    assert "Oceny przesłane." in response.content.decode()


def test_confirmation_with_a_missing_value_is_refused(client, jury):
    client.force_login(jury.members[1].user)

    response = client.post(
        jury_url(jury, f"zgloszenia/{jury.entries[0].pk}/"), score_data(jury, 8, "", confirm=True)
    )

    assert response.status_code == 400
    assert "Oceń to kryterium, zanim prześlesz oceny." in response.content.decode()
    assert not JurySubmission.objects.exists()


def test_entry_page_links_previous_next_and_next_to_score(client):
    jury = jury_review(entries=3)
    member = jury.members[1]
    client.force_login(member.user)
    edition_page = client.get(jury_url(jury))
    first, middle, last = edition_page.context["categories"][0].jury_entries
    submit(jury, member, last, 5)

    html = client.get(jury_url(jury, f"zgloszenia/{middle.pk}/")).content.decode()
    at_last = client.get(jury_url(jury, f"zgloszenia/{last.pk}/")).content.decode()

    entry_url = jury_url(jury, "zgloszenia/{}/")
    assert f'href="{entry_url.format(first.pk)}" rel="prev"' in html
    assert f'href="{entry_url.format(last.pk)}" rel="next"' in html
    assert f"Następne zgłoszenie do oceny: {first.practice.title}" in html
    # after submitting, the top of the page leads on to the next entry to score
    assert (
        f'<a class="button" href="{entry_url.format(first.pk)}">Następne zgłoszenie do oceny'
        in at_last
    )


def test_entry_page_says_when_nothing_is_left_to_score(client, jury):
    member = jury.members[1]
    for entry in jury.entries[:2]:
        submit(jury, member, entry, 5)
    jury_conflict_declare(member=member, entry=jury.entries[2])
    client.force_login(member.user)

    html = client.get(jury_url(jury, f"zgloszenia/{jury.entries[0].pk}/")).content.decode()

    assert "Nie masz już zgłoszeń do oceny w tej edycji." in html
    assert "Następne zgłoszenie do oceny" not in html


def test_edition_page_shows_progress_per_category_in_words(client, jury):
    member = jury.members[1]
    submit(jury, member, jury.entries[0], 5)
    jury_conflict_declare(member=member, entry=jury.entries[1])
    empty = CategoryFactory(edition=jury.edition, order=3, name="Pusta")
    EntryFactory(category=empty)
    client.force_login(member.user)

    html = client.get(jury_url(jury)).content.decode()

    assert "1 z 3 ocenionych, konflikt interesów: 1, do oceny: 1." in html
    assert "0 z 1 ocenionych, do oceny: 1." in html
    assert '<progress class="jury-progress__bar" max="3" value="2" aria-hidden="true">' in html


def test_jury_home_shows_progress_per_category(client, jury):
    member = jury.members[1]
    for entry in jury.entries:
        submit(jury, member, entry, 5)
    client.force_login(member.user)

    html = client.get("/konkursy/jury/").content.decode()

    assert jury.category.name in html
    assert "3 z 3 ocenionych, wszystkie ocenione." in html


@pytest.mark.parametrize("seats", [1, 3])
def test_jury_home_query_count_is_fixed(client, django_assert_num_queries, seats):
    jury = jury_review()
    user = jury.members[1].user
    for _ in range(seats - 1):
        edition = EditionFactory(phase="jury_review")
        JuryMemberFactory(edition=edition, user=user)
        EntryFactory(category=CategoryFactory(edition=edition))
    client.force_login(user)

    # session, user, seats, progress per category of every seat
    with django_assert_num_queries(4):
        response = client.get("/konkursy/jury/")

    assert len(response.context["seats"]) == seats
    assert all(len(seat.progress) == 1 for seat in response.context["seats"])


def test_ranking_flags_ties_and_one_juror_entries_in_words(client):
    jury = jury_review(entries=3)
    chair, member = jury.members
    tied_a, tied_b, alone = jury.entries
    for entry, title in zip(jury.entries, ("Remis A", "Remis B", "Samotna"), strict=True):
        entry.practice.title = title
        entry.practice.save()
    for entry in (tied_a, tied_b):
        submit(jury, chair, entry, 7)
        submit(jury, member, entry, 7)
    submit(jury, chair, alone, 9)
    client.force_login(chair.user)

    html = client.get(jury_url(jury, "ranking/")).content.decode()

    rows = {
        entry: html.split(entry.practice.title, 1)[1].split("</tr>", 1)[0] for entry in jury.entries
    }
    assert "Jak liczymy" in html
    assert "(ocena − minimum skali) / (maksimum skali − minimum skali) × 100" in html
    assert ">remis<" in rows[tied_a] and ">remis<" in rows[tied_b]
    assert ">remis<" not in rows[alone]
    assert ">ocena jednego jurora<" in rows[alone]
    assert ">ocena jednego jurora<" not in rows[tied_a]
