"""The catalogue page's cards are read as values (catalogue.selectors.PracticeCard), the
other pages' as models: both must come out of the card template the same."""

import pytest
from django.template import engines
from django.utils import translation

from catalogue.selectors import CARD_FIELDS, practice_cards
from practices.models import Practice

pytestmark = pytest.mark.django_db


def render_cards(practices, language: str) -> str:
    template = engines["jinja2"].env.get_template("includes/cards/practice_cards.html")
    with translation.override(language):
        return template.render({"practices": practices})


@pytest.mark.parametrize("language", ["pl", "en", "uk"])
def test_a_card_read_as_values_renders_as_the_model_does(catalogue, language):
    # A practice without a lead organisation, and one with an approximate amount.
    without_lead = Practice.objects.published().order_by("pk").first()
    Practice.objects.filter(pk=without_lead.pk).update(lead_organisation=None)
    valued = Practice.objects.published().filter(total_value__isnull=False).order_by("pk")
    Practice.objects.filter(pk=valued.first().pk).update(total_value_approximate=True)
    ids = list(Practice.objects.published().values_list("pk", flat=True))
    models = (
        Practice.objects.filter(pk__in=ids)
        .select_related("lead_organisation", "practice_type")
        .only(*CARD_FIELDS)
        .order_by("pk")
    )
    cards = sorted(practice_cards(ids), key=lambda card: card.pk)

    as_values, as_models = render_cards(cards, language), render_cards(models, language)

    assert [card.pk for card in cards] == [practice.pk for practice in models]
    assert len(cards) == 81
    assert as_values == as_models
    assert as_values.count('<li class="card">') == 81
    assert any(card.lead_organisation is None for card in cards)
    assert any(card.total_value_approximate for card in cards)
    assert any(card.started_on and card.ended_on for card in cards)
