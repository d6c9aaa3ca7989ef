"""The catalogue's practice pages: the faceted list and a practice."""

from __future__ import annotations

from functools import partial

from django.conf import settings
from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.http import Http404
from django.utils.decorators import method_decorator
from django.utils.formats import localize, number_format
from django.utils.functional import cached_property
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.generic import DetailView, ListView

from catalogue.counting import practice_facet_counts, rows_template
from catalogue.facets import active_chips, estimate_label, estimate_shown, facet_groups
from catalogue.filters import PracticeFilterSet, SortOrder
from catalogue.selectors import (
    PageStatement,
    page_statement,
    practice_awards,
    practice_cards,
    practice_catalogue,
    practice_details,
    practice_for_page,
    practice_page_ids,
    practice_related,
)
from catalogue.vocabulary import catalogue_vocabulary
from core.aside import run_aside
from core.i18n import Translated, page_language, translated
from core.links import absolute_url
from core.pagecache import cache_public_page
from core.paging import page_or_nearest
from core.text import highlight
from practices.models import Practice

# The first pages of the catalogue are read beside its facet counts (FirstPage).
PAGES_READ_ASIDE = 50


def export_query(request) -> str:
    """The request's filters as a query string for the exports and the feed (no page, no sort)."""
    params = request.GET.copy()
    for key in ("page",):
        params.pop(key, None)
    encoded = params.urlencode()
    return f"?{encoded}" if encoded else ""


class KnownCountPaginator(Paginator):
    """Pages of practices, told the total in advance (the facet query counted it).

    A page is read as a "deferred join": first the 20 ids of the page, which
    PostgreSQL finds from an index alone even deep into a million rows, then
    those 20 rows with everything a card shows.

    An `approximate` total (estimated from a sample, see
    `catalogue.counting.count_facets`) only guides the page links: each page
    reads one id more than it shows, so whether another page follows is known,
    the pages past the estimate stay reachable, and the last page makes the
    count exact. A page past the real end counts the results exactly and is
    refused like any page past the end.
    """

    def __init__(
        self,
        *args,
        count: int,
        approximate: bool = False,
        rank_window: int = 0,
        read_aside: FirstPage | None = None,
        statement: PageStatement | None = None,
        **kwargs,
    ):
        super().__init__(*args, **kwargs)
        self.__dict__["count"] = count
        self.approximate = approximate
        self.rank_window = rank_window  # see catalogue.selectors.practice_page_ids
        self.read_aside = read_aside
        self.statement = statement  # the object list's, compiled (PageStatement)

    def _set_count(self, count: int) -> None:
        self.__dict__["count"] = count
        self.__dict__.pop("num_pages", None)  # a cached_property of Paginator

    def validate_number(self, number):
        if not self.approximate:
            return super().validate_number(number)
        try:
            number = int(number)
        except (TypeError, ValueError):
            raise PageNotAnInteger(_("That page number is not an integer")) from None
        if number < 1:
            raise EmptyPage(_("That page number is less than 1"))
        return number

    def page(self, number):
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        if self.read_aside is not None and self.read_aside.start == bottom:
            ids, cards = self.read_aside.result()
        else:
            ids = practice_page_ids(
                self.object_list,
                start=bottom,
                stop=bottom + self.per_page + 1,
                rank_window=self.rank_window,
                count=None if self.approximate else self.count,
                statement=self.statement,
            )
            cards = practice_cards(ids[: self.per_page]) if ids else []
        more, ids = len(ids) > self.per_page, ids[: self.per_page]
        if self.approximate:
            if not ids and number > 1:
                self._set_count(self.object_list.count())
                raise EmptyPage(_("That page contains no results"))
            if not more:
                self._set_count(bottom + len(ids))
            elif bottom + self.per_page >= self.count:
                self._set_count(bottom + self.per_page + 1)
        # In the order of `ids`: the rows need no ordering of their own, nor the filters
        # that chose the ids (the catalogue's row query, read by primary key).
        rows = {row.pk: row for row in cards}
        return self._get_page([rows[pk] for pk in ids if pk in rows], number, self)


def read_page(
    queryset, *, start: int, stop: int, rank_window: int, statement: PageStatement | None = None
) -> tuple[list[int], list]:
    """The ids at [start, stop) of `queryset` (read by its `statement` where given) and the
    cards of all but the last (the paginator reads one id more than a page shows, to know
    whether another follows)."""
    ids = practice_page_ids(
        queryset, start=start, stop=stop, rank_window=rank_window, statement=statement
    )
    return ids, practice_cards(ids[: stop - start - 1]) if ids else []


class FirstPage:
    """A page of the catalogue read on a second connection while the request counts
    its facets on its own (core.aside), started before the counts are known.

    Only what needs no count is read so: one of the first PAGES_READ_ASIDE pages (read
    forwards; past the middle of a count the paginator reads backwards, the same ids),
    and in a relevance order the ranked window's form of it (practice_page_ids), which
    gives the same page whether the matches are more than the window or not.
    """

    def __init__(self, start: int, future):
        self.start = start
        self.future = future

    @classmethod
    def start_reading(
        cls,
        queryset,
        *,
        number,
        per_page: int,
        relevance: bool,
        statement: PageStatement | None = None,
    ):
        """The read of page `number` (as the visitor wrote it) started aside, or None
        where it is not read aside (the module doc of core.aside, and the class doc)."""
        try:
            number = int(number)
        except (TypeError, ValueError):
            return None
        if not 1 <= number <= PAGES_READ_ASIDE:
            return None
        start = (number - 1) * per_page
        stop = start + per_page + 1
        window = settings.CATALOGUE_RANK_WINDOW if relevance else 0
        if window and stop > window:
            return None
        # Chosen once: the reads aside go where the request's go (its statement's, if any).
        alias = statement.alias if statement is not None else queryset.db
        read = partial(
            read_page,
            queryset.using(alias),
            start=start,
            stop=stop,
            rank_window=window,
            statement=statement,
        )
        future = run_aside({alias, "default"}, read)
        return cls(start, future) if future is not None else None

    def result(self) -> tuple[list[int], list]:
        return self.future.result()


@method_decorator(
    cache_public_page(query=(*PracticeFilterSet.base_filters, "page")), name="dispatch"
)
class PracticeListView(ListView):
    """The catalogue: filters with facet counts, chips, sorting and pagination."""

    template_engine = "jinja2"  # catalogue/jinja2.py
    template_name = "catalogue/practice_list.html"
    context_object_name = "practices"
    paginate_by = 20

    @cached_property
    def vocabulary(self):
        return catalogue_vocabulary()

    @cached_property
    def filterset(self) -> PracticeFilterSet:
        return PracticeFilterSet(
            self.request.GET,  # always bound: no filters is a valid, empty form
            queryset=Practice.objects.published(),
            vocabulary=self.vocabulary,
        )

    @property
    def search_groups(self):
        return self.filterset.search_groups

    @property
    def sort(self) -> str:
        chosen = self.filterset.form.cleaned_data.get("sort")
        if chosen == SortOrder.RELEVANCE and not self.search_groups:
            return SortOrder.NEWEST
        return chosen or (SortOrder.RELEVANCE if self.search_groups else SortOrder.NEWEST)

    def get_queryset(self):
        self.filterset.is_valid()
        queryset = practice_catalogue(self.filterset.qs, sort=self.sort)
        # Its pages read without compiling it again: from the rows the counts compile.
        self.statement = page_statement(
            queryset.db,
            rows_template(self.filterset),
            [
                condition
                for name in PracticeFilterSet.FACETS
                if (condition := self.filterset.facet_condition(name)) is not None
            ],
            sort=self.sort,
            groups=self.search_groups,
        )
        self.read_aside = None

        def read_aside() -> None:
            # The page's practices are read while the facets are counted (FirstPage).
            self.read_aside = FirstPage.start_reading(
                queryset,
                number=self.request.GET.get("page") or 1,
                per_page=self.paginate_by,
                relevance=self.sort == SortOrder.RELEVANCE,
                statement=self.statement,
            )

        self.counts = practice_facet_counts(
            self.filterset, self.filterset.queryset, before_counting=read_aside
        )
        return queryset

    @property
    def rank_window(self) -> int:
        """How many of the newest matches a relevance order ranks; 0: all of them."""
        window = settings.CATALOGUE_RANK_WINDOW
        if self.sort != SortOrder.RELEVANCE or self.counts.total <= window:
            return 0
        return window

    def paginate_queryset(self, queryset, page_size):
        paginator = KnownCountPaginator(
            queryset,
            page_size,
            count=self.counts.total,
            approximate="total" in self.counts.approximate,
            rank_window=self.rank_window,
            read_aside=self.read_aside,
            statement=self.statement,
        )
        page, self.page_notice = page_or_nearest(paginator, self.request.GET.get("page") or 1)
        return paginator, page, page.object_list, page.has_other_pages()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        language = page_language()  # once: each lookup of it is a context-local read
        groups = facet_groups(self.filterset, self.counts, self.vocabulary, language)
        for practice in context["practices"]:
            text = snippet_text(practice, language)
            practice.snippet = mark_safe(highlight(text.text, self.search_groups))  # escapes
            practice.snippet_language = text
        page = context["page_obj"]
        context.update(
            page_range=page.paginator.get_elided_page_range(page.number, on_each_side=2),
            export_query=export_query(self.request),
            filterset=self.filterset,
            form=self.filterset.form,
            facet_groups=groups,
            chips=active_chips(self.filterset, groups, self.vocabulary),
            ignored=self.filterset.ignored_input(),
            page_notice=self.page_notice,
            result_count_heading=self.result_count_heading(),
            result_count=self.counts.total,
            facet_groups_approximate=any(group.approximate for group in groups),
            sort=self.sort,
            rank_window=self.rank_window,
            rank_window_label=number_format(self.rank_window, 0, force_grouping=True),
            sort_choices=[
                (value, label)
                for value, label in SortOrder.CHOICES
                if value != SortOrder.RELEVANCE or self.search_groups
            ],
            searching=bool(self.search_groups),
            search_too_general=bool(self.filterset.form.cleaned_data.get("q"))
            and not self.search_groups,
        )
        return context

    def result_count_heading(self) -> str:
        """The heading's count: "1384 praktyki"; an estimated total as
        catalogue.facets.estimate_label words it, with the noun agreeing with the number
        shown ("ok. 41 000 praktyk", not the 40 962 counted)."""
        total, level = self.counts.total, self.counts.level("total")
        if "total" in self.counts.approximate:
            return ngettext(
                "%(shown)s praktyka", "%(shown)s praktyki", estimate_shown(total, level)
            ) % {"shown": estimate_label(total, level)}
        return ngettext("%(counter)s praktyka", "%(counter)s praktyki", total) % {
            "counter": localize(total)
        }


def snippet_text(practice, language: str) -> Translated:
    """The text a card's snippet is cut from: its summary in `language`, or its description
    where the summary is blank (catalogue.selectors.cards reads a description only then)."""
    text = translated(practice, "summary", language)
    return text if text.text else translated(practice, "description", language)


@method_decorator(cache_public_page, name="dispatch")
class PracticeDetailView(DetailView):
    template_engine = "jinja2"  # catalogue/jinja2.py
    template_name = "catalogue/practice_detail.html"
    context_object_name = "practice"

    def get_object(self, queryset=None):
        # Editors preview drafts and archived practices at their future address.
        staff = self.request.user.has_perm("practices.view_practice")
        practice = practice_for_page(self.kwargs["slug"], include_unpublished=staff)
        if practice is None:
            raise Http404
        return practice

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        practice = self.object
        awards = practice_awards(practice)
        context["preview"] = not practice.is_published
        canonical = absolute_url(practice.get_absolute_url())
        topics = practice_topics(practice, catalogue_vocabulary())
        details = practice_details(practice)
        context.update(
            sections=practice_sections(practice),
            topics=topics,
            canonical_url=canonical,
            related=practice_related(practice),
            awards=awards,
            **details,
            structured_data=practice_structured_data(
                practice, canonical, topics, details["partners"], awards
            ),
        )
        return context


def practice_sections(practice: Practice) -> list[tuple[str, Translated]]:
    """The practice's texts as (heading, text), without repeating what the description says.

    Sources often give one narrative; editors may also split out its problem,
    actions and results. A part already inside the description is not shown twice.
    """
    full = translated(practice, "description")
    description = " ".join(full.text.split())
    sections = [(_("Opis"), full)] if description else []
    for heading, field in (
        (_("Problem"), "problem"),
        (_("Działania"), "actions"),
        (_("Rezultaty"), "results"),
    ):
        text = translated(practice, field)
        if text.text.strip() and " ".join(text.text.split()) not in description:
            sections.append((heading, text))
    return sections


def practice_topics(practice: Practice, vocabulary) -> list:
    """The practice's topics in the catalogue's order, from the vocabulary the process
    keeps: `topic_ids` is kept with the practice's topics (catalogue.index), so the
    page needs no query of its own for them."""
    chosen = set(practice.topic_ids)
    return [topic for topic in vocabulary.topics if topic.pk in chosen]


def practice_structured_data(
    practice: Practice, url: str, topics: list, partners: list, awards: list
) -> dict:
    """schema.org description of the practice for search engines (JSON-LD), in the page's
    language where the practice has a translation: `inLanguage` names the language of
    its name and description (both the translation, or both the original)."""
    title = translated(practice, "title")
    language = title.language
    summary = translated(practice, "summary", language)
    description = translated(practice, "description", language)
    if summary.text and summary.language == language:
        text = summary.text
    else:
        text = description.text[:300] if description.language == language else ""
    data = {
        "@context": "https://schema.org",
        "@type": "CreativeWork",
        "name": title.text,
        "url": url,
        "description": text,
        "genre": translated(practice.practice_type, "name", language).text,
        "keywords": ", ".join(translated(topic, "name", language).text for topic in topics),
        "inLanguage": language,
        "contributor": [{"@type": "Organization", "name": p.organisation.name} for p in partners],
        "award": [f"{entry.category}: {entry.get_status_display()}" for entry in awards],
    }
    if practice.lead_organisation:
        data["creator"] = {"@type": "Organization", "name": practice.lead_organisation.name}
    if practice.started_on:
        data["temporalCoverage"] = "/".join(
            d.isoformat() if d else ".." for d in (practice.started_on, practice.ended_on)
        )
    if practice.published_at:
        data["datePublished"] = practice.published_at.date().isoformat()
    return data
