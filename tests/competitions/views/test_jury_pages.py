"""The jury's signed-in pages: who may open them, scoring, conflicts, ranking, decisions."""

import pytest
from django.urls import reverse
from django.utils import translation

from competitions.models import ConflictOfInterest, Edition, Entry, JurySubmission, Score
from competitions.services.jury import jury_conflict_declare, jury_scores_save
from tests.competitions.conftest import jury_review
from tests.factories import JuryMemberFactory, UserFactory

pytestmark = pytest.mark.django_db


def jury_url(jury, suffix=""):
    return f"/konkursy/jury/{jury.edition.slug}/{suffix}"


def score_data(jury, innovation, durability, *, submit=False, confirm=False, comment=""):
    """The score form's post: a draft ("save"), the first submit step ("submit"), or
    the final submit from the confirmation step ("confirm")."""
    data = {
        f"value_{jury.criteria[0].pk}": innovation,
        f"value_{jury.criteria[1].pk}": durability,
        f"comment_{jury.criteria[0].pk}": comment,
        f"comment_{jury.criteria[1].pk}": "",
    }
    data["confirm" if confirm else "submit" if submit else "save"] = "1"
    return data


def test_jury_pages_send_an_anonymous_visitor_to_sign_in(client, jury):
    response = client.get(jury_url(jury))

    assert response.status_code == 302
    assert response["Location"] == f"/konto/logowanie/?next={jury_url(jury)}"


def test_jury_pages_refuse_a_signed_in_non_juror(client, jury):
    client.force_login(UserFactory())

    response = client.get(jury_url(jury))

    assert response.status_code == 403
    assert "Nie zasiadasz w jury tej edycji." in response.content.decode()


def test_jury_pages_refuse_a_juror_of_another_edition(client, jury):
    other = jury_review()
    client.force_login(other.chair.user)

    pages = ["", f"zgloszenia/{jury.entries[0].pk}/", "ranking/"]

    assert [client.get(jury_url(jury, page)).status_code for page in pages] == [403, 403, 403]


def test_jury_entry_of_another_edition_is_not_found(client, jury):
    other = jury_review()
    client.force_login(jury.chair.user)

    response = client.get(jury_url(jury, f"zgloszenia/{other.entries[0].pk}/"))

    assert response.status_code == 404


@pytest.mark.parametrize(
    "page", ["ranking/", "dziennik/", "zgloszenia/{entry}/decyzja/", "kategorie/{category}/remis/"]
)
def test_chair_pages_refuse_a_member_who_is_not_the_chair(client, jury, page):
    client.force_login(jury.members[1].user)
    url = jury_url(jury, page.format(entry=jury.entries[0].pk, category=jury.category.pk))

    response = client.get(url)

    assert response.status_code == 403
    assert "Tę stronę widzi tylko przewodniczący jury." in response.content.decode()


def test_jury_home_lists_the_editions_one_sits_on(client, jury):
    client.force_login(jury.chair.user)

    html = client.get("/konkursy/jury/").content.decode()

    assert jury.edition.name in html
    assert "przewodniczący jury" in html
    assert "Ranking i decyzje" in html


def test_jury_edition_page_shows_my_state_per_entry(client, jury):
    member = jury.members[1]
    drafted, submitted, conflicted = jury.entries
    jury_scores_save(member=member, entry=drafted, values={jury.criteria[0].pk: 4})
    jury_scores_save(
        member=member,
        entry=submitted,
        values={jury.criteria[0].pk: 4, jury.criteria[1].pk: 4},
        submit=True,
    )
    ConflictOfInterest.objects.create(member=member, entry=conflicted)
    client.force_login(member.user)

    html = client.get(jury_url(jury)).content.decode()

    assert "wersja robocza (1 kryt.)" in html
    assert "przesłana" in html
    assert "konflikt interesów" in html
    assert "Przesłane oceny: 1 z 3." in html


def test_jury_score_form_saves_a_draft_then_submits(client, jury):
    member, entry = jury.members[1], jury.entries[0]
    client.force_login(member.user)
    url = jury_url(jury, f"zgloszenia/{entry.pk}/")

    client.post(url, score_data(jury, 7, ""))
    draft = client.get(url).content.decode()
    response = client.post(url, score_data(jury, 8, 6, confirm=True, comment="Dobre"), follow=True)

    assert 'value="7"' in draft
    assert JurySubmission.objects.filter(member=member, entry=entry).exists()
    assert dict(Score.objects.values_list("criterion__name", "value")) == {
        "Innowacyjność": 8,
        "Trwałość": 6,
    }
    assert "Oceny przesłane." in response.content.decode()


def test_jury_others_scores_show_only_after_submitting(client, jury):
    chair, member = jury.members
    entry = jury.entries[0]
    jury_scores_save(
        member=chair,
        entry=entry,
        values={jury.criteria[0].pk: 9, jury.criteria[1].pk: 3},
        comments={jury.criteria[0].pk: "Komentarz przewodniczącej"},
        submit=True,
    )
    client.force_login(member.user)
    url = jury_url(jury, f"zgloszenia/{entry.pk}/")

    before = client.get(url).content.decode()
    client.post(url, score_data(jury, 5, 5, confirm=True))
    after = client.get(url).content.decode()

    assert "Komentarz przewodniczącej" not in before and "Anna Chair" not in before
    assert "Komentarz przewodniczącej" in after and "Anna Chair" in after
    # Both criteria on 0–10: (2×90 + 1×30) / 3 points
    assert '<td class="number">70,00</td>' in after


def test_jury_score_outside_the_scale_is_refused_on_the_page(client, jury):
    client.force_login(jury.chair.user)

    response = client.post(
        jury_url(jury, f"zgloszenia/{jury.entries[0].pk}/"), score_data(jury, 11, 5)
    )
    html = response.content.decode()

    assert response.status_code == 400
    assert 'class="error-summary"' in html
    assert f'href="#id_value_{jury.criteria[0].pk}"' in html
    assert not Score.objects.exists()


def test_jury_submit_with_a_missing_criterion_is_refused_on_the_page(client, jury):
    client.force_login(jury.chair.user)

    response = client.post(
        jury_url(jury, f"zgloszenia/{jury.entries[0].pk}/"), score_data(jury, 5, "", submit=True)
    )

    assert response.status_code == 400
    assert "Oceń to kryterium, zanim prześlesz oceny." in response.content.decode()
    assert not JurySubmission.objects.exists()


def test_jury_scoring_outside_the_jury_review_is_refused_on_the_page(client, jury):
    Edition.objects.filter(pk=jury.edition.pk).update(phase="submissions")
    client.force_login(jury.chair.user)
    url = jury_url(jury, f"zgloszenia/{jury.entries[0].pk}/")

    page = client.get(url).content.decode()
    response = client.post(url, score_data(jury, 5, 5))

    assert "Oceny wystawia się na etapie oceny jury; teraz: nabór zgłoszeń." in page
    assert response.status_code == 400
    assert "Oceny można wystawiać tylko na etapie oceny jury" in response.content.decode()
    assert not Score.objects.exists()


def test_jury_conflict_declared_hides_the_entry_from_scoring(client, jury):
    member, entry = jury.members[1], jury.entries[0]
    client.force_login(member.user)
    url = jury_url(jury, f"zgloszenia/{entry.pk}/")

    client.post(url + "konflikt/", {"reason": "Moja gmina"})
    page = client.get(url).content.decode()
    response = client.post(url, score_data(jury, 5, 5))

    assert ConflictOfInterest.objects.get(member=member, entry=entry).reason == "Moja gmina"
    assert "jest zgłoszony Twój konflikt interesów" in page
    assert 'name="submit"' not in page
    assert response.status_code == 400
    assert not Score.objects.exists()


def test_chair_ranking_shows_weighted_mean_median_scorers_and_spread(client, jury):
    chair, member = jury.members
    entry = jury.entries[0]
    jury_scores_save(
        member=chair, entry=entry, values={c.pk: 9 for c in jury.criteria}, submit=True
    )
    jury_scores_save(
        member=member, entry=entry, values={c.pk: 6 for c in jury.criteria}, submit=True
    )
    client.force_login(chair.user)

    response = client.get(jury_url(jury, "ranking/"))
    row = response.context["rankings"][0].rows[0]

    # 0–10 scales: 9 is 90 points, 6 is 60
    assert (row.entry, row.rank, row.mean, row.median, row.scorers, row.spread) == (
        entry,
        1,
        75,
        75,
        2,
        30,
    )
    assert "75,00" in response.content.decode()


def test_chair_sees_others_scores_only_where_the_chair_submitted_and_has_no_conflict(client, jury):
    chair, member = jury.members
    scored, unscored, conflicted = jury.entries
    for entry in jury.entries:
        if entry != conflicted:
            jury_scores_save(
                member=member, entry=entry, values={c.pk: 6 for c in jury.criteria}, submit=True
            )
    jury_scores_save(
        member=chair, entry=scored, values={c.pk: 8 for c in jury.criteria}, submit=True
    )
    jury_conflict_declare(member=chair, entry=conflicted, reason="Moja gmina")
    client.force_login(chair.user)

    response = client.get(jury_url(jury, "ranking/"))

    rows = {row.entry: row for row in response.context["rankings"][0].rows}
    assert (rows[scored].mean, rows[scored].scorers, rows[scored].rank) == (70, 2, 1)
    assert (rows[unscored].mean, rows[unscored].scorers, rows[unscored].hidden) == (
        None,
        0,
        "unscored",
    )
    assert (rows[conflicted].mean, rows[conflicted].hidden) == (None, "conflict")
    page = response.content.decode()
    assert "Oceny innych zobaczysz po przesłaniu własnych." in page
    assert "Zgłoszony konflikt interesów: oceny innych są niewidoczne." in page
    assert "60,00" not in page  # the other juror's points of the entries the chair cannot see


def test_chair_marks_a_laureate_with_a_place(client, jury):
    entry = jury.entries[0]
    client.force_login(jury.chair.user)

    response = client.post(
        jury_url(jury, f"zgloszenia/{entry.pk}/decyzja/"),
        {"status": "laureate", "laureate_place": 1, "distinction": "", "reason": "Najlepsza"},
    )

    assert response.status_code == 302
    entry.refresh_from_db()
    assert (entry.status, entry.laureate_place) == ("laureate", 1)
    log_page = client.get(jury_url(jury, "dziennik/")).content.decode()
    assert "status: zgłoszona; miejsce: –" in log_page
    assert "status: laureat; miejsce: 1" in log_page
    assert "Najlepsza" in log_page


def test_chair_marking_a_taken_place_gets_a_clear_message(client, jury):
    holder, other = jury.entries[:2]
    Entry.objects.filter(pk=holder.pk).update(status="laureate", laureate_place=2)
    client.force_login(jury.chair.user)

    response = client.post(
        jury_url(jury, f"zgloszenia/{other.pk}/decyzja/"),
        {"status": "laureate", "laureate_place": 2},
    )

    assert response.status_code == 400
    assert f"zajmuje już „{holder.practice.title}”" in response.content.decode()
    assert Entry.objects.get(pk=other.pk).status == "submitted"


def test_chair_marking_a_place_above_n_gets_a_clear_message(client, jury):
    client.force_login(jury.chair.user)

    response = client.post(
        jury_url(jury, f"zgloszenia/{jury.entries[0].pk}/decyzja/"),
        {"status": "laureate", "laureate_place": 4},
    )

    assert response.status_code == 400
    assert "Upewnij się, że ta wartość jest mniejsza lub równa 3." in response.content.decode()


def test_chair_resolves_a_tie_on_the_page(client, tie):
    category = tie.categories[0]
    chair = JuryMemberFactory(edition=tie.edition, is_chair=True)
    tied = tie.laureates[category.pk][1]
    client.force_login(chair.user)
    url = f"/konkursy/jury/{tie.edition.slug}/kategorie/{category.pk}/remis/"

    ranking = client.get(f"/konkursy/jury/{tie.edition.slug}/ranking/").content.decode()
    response = client.post(url, {"entry": tied.pk, "reason": "Wyższa ocena jury"})

    assert "Rozstrzygnij remis" in ranking
    assert "głos" not in ranking.split("Remisy w głosowaniu")[1].split("</div>")[0]
    assert response.status_code == 302
    assert category.tie_resolution.entry == tied


@pytest.mark.parametrize("entries", [1, 3])
def test_jury_edition_page_query_count_is_fixed(client, django_assert_num_queries, entries):
    jury = jury_review(entries=entries)
    client.force_login(jury.chair.user)

    # session, user, seat, categories, entries with my state
    with django_assert_num_queries(5):
        response = client.get(jury_url(jury))

    assert len(response.context["categories"][0].jury_entries) == entries


@pytest.mark.parametrize("jurors", [1, 3])
def test_jury_entry_page_query_count_is_fixed(client, django_assert_num_queries, jurors):
    jury = jury_review(members=jurors)
    entry = jury.entries[0]
    for member in jury.members:
        jury_scores_save(
            member=member, entry=entry, values={c.pk: 5 for c in jury.criteria}, submit=True
        )
    client.force_login(jury.chair.user)

    # session, user, seat, entry, criteria, conflict, submission, others' scores, mine,
    # the entries before and after (one query for previous, next and next to score),
    # the applicant's answers and the practice's files
    with django_assert_num_queries(12):
        response = client.get(jury_url(jury, f"zgloszenia/{entry.pk}/"))

    assert len(response.context["others"]) == jurors


@pytest.mark.parametrize("entries", [1, 3])
def test_chair_ranking_page_query_count_is_fixed(client, django_assert_num_queries, entries):
    jury = jury_review(entries=entries)
    for entry in jury.entries:
        jury_scores_save(
            member=jury.chair, entry=entry, values={c.pk: 5 for c in jury.criteria}, submit=True
        )
    client.force_login(jury.chair.user)

    # session, user, seat, categories, entries, scores, the chair's own submissions
    # and conflicts (what the chair may see the numbers of)
    with django_assert_num_queries(8):
        response = client.get(jury_url(jury, "ranking/"))

    assert len(response.context["rankings"][0].rows) == entries


def test_an_english_juror_reads_the_criteria_in_english_where_translated(client, jury):
    """Criteria have editorial translations, as categories do: an English page shows
    them, and an untranslated one in Polish, marked as Polish: in the form's labels,
    hints and the error summary."""
    innovation = jury.criteria[0]
    innovation.name_en = "Innovation"
    innovation.description_en = "How new the approach is."
    innovation.save()
    client.force_login(jury.chair.user)
    with translation.override("en"):
        address = reverse(
            "competitions:jury-entry",
            kwargs={"edition_slug": jury.edition.slug, "entry_id": jury.entries[0].pk},
        )

    html = client.get(address).content.decode()
    refused = client.post(address, score_data(jury, 11, 5)).content.decode()

    assert "Innovation – score" in html
    assert "How new the approach is." in html
    # Untranslated: the Polish original, marked as Polish for a screen reader.
    untranslated = jury.criteria[1].pk
    assert (
        f'<label for="id_value_{untranslated}"><span lang="pl">Trwałość</span> – score</label>'
    ) in html
    assert "Innowacyjność" not in html
    assert "Innovation – score: Ensure this value is less than or equal to 10" in refused
    assert not Score.objects.exists()
