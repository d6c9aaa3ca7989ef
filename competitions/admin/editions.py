"""Competitions, editions (phases, ballot codes, results, the dashboard) and categories."""

from __future__ import annotations

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from competitions.admin.base import EditionScopedAdmin, sees_every_edition, vote_rules_locked
from competitions.admin.entries import EntryInline
from competitions.enums import RESULTS_PUBLIC_PHASES, EditionPhase
from competitions.forms import BallotIssueForm, EditionAdminForm, VoteCloseForm
from competitions.models import (
    Category,
    Competition,
    Criterion,
    Edition,
    EditionLink,
    EditionOrganiser,
    EditionQuestion,
    JuryMember,
)
from competitions.selectors import results_are_public
from competitions.services.ballots import ballot_issue
from competitions.services.phases import (
    edition_advance_phase,
    edition_change_vote_close,
    edition_next_phase,
    edition_next_phase_checklist,
)
from competitions.services.refusals import CompetitionRefused
from core.admin import URL_FIELD_OVERRIDES, PrivateLookupsMixin
from core.csvdownload import csv_response


@admin.register(Competition)
class CompetitionAdmin(PrivateLookupsMixin, admin.ModelAdmin):
    formfield_overrides = URL_FIELD_OVERRIDES
    list_display = ["name", "short_name", "organiser"]
    search_fields = ["name", "short_name", "slug"]
    autocomplete_fields = ["organiser"]
    prepopulated_fields = {"slug": ["name"]}


class CategoryInline(admin.TabularInline):
    model = Category
    extra = 0
    fields = ["name", "slug", "is_whole_edition", "order", "laureate_places"]
    prepopulated_fields = {"slug": ["name"]}
    show_change_link = True

    def has_add_permission(self, request, obj=None):
        return not vote_rules_locked(obj) and super().has_add_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return not vote_rules_locked(obj) and super().has_delete_permission(request, obj)

    def get_readonly_fields(self, request, obj=None):
        return ["laureate_places"] if vote_rules_locked(obj) else []


class CriterionInline(admin.TabularInline):
    model = Criterion
    extra = 0
    fields = [
        *("name", "name_en", "name_uk", "description"),
        *("weight", "scale_min", "scale_max", "order"),
    ]
    show_change_link = True  # the descriptions' translations


class JuryMemberInline(admin.TabularInline):
    model = JuryMember
    extra = 0
    fields = ["user", "is_chair"]
    autocomplete_fields = ["user"]


class EditionQuestionInline(admin.StackedInline):
    model = EditionQuestion
    extra = 0
    fields = [("text", "required", "order"), ("help_text", "max_length")]
    verbose_name_plural = _("pytania formularza zgłoszeniowego (oprócz opisu praktyki)")


class EditionLinkInline(admin.TabularInline):
    """Addresses the edition's source gives (a report, a tool)."""

    formfield_overrides = URL_FIELD_OVERRIDES
    model = EditionLink
    extra = 0
    fields = ["url", "label", "label_en", "label_uk", "order"]


class EditionOrganiserInline(admin.TabularInline):
    model = EditionOrganiser
    extra = 0
    fields = ["organisation", "role", "note", "order"]
    autocomplete_fields = ["organisation"]


@admin.action(description=_("Przejdź do następnego etapu"), permissions=["change"])
def advance_phase(modeladmin, request, queryset):
    for edition in queryset:
        try:
            edition = edition_advance_phase(edition=edition, actor=request.user)
        except CompetitionRefused as refusal:
            modeladmin.message_user(request, f"{edition}: {refusal}", messages.ERROR)
        else:
            modeladmin.message_user(
                request,
                _("%(edition)s: teraz „%(phase)s”.")
                % {"edition": edition, "phase": edition.get_phase_display()},
                messages.SUCCESS,
            )


@admin.action(description=_("Wygeneruj kody do głosowania (CSV)"), permissions=["issue_ballots"])
def issue_ballots(modeladmin, request, queryset):
    """An intermediate page asks how many codes (or for whom), then sends them as CSV."""
    if queryset.count() != 1:
        modeladmin.message_user(
            request, _("Kody wydaje się dla jednej edycji naraz: zaznacz jedną."), messages.ERROR
        )
        return None
    edition = queryset.get()
    form = BallotIssueForm(request.POST if "apply" in request.POST else None)
    if form.is_bound and form.is_valid():
        labels = form.label_list()
        try:
            codes = ballot_issue(
                edition=edition,
                issued_by=request.user,
                count=None if labels else form.cleaned_data["count"],
                labels=labels,
            )
        except CompetitionRefused as refusal:
            form.add_error(None, str(refusal))
        else:
            return csv_response(
                f"kody-{edition.slug}-{len(codes)}.csv",
                ["kod", "opis"],
                ([issued.code, issued.label] for issued in codes),
                private=True,
            )
    context = {
        **modeladmin.admin_site.each_context(request),
        "title": _("Kody do głosowania: %(edition)s") % {"edition": edition},
        "edition": edition,
        "form": form,
        "opts": modeladmin.model._meta,
        "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
        "issued": edition.ballots.count(),
    }
    return TemplateResponse(request, "competitions/admin/ballot_issue.html", context)


@admin.action(description=_("Pobierz wyniki (CSV)"), permissions=["view"])
def export_results(modeladmin, request, queryset):
    if queryset.count() != 1:
        modeladmin.message_user(request, _("Zaznacz jedną edycję."), messages.ERROR)
        return None
    edition = queryset.select_related("competition").get()
    if not results_are_public(edition):
        modeladmin.message_user(
            request,
            _("%(edition)s: wyniki nie są jeszcze ogłoszone, więc nie ma czego pobrać.")
            % {"edition": edition},
            messages.ERROR,
        )
        return None
    return HttpResponseRedirect(
        reverse(
            "competitions:edition-results-csv",
            kwargs={"competition_slug": edition.competition.slug, "year": edition.year},
        )
    )


@admin.register(Edition)
class EditionAdmin(EditionScopedAdmin):
    form = EditionAdminForm
    list_display = [
        "name",
        "competition",
        "year",
        "phase",
        "next_phase",
        "vote_opens_at",
        "vote_closes_at",
        "results_published_at",
        "dashboard_link",
    ]
    list_filter = ["phase", "competition", "has_public_vote"]
    search_fields = ["name", "slug", "competition__name", "theme"]
    autocomplete_fields = ["competition", "funding_sources"]
    list_select_related = ["competition"]
    inlines = [
        CategoryInline,
        CriterionInline,
        JuryMemberInline,
        EditionQuestionInline,
        EditionOrganiserInline,
        EditionLinkInline,
    ]
    actions = [advance_phase, issue_ballots, export_results]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "competition",
                    "year",
                    ("name", "name_en", "name_uk"),
                    "slug",
                    ("theme", "theme_en", "theme_uk"),
                    ("description", "description_en", "description_uk"),
                ]
            },
        ),
        (
            _("Etapy i terminy"),
            {
                "fields": [
                    "phase",
                    "stages_announced",
                    "submissions_open_at",
                    "submissions_close_at",
                    "jury_review_starts_at",
                    "jury_review_ends_at",
                    "has_public_vote",
                    "jury_names_winners",
                    "vote_opens_at",
                    "vote_closes_at",
                    "vote_rules_locked_at",
                    "results_published_at",
                ],
                "description": _(
                    "Etap zmienia się na pulpicie edycji (link „pulpit” na liście edycji), "
                    "gdzie widać też, czego brakuje do następnego etapu; po otwarciu "
                    "głosowania jego początek i laureaci są zablokowani."
                ),
            },
        ),
        (
            _("Wydarzenie i liczby organizatora"),
            {
                "classes": ["collapse"],
                "fields": [
                    "event_name",
                    "event_place",
                    "event_starts_on",
                    "event_ends_on",
                    "reported_submissions",
                    "reported_applicants",
                    "reported_finalists",
                    "reported_countries",
                    "countries_named",
                    ("countries_text", "countries_text_en", "countries_text_uk"),
                    "funding_sources",
                ],
            },
        ),
    ]

    def get_queryset(self, request):
        queryset = admin.ModelAdmin.get_queryset(self, request)
        if sees_every_edition(request.user):
            return queryset
        return queryset.filter(jury_members__user=request.user)

    def get_readonly_fields(self, request, obj=None):
        fixed = [
            "phase",
            "jury_review_starts_at",
            "jury_review_ends_at",
            "vote_rules_locked_at",
            "results_published_at",
        ]
        if vote_rules_locked(obj):
            fixed += ["has_public_vote", "vote_opens_at", "vote_closes_at"]
        if obj is not None and obj.phase in RESULTS_PUBLIC_PHASES:
            # The winners are named; the rule that named them stays as it was.
            fixed += [f for f in ("has_public_vote", "jury_names_winners") if f not in fixed]
        return fixed

    def has_delete_permission(self, request, obj=None):
        return not vote_rules_locked(obj) and super().has_delete_permission(request, obj)

    def has_issue_ballots_permission(self, request):
        return request.user.has_perm("competitions.add_ballot")

    # --- the edition's dashboard: its stage, what the next one needs, the steps --------

    def get_urls(self):
        return [
            path(
                "<int:edition_id>/pulpit/",
                self.admin_site.admin_view(self.dashboard_view),
                name="competitions_edition_dashboard",
            ),
            *super().get_urls(),
        ]

    @admin.display(description=_("pulpit"))
    def dashboard_link(self, edition):
        url = reverse("admin:competitions_edition_dashboard", args=[edition.pk])
        return format_html('<a href="{}">{}</a>', url, _("Pulpit edycji"))

    def dashboard_view(self, request, edition_id: int):
        """The stage, the checklist of the next one, its button, and the vote's end."""
        edition = get_object_or_404(self.get_queryset(request), pk=edition_id)
        if not self.has_view_or_change_permission(request, edition):
            raise PermissionDenied
        may_steer = self.has_change_permission(request, edition)
        close_form = VoteCloseForm()
        if request.method == "POST":
            if not may_steer:
                raise PermissionDenied
            if "advance" in request.POST:
                return self._advance_from_dashboard(request, edition)
            close_form = VoteCloseForm(request.POST)
            if close_form.is_valid():
                data = close_form.cleaned_data
                try:
                    edition_change_vote_close(
                        edition=edition,
                        closes_at=timezone.now() if data["close_now"] else data["closes_at"],
                        actor=request.user,
                        reason=data["reason"],
                    )
                except CompetitionRefused as refusal:
                    close_form.add_error(None, str(refusal))
                else:
                    self.message_user(request, _("Termin głosowania zmieniony."), messages.SUCCESS)
                    return redirect(request.path)
        next_phase = edition_next_phase(edition)
        checklist = edition_next_phase_checklist(edition)
        context = {
            **self.admin_site.each_context(request),
            "title": _("Pulpit edycji: %(edition)s") % {"edition": edition},
            "opts": self.model._meta,
            "edition": edition,
            "next_phase": dict(EditionPhase.choices).get(next_phase, ""),
            "checklist": checklist,
            "ready": all(item.met for item in checklist),
            "may_steer": may_steer,
            "vote_running": edition.phase == EditionPhase.PUBLIC_VOTE,
            "close_form": close_form,
            "decisions": edition.decisions.select_related("actor")[:20],
        }
        return TemplateResponse(request, "competitions/admin/edition_dashboard.html", context)

    def _advance_from_dashboard(self, request, edition):
        try:
            edition = edition_advance_phase(
                edition=edition,
                actor=request.user,
                expected_phase=request.POST.get("expected_phase"),
            )
        except CompetitionRefused as refusal:
            self.message_user(request, str(refusal), messages.ERROR)
        else:
            self.message_user(
                request,
                _("%(edition)s: teraz „%(phase)s”.")
                % {"edition": edition, "phase": edition.get_phase_display()},
                messages.SUCCESS,
            )
        return redirect(request.path)

    @admin.display(description=_("następny etap"))
    def next_phase(self, edition):
        following = edition_next_phase(edition)
        return dict(edition._meta.get_field("phase").choices).get(following, "–")


@admin.register(Category)
class CategoryAdmin(EditionScopedAdmin):
    list_display = ["name", "edition", "order", "laureate_places"]
    list_filter = ["edition__competition", "edition"]
    search_fields = ["name", "slug", "edition__name"]
    autocomplete_fields = ["edition"]
    list_select_related = ["edition"]
    prepopulated_fields = {"slug": ["name"]}

    def get_inlines(self, request, obj):
        return [EntryInline]

    def get_readonly_fields(self, request, obj=None):
        return ["edition", "laureate_places"] if obj and vote_rules_locked(obj.edition) else []

    def has_delete_permission(self, request, obj=None):
        locked = obj is not None and vote_rules_locked(obj.edition)
        return not locked and super().has_delete_permission(request, obj)
