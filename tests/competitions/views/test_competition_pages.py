import pytest

from competitions.models import Edition
from tests.competitions.conftest import open_vote
from tests.factories import CategoryFactory, EntryFactory, VoteFactory

pytestmark = pytest.mark.django_db


def test_edition_page_shows_theme_figures_and_ranked_laureates(client, catalogue):
    response = client.get("/konkursy/konkurs-dobrych-praktyk-kongresu/2020/")
    html = response.content.decode()
    categories = response.context["edition"].categories.all()

    assert response.status_code == 200
    assert "pandemią COVID-19" in html
    assert [c.name for c in categories] == [
        "Samorząd",
        "Kultura i turystyka",
        "Edukacja",
        "Pomoc społeczna",
        "Przedsiębiorczość",
    ]
    assert [e.laureate_place for e in categories[0].laureates] == [1, 2, 3]
    assert categories[0].laureates[0].is_winner
    assert "<dt>Zgłoszenia</dt><dd>49</dd>" in html


def test_slz_edition_shows_finalists_with_distinctions_and_organisers(client, catalogue):
    response = client.get("/konkursy/samorzadowy-lider-zarzadzania/2022/")
    html = response.content.decode()

    assert "Wyróżnienie: Empatia" in html
    assert "Związek Miast Polskich" in html and "lider projektu" in html
    assert "<dt>Finaliści</dt><dd>30</dd>" in html


def test_announced_edition_says_results_are_not_out(client, catalogue):
    html = client.get("/konkursy/konkurs-dobrych-praktyk-kongresu/2021/").content.decode()

    assert "Kategorie i wyniki tej edycji nie zostały jeszcze ogłoszone." in html


@pytest.mark.parametrize(
    ("address", "theme_opening", "rest"),
    [
        (
            "/konkursy/konkurs-dobrych-praktyk-kongresu/2021/",
            "wyłoni innowacyjne projekty",
            "Więcej szczegółów już wkrótce.",
        ),
        (
            "/en/competitions/konkurs-dobrych-praktyk-kongresu/2021/",
            "will select innovative",
            "More details coming soon.",
        ),
    ],
)
def test_edition_page_does_not_repeat_its_theme_in_the_description(
    client, catalogue, address, theme_opening, rest
):
    # The source's description of the 2021 edition opens with its theme, word for word.
    html = client.get(address).content.decode()

    assert html.count(theme_opening) == 1
    assert f"<p>{rest}</p>" in html


def test_vote_counts_are_hidden_until_results_are_published(client):
    vote = open_vote(categories=1, places=1)
    entry = vote.laureates[vote.categories[0].pk][0]
    VoteFactory(ballot=vote.ballots[0][0], entry=entry)
    url = vote.edition.get_absolute_url()

    hidden = client.get(url).content.decode()
    Edition.objects.filter(pk=vote.edition.pk).update(phase="results")
    shown = client.get(url).content.decode()

    assert "1 głos" not in hidden
    assert "1 głos (100%)" in shown


@pytest.mark.parametrize("items", [1, 3])
def test_competition_list_query_count_is_fixed(client, django_assert_num_queries, items):
    for year in range(items):
        CategoryFactory(edition__year=2000 + year)

    with django_assert_num_queries(2):
        response = client.get("/konkursy/")

    assert len(response.context["competitions"]) == items


@pytest.mark.parametrize("items", [1, 3])
def test_edition_page_query_count_is_fixed(client, django_assert_num_queries, items):
    category = CategoryFactory()
    for place in range(1, items + 1):
        EntryFactory(category=category, status="laureate", laureate_place=place)

    # edition, categories, entries, organisers, funding, links
    with django_assert_num_queries(6):
        client.get(category.edition.get_absolute_url())


def test_unknown_edition_is_not_found(client, catalogue):
    assert client.get("/konkursy/konkurs-dobrych-praktyk-kongresu/1990/").status_code == 404


def test_a_draft_organisation_is_named_but_never_linked_on_competition_pages(client):
    from competitions.models import EditionOrganiser
    from tests.factories import EditionFactory, OrganisationFactory

    draft = OrganisationFactory(name="Stowarzyszenie Szkic", is_published=False)
    edition = EditionFactory(phase="results")
    competition = edition.competition
    type(competition).objects.filter(pk=competition.pk).update(organiser=draft)
    EditionOrganiser.objects.create(edition=edition, organisation=draft, role="lead")

    for page in (competition.get_absolute_url(), edition.get_absolute_url()):
        html = client.get(page).content.decode()
        assert "Stowarzyszenie Szkic" in html, page
        assert draft.get_absolute_url() not in html, page  # it would be a 404
