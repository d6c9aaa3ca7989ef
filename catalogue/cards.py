"""A practice card's markup: the list item every list of practices shows (the catalogue,
the home page, an organisation's and a practice's pages), through
templates/jinja2/includes/cards/practice_cards.html.

Written by that template, a card was about eleven function calls through Jinja2 and a
dozen escaped outputs: 22 µs a card on a Polish page, 40 µs on an English one, where
more of them mark an untranslated original (bench/README.md). Here it is one f-string
per card, each value escaped as Jinja2's autoescape would escape it (the functions that
return markup, `lang_attr`, `original`, `in_language`, `language_note`, return it marked
safe), as the facets' options are written (catalogue.facets.option_html). A practice is
a model instance or a catalogue.selectors.PracticeCard: both read alike.
"""

from __future__ import annotations

from functools import cache
from typing import NamedTuple

from django.utils.translation import gettext, override
from markupsafe import Markup, escape

from core.i18n import country_names, translated
from core.links import slug_urls
from core.templatetags.catalogue import (
    approximately,
    in_language,
    lang_attr,
    language_note,
    money,
    original,
    period,
)
from core.text import first_words


class CardLabels(NamedTuple):
    """The fixed wording of a card in one language (the site's own text: not escaped, as
    the template's `_()` messages are not)."""

    features: str
    winner: str
    laureate: str
    finalist: str
    distinction: str


@cache
def card_labels(language: str) -> CardLabels:
    """A card's wording in `language`, kept per process (the message catalogues never
    change while it runs)."""
    with override(language):
        return CardLabels(
            gettext("Cechy praktyki"),
            gettext("Zwycięzca konkursu"),
            gettext("Laureat"),
            gettext("Finalista"),
            gettext("Wyróżnienie"),
        )


def practice_cards_html(practices, language: str) -> Markup:
    """The cards of `practices`, for a page's <ul class="cards"> or <ol>, in `language`
    (the page's)."""
    address = slug_urls("practices:practice-detail", language)
    labels = card_labels(language)
    return Markup("".join(card_html(practice, language, address, labels) for practice in practices))


def card_html(practice, language: str, address, labels: CardLabels) -> str:
    """One card: `address` names the practice's page (core.links.slug_urls)."""
    title = translated(practice, "title", language)
    summary = translated(practice, "summary", language)
    meta = []
    if practice.lead_organisation:
        meta.append(f"<span>{escape(original(practice.lead_organisation.name, language))}</span>")
    if practice.countries:
        meta.append(f"<span>{escape(country_names(practice.countries, language))}</span>")
    if when := period(practice, language):
        meta.append(f"<span>{escape(when)}</span>")
    if practice.total_value is not None:
        amount = money(practice.total_value, practice.currency, language)
        if practice.total_value_approximate:
            amount = approximately(amount, language)
        meta.append(f"<span>{escape(amount)}</span>")
    snippet = getattr(practice, "snippet", "")  # the catalogue's, around the search's words
    if snippet:
        text = (
            f'<p class="card__snippet"{lang_attr(practice.snippet_language)}>{escape(snippet)}</p>'
        )
    elif summary.text:
        shown = escape(first_words(summary.text, 40))
        text = f'<p class="card__snippet"{lang_attr(summary)}>{shown}</p>'
    else:
        text = ""
    awards = practice.award_levels
    kind = escape(in_language(practice.practice_type, "name", language))
    tags = [f'<li class="tag tag--type">{kind}</li>']
    if "winner" in awards:
        tags.append(f'<li class="tag tag--winner">{labels.winner}</li>')
    elif "laureate" in awards:
        tags.append(f'<li class="tag tag--laureate">{labels.laureate}</li>')
    elif "finalist" in awards:
        tags.append(f'<li class="tag tag--finalist">{labels.finalist}</li>')
    if "distinction" in awards:
        tags.append(f'<li class="tag tag--distinction">{labels.distinction}</li>')
    meta_html = "\n      ".join(meta)
    tags_html = "\n      ".join(tags)
    return (
        '<li class="card">\n  <article>\n'
        f'    <h3 class="card__title"><a href="{escape(address(practice.slug))}"'
        f"{lang_attr(title)}>{escape(title)}</a></h3>\n"
        f'    <p class="card__meta">\n      {meta_html}\n    </p>\n'
        f"    {text}\n"
        f'    <ul class="tags" aria-label="{labels.features}">\n      {tags_html}\n    </ul>\n'
        f"    {language_note(title, summary, language=language)}\n  </article>\n</li>\n"
    )
