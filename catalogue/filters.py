"""The catalogue's filters: every filter in the URL and combinable.

Bad input never breaks the page. A multiple-choice filter keeps its valid
values and drops the rest; a malformed single value (``year_from=abc``) is left
out. Either way the filter records what it ignored, and the page says so.
"""

from __future__ import annotations

import copy
import datetime
import functools
from decimal import Decimal

import django_filters
from django import forms
from django.db.models import BooleanField, GeneratedField, Q, QuerySet
from django.db.models.expressions import RawSQL
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from catalogue.search import practice_search, search_language
from core.text import fold, query_groups, words
from organisations.enums import OrganisationKind
from organisations.models import Organisation
from practices.dimensions import FACETS, FACETS_BY_NAME
from practices.enums import AwardLevel, Currency, PracticeTypeCode
from practices.models import Practice

MAX_VALUES_PER_FILTER = 30
MAX_TEXT_VALUE = 120
MAX_QUERY_LENGTH = 300
YEAR_MIN, YEAR_MAX = 1900, 2100


class SortOrder:
    RELEVANCE = "relevance"
    NEWEST = "newest"
    TITLE = "title"
    VALUE = "value"
    CHOICES = [
        (RELEVANCE, _("trafność")),
        (NEWEST, _("najnowsze")),
        (TITLE, _("tytuł (A–Ż)")),
        (VALUE, _("wartość (malejąco)")),
    ]


class LenientMultipleChoiceField(forms.MultipleChoiceField):
    """Keeps the valid choices and remembers the others instead of failing the field.

    With `choices=None` any short text is valid (values checked elsewhere, e.g.
    region names, which come from the data).
    """

    def __init__(self, *args, accept_any: bool = False, allowed=None, **kwargs):
        self.accept_any = accept_any
        # A set to check values against, instead of a long choices list that every
        # form instance would deep-copy (250 countries).
        self.allowed = allowed
        self.ignored: list[str] = []
        super().__init__(*args, **kwargs)

    def __deepcopy__(self, memo):
        # Each form copies its fields; the choices are never changed, so they are shared
        # (ChoiceField would deep-copy every label of them for each request).
        result = forms.Field.__deepcopy__(self, memo)
        result._choices = self._choices
        result.ignored = []
        return result

    def clean(self, value):
        values = self.to_python(value)
        kept, self.ignored = [], []
        for item in values:
            item = item.strip()
            if not item:
                continue
            if "\x00" in item:
                # PostgreSQL text cannot hold NUL; no stored value contains one.
                valid = False
            elif self.allowed is not None:
                valid = item in self.allowed
            elif self.accept_any:
                valid = len(item) <= MAX_TEXT_VALUE
            else:
                valid = self.valid_value(item)
            if valid and item not in kept and len(kept) < MAX_VALUES_PER_FILTER:
                kept.append(item)
            elif not valid:
                self.ignored.append(item.replace("\x00", "")[:60])
        return kept


def _clone(instance):
    """A shallow copy of a plain object (copy.copy() goes through __reduce_ex__)."""
    clone = object.__new__(type(instance))
    clone.__dict__.update(instance.__dict__)
    return clone


class FormFields(dict):
    """A filter form's fields, which each form copies for itself (Form.__init__ deep-copies
    its `base_fields`): a field with its own widget, validators and error messages, as
    Field.__deepcopy__ gives it, but neither choices nor labels copied deeply.

    A catalogue page builds a form of sixteen fields; deep copies took it a fifth of a
    millisecond. Nothing of a request changes a field's choices: the form is never
    rendered by its widgets, and the lenient fields check values against a set.
    """

    def __deepcopy__(self, memo):
        fields = {}
        for name, field in self.items():
            copied = _clone(field)
            copied.widget = _clone(field.widget)
            copied.widget.attrs = field.widget.attrs.copy()
            copied.error_messages = field.error_messages.copy()
            copied.validators = field.validators[:]
            if isinstance(field, LenientMultipleChoiceField):
                copied.ignored = []
            fields[name] = copied
        return fields


class LenientMultipleChoiceFilter(django_filters.MultipleChoiceFilter):
    field_class = LenientMultipleChoiceField


class FacetedFilterSetMixin:
    """What a faceted, forgiving list needs from its FilterSet (bound, then validated)."""

    def __init__(self, data=None, queryset=None, *, request=None, prefix=None):
        # django-filter's own __init__, but for one thing: it deep-copies every filter
        # (their choices and lazy labels too) for each request, about a millisecond of
        # every catalogue page. A filter keeps no state of a request but the attributes
        # set here, so a shallow copy is enough (its `method` re-set: the FilterMethod
        # django-filter makes of it points back at the filter).
        if queryset is None:
            queryset = self._meta.model._default_manager.all()
        self.is_bound = data is not None
        self.data = data or QueryDict()
        self.queryset = queryset
        self.request = request
        self.form_prefix = prefix
        self.filters = {name: copy.copy(filter_) for name, filter_ in self.base_filters.items()}
        for filter_ in self.filters.values():
            filter_.model = queryset.model
            filter_.parent = self
            if filter_.method is not None:
                filter_.method = filter_.method

    def get_form_class(self):
        """One form class per FilterSet class (django-filter builds one per request; its
        fields are the same every time, and each form copies them for itself, see
        `FormFields`)."""
        cls = type(self)
        form_class = cls.__dict__.get("_form_class")
        if form_class is None:
            form_class = super().get_form_class()
            form_class.base_fields = FormFields(form_class.base_fields)
            cls._form_class = form_class
        return form_class

    def filter_queryset_except(self, queryset: QuerySet, dimension: str) -> QuerySet:
        """The result set with every filter but `dimension` (for that facet's counts)."""
        for name, value in self.form.cleaned_data.items():
            if name != dimension:
                queryset = self.filters[name].filter(queryset, value)
        return queryset

    def ignored_input(self) -> list[tuple[str, str]]:
        """(filter label, what was ignored) for every bad value the request carried."""
        self.form.is_valid()
        ignored = []
        for name, field in self.form.fields.items():
            if name in self.form.errors:
                raw = self.form.data.get(name, "")
                ignored.append((str(field.label or name), str(raw)[:60]))
            for value in getattr(field, "ignored", []):
                ignored.append((str(field.label or name), value))
        return ignored


COUNTRY_CODES = frozenset(code for code, _name in countries)


@functools.cache
def _value_field(name: str):
    """The field of one value of facet `name`'s array column (a generated one's too)."""
    column = Practice._meta.get_field(FACETS_BY_NAME[name].column)
    if isinstance(column, GeneratedField):
        column = column.output_field
    return column.base_field


@functools.cache
def overlap_sql(alias: str, name: str, count: int) -> str:
    """The SQL of facet `name`'s condition with `count` values, as the ORM writes it for
    database `alias`: compiled once per process, not on every page (a page with four
    filters compiles each of them twice, for the results and for the counts).

    Every value is a parameter of its own (`ARRAY[%s, …]`), never part of the text;
    the compilation is checked to hold exactly the stand-ins it was given, in order.
    """
    column = FACETS_BY_NAME[name].column
    field = _value_field(name)
    stand_ins = [field.get_prep_value(str(number)) for number in range(1, count + 1)]
    query = Practice.objects.using(alias).all().query
    where = query.build_where(Q(**{f"{column}__overlap": stand_ins}))
    text, params = query.get_compiler(alias).compile(where)
    if list(params) != stand_ins:
        raise ValueError(f"unexpected parameters for the condition of {name!r}: {params}")
    return text


def _facet_filter(name: str, **kwargs) -> LenientMultipleChoiceFilter:
    """The filter of a facet dimension (practices.dimensions): its label, its condition."""
    return LenientMultipleChoiceFilter(
        field_name=name, method="filter_facet", label=FACETS_BY_NAME[name].label, **kwargs
    )


class PracticeFilterSet(FacetedFilterSetMixin, django_filters.FilterSet):
    """Filters of the practice list; one per facet dimension (practices.dimensions.FACETS)."""

    q = django_filters.CharFilter(method="filter_search", label=_("Szukaj"))
    # The facet filters: each one's condition is facet_condition() (SQL compiled once),
    # used both to filter and to count facets (catalogue.counting). Choices of topic,
    # competition and edition come from the vocabulary (see __init__).
    type = _facet_filter("type", choices=PracticeTypeCode.choices)
    country = _facet_filter("country", allowed=COUNTRY_CODES)
    topic = _facet_filter("topic")
    org_kind = _facet_filter("org_kind", choices=OrganisationKind.choices)
    region = _facet_filter("region", accept_any=True)
    year_from = django_filters.NumberFilter(
        method="filter_year_from",
        min_value=YEAR_MIN,
        max_value=YEAR_MAX,
        decimal_places=0,
        label=_("Rok od"),
    )
    year_to = django_filters.NumberFilter(
        method="filter_year_to",
        min_value=YEAR_MIN,
        max_value=YEAR_MAX,
        decimal_places=0,
        label=_("Rok do"),
    )
    competition = LenientMultipleChoiceFilter(method="filter_competition", label=_("Konkurs"))
    edition = _facet_filter("edition")
    award = _facet_filter("award", choices=AwardLevel.choices)
    organisation = LenientMultipleChoiceFilter(
        method="filter_organisation", accept_any=True, label=_("Organizacja")
    )
    value_min = django_filters.NumberFilter(
        method="filter_value_min",
        min_value=0,
        max_digits=16,
        decimal_places=2,
        label=_("Wartość od"),
    )
    value_max = django_filters.NumberFilter(
        method="filter_value_max",
        min_value=0,
        max_digits=16,
        decimal_places=2,
        label=_("Wartość do"),
    )
    # Only qualifies value_min / value_max: amounts compare within one currency.
    currency = django_filters.ChoiceFilter(
        choices=Currency.choices, method="filter_noop", label=_("Waluta"), empty_label=None
    )
    sort = django_filters.ChoiceFilter(
        choices=SortOrder.CHOICES, method="filter_noop", label=_("Sortuj"), empty_label=None
    )

    # Dimensions whose options are counted for the current result set, each with
    # every other filter applied but its own (so alternatives keep their counts).
    FACETS = tuple(dimension.name for dimension in FACETS)

    class Meta:
        model = Practice
        fields: list[str] = []

    def __init__(self, data=None, *args, vocabulary, **kwargs):
        self.vocabulary = vocabulary
        super().__init__(data, *args, **kwargs)
        for name in ("topic", "competition", "edition"):
            # Checked against the vocabulary's slugs (the labels are the facets' business).
            self.form.fields[name].allowed = vocabulary.slugs(name)
        self.form.fields["q"].max_length = None  # long queries are cut, never refused

    # --- filter methods -------------------------------------------------------

    def filter_noop(self, queryset, name, value):
        return queryset

    @functools.cached_property
    def search_groups(self) -> list[frozenset[str]]:
        """The search's words, each with its terms (core.text.query_groups, in the page's
        language): read once for the results, the counts, the order and the snippets."""
        self.form.is_valid()
        query = self.form.cleaned_data.get("q") or ""
        return query_groups(query[:MAX_QUERY_LENGTH], language=search_language())

    def filter_search(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return practice_search(queryset, groups=self.search_groups)

    def _ids(self, kind: str, slugs: list[str]) -> list[int]:
        table = self.vocabulary.ids(kind)
        return [table[slug] for slug in slugs if slug in table]

    def facet_values(self, name: str) -> list | None:
        """The column values an active facet filter selects (ids for topics and
        editions, named by slug in the address), or None when it is not active."""
        value = self.form.cleaned_data.get(name)
        if not value:
            return None
        if FACETS_BY_NAME[name].by_slug:
            return self._ids(name, value)
        return list(value)

    def facet_condition(self, name: str) -> tuple[str, list] | None:
        """The condition an active facet filter puts on a practice row, as SQL and its
        parameters (`overlap_sql`), or None.

        Every one is an array overlap, the type's too (`type_codes`, the type as an
        array), so that all of them are keys of the catalogue's one GIN index.
        """
        values = self.facet_values(name)
        if values is None:
            return None
        field = _value_field(name)
        params = [field.get_prep_value(value) for value in values]
        return overlap_sql(self.queryset.db, name, len(params)), params

    def filter_facet(self, queryset, name, value):
        condition = self.facet_condition(name)
        if condition is None:
            return queryset
        return queryset.filter(RawSQL(*condition, output_field=BooleanField()))

    def filter_queryset_without_facets(self, queryset: QuerySet) -> QuerySet:
        """Every filter except the facet ones (search, years, money, organisation…).

        For the filterset's own queryset they are applied once: the counts
        (catalogue.counting) and the results (`qs`) both start from them.
        """
        if queryset is self.queryset and "_without_facets" in self.__dict__:
            return self._without_facets
        filtered = queryset
        for name, value in self.form.cleaned_data.items():
            if name not in self.FACETS:
                filtered = self.filters[name].filter(filtered, value)
        if queryset is self.queryset:
            self._without_facets = filtered
        return filtered

    @property
    def qs(self) -> QuerySet:
        """The results: the facet filters on `filter_queryset_without_facets` (django-filter
        would apply, and the search build, every filter again)."""
        if not hasattr(self, "_qs"):
            if not self.is_bound:
                return self.queryset.all()
            self.form.is_valid()
            queryset = self.filter_queryset_without_facets(self.queryset)
            for name in self.FACETS:
                if name in self.form.cleaned_data:
                    queryset = self.filters[name].filter(queryset, self.form.cleaned_data[name])
            self._qs = queryset
        return self._qs

    def narrows_beyond_facets(self) -> bool:
        """Whether a filter other than the facets (search, years, money…) is active.

        Sort and currency filter nothing themselves (`filter_noop`).
        """
        return any(
            value not in (None, "", [])
            for name, value in self.form.cleaned_data.items()
            if name not in self.FACETS and self.filters[name].method != "filter_noop"
        )

    def filter_competition(self, queryset, name, value):
        if not value:
            return queryset
        return queryset.filter(competition_ids__overlap=self._ids("competition", value))

    def filter_organisation(self, queryset, name, value):
        if not value:
            return queryset
        organisations = Organisation.objects.published().filter(slug__in=value)
        ids = list(organisations.values_list("id", flat=True))
        return queryset.filter(organisation_ids__overlap=ids)

    def filter_year_from(self, queryset, name, value):
        if value is None:
            return queryset
        start = datetime.date(int(value), 1, 1)
        # Running in or after the year: it ends then or later, or has not ended.
        return queryset.filter(
            Q(ended_on__gte=start) | Q(ended_on__isnull=True, started_on__isnull=False)
        )

    def filter_year_to(self, queryset, name, value):
        if value is None:
            return queryset
        end = datetime.date(int(value), 12, 31)
        return queryset.filter(
            Q(started_on__lte=end) | Q(started_on__isnull=True, ended_on__lte=end)
        )

    def _currency(self) -> str:
        return self.form.cleaned_data.get("currency") or Currency.PLN

    def filter_value_min(self, queryset, name, value):
        return queryset.filter(currency=self._currency(), total_value__gte=Decimal(value))

    def filter_value_max(self, queryset, name, value):
        return queryset.filter(currency=self._currency(), total_value__lte=Decimal(value))


class OrganisationFilterSet(FacetedFilterSetMixin, django_filters.FilterSet):
    """Filters of the organisation list: search, country, kind, region."""

    q = django_filters.CharFilter(method="filter_search", label=_("Szukaj"))
    country = LenientMultipleChoiceFilter(
        field_name="country", allowed=COUNTRY_CODES, label=_("Kraj")
    )
    kind = LenientMultipleChoiceFilter(
        field_name="kind", choices=OrganisationKind.choices, label=_("Rodzaj")
    )
    region = LenientMultipleChoiceFilter(field_name="region", accept_any=True, label=_("Region"))

    FACETS = ("country", "kind", "region")

    class Meta:
        model = Organisation
        fields: list[str] = []

    def filter_search(self, queryset, name, value):
        """Every word of the query in the name, abbreviation or place; case and diacritics aside."""
        condition = Q()
        for word in words(value[:MAX_QUERY_LENGTH])[:8]:
            condition &= Q(search_text__contains=fold(word))
        return queryset.filter(condition)
