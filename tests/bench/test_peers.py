"""The benchmark's peers answer the benchmark's URLs with what they claim to show.

The admin changelist (bench/admin_peer.py) filters and counts its facets; the
search-engine page (bench/search_engine.py) finds the same practices, with the
same facet counts, as the catalogue page for the same query string.
"""

import copy

import pytest
from django.conf import settings as django_settings

from bench.synthetic import generate_catalogue
from catalogue.fixtures import load_catalogue, read_catalogue
from practices.models import Practice, PracticeType

pytestmark = [pytest.mark.django_db, pytest.mark.urls("bench.urls")]

ADMIN = "/bench-admin/practices/practice/"


@pytest.fixture
def catalogue(db):
    load_catalogue(read_catalogue(taxonomy_only=True))
    generate_catalogue(practices=300, seed=11)


@pytest.fixture
def bench_templates(settings):
    templates = copy.deepcopy(django_settings.TEMPLATES)
    templates[0]["DIRS"].append(django_settings.BASE_DIR / "bench" / "templates")
    settings.TEMPLATES = templates


def test_admin_peer_filters_and_shows_facet_counts(catalogue, admin_client):
    response = admin_client.get(f"{ADMIN}?practice_type__code__exact=it&country=PL")

    assert response.status_code == 200
    chosen = Practice.objects.filter(practice_type="it", countries__contains=["PL"])
    assert response.context["cl"].result_count == chosen.count() > 0
    # The type's facet counts every type among the Polish practices (every filter but its own).
    polish = Practice.objects.filter(countries__contains=["PL"])
    social = PracticeType.objects.get(code="social")
    assert f"{social} ({polish.filter(practice_type=social).count()})" in response.text


def test_admin_peer_refuses_nobody_signed_out(catalogue, client):
    response = client.get(ADMIN)

    assert response.status_code == 302
    assert "/bench-admin/login/" in response["Location"]


@pytest.mark.parametrize(
    "query",
    ["type=it&country=PL", "country=UA&topic=edukacja", "q=szkoły&type=it", "q=seniorów"],
)
def test_search_engine_finds_what_the_catalogue_finds(
    catalogue, bench_templates, client, tmp_path, monkeypatch, query
):
    pytest.importorskip("tantivy")
    from bench.search_engine import build_index

    report = build_index(tmp_path)
    monkeypatch.setenv("BENCH_SEARCH_INDEX", str(tmp_path))

    engine = client.get(f"/bench/tantivy/?{query}")
    ours = client.get(f"/praktyki/?{query}")

    assert report.documents == Practice.objects.published().count()
    assert engine.status_code == ours.status_code == 200
    assert engine.context["total"] == ours.context["result_count"] > 0
    assert len(engine.context["practices"]) == min(20, ours.context["result_count"])
    ours_counts = {
        group.name: {option.value: option.count for option in group.options if option.count}
        for group in ours.context["facet_groups"]
    }
    for name in ("type", "country", "award"):
        assert dict(engine.context["facets"][name]) == ours_counts[name]
