"""The public vote, for the voter holding a code: type the code, vote in each
category, and end voting on this device.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View

from competitions.enums import EditionPhase
from competitions.forms import BallotCodeForm, VoteForm
from competitions.models import Ballot, Edition
from competitions.selectors import (
    ballot_categories,
    ballot_votes,
    edition_by_path,
    vote_is_closed,
    vote_is_open,
)
from competitions.services.ballots import ballot_authenticate, vote_cast
from competitions.services.refusals import VoteRefused
from core.ratelimit import client_address, pace, window_hit, window_undo


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
        # Wrong codes that are not typos (competitions.codes.code_near_misses) are
        # guesses. An address may make BALLOT_GUESSES_PER_ADDRESS of them per window;
        # past that its attempts are paced (one every BALLOT_PACE_SECONDS is checked),
        # never locked out. README, "The vote", says why these suit a congress hall.
        # Each attempt reserves a guess first and gives it back unless it was one, so
        # a burst of concurrent guesses cannot all see the last free slot.
        address = client_address(request)
        window = settings.BALLOT_GUESS_WINDOW_SECONDS
        reserved = True
        if window_hit("ballot-guesses", address, window_seconds=window) > (
            settings.BALLOT_GUESSES_PER_ADDRESS
        ):
            window_undo("ballot-guesses", address, window_seconds=window)
            reserved = False
            if not pace("ballot-code", address, seconds=settings.BALLOT_PACE_SECONDS):
                return self.too_many()
        guess = False
        try:
            form = BallotCodeForm(request.POST)
            if not form.is_valid():
                return self.render(form, status=400)
            try:
                ballot = ballot_authenticate(edition=self.edition, code=form.cleaned_data["code"])
            except VoteRefused as refusal:
                # A guess counts; a typo ("mistyped"), a spent or a closed code do not.
                guess = refusal.reason == "unknown"
                form.add_error("code", str(refusal))
                return self.render(form, status=400)
        finally:
            if reserved and not guess:
                window_undo("ballot-guesses", address, window_seconds=window)
            elif guess and not reserved:  # a paced guess still counts
                window_hit("ballot-guesses", address, window_seconds=window)
        request.session.cycle_key()
        request.session[_session_key(self.edition)] = ballot.pk
        return redirect(self.vote_url("vote-ballot"))

    def too_many(self):
        seconds = settings.BALLOT_PACE_SECONDS
        response = TemplateResponse(
            self.request,
            "competitions/vote/too_many.html",
            {"edition": self.edition, "seconds": seconds},
            status=429,
        )
        response["Retry-After"] = str(seconds)
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
