"""Competition pages: the public ones, the public vote, and the jury's signed-in pages."""

from __future__ import annotations

import csv
from decimal import Decimal

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import DetailView, ListView, TemplateView

from competitions.enums import EditionPhase, EntryStatus
from competitions.forms import (
    BallotCodeForm,
    ConflictForm,
    DecisionForm,
    ScoreForm,
    TieForm,
    VoteForm,
)
from competitions.models import Ballot, Category, Edition, Entry
from competitions.selectors import (
    ballot_categories,
    ballot_votes,
    competition_list,
    edition_by_path,
    edition_criteria,
    edition_decisions,
    edition_detail_queryset,
    edition_jury_ranking,
    edition_tie_resolutions,
    edition_ties,
    edition_vote_counts,
    entry_scores_for,
    jury_categories_for_member,
    jury_entries_queryset,
    jury_seat,
    jury_seats,
    member_scores,
    results_are_public,
    vote_is_closed,
    vote_is_open,
)
from competitions.services.ballots import ballot_authenticate, vote_cast
from competitions.services.decisions import category_resolve_tie, entry_decide
from competitions.services.jury import jury_conflict_declare, jury_scores_save
from competitions.services.refusals import CompetitionRefused, VoteRefused
from core.pagecache import cache_public_page
from core.ratelimit import client_address, seconds_left, window_count, window_hit

# --- public pages ----------------------------------------------------------------


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
        return competition_list()


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
        context["has_votes"] = bool(votes)
        context["has_ranking"] = any(ranking.values())
        context["vote_open"] = vote_is_open(edition)
        context["phases"] = _phase_steps(edition)
        context["canonical_url"] = self.request.build_absolute_uri(edition.get_absolute_url())
        return context


def _phase_steps(edition: Edition) -> list[dict]:
    """The edition's phases in order, with the current one marked, for the timeline."""
    current = list(EditionPhase.values).index(edition.phase)
    steps = []
    for index, (value, label) in enumerate(EditionPhase.choices):
        if value == EditionPhase.PUBLIC_VOTE and not edition.has_public_vote:
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
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="wyniki-{edition.slug}.csv"'
    response.write("\ufeff")  # BOM: spreadsheets then read UTF-8
    writer = csv.writer(response)
    writer.writerow(
        [
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
            "jury_srednia_wazona",
            "jury_mediana",
            "jury_liczba_ocen",
            "jury_rozrzut",
            "remis_uzasadnienie",
        ]
    )
    for category in edition.categories.all():
        entries = list(category.entries.all())
        total = sum(votes.get(e.pk, 0) for e in entries)
        resolution = resolutions.get(category.pk)
        for entry in entries:
            row = ranking.get(entry.pk)
            laureate = entry.status == EntryStatus.LAUREATE
            count = votes.get(entry.pk, 0) if laureate and votes else None
            writer.writerow(
                [
                    category.name,
                    entry.practice.title,
                    request.build_absolute_uri(entry.practice.get_absolute_url()),
                    entry.practice.lead_organisation.name,
                    entry.status,
                    entry.laureate_place or "",
                    entry.distinction,
                    "tak" if entry.is_winner else "nie",
                    "" if count is None else count,
                    "" if count is None else _decimal(Decimal(100 * count) / total if total else 0),
                    (row.rank or "") if row else "",
                    _decimal(row.mean) if row else "",
                    _decimal(row.median) if row else "",
                    row.scorers if row else "",
                    _decimal(row.spread) if row else "",
                    resolution.reason if resolution and resolution.entry_id == entry.pk else "",
                ]
            )
    return response


def _decimal(value) -> str:
    return "" if value is None else f"{Decimal(value):.2f}"


# --- the public vote -------------------------------------------------------------------

WRONG_CODES_LIMIT = getattr(settings, "BALLOT_WRONG_CODES_LIMIT", 5)
WRONG_CODES_WINDOW = getattr(settings, "BALLOT_WRONG_CODES_WINDOW_SECONDS", 600)


def _session_key(edition: Edition) -> str:
    return f"competitions:ballot:{edition.pk}"


class VoteMixin:
    """Finds the edition of the vote from the address; 404 for an edition without a vote."""

    def dispatch(self, request, *args, **kwargs):
        self.edition = get_object_or_404(
            edition_by_path(competition_slug=kwargs["competition_slug"], year=kwargs["year"]),
            has_public_vote=True,
        )
        return super().dispatch(request, *args, **kwargs)

    def session_ballot(self) -> Ballot | None:
        ballot_id = self.request.session.get(_session_key(self.edition))
        if ballot_id is None:
            return None
        return Ballot.objects.filter(pk=ballot_id, edition=self.edition).first()

    def vote_url(self, name: str) -> str:
        return reverse(
            f"competitions:{name}",
            kwargs={"competition_slug": self.edition.competition.slug, "year": self.edition.year},
        )


class VoteCodeView(VoteMixin, View):
    """Step 1 of voting: type the code from your card."""

    template_name = "competitions/vote/code.html"

    def render(self, form, status=200):
        now = timezone.now()
        context = {
            "edition": self.edition,
            "form": form,
            "vote_open": vote_is_open(self.edition, now=now),
            "not_yet": self.edition.vote_opens_at is not None and now < self.edition.vote_opens_at,
            "closed": vote_is_closed(self.edition, now=now)
            or self.edition.phase in (EditionPhase.RESULTS, EditionPhase.ARCHIVED),
        }
        return TemplateResponse(self.request, self.template_name, context, status=status)

    def get(self, request, *args, **kwargs):
        if self.session_ballot() is not None and vote_is_open(self.edition):
            return redirect(self.vote_url("vote-ballot"))
        return self.render(BallotCodeForm())

    def post(self, request, *args, **kwargs):
        address = client_address(request)
        if (
            window_count("ballot-wrong-codes", address, window_seconds=WRONG_CODES_WINDOW)
            >= WRONG_CODES_LIMIT
        ):
            return self.too_many()
        form = BallotCodeForm(request.POST)
        if not form.is_valid():
            return self.render(form, status=400)
        try:
            ballot = ballot_authenticate(edition=self.edition, code=form.cleaned_data["code"])
        except VoteRefused as refusal:
            if refusal.reason == "unknown":
                wrong = window_hit("ballot-wrong-codes", address, window_seconds=WRONG_CODES_WINDOW)
                if wrong >= WRONG_CODES_LIMIT:
                    return self.too_many()
            form.add_error("code", str(refusal))
            return self.render(form, status=400)
        request.session.cycle_key()
        request.session[_session_key(self.edition)] = ballot.pk
        return redirect(self.vote_url("vote-ballot"))

    def too_many(self):
        retry_after = seconds_left(WRONG_CODES_WINDOW)
        response = TemplateResponse(
            self.request,
            "competitions/vote/too_many.html",
            {"edition": self.edition, "minutes": max(1, -(-retry_after // 60))},
            status=429,
        )
        response["Retry-After"] = str(retry_after)
        return response


class BallotView(VoteMixin, View):
    """Step 2: one laureate per category, each category's vote cast on its own and final."""

    template_name = "competitions/vote/ballot.html"

    def render(self, ballot: Ballot, *, errors=None, status=200):
        categories = list(ballot_categories(self.edition))
        votes = ballot_votes(ballot)
        errors = errors or []
        summary = []
        for category_id, message in errors:
            category = next((c for c in categories if c.pk == category_id), None)
            if category is not None:
                category.error = message
                summary.append((f"category-{category.pk}", f"{category.name}: {message}"))
            else:
                summary.append(("main", message))
        for category in categories:
            category.my_vote = votes.get(category.pk)
            if category.my_vote:
                category.my_choice = next(
                    (e for e in category.laureates if e.pk == category.my_vote.entry_id), None
                )
        open_ = vote_is_open(self.edition)
        remaining = [c for c in categories if c.laureates and c.my_vote is None]
        context = {
            "edition": self.edition,
            "categories": categories,
            "vote_open": open_,
            "remaining": remaining,
            "errors": summary,
        }
        return TemplateResponse(self.request, self.template_name, context, status=status)

    def get(self, request, *args, **kwargs):
        ballot = self.session_ballot()
        if ballot is None:
            messages.info(request, _("Wpisz kod z karty do głosowania."))
            return redirect(self.vote_url("vote-code"))
        return self.render(ballot)

    def post(self, request, *args, **kwargs):
        ballot = self.session_ballot()
        if ballot is None:
            messages.error(request, _("Wpisz kod z karty do głosowania, aby zagłosować."))
            return redirect(self.vote_url("vote-code"))
        form = VoteForm(request.POST)
        if not form.is_valid():
            message = " ".join(e for errors in form.errors.values() for e in errors)
            return self.render(
                ballot, errors=[(form.cleaned_data.get("category"), message)], status=400
            )
        category_id = form.cleaned_data["category"]
        try:
            vote = vote_cast(
                ballot=ballot, category_id=category_id, entry_id=form.cleaned_data["entry"]
            )
        except VoteRefused as refusal:
            return self.render(ballot, errors=[(category_id, str(refusal))], status=400)
        messages.success(
            request,
            _("Głos w kategorii „%(category)s” został oddany. Dziękujemy!")
            % {"category": vote.category.name},
        )
        return HttpResponseRedirect(f"{self.vote_url('vote-ballot')}#category-{category_id}")


class BallotForgetView(VoteMixin, View):
    """End voting on this device: the code is no longer remembered in the session."""

    def post(self, request, *args, **kwargs):
        request.session.pop(_session_key(self.edition), None)
        messages.success(request, _("Zakończono. Ta przeglądarka nie pamięta już Twojego kodu."))
        return redirect(self.edition.get_absolute_url())


# --- the jury ----------------------------------------------------------------------------


def _forbidden(request, message: str):
    return TemplateResponse(
        request, "competitions/jury/forbidden.html", {"message": message}, status=403
    )


class JuryMixin:
    """Signed-in jury members of this edition only; `chair_only` narrows to the chair.

    Object-level: a JuryMember row for (this user, this edition) is the permission.
    """

    chair_only = False

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        self.member = jury_seat(request.user, edition_slug=kwargs["edition_slug"])
        if self.member is None:
            return _forbidden(request, _("Nie zasiadasz w jury tej edycji."))
        if self.chair_only and not self.member.is_chair:
            return _forbidden(request, _("Tę stronę widzi tylko przewodniczący jury."))
        self.edition = self.member.edition
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(member=self.member, edition=self.edition)
        return context

    def entry_or_404(self, entry_id: int) -> Entry:
        return get_object_or_404(jury_entries_queryset(self.edition), pk=entry_id)


class JuryHomeView(TemplateView):
    template_name = "competitions/jury/home.html"

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["seats"] = list(jury_seats(self.request.user))
        return context


class JuryEditionView(JuryMixin, TemplateView):
    """The edition's entries per category, with this juror's scoring state."""

    template_name = "competitions/jury/edition.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        categories = list(jury_categories_for_member(self.member))
        context["categories"] = categories
        entries = [e for c in categories for e in c.jury_entries]
        context["counts"] = {
            "all": len(entries),
            "submitted": sum(1 for e in entries if e.my_submitted),
            "conflicts": sum(1 for e in entries if e.my_conflict),
        }
        context["scoring_open"] = self.edition.phase == EditionPhase.JURY_REVIEW
        return context


class JuryEntryView(JuryMixin, TemplateView):
    """One entry: my score form (or my submitted scores and everyone else's)."""

    template_name = "competitions/jury/entry.html"

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
            conflict_form=ConflictForm(),
            scoring_open=self.edition.phase == EditionPhase.JURY_REVIEW,
            conflict_open=self.edition.phase
            in (EditionPhase.SUBMISSIONS, EditionPhase.JURY_REVIEW),
        )
        return TemplateResponse(self.request, self.template_name, context, status=status)

    def post(self, request, *args, **kwargs):
        entry = self.entry_or_404(kwargs["entry_id"])
        form = ScoreForm(request.POST, criteria=list(edition_criteria(self.edition)))
        if not form.is_valid():
            return self.render(entry, form, status=400)
        try:
            jury_scores_save(
                member=self.member,
                entry=entry,
                values=form.values(),
                comments=form.comments(),
                submit=form.submitting,
            )
        except CompetitionRefused as refusal:
            form.add_error(None, str(refusal))
            return self.render(entry, form, status=400)
        if form.submitting:
            messages.success(
                request, _("Oceny przesłane. Widzisz teraz oceny pozostałych członków jury.")
            )
        else:
            messages.success(request, _("Zapisano wersję roboczą ocen."))
        return redirect(
            "competitions:jury-entry", edition_slug=self.edition.slug, entry_id=entry.pk
        )


class JuryConflictView(JuryMixin, View):
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


class JuryRankingView(JuryMixin, TemplateView):
    """The chair's ranking per category: weighted mean, median, scorers, spread."""

    chair_only = True
    template_name = "competitions/jury/ranking.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["rankings"] = edition_jury_ranking(self.edition)
        context["ties"] = edition_ties(self.edition)
        context["decisions_open"] = (
            self.edition.phase == EditionPhase.JURY_REVIEW
            and self.edition.vote_rules_locked_at is None
        )
        context["vote_closed"] = vote_is_closed(self.edition)
        return context


class JuryDecisionView(JuryMixin, TemplateView):
    """The chair's decision on one entry: status, laureate place, distinction."""

    chair_only = True
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


class JuryTieView(JuryMixin, TemplateView):
    """The chair names the winner of a tied category, with a reason."""

    chair_only = True
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


class JuryDecisionLogView(JuryMixin, TemplateView):
    chair_only = True
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
