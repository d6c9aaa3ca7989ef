"""The database refuses practices that break the catalogue's rules, whatever the caller."""

import datetime
from decimal import Decimal

import pytest

from practices.models import Partnership, Practice
from tests.conftest import refused_by_database
from tests.factories import OrganisationFactory, PracticeFactory

pytestmark = pytest.mark.django_db


def test_practice_slug_is_unique():
    PracticeFactory(slug="platforma-dobrych-praktyk")

    with refused_by_database("practices_practice_slug_key"):
        PracticeFactory(slug="platforma-dobrych-praktyk")


def test_practice_period_end_before_start_is_refused():
    with refused_by_database("practice_period_end_not_before_start"):
        PracticeFactory(started_on=datetime.date(2021, 6, 30), ended_on=datetime.date(2017, 6, 15))


def test_practice_period_may_end_on_its_start_day_or_stay_open():
    same_day = PracticeFactory(
        started_on=datetime.date(2020, 4, 1), ended_on=datetime.date(2020, 4, 1)
    )
    open_ended = PracticeFactory(started_on=datetime.date(2020, 4, 1), ended_on=None)

    assert Practice.objects.filter(pk__in=[same_day.pk, open_ended.pk]).count() == 2


def test_practice_negative_total_value_is_refused():
    with refused_by_database("practice_total_value_not_negative"):
        PracticeFactory(total_value=Decimal("-1.00"), currency="PLN")


def test_practice_negative_co_financing_is_refused():
    with refused_by_database("practice_co_financing_not_negative"):
        PracticeFactory(co_financing=Decimal("-0.01"), currency="PLN")


def test_practice_co_financing_above_total_is_refused():
    with refused_by_database("practice_co_financing_within_total"):
        PracticeFactory(
            total_value=Decimal("6270000.00"), co_financing=Decimal("6270000.01"), currency="PLN"
        )


def test_practice_amount_without_currency_is_refused():
    with refused_by_database("practice_amount_has_currency"):
        PracticeFactory(total_value=Decimal("845000.00"), currency="")


def test_practice_published_without_date_is_refused():
    with refused_by_database("practice_published_has_date"):
        PracticeFactory(status="published", published_at=None)


def test_practice_unknown_status_is_refused():
    with refused_by_database("practice_status_valid"):
        PracticeFactory(status="deleted")


def test_partnership_same_organisation_twice_is_refused():
    practice = PracticeFactory()
    organisation = OrganisationFactory()
    Partnership.objects.create(practice=practice, organisation=organisation)

    with refused_by_database("partnership_unique_organisation"):
        Partnership.objects.create(practice=practice, organisation=organisation, role="host")
