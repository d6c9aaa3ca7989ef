"""Reads for the catalogue's pages: QuerySets with the joins each page needs, and the
statements an uncached page runs so often that they are compiled once per process (cards;
a practice with its lead and type, its awards, rows and related practices; an
organisation, its awards and links), each read into model instances or cards.

    cards          a practice's card: its fields, PracticeCard, the cards' statements
    listing        the catalogue page's orders and its pages of ids
    practice_page  a practice's page
    organisations  the organisation list and an organisation's page
    site           the home and overview pages
"""

from catalogue.selectors.cards import (
    CARD_COLUMNS,
    CARD_FIELDS,
    CARD_VALUES,
    SUMMARY_CARD_COLUMNS,
    SUMMARY_CARD_FIELDS,
    SUMMARY_CARD_VALUES,
    CardName,
    PracticeCard,
    card_statement,
    practice_cards,
)
from catalogue.selectors.listing import (
    SORTINGS,
    PageStatement,
    page_statement,
    practice_catalogue,
    practice_page_ids,
)
from catalogue.selectors.organisations import (
    ORGANISATION_PAGE_CARDS,
    organisation_awards,
    organisation_awards_statement,
    organisation_cards_statement,
    organisation_facet_counts,
    organisation_for_page,
    organisation_links,
    organisation_list,
    organisation_page_statement,
    organisation_practices,
)
from catalogue.selectors.practice_page import (
    AWARD_FIELDS,
    DETAIL_MODELS,
    NOT_ON_PAGE,
    ORGANISATION_UNNAMED,
    RELATED_CANDIDATES,
    detail_statement,
    practice_awards,
    practice_awards_statement,
    practice_details,
    practice_for_page,
    practice_page_statement,
    practice_related,
    related_statement,
)
from catalogue.selectors.site import (
    Bar,
    bars,
    latest_laureates,
    newest_practices,
    practices_by_start_year,
    site_counts,
)

__all__ = [
    "AWARD_FIELDS",
    "CARD_COLUMNS",
    "CARD_FIELDS",
    "CARD_VALUES",
    "DETAIL_MODELS",
    "NOT_ON_PAGE",
    "ORGANISATION_PAGE_CARDS",
    "ORGANISATION_UNNAMED",
    "RELATED_CANDIDATES",
    "SORTINGS",
    "SUMMARY_CARD_COLUMNS",
    "SUMMARY_CARD_FIELDS",
    "SUMMARY_CARD_VALUES",
    "Bar",
    "CardName",
    "PageStatement",
    "PracticeCard",
    "bars",
    "card_statement",
    "detail_statement",
    "latest_laureates",
    "newest_practices",
    "organisation_awards",
    "organisation_awards_statement",
    "organisation_cards_statement",
    "organisation_facet_counts",
    "organisation_for_page",
    "organisation_links",
    "organisation_list",
    "organisation_page_statement",
    "organisation_practices",
    "page_statement",
    "practice_awards",
    "practice_awards_statement",
    "practice_cards",
    "practice_catalogue",
    "practice_details",
    "practice_for_page",
    "practice_page_ids",
    "practice_page_statement",
    "practice_related",
    "practices_by_start_year",
    "related_statement",
    "site_counts",
]
