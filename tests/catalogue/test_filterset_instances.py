"""The catalogue's FilterSets copy their filters shallowly and share one form class
(catalogue.filters.FacetedFilterSetMixin): two requests must still never share state."""

import pytest
from django.http import QueryDict

from catalogue.filters import OrganisationFilterSet, PracticeFilterSet
from catalogue.vocabulary import catalogue_vocabulary
from organisations.models import Organisation
from practices.models import Practice

pytestmark = pytest.mark.django_db


def practice_filterset(query: str) -> PracticeFilterSet:
    return PracticeFilterSet(
        QueryDict(query), queryset=Practice.objects.published(), vocabulary=catalogue_vocabulary()
    )


def test_two_filtersets_filter_each_by_its_own_request(catalogue):
    ukraine = practice_filterset("country=UA")
    it = practice_filterset("type=it")

    ukrainian = set(ukraine.qs.values_list("pk", flat=True))
    digital = set(it.qs.values_list("pk", flat=True))

    assert ukrainian == set(
        Practice.objects.published().filter(countries__contains=["UA"]).values_list("pk", flat=True)
    )
    assert digital == set(
        Practice.objects.published().filter(practice_type__code="it").values_list("pk", flat=True)
    )
    assert ukrainian and digital and ukrainian != digital


def test_each_filterset_has_its_own_filters_and_the_class_keeps_none(catalogue):
    first, second = practice_filterset("type=it"), practice_filterset("type=social")

    for name in PracticeFilterSet.base_filters:
        assert first.filters[name] is not second.filters[name]
        assert first.filters[name].parent is first
        assert second.filters[name].parent is second
        assert not hasattr(PracticeFilterSet.base_filters[name], "parent")
    # A filter's method is bound to the copy it belongs to, not to a shared one.
    assert first.filters["type"].filter.f is first.filters["type"]


def test_ignored_values_stay_with_their_own_form(catalogue):
    bad = practice_filterset("country=XX&topic=no-such-topic")
    good = practice_filterset("country=PL")
    bad.is_valid()
    good.is_valid()

    assert type(bad.form) is type(good.form)  # one form class, built once
    assert bad.form.fields["country"] is not good.form.fields["country"]
    assert bad.form.fields["country"].ignored == ["XX"]
    assert bad.form.fields["topic"].ignored == ["no-such-topic"]
    assert good.form.fields["country"].ignored == []
    assert good.form.cleaned_data["country"] == ["PL"]


def test_a_topic_is_checked_against_the_vocabulary(catalogue):
    vocabulary = catalogue_vocabulary()
    slug = vocabulary.topics[0].slug
    filterset = practice_filterset(f"topic={slug}&topic=nonexistent")
    filterset.is_valid()

    assert filterset.form.cleaned_data["topic"] == [slug]
    assert filterset.ignored_input() == [("Obszar tematyczny", "nonexistent")]


def test_the_organisation_filterset_keeps_its_own_state_too(catalogue):
    poland = OrganisationFilterSet(QueryDict("country=PL"), queryset=Organisation.objects.all())
    ukraine = OrganisationFilterSet(QueryDict("country=UA"), queryset=Organisation.objects.all())

    assert set(poland.qs.values_list("country", flat=True)) == {"PL"}
    assert set(ukraine.qs.values_list("country", flat=True)) == {"UA"}


def test_a_form_changes_only_its_own_copies_of_the_fields(catalogue):
    filterset = practice_filterset("topic=x&q=szkoły")
    form_class = type(filterset.form)

    filterset.is_valid()
    field = filterset.form.fields["topic"]
    shared = form_class.base_fields["topic"]

    assert field is not shared
    assert field.widget is not shared.widget
    assert field.validators is not shared.validators
    assert field.error_messages is not shared.error_messages
    # The vocabulary's slugs and the query's length are set on the copy alone.
    assert field.allowed == catalogue_vocabulary().slugs("topic")
    assert shared.allowed is None
    assert form_class.base_fields["q"].max_length is filterset.form.fields["q"].max_length is None
    assert shared.ignored == []


def test_the_results_and_the_counts_start_from_one_search(catalogue):
    filterset = practice_filterset("q=szkoły&country=PL&year_from=2010")
    assert filterset.is_valid()

    without_facets = filterset.filter_queryset_without_facets(filterset.queryset)

    assert filterset.filter_queryset_without_facets(filterset.queryset) is without_facets
    results = set(filterset.qs.values_list("pk", flat=True))
    assert results
    assert results == set(
        without_facets.filter(countries__overlap=["PL"]).values_list("pk", flat=True)
    )
    # Another queryset is filtered afresh.
    others = Practice.objects.all()
    assert filterset.filter_queryset_without_facets(others) is not without_facets
