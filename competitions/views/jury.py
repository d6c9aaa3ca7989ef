"""The jury's signed-in pages, for the members of an edition's jury: their seats,
the entries to score, conflicts of interest; and for the chair: the ranking,
decisions on entries, ties and the decision log.

Who may open which page is declared on each view (`seat_required`, see
`competitions.permissions`), never checked inside it.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import TemplateView

from competitions.enums import EditionPhase, EntryStatus
from competitions.forms import ConflictForm, DecisionForm, ScoreForm, TieForm
from competitions.jury_selectors import (
    JuryProgress,
    edition_criteria,
    edition_jury_ranking,
    entry_scores_for,
    juror_points,
    jury_categories_for_member,
    jury_entries_queryset,
    jury_entry_neighbours,
    jury_progress_for_seats,
    jury_seats,
    member_scores,
)
from competitions.models import Category, Entry
from competitions.permissions import JurySeatRequiredMixin
from competitions.selectors import edition_decisions, edition_ties, vote_is_closed
from competitions.services.decisions import category_resolve_tie, entry_decide
from competitions.services.jury import jury_conflict_declare, jury_scores_save
from competitions.services.refusals import CompetitionRefused


class JuryPageMixin(JurySeatRequiredMixin):
    """A jury page: the seat and the edition in the context, entries of this edition only."""

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(member=self.member, edition=self.edition)
        return context

    def entry_or_404(self, entry_id: int) -> Entry:
        return get_object_or_404(jury_entries_queryset(self.edition), pk=entry_id)


class JuryHomeView(LoginRequiredMixin, TemplateView):
    """The signed-in user's seats on juries (none is fine: the page says so)."""

    template_name = "competitions/jury/home.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        seats = list(jury_seats(self.request.user))
        progress = jury_progress_for_seats(seats)
        for seat in seats:
            seat.progress = progress[seat.pk]
        context["seats"] = seats
        self.request.has_jury_seat = bool(seats)  # the header asks (competitions_tags)
        return context


class JuryEditionView(JuryPageMixin, TemplateView):
    """The edition's entries per category, with this juror's scoring state."""

    seat_required = "member"
    template_name = "competitions/jury/edition.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        categories = list(jury_categories_for_member(self.member))
        for category in categories:
            category.progress = JuryProgress.of(category)
        context["categories"] = categories
        entries = [e for c in categories for e in c.jury_entries]
        context["counts"] = {
            "all": len(entries),
            "submitted": sum(1 for e in entries if e.my_submitted),
            "conflicts": sum(1 for e in entries if e.my_conflict),
        }
        context["scoring_open"] = self.edition.phase == EditionPhase.JURY_REVIEW
        return context


class JuryEntryView(JuryPageMixin, TemplateView):
    """One entry: my score form (or my submitted scores and everyone else's), the
    previous and next entries, and the next one I still have to score.

    Submitting is final, so it takes two steps: "submit" saves the scores as a
    draft and shows them for confirmation; only "confirm" (the same values,
    posted again from that page) submits them.
    """

    seat_required = "member"
    template_name = "competitions/jury/entry.html"
    confirm_template_name = "competitions/jury/confirm.html"

    def get(self, request, *args, **kwargs):
        return self.render(self.entry_or_404(kwargs["entry_id"]))

    def render(self, entry: Entry, form: ScoreForm | None = None, status: int = 200):
        criteria = list(edition_criteria(self.edition))
        conflict = self.member.conflicts.filter(entry=entry).first()
        others = None if conflict else entry_scores_for(self.member, entry)
        mine = member_scores(self.member, entry)
        for row in others or []:
            row.cells = [row.scores.get(c.pk) for c in criteria]
        if form is None and others is None and not conflict:
            initial = {}
            for criterion_id, score in mine.items():
                initial[f"value_{criterion_id}"] = score.value
                initial[f"comment_{criterion_id}"] = score.comment
            form = ScoreForm(criteria=criteria, initial=initial)
        context = self.get_context_data(
            entry=entry,
            criteria=criteria,
            form=form,
            conflict=conflict,
            submitted=others is not None,
            others=others,
            mine=mine,
            neighbours=jury_entry_neighbours(self.member, entry),
            # What the applicant sent: the answers to the edition's questions, the files.
            answers=list(entry.answers.select_related("question")),
            attachments=list(entry.practice.attachments.all()),
            conflict_form=ConflictForm(),
            scoring_open=self.edition.phase == EditionPhase.JURY_REVIEW,
            conflict_open=self.edition.phase
            in (EditionPhase.SUBMISSIONS, EditionPhase.JURY_REVIEW),
        )
        return TemplateResponse(self.request, self.template_name, context, status=status)

    def post(self, request, *args, **kwargs):
        entry = self.entry_or_404(kwargs["entry_id"])
        criteria = list(edition_criteria(self.edition))
        form = ScoreForm(request.POST, criteria=criteria)
        if not form.is_valid():
            return self.render(entry, form, status=400)
        try:
            jury_scores_save(
                member=self.member,
                entry=entry,
                values=form.values(),
                comments=form.comments(),
                submit=form.confirmed,
            )
        except CompetitionRefused as refusal:
            form.add_error(None, str(refusal))
            return self.render(entry, form, status=400)
        if form.submitting and not form.confirmed:
            return self.confirm(entry, form, criteria)
        if form.confirmed:
            messages.success(
                request, _("Oceny przesłane. Widzisz teraz oceny pozostałych członków jury.")
            )
        else:
            messages.success(request, _("Zapisano wersję roboczą ocen."))
        return redirect(
            "competitions:jury-entry", edition_slug=self.edition.slug, entry_id=entry.pk
        )

    def confirm(self, entry: Entry, form: ScoreForm, criteria: list):
        """The scores, saved as a draft, shown once more before the final submit."""
        values = form.values()
        comments = form.comments()
        context = self.get_context_data(
            entry=entry,
            form=form,
            rows=[(c, values[c.pk], comments[c.pk]) for c in criteria],
            points=juror_points(
                (c.weight, values[c.pk], c.scale_min, c.scale_max) for c in criteria
            ),
        )
        return TemplateResponse(self.request, self.confirm_template_name, context)


class JuryConflictView(JuryPageMixin, View):
    """A juror declares a conflict of interest with an entry (POST only)."""

    seat_required = "member"

    def post(self, request, *args, **kwargs):
        entry = self.entry_or_404(kwargs["entry_id"])
        form = ConflictForm(request.POST)
        reason = form.cleaned_data["reason"] if form.is_valid() else ""
        try:
            jury_conflict_declare(member=self.member, entry=entry, reason=reason)
        except CompetitionRefused as refusal:
            messages.error(request, str(refusal))
        else:
            messages.success(
                request,
                _("Zgłoszono konflikt interesów: „%(title)s” nie będzie przez Ciebie oceniane.")
                % {"title": entry.practice.title},
            )
        return redirect("competitions:jury-edition", edition_slug=self.edition.slug)


class JuryRankingView(JuryPageMixin, TemplateView):
    """The chair's ranking per category: weighted mean, median, scorers, spread."""

    seat_required = "chair"
    template_name = "competitions/jury/ranking.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["rankings"] = edition_jury_ranking(self.edition, for_member=self.member)
        context["ties"] = edition_ties(self.edition)
        context["decisions_open"] = (
            self.edition.phase == EditionPhase.JURY_REVIEW
            and self.edition.vote_rules_locked_at is None
        )
        context["vote_closed"] = vote_is_closed(self.edition)
        return context


class JuryDecisionView(JuryPageMixin, TemplateView):
    """The chair's decision on one entry: status, laureate place, distinction."""

    seat_required = "chair"
    template_name = "competitions/jury/decision.html"

    def get(self, request, *args, **kwargs):
        entry = self.entry_or_404(kwargs["entry_id"])
        return self.render(entry, DecisionForm.for_entry(entry))

    def render(self, entry, form, status=200):
        context = self.get_context_data(
            entry=entry,
            form=form,
            decisions_open=self.edition.phase == EditionPhase.JURY_REVIEW
            and self.edition.vote_rules_locked_at is None,
            history=_described(edition_decisions(self.edition).filter(entry=entry)),
        )
        return TemplateResponse(self.request, self.template_name, context, status=status)

    def post(self, request, *args, **kwargs):
        entry = self.entry_or_404(kwargs["entry_id"])
        form = DecisionForm.for_entry(entry, data=request.POST)
        if not form.is_valid():
            return self.render(entry, form, status=400)
        data = form.cleaned_data
        try:
            entry_decide(
                entry=entry,
                actor=request.user,
                status=data["status"],
                laureate_place=data["laureate_place"],
                distinction=data["distinction"],
                reason=data["reason"],
            )
        except CompetitionRefused as refusal:
            form.add_error(None, str(refusal))
            return self.render(entry, form, status=400)
        messages.success(
            request,
            _("Zapisano decyzję dla „%(title)s”.") % {"title": entry.practice.title},
        )
        return redirect("competitions:jury-ranking", edition_slug=self.edition.slug)


class JuryTieView(JuryPageMixin, TemplateView):
    """The chair names the winner of a tied category, with a reason."""

    seat_required = "chair"
    template_name = "competitions/jury/tie.html"

    def tie(self, category_id: int):
        for tie in edition_ties(self.edition):
            if tie.category.pk == category_id:
                return tie
        return None

    def get(self, request, *args, **kwargs):
        tie = self.tie(kwargs["category_id"])
        if tie is None:
            get_object_or_404(Category, pk=kwargs["category_id"], edition=self.edition)
            messages.info(request, _("W tej kategorii nie ma remisu do rozstrzygnięcia."))
            return redirect("competitions:jury-ranking", edition_slug=self.edition.slug)
        initial = {}
        if tie.resolution:
            initial = {"entry": tie.resolution.entry_id, "reason": tie.resolution.reason}
        return self.render(tie, TieForm(entries=tie.entries, initial=initial))

    def render(self, tie, form, status=200):
        context = self.get_context_data(
            tie=tie,
            form=form,
            resolvable=self.edition.phase == EditionPhase.PUBLIC_VOTE,
        )
        return TemplateResponse(self.request, self.template_name, context, status=status)

    def post(self, request, *args, **kwargs):
        tie = self.tie(kwargs["category_id"])
        if tie is None:
            raise Http404
        form = TieForm(request.POST, entries=tie.entries)
        if not form.is_valid():
            return self.render(tie, form, status=400)
        entry = next(e for e in tie.entries if e.pk == form.cleaned_data["entry"])
        try:
            category_resolve_tie(
                category=tie.category,
                entry=entry,
                actor=request.user,
                reason=form.cleaned_data["reason"],
            )
        except CompetitionRefused as refusal:
            form.add_error(None, str(refusal))
            return self.render(tie, form, status=400)
        messages.success(
            request,
            _("Remis w kategorii „%(category)s” rozstrzygnięty.") % {"category": tie.category.name},
        )
        return redirect("competitions:jury-ranking", edition_slug=self.edition.slug)


class JuryDecisionLogView(JuryPageMixin, TemplateView):
    """The chair's log of the edition's decisions, each with its before and after."""

    seat_required = "chair"
    template_name = "competitions/jury/log.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["decisions"] = _described(edition_decisions(self.edition)[:500])
        return context


_STATE_LABELS = {
    "phase": gettext_lazy("etap"),
    "status": gettext_lazy("status"),
    "laureate_place": gettext_lazy("miejsce"),
    "distinction": gettext_lazy("wyróżnienie"),
    "is_winner": gettext_lazy("zwycięzca"),
    "votes": gettext_lazy("głosy"),
    "tie": gettext_lazy("remis"),
    "entry": gettext_lazy("zgłoszenie nr"),
    "tied": gettext_lazy("zremisowały zgłoszenia nr"),
    "laureates": gettext_lazy("ogłoszeni laureaci, zgłoszenia nr"),
    "finalists": gettext_lazy("ogłoszeni finaliści, zgłoszenia nr"),
    "distinctions": gettext_lazy("ogłoszone wyróżnienia, zgłoszenia nr"),
    "at": None,
}


def _describe(state: dict) -> str:
    """A logged before/after state in words: "status: laureat; miejsce: 1"."""
    parts = []
    # jsonb keeps its own key order: show them in ours.
    keys = [k for k in _STATE_LABELS if k in state] + sorted(set(state) - set(_STATE_LABELS))
    for key in keys:
        value, label = state[key], _STATE_LABELS.get(key, key)
        if label is None:
            continue
        if key == "status" and value in EntryStatus.values:
            value = EntryStatus(value).label
        elif key == "phase" and value in EditionPhase.values:
            value = EditionPhase(value).label
        elif isinstance(value, bool):
            value = _("tak") if value else _("nie")
        elif isinstance(value, list):
            value = ", ".join(str(v) for v in value)
        elif value in (None, ""):
            value = "–"
        parts.append(f"{label}: {value}")
    return "; ".join(parts)


def _described(decisions) -> list:
    decisions = list(decisions)
    for decision in decisions:
        decision.before_text = _describe(decision.before)
        decision.after_text = _describe(decision.after)
    return decisions
