"""A practice's and an organisation's page read their object and its awards by statements
compiled once per process (catalogue.selectors): they must give what the ORM's queries
give."""

import pytest

from catalogue.selectors import (
    AWARD_FIELDS,
    NOT_ON_PAGE,
    ORGANISATION_UNNAMED,
    organisation_awards,
    organisation_awards_statement,
    organisation_for_page,
    organisation_page_statement,
    practice_awards,
    practice_awards_statement,
    practice_for_page,
    practice_page_statement,
)
from catalogue.selectors.organisations import (
    AWARDED_PRACTICE_COLUMNS,
    ENTRANT_COLUMNS,
    ORGANISATION_COLUMNS,
)
from catalogue.selectors.practice_page import AWARD_COLUMNS, LEAD_COLUMNS, PAGE_COLUMNS
from competitions.models import Entry
from core.i18n import with_translations
from organisations.models import Organisation
from practices.models import Practice

pytestmark = pytest.mark.django_db


def loaded(instance, columns) -> dict:
    return {column: getattr(instance, column) for column in columns}


def test_the_compiled_practice_is_the_orm_one(catalogue):
    practice_page_statement.cache_clear()
    as_orm = (
        Practice.objects.published()
        .select_related("lead_organisation", "practice_type")
        .defer(*NOT_ON_PAGE, *(f"lead_organisation__{name}" for name in ORGANISATION_UNNAMED))
        .order_by("pk")
    )
    without_lead = 0
    for expected in as_orm:
        practice = practice_for_page(expected.slug)

        assert loaded(practice, PAGE_COLUMNS) == loaded(expected, PAGE_COLUMNS)
        assert practice.get_deferred_fields() == expected.get_deferred_fields()
        if expected.lead_organisation is None:
            without_lead += 1
            assert practice.lead_organisation is None
        else:
            lead = practice.lead_organisation
            assert loaded(lead, LEAD_COLUMNS) == loaded(expected.lead_organisation, LEAD_COLUMNS)
            assert lead.country == expected.lead_organisation.country  # a Country, not text
        assert practice.practice_type == expected.practice_type
        assert practice.practice_type.name_en == expected.practice_type.name_en
    assert as_orm.count() == 81
    assert without_lead < 81
    assert practice_page_statement.cache_info().misses == 1


def test_a_draft_is_read_only_for_a_preview(catalogue):
    draft = Practice.objects.published().order_by("pk").first()
    Practice.objects.filter(pk=draft.pk).update(status="draft")

    assert practice_for_page(draft.slug) is None
    assert practice_for_page(draft.slug, include_unpublished=True).pk == draft.pk
    assert practice_for_page("no-such-practice", include_unpublished=True) is None


def same_entry(entry, orm) -> None:
    """`entry` (compiled) reads as the ORM's `orm`: its category, edition and competition."""
    assert str(entry.category) == str(orm.category)
    assert entry.get_status_display() == orm.get_status_display()
    assert entry.category.edition.get_absolute_url() == orm.category.edition.get_absolute_url()
    for path in ("", "category", "category.edition", "category.edition.competition"):
        mine, theirs = entry, orm
        for step in filter(None, path.split(".")):
            mine, theirs = getattr(mine, step), getattr(theirs, step)
        columns = AWARD_COLUMNS[type(theirs)]
        assert loaded(mine, columns) == loaded(theirs, columns)


def test_the_compiled_awards_are_the_orm_ones(catalogue):
    practice_awards_statement.cache_clear()
    awarded = Practice.objects.filter(pk__in=Entry.objects.public().values("practice"))
    assert awarded.count() >= 10
    for practice in awarded:
        expected = list(
            Entry.objects.public()
            .filter(practice=practice)
            .select_related("category__edition__competition")
            .only(*AWARD_FIELDS)
            .order_by("-category__edition__year", "category__order")
        )
        entries = practice_awards(practice)

        assert [entry.pk for entry in entries] == [entry.pk for entry in expected]
        for entry, orm in zip(entries, expected, strict=True):
            same_entry(entry, orm)
    assert practice_awards_statement.cache_info().misses == 1


def test_the_compiled_organisation_is_the_orm_one(catalogue):
    organisation_page_statement.cache_clear()
    published = Organisation.objects.published().order_by("pk")
    for expected in published:
        organisation = organisation_for_page(expected.slug)

        assert loaded(organisation, ORGANISATION_COLUMNS) == loaded(expected, ORGANISATION_COLUMNS)
        assert organisation.country == expected.country
    draft = published.first()
    Organisation.objects.filter(pk=draft.pk).update(is_published=False)
    assert organisation_for_page(draft.slug) is None
    assert published.count() > 50
    assert organisation_page_statement.cache_info().misses == 1


def test_the_compiled_organisation_awards_are_the_orm_ones(catalogue):
    organisation_awards_statement.cache_clear()
    checked = 0
    for organisation in Organisation.objects.published():
        expected = list(
            Entry.objects.public()
            .filter(
                practice__status="published",
                practice__organisation_ids__contains=[organisation.pk],
            )
            .exclude(status__in=["submitted", "withdrawn"])
            .select_related("practice", "entrant", "category__edition__competition")
            .only(
                *AWARD_FIELDS,
                "practice__slug",
                *(f"practice__{name}" for name in with_translations("title")),
                "entrant__name",
            )
            .order_by("-category__edition__year", "laureate_place", "id")
        )
        won, took_part = organisation_awards(organisation)
        entries = won + took_part

        assert sorted(e.pk for e in entries) == sorted(e.pk for e in expected)
        assert [e.pk for e in won] == [e.pk for e in expected if e.entrant_id == organisation.pk]
        by_pk = {e.pk: e for e in expected}
        for entry in entries:
            orm = by_pk[entry.pk]
            same_entry(entry, orm)
            assert entry.practice.get_absolute_url() == orm.practice.get_absolute_url()
            assert loaded(entry.practice, AWARDED_PRACTICE_COLUMNS) == loaded(
                orm.practice, AWARDED_PRACTICE_COLUMNS
            )
            if orm.entrant is None:
                assert entry.entrant is None
            else:
                assert loaded(entry.entrant, ENTRANT_COLUMNS) == loaded(
                    orm.entrant, ENTRANT_COLUMNS
                )
        checked += bool(entries)
    assert checked >= 10
    assert organisation_awards_statement.cache_info().misses == 1
