"""Polish-aware search over the real catalogue: diacritics, case and inflection do not matter."""

import pytest

from catalogue.search import practice_search
from practices.models import Practice

pytestmark = pytest.mark.django_db


def found(query: str) -> list[str]:
    results = practice_search(Practice.objects.published(), query=query).order_by("-rank", "id")
    return list(results.values_list("slug", flat=True))


@pytest.mark.parametrize("query", ["lodz", "Łódź", "LODZ", "łodzi", "Lodzi"])
def test_diacritics_and_case_do_not_matter(catalogue, query):
    assert "lodz-fabryka-aktywnosci-miejskiej" in found(query)


@pytest.mark.parametrize("query", ["szkoła", "szkoły", "szkole", "szkołach", "szkolach"])
def test_inflection_does_not_matter(catalogue, query):
    assert "kijow-symulator-dom-dobrodzieja" in found(query)
    assert "bialystok-lekcja-historii-online" in found(query)


def test_gmin_finds_gmina(catalogue):
    assert "lof-informatyzacja-procesow-administracyjnych" in found("gmin")


def test_organisation_names_and_places_are_searched(catalogue):
    assert set(found("Gdynia")) == {
        "gdynia-gdynskie-centrum-kontaktu",
        "gdynia-cas-wsparcie-seniorow",
    }


def test_title_ranks_above_body(catalogue):
    assert found("zielone konsultacje")[0] == "katowice-zielone-konsultacje"
    assert found("budżet obywatelski")[0] in {
        "wasilkow-miejski-solecki-i-zielony-budzet",
        "ostrow-wielkopolski-rewitalizacyjny-budzet",
        "bydgoszcz-budzet-obywatelski-inicjatywy",
    }


def test_every_word_must_match(catalogue):
    assert found("transport publiczny") == ["strefa-centralna-publiczny-transport-zbiorowy"]
    assert found("transport szkoła") == []


def test_hyphenated_names_need_each_part(catalogue):
    assert found("Kamieniec-Podolski") == ["kamieniec-podolski-kamenets-digital"]


def test_search_vectors_are_kept_in_the_row_for_ranking(db):
    """Ranking reads every match's vector: kept in the row (STORAGE MAIN), not behind a
    TOAST lookup each, even though the row's long texts move out (toast_tuple_target)."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT attname, attstorage FROM pg_attribute "
            "WHERE attrelid = 'practices_practice'::regclass "
            "AND attname IN ('search_vector', 'description')"
        )
        storage = dict(cursor.fetchall())

    assert storage == {"search_vector": "m", "description": "x"}
