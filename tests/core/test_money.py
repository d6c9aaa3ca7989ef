"""An amount or a count reads as Django's own number formatting writes it, in each
language."""

from decimal import Decimal

import pytest
from django.utils import translation
from django.utils.formats import number_format

from core.templatetags.catalogue import grouped, money

AMOUNTS = [
    "0",
    "0.50",
    "7",
    "999",
    "1000",
    "4061351.04",
    "19445133.00",
    "180000",
    "-2500.10",
    "1234567890123.99",
]


@pytest.mark.parametrize("language", ["pl", "en", "uk"])
@pytest.mark.parametrize("amount", AMOUNTS)
def test_money_groups_as_number_format_does(language, amount):
    value = Decimal(amount)
    places = 0 if value == value.to_integral() else 2

    with translation.override(language):
        shown = money(value, "PLN")
        expected = number_format(value, places, force_grouping=True)

    assert shown == f"{expected} PLN"


def test_money_in_polish_groups_with_a_no_break_space():
    with translation.override("pl"):
        assert money(Decimal("4061351.04"), "PLN") == "4\xa0061\xa0351,04 PLN"
    with translation.override("en"):
        assert money(Decimal("4061351.04"), "EUR") == "4,061,351.04 EUR"
    assert money(None, "PLN") == ""
    with translation.override("pl"):
        assert money(Decimal("12"), "") == "12"


@pytest.mark.parametrize("language", ["pl", "en", "uk"])
@pytest.mark.parametrize("number", [0, 7, 999, 1000, 12000, 380416, 1234567890, -2500])
def test_a_count_groups_as_number_format_does(language, number):
    with translation.override(language):
        assert grouped(number) == number_format(number, 0, force_grouping=True)
