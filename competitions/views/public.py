"""The competitions' public pages, for every visitor: the list of competitions, a
competition, an edition with its results, and the results as CSV.
"""

from __future__ import annotations

from decimal import Decimal

from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.views.generic import DetailView, ListView

from competitions.enums import EditionPhase, EntryStatus
from competitions.models import Edition
from competitions.selectors import (
    competition_detail_queryset,
    competition_list,
    decisions_are_public,
    edition_detail_queryset,
    edition_jury_ranking,
    edition_tie_resolutions,
    edition_vote_counts,
    results_are_public,
    vote_is_open,
)
from competitions.services.applications import call_refusal
from core.csvdownload import csv_response
from core.i18n import Translated, translated
from core.links import absolute_url
from core.pagecache import cache_public_page
from core.text import after_lead


# The edition page is left out of the page cache: while a vote runs it shows
# whether the vote is open, which changes with the clock, not with a write.
@method_decorator(cache_public_page, name="dispatch")
class CompetitionListView(ListView):
    template_name = "competitions/competition_list.html"
    context_object_name = "competitions"

    def get_queryset(self):
        return competition_list()


@method_decorator(cache_public_page, name="dispatch")
class CompetitionDetailView(DetailView):
    template_name = "competitions/competition_detail.html"
    context_object_name = "competition"

    def get_queryset(self):
        return competition_detail_queryset()


def _percent(part: int, total: int) -> int | None:
    return round(100 * part / total) if total else None


class EditionDetailView(DetailView):
    """An edition: theme, dates, figures, and per category the laureates, the jury's
    ranking, the public vote and the winner (rankings and votes once published)."""

    template_name = "competitions/edition_detail.html"
    context_object_name = "edition"

    def get_object(self, queryset=None):
        return get_object_or_404(
            edition_detail_queryset(),
            competition__slug=self.kwargs["competition_slug"],
            year=self.kwargs["year"],
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        edition = self.object
        public = results_are_public(edition)
        votes = edition_vote_counts(edition)
        ranking = {}
        if public:
            for category_ranking in edition_jury_ranking(edition):
                rows = [
                    row
                    for row in category_ranking.rows
                    if row.mean is not None and row.entry.practice.status == "published"
                ]
                total = sum(votes.get(row.entry.pk, 0) for row in category_ranking.rows)
                for row in rows:
                    laureate = row.entry.status == EntryStatus.LAUREATE
                    row.votes_count = votes.get(row.entry.pk, 0) if laureate and votes else None
                    row.votes_percent = _percent(row.votes_count or 0, total)
                ranking[category_ranking.category.pk] = rows
        resolutions = edition_tie_resolutions(edition)
        for category in edition.categories.all():
            entries = list(category.entries.all())
            total = sum(votes.get(entry.pk, 0) for entry in entries)
            for entry in entries:
                entry.votes_count = votes.get(entry.pk)
                if entry.votes_count is None and votes and entry.status == EntryStatus.LAUREATE:
                    entry.votes_count = 0
                entry.votes_percent = _percent(votes.get(entry.pk, 0), total)
            category.entry_list = entries
            category.laureates = [e for e in entries if e.status == EntryStatus.LAUREATE]
            category.others = [e for e in entries if e.status != EntryStatus.LAUREATE]
            category.votes_total = total
            category.ranking_rows = ranking.get(category.pk, [])
            category.resolved_tie = resolutions.get(category.pk)
            if category.resolved_tie:
                top = max((e.votes_count or 0) for e in category.laureates)
                category.tied = [e for e in category.laureates if (e.votes_count or 0) == top]
        context["results_public"] = public
        context["decisions_public"] = decisions_are_public(edition)
        context["has_votes"] = bool(votes)
        context["has_ranking"] = any(ranking.values())
        context["vote_open"] = vote_is_open(edition)
        context["call_open"] = call_refusal(edition) is None
        context["phases"] = _phase_steps(edition)
        context["canonical_url"] = absolute_url(edition.get_absolute_url())
        context.update(edition_texts(edition))
        return context


def edition_texts(edition: Edition) -> dict[str, Translated]:
    """The edition's name, theme and description in the page's language, the description
    without the theme where it opens with it (the page shows the theme as its lead)."""
    theme = translated(edition, "theme")
    description = translated(edition, "description")
    if theme.language == description.language:
        description = description._replace(text=after_lead(description.text, theme.text))
    return {"name": translated(edition, "name"), "theme": theme, "description": description}


def _phase_steps(edition: Edition) -> list[dict]:
    """The stages the edition's rules have, in order, the current one marked, for the
    timeline: no vote where it had none, and only the announcement while its rules are
    not known (`Edition.stages_announced`)."""
    current = list(EditionPhase.values).index(edition.phase)
    steps = []
    for index, (value, label) in enumerate(EditionPhase.choices):
        if value == EditionPhase.PUBLIC_VOTE and not edition.has_public_vote:
            continue
        if not edition.stages_announced and index not in (0, current):
            continue
        steps.append({"label": label, "current": index == current, "done": index < current})
    return steps


def edition_results_csv(request, competition_slug: str, year: int):
    """The published results as CSV: per category and entry, jury, laureate, vote, winner."""
    edition = get_object_or_404(
        edition_detail_queryset(), competition__slug=competition_slug, year=year
    )
    if not results_are_public(edition):
        raise Http404(_("Wyniki tej edycji nie są jeszcze ogłoszone."))
    votes = edition_vote_counts(edition)
    ranking = {row.entry.pk: row for cr in edition_jury_ranking(edition) for row in cr.rows}
    resolutions = edition_tie_resolutions(edition)
    header = [
        "kategoria",
        "praktyka",
        "adres",
        "organizacja",
        "status",
        "miejsce",
        "wyroznienie",
        "zwyciezca",
        "glosy",
        "udzial_proc",
        "jury_pozycja",
        "jury_punkty_0_100",
        "jury_mediana",
        "jury_liczba_ocen",
        "jury_rozrzut",
        "remis_uzasadnienie",
    ]

    def rows():
        for category in edition.categories.all():
            entries = list(category.entries.all())
            total = sum(votes.get(e.pk, 0) for e in entries)
            resolution = resolutions.get(category.pk)
            for entry in entries:
                row = ranking.get(entry.pk)
                laureate = entry.status == EntryStatus.LAUREATE
                count = votes.get(entry.pk, 0) if laureate and votes else None
                share = Decimal(100 * count) / total if count is not None and total else 0
                yield [
                    category.name,
                    entry.practice.title,
                    absolute_url(entry.practice.get_absolute_url()),
                    entry.entrant.name if entry.entrant else "",
                    entry.status,
                    entry.laureate_place or "",
                    entry.distinction,
                    "tak" if entry.is_winner else "nie",
                    count,
                    None if count is None else _decimal(share),
                    (row.rank or "") if row else "",
                    _decimal(row.mean) if row else "",
                    _decimal(row.median) if row else "",
                    row.scorers if row else "",
                    _decimal(row.spread) if row else "",
                    resolution.reason if resolution and resolution.entry_id == entry.pk else "",
                ]

    return csv_response(f"wyniki-{edition.slug}.csv", header, rows())


def _decimal(value) -> Decimal | None:
    """Two decimal places, kept a number (the CSV writer leaves numbers as they are)."""
    return None if value is None else Decimal(value).quantize(Decimal("0.01"))
