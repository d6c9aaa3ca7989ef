"""`manage.py check_catalogue_index`: what an operator runs after changing data by hand."""

import io

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from catalogue.index.refresh import index_drift, stale_count
from catalogue.search import practice_search
from practices.models import Practice

pytestmark = pytest.mark.django_db


def check(*args) -> str:
    out = io.StringIO()
    call_command("check_catalogue_index", *args, stdout=out)
    return out.getvalue()


def test_the_real_catalogue_has_no_drift(catalogue):
    assert Practice.objects.count() == 81

    assert "0 drift" in check()


def test_a_manual_sql_change_is_reported_with_its_columns_and_fixed(catalogue):
    practice = Practice.objects.get(slug="winnica-ratujac-lekarza-ratujesz-zycie")
    with connection.cursor() as cursor:
        # An organisation's country changed by hand: the index knows nothing of it.
        cursor.execute(
            "UPDATE organisations_organisation SET country = 'MD' WHERE id = %s",
            [practice.lead_organisation_id],
        )

    with pytest.raises(CommandError, match="practices drifted"):
        check()
    drifted = list(index_drift())
    assert drifted and {d.practice_id for d in drifted} >= {practice.pk}
    assert all("countries" in d.columns and "search_vector" in d.columns for d in drifted)

    assert "0 drift left" in check("--fix")
    practice.refresh_from_db()
    assert "MD" in practice.countries
    assert "0 drift" in check()


def test_practices_left_marked_by_a_failed_flush_are_rebuilt_by_fix(catalogue):
    practice = Practice.objects.published().first()
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE practices_practice SET title = 'Kwarkowo ręcznie' WHERE id = %s",
            [practice.pk],
        )
        cursor.execute(
            "INSERT INTO catalogue_stalepractice (practice_id) VALUES (%s)", [practice.pk]
        )

    report = check("--fix")

    assert "1 practices are marked stale" in report
    assert stale_count() == 0
    assert list(practice_search(Practice.objects.all(), query="kwarkowo")) == [practice]
