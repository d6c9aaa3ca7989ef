"""What the catalogue page shows of its filters: facet groups with counts, and chips.

Pure presentation: it reads the bound FilterSet, the counts from
`catalogue.counting.practice_facet_counts()` and the vocabulary; it queries
nothing itself.
"""

from __future__ import annotations

import math
from dataclasses import InitVar, dataclass, field
from functools import cache
from urllib.parse import urlencode

from django.utils.formats import number_format
from django.utils.translation import get_language, ngettext, override
from django.utils.translation import gettext as _
from markupsafe import Markup, escape

from catalogue.counting import FacetCounts
from core.i18n import Translated, country_names, page_language, translated
from core.templatetags.catalogue import grouped
from core.text import polish_sort_key
from organisations.enums import OrganisationKind, Voivodeship
from practices.dimensions import FACETS, FACETS_BY_NAME
from practices.enums import AwardLevel, Currency


@dataclass
class FacetOption:
    value: str
    label: str
    count: int
    selected: bool
    # The sample level the count was estimated at (0: counted exactly).
    level: int = 0
    # The heading the option is listed under within its group (a region's country).
    subgroup: str = ""
    # The label's language when it is not the page's (an untranslated topic): its `lang`.
    language: str = ""

    @property
    def approximate(self) -> bool:
        return bool(self.level)

    @property
    def count_label(self) -> str:
        return estimate_label(self.count, self.level)


# A facet option's checkbox and label, as includes/facet_groups.html lists them
# (FacetGroup.subgroups). A page lists up to about 160: written by the template, each was
# some twenty lookups, escapes and tests, about a millisecond of the page in all; here one
# f-string each with its values escaped, about a quarter of that (bench/README.md).
def option_html(group: str, option: FacetOption) -> str:
    """The list item of `option` (with its input_id and count_text) of the group `group`."""
    text = str(option.label)
    value, label = escape(option.value), escape(text[:1].upper() + text[1:])  # capfirst
    if option.language:
        label = f'<span lang="{escape(option.language)}">{label}</span>'
    empty = "" if option.count else ' class="is-empty"'
    checked = " checked" if option.selected else ""
    return (
        f'<li{empty}>\n<input type="checkbox" name="{group}" value="{value}" '
        f'id="{option.input_id}"{checked}>\n<label for="{option.input_id}">{label} '
        f'<span class="facet__count" data-facet-count="{group}:{value}">'
        f"({escape(option.count_text)})</span></label>\n</li>\n"
    )


@dataclass
class FacetGroup:
    name: str
    label: str
    options: list[FacetOption] = field(default_factory=list)
    approximate: bool = False
    # The page's language (default: the active one), for the estimates' wording.
    language: InitVar[str | None] = None

    def __post_init__(self, language):
        # Each checkbox's id, for its label, and its count as the page shows it: "12", or
        # an estimate's "ok. 4 300"; and the checkbox's list item (option_html).
        language = language or get_language()
        name = escape(self.name)
        for number, option in enumerate(self.options, 1):
            option.input_id = f"f-{self.name}-{number}"
            option.count_text = (
                estimate_label(option.count, option.level, language)
                if option.level
                else str(option.count)
            )
            option.html = option_html(name, option)

    @property
    def selected_count(self) -> int:
        return sum(option.selected for option in self.options)

    @property
    def selected_label(self) -> str:
        """ "2 wybrane": how many of the group's options are ticked."""
        count = self.selected_count
        return ngettext("%(counter)s wybrana", "%(counter)s wybrane", count) % {"counter": count}

    @property
    def subgroups(self) -> list[tuple[str, Markup]]:
        """The options' list items under their headings, in the options' order (one
        heading "" when the group has none)."""
        grouped: dict[str, list[str]] = {}
        for option in self.options:
            grouped.setdefault(option.subgroup, []).append(option.html)
        return [(heading, Markup("".join(items))) for heading, items in grouped.items()]


def region_label(region: str, language: str | None = None) -> str:
    """A region's name in the reader's language, or `language` (the 16 voivodeships are
    translated)."""
    return _voivodeship_names(language or get_language()).get(region, region)


@cache
def _voivodeship_names(language: str) -> dict[str, str]:
    return {value: str(label) for value, label in Voivodeship.choices}


def group_regions(
    options: list[FacetOption], region_countries: dict[str, str], language: str | None = None
) -> None:
    """Put region options under their countries: Poland first, then by country name,
    each country's regions by name (in place); the countries named in `language`
    (default: the page's)."""
    language = language or page_language()
    other = _("Inne")
    order = {}
    for option in options:
        code = region_countries.get(option.value, "")
        option.subgroup = country_names((code,), language) if code else other
        order[option.value] = (code != "PL", not code, polish_sort_key(option.subgroup))
    options.sort(key=lambda option: (order[option.value], polish_sort_key(option.label)))


def _two_significant_digits(number: int, *, up: bool = False) -> int:
    """12 312 → 12 000; with up=True (a bound must not shrink), 2 363 → 2 400."""
    digits = len(str(number))
    if digits <= 2:
        return number
    step = 10 ** (digits - 2)
    return -(-number // step) * step if up else round(number, 2 - digits)


# An estimate is shown as a number once its sample holds this many of the option's
# practices (a relative standard error of about a third or less); below that, as a bound.
ESTIMATE_FROM_HITS = 10
# The one-sided 99.9% upper bound of a Poisson mean, given 0…9 events observed: a page
# shows dozens of bounds, and each should hold, not one in twenty fail (as at 95%).
POISSON_UPPER_999 = (6.91, 9.23, 11.23, 13.06, 14.79, 16.45, 18.06, 19.63, 21.16, 22.66)


def shown_as_number(count: int, level: int) -> bool:
    """Whether a count estimated at sample level `level` reads as "ok. N" (else as a bound)."""
    return count >> level >= ESTIMATE_FROM_HITS


def estimate_upper_bound(count: int, level: int) -> int:
    """The practices an option of a sampled set has, at most, with 99.9% confidence."""
    hits = count >> level  # the option's practices in the sample (count = hits × 2**level)
    return math.ceil(POISSON_UPPER_999[hits] * 2**level)


def estimate_label(count: int, level: int, language: str | None = None) -> str:
    """How an estimated count reads: "ok. 4 300", or "poniżej 1 200" when the sample held
    too few of the option's practices to say more than a bound.

    A count estimated at sample level k is the practices the sample (one in 2**k)
    holds times 2**k, shown to two significant digits. With fewer than
    ESTIMATE_FROM_HITS of them the figure would mislead (one practice of the sample
    "is" 256 at level 8), so the page gives the 99.9% upper bound instead.
    """
    language = language or get_language()
    about, below = _estimate_messages(language)
    shown = grouped(estimate_shown(count, level), language)
    return (about if shown_as_number(count, level) else below) % {"count": shown}


@cache
def _estimate_messages(language: str | None) -> tuple[str, str]:
    """The two ways an estimate reads in `language`, kept per process: a page with
    estimated counts words a hundred of them."""
    with override(language):
        return _("ok. %(count)s"), _("poniżej %(count)s")


def estimate_shown(count: int, level: int) -> int:
    """The number `estimate_label` shows (a noun after it agrees with this one, not with
    `count`: "ok. 41 000 praktyk" for 40 962)."""
    if shown_as_number(count, level):
        return _two_significant_digits(count)
    return _two_significant_digits(estimate_upper_bound(count, level), up=True)


@dataclass
class Chip:
    label: str
    remove_url: str


def _sorted_by_label(options: list[FacetOption]) -> list[FacetOption]:
    return sorted(options, key=lambda option: polish_sort_key(option.label))


def _fallback_language(label) -> str:
    return label.language if isinstance(label, Translated) and label.is_fallback else ""


# The dimensions whose options are the vocabulary's or a fixed list: the same on every
# page in a language, so their labels are looked up once per vocabulary and language.
_LISTED = {"type", "topic", "org_kind", "award", "edition"}


def _listed_options(name: str, vocabulary, language: str) -> list[tuple[str, str, str, str]]:
    """(count key, address value, label, the label's language when it is a fallback) of
    every option of a listed dimension, in the page's `language`."""
    remembered = vocabulary.__dict__.setdefault("_facet_options", {})
    found = remembered.get((name, language))
    if found is None:
        with override(language):  # the labels, and their fallbacks, in that language
            found = remembered[(name, language)] = [
                (key, value, str(label), _fallback_language(label))
                for key, value, label in _options(name, vocabulary)
            ]
    return found


def _options(name: str, vocabulary):
    """(count key, address value, label) of every option of a listed dimension."""
    if name == "type":
        return [(t.code, t.code, translated(t, "name")) for t in vocabulary.practice_types]
    if name == "topic":
        return [(str(t.pk), t.slug, translated(t, "name")) for t in vocabulary.topics]
    if name == "org_kind":
        return [(value, value, str(label)) for value, label in OrganisationKind.choices]
    if name == "award":
        return [(value, value, str(label)) for value, label in AwardLevel.choices]
    if name == "edition":
        return [(str(e.pk), e.slug, e.name) for e in vocabulary.editions]
    raise KeyError(f"no options for the facet dimension {name!r}")


def _counted_options(name: str, counts: FacetCounts, chosen: set[str], language: str):
    """(count key, address value, label, fallback language) of the options of a dimension
    whose values are the counted ones (and the chosen ones), labelled in `language`."""
    if name == "country":
        codes = counts.options["country"].keys() | chosen
        return [(code, code, country_names((code,), language), "") for code in codes]
    if name == "region":
        values = sorted(counts.options["region"].keys() | chosen)
        return [(r, r, region_label(r, language), "") for r in values]
    raise KeyError(f"no options for the facet dimension {name!r}")


def facet_groups(
    filterset, counts: FacetCounts, vocabulary, language: str | None = None
) -> list[FacetGroup]:
    """One group of options per facet dimension (practices.dimensions.FACETS), in its order,
    in `language` (default: the page's)."""
    language = language or page_language()
    data = filterset.form.cleaned_data
    groups = []
    for dimension in FACETS:
        name = dimension.name
        chosen = set(data.get(name) or [])
        level = counts.level(name)
        found = counts.options[name]
        options = [
            FacetOption(value, label, found.get(key, 0), value in chosen, level, "", fallback)
            for key, value, label, fallback in (
                _listed_options(name, vocabulary, language)
                if name in _LISTED
                else _counted_options(name, counts, chosen, language)
            )
        ]
        if level and len(chosen) == 1:
            # The one value chosen in a dimension holds exactly the results: its count is
            # the total (exact, or the same estimate), not a second estimate of it.
            for option in options:
                if option.selected:
                    option.count, option.level = counts.total, counts.level("total")
        # A valid choice the vocabulary has no row for still shows, with 0.
        listed = {option.value for option in options}
        options += [FacetOption(value, value, 0, True, level) for value in sorted(chosen - listed)]
        if not dimension.keep_empty_options:
            options = [o for o in options if o.count or o.selected]
        if dimension.sort_by_label:
            options = _sorted_by_label(options)
        if name == "region":
            group_regions(options, vocabulary.region_countries, language)
        groups.append(
            FacetGroup(
                name, _dimension_label(name, language), options, bool(level), language=language
            )
        )
    return groups


@cache
def _dimension_label(name: str, language: str) -> str:
    """A facet dimension's label in `language`, kept per process (the message catalogues
    never change while it runs)."""
    with override(language):
        return str(FACETS_BY_NAME[name].label)


def _amount(value) -> str:
    return number_format(value, 0, force_grouping=True)


def _url_without(params: list[tuple[str, str]], drop: set[tuple[str, str]] | set[str]) -> str:
    kept = [(k, v) for k, v in params if k not in drop and (k, v) not in drop and k != "page"]
    return "?" + urlencode(kept) if kept else "?"


def active_chips(filterset, groups: list[FacetGroup], vocabulary) -> list[Chip]:
    """One removable chip per active filter value, in the order of the form."""
    data = filterset.form.cleaned_data
    params = [(key, value) for key in filterset.data for value in filterset.data.getlist(key)]
    labels = {
        group.name: {option.value: option.label for option in group.options} for group in groups
    }
    chips: list[Chip] = []
    if data.get("q"):
        chips.append(
            Chip(_("Szukaj: „%(q)s”") % {"q": data["q"][:80]}, _url_without(params, {"q"}))
        )
    for group in groups:
        for value in data.get(group.name) or []:
            label = labels[group.name].get(value, value)
            chips.append(
                Chip(
                    _("%(filter)s: %(value)s") % {"filter": group.label, "value": label},
                    _url_without(params, {(group.name, value)}),
                )
            )
    if data.get("competition"):
        names = {c.slug: c.name for c in vocabulary.competitions}
        for slug in data["competition"]:
            chips.append(
                Chip(
                    _("Konkurs: %(name)s") % {"name": names.get(slug, slug)},
                    _url_without(params, {("competition", slug)}),
                )
            )
    if data.get("organisation"):
        for slug in data["organisation"]:
            chips.append(
                Chip(
                    _("Organizacja: %(slug)s") % {"slug": slug},
                    _url_without(params, {("organisation", slug)}),
                )
            )
    if data.get("year_from") is not None:
        chips.append(
            Chip(
                _("Realizacja od %(year)s") % {"year": int(data["year_from"])},
                _url_without(params, {"year_from"}),
            )
        )
    if data.get("year_to") is not None:
        chips.append(
            Chip(
                _("Realizacja do %(year)s") % {"year": int(data["year_to"])},
                _url_without(params, {"year_to"}),
            )
        )
    currency = data.get("currency") or Currency.PLN
    if data.get("value_min") is not None:
        chips.append(
            Chip(
                _("Wartość od %(amount)s %(currency)s")
                % {"amount": _amount(data["value_min"]), "currency": currency},
                _url_without(params, {"value_min"}),
            )
        )
    if data.get("value_max") is not None:
        chips.append(
            Chip(
                _("Wartość do %(amount)s %(currency)s")
                % {"amount": _amount(data["value_max"]), "currency": currency},
                _url_without(params, {"value_max"}),
            )
        )
    return chips
