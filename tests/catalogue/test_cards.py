"""The catalogue page's cards are read as values (catalogue.selectors.PracticeCard), the
other pages' as models: both must come out of the card template the same."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.template import engines
from django.test.utils import CaptureQueriesContext
from django.utils import translation
from markupsafe import escape

from catalogue.cards import practice_cards_html
from catalogue.selectors import CARD_FIELDS, card_statement, practice_cards
from catalogue.views.practices import snippet_text
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


@pytest.mark.parametrize("language", ["pl", "en", "uk"])
def test_a_card_reads_a_description_only_where_its_snippet_needs_it(catalogue, language):
    first, second, third, fourth = Practice.objects.published().order_by("pk")[:4]
    # Blank summaries (whitespace only), a blank translation of a written one, and a summary
    # of no ASCII letter (Python's blank and PostgreSQL's are not told apart on it).
    Practice.objects.filter(pk=first.pk).update(summary=" \n\t", summary_en="", summary_uk=" ")
    Practice.objects.filter(pk=second.pk).update(summary_en="  ", summary_uk="")
    Practice.objects.filter(pk=third.pk).update(summary="\u00a0", summary_en="In English.")
    Practice.objects.filter(pk=fourth.pk).update(
        description_en="The description.", description_uk="Опис."
    )
    ids = [first.pk, second.pk, third.pk, fourth.pk]
    models = {practice.pk: practice for practice in Practice.objects.filter(pk__in=ids)}

    cards = {card.pk: card for card in practice_cards(ids)}

    for pk in ids:
        assert snippet_text(cards[pk], language) == snippet_text(models[pk], language)
    assert cards[first.pk].description == models[first.pk].description != ""
    assert cards[third.pk].description == models[third.pk].description
    # Written summaries: their descriptions are not read.
    assert cards[second.pk].description is None
    assert cards[fourth.pk].description is cards[fourth.pk].description_en is None


def test_a_card_shows_its_awards_amount_period_and_languages(catalogue):
    practice = (
        Practice.objects.published().filter(lead_organisation__isnull=False).order_by("pk").first()
    )
    Practice.objects.filter(pk=practice.pk).update(
        title="Tytuł <b>praktyki</b>",
        title_en="",
        summary="Krótki opis praktyki.",
        summary_en="",
        countries=["UA", "PL"],
        award_levels=["winner", "distinction"],
        total_value=Decimal("180000"),
        total_value_approximate=True,
        currency="UAH",
        started_on=datetime.date(2020, 4, 1),
        started_precision="month",
        ended_on=None,
    )
    (card,) = practice_cards([practice.pk])
    lead = escape(practice.lead_organisation.name)

    polish, english = practice_cards_html([card], "pl"), practice_cards_html([card], "en")

    assert f'<a href="/praktyki/{practice.slug}/">Tytuł &lt;b&gt;praktyki&lt;/b&gt;</a>' in polish
    for shown in (f"<span>{lead}</span>", "<span>Ukraina, Polska</span>", "<span>od 04.2020</span>",
                  "<span>ok. 180\u00a0000 UAH</span>", "Krótki opis praktyki.",
                  '<li class="tag tag--winner">Zwycięzca konkursu</li>',
                  '<li class="tag tag--distinction">Wyróżnienie</li>'):  # fmt: skip
        assert shown in polish
    assert "tag--laureate" not in polish and "lang-note" not in polish
    # English: the untranslated title and summary marked as Polish, and said to be so.
    assert f'<a href="/en/practices/{practice.slug}/" lang="pl">' in english
    assert '<p class="card__snippet" lang="pl">Krótki opis praktyki.</p>' in english
    assert f'<span><span lang="pl">{lead}</span></span>' in english
    for shown in ("<span>Ukraine, Poland</span>", "<span>from 04.2020</span>",
                  "<span>approx. 180,000 UAH</span>", ">Competition winner</li>",
                  ">Special mention</li>"):  # fmt: skip
        assert shown in english
    assert '<span class="lang-note">This text is in Polish</span>' in english


def test_the_cards_statement_is_compiled_once_for_any_ids(catalogue):
    card_statement.cache_clear()
    ids = sorted(Practice.objects.published().values_list("pk", flat=True))[:3]

    with CaptureQueriesContext(connection) as queries:
        first = practice_cards(ids)
    again = practice_cards([ids[0], 0])  # an id that no practice has is left out

    assert sorted(card.pk for card in first) == ids
    assert [card.pk for card in again] == [ids[0]]
    assert card_statement.cache_info().misses == 1
    assert len(queries) == 1
    assert '"practices_practice"."id" = ANY(' in queries[0]["sql"]
