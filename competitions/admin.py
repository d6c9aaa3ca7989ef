"""The organisers' tool for competitions: editions with categories, criteria and jury;
entries; ballot codes (issued as a CSV download, never stored in plain text);
phases; and read-only records of scores, votes and decisions.

Decisions on entries (finalist, laureate, place, distinction) are made by the
jury's chair on the jury pages, through the services that log them; here they
are read-only. Votes are not listed before an edition's results are published.
"""

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

from competitions.enums import RESULTS_PUBLIC_PHASES, EditionPhase
from competitions.forms import BallotIssueForm, EditionAdminForm, VoteCloseForm
from competitions.models import (
    Application,
    ApplicationAttachment,
    Ballot,
    BallotBatch,
    Category,
    Competition,
    ConflictOfInterest,
    Criterion,
    DecisionLog,
    Edition,
    EditionLink,
    EditionOrganiser,
    EditionQuestion,
    Entry,
    EntryAnswer,
    JuryMember,
    JurySubmission,
    Score,
    TieResolution,
    Vote,
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


def _sees_every_edition(user) -> bool:
    """Organisers see all editions; a jury member (view rights only) sees their own."""
    return user.is_superuser or user.has_perm("competitions.change_edition")


class EditionScopedAdmin(PrivateLookupsMixin, admin.ModelAdmin):
    """Lists only the editions the user sits on, unless they organise competitions."""

    edition_lookup = "edition"

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if _sees_every_edition(request.user):
            return queryset
        return queryset.filter(**{f"{self.edition_lookup}__jury_members__user": request.user})


class ReadOnlyAdmin(PrivateLookupsMixin, admin.ModelAdmin):
    """Records written by the services only: looked at here, never edited."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


def _locked(edition: Edition | None) -> bool:
    return edition is not None and edition.vote_rules_locked_at is not None


# --- competitions and editions -------------------------------------------------------


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
        return not _locked(obj) and super().has_add_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return not _locked(obj) and super().has_delete_permission(request, obj)

    def get_readonly_fields(self, request, obj=None):
        return ["laureate_places"] if _locked(obj) else []


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
        if _sees_every_edition(request.user):
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
        if _locked(obj):
            fixed += ["has_public_vote", "vote_opens_at", "vote_closes_at"]
        if obj is not None and obj.phase in RESULTS_PUBLIC_PHASES:
            # The winners are named; the rule that named them stays as it was.
            fixed += [f for f in ("has_public_vote", "jury_names_winners") if f not in fixed]
        return fixed

    def has_delete_permission(self, request, obj=None):
        return not _locked(obj) and super().has_delete_permission(request, obj)

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
        return ["edition", "laureate_places"] if obj and _locked(obj.edition) else []

    def has_delete_permission(self, request, obj=None):
        locked = obj is not None and _locked(obj.edition)
        return not locked and super().has_delete_permission(request, obj)


# --- entries ----------------------------------------------------------------------------

DECISION_FIELDS = ["status", "laureate_place", "is_winner", "distinction"]


class EntryInline(admin.TabularInline):
    model = Entry
    extra = 0
    fields = ["practice", "entrant", "submitted_at", *DECISION_FIELDS]
    readonly_fields = DECISION_FIELDS
    autocomplete_fields = ["practice", "entrant"]
    show_change_link = True

    def has_delete_permission(self, request, obj=None):
        locked = obj is not None and _locked(obj.edition)
        return not locked and super().has_delete_permission(request, obj)


class EntryAnswerInline(admin.StackedInline):
    model = EntryAnswer
    extra = 0
    fields = ["question", "text"]
    readonly_fields = ["question", "text"]
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Entry)
class EntryAdmin(EditionScopedAdmin):
    inlines = [EntryAnswerInline]
    edition_lookup = "category__edition"
    list_display = [
        "practice",
        "entrant",
        "category",
        "status",
        "laureate_place",
        "is_winner",
        "distinction",
    ]
    list_filter = ["status", "is_winner", "category__edition"]
    search_fields = ["practice__title", "category__name", "distinction"]
    autocomplete_fields = ["practice", "category", "entrant"]
    list_select_related = ["practice", "entrant", "category__edition"]
    fields = ["category", "practice", "entrant", "submitted_at", *DECISION_FIELDS]

    def get_readonly_fields(self, request, obj=None):
        # Decisions go through the chair's page (entry_decide), which logs them.
        return DECISION_FIELDS if obj is None else ["category", "practice", *DECISION_FIELDS]

    def has_delete_permission(self, request, obj=None):
        locked = obj is not None and _locked(obj.category.edition)
        return not locked and super().has_delete_permission(request, obj)


# --- the jury ---------------------------------------------------------------------------


@admin.register(JuryMember)
class JuryMemberAdmin(EditionScopedAdmin):
    list_display = ["user", "edition", "is_chair"]
    list_filter = ["is_chair", "edition"]
    search_fields = ["user__username", "user__last_name", "edition__name"]
    autocomplete_fields = ["user", "edition"]
    list_select_related = ["user", "edition"]


@admin.register(Criterion)
class CriterionAdmin(EditionScopedAdmin):
    list_display = ["name", "edition", "weight", "scale_min", "scale_max", "order"]
    list_filter = ["edition"]
    search_fields = ["name", "edition__name"]
    autocomplete_fields = ["edition"]
    list_select_related = ["edition"]


@admin.register(Score)
class ScoreAdmin(ReadOnlyAdmin):
    list_display = ["member", "entry", "criterion", "value", "updated_at"]
    list_filter = ["entry__category__edition", "criterion"]
    search_fields = ["entry__practice__title", "member__user__username", "comment"]
    list_select_related = ["member__user", "member__edition", "entry__practice", "criterion"]


@admin.register(JurySubmission)
class JurySubmissionAdmin(ReadOnlyAdmin):
    list_display = ["member", "entry", "submitted_at"]
    list_filter = ["entry__category__edition"]
    search_fields = ["entry__practice__title", "member__user__username"]
    list_select_related = ["member__user", "member__edition", "entry__practice"]


@admin.register(ConflictOfInterest)
class ConflictOfInterestAdmin(ReadOnlyAdmin):
    list_display = ["member", "entry", "reason", "declared_at"]
    list_filter = ["entry__category__edition"]
    search_fields = ["entry__practice__title", "member__user__username", "reason"]
    list_select_related = ["member__user", "member__edition", "entry__practice"]


@admin.register(DecisionLog)
class DecisionLogAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "edition", "action", "entry", "actor", "before", "after"]
    list_filter = ["action", "edition"]
    search_fields = ["entry__practice__title", "actor__username", "reason"]
    list_select_related = ["edition", "entry__practice", "actor"]
    date_hierarchy = "created_at"


@admin.register(TieResolution)
class TieResolutionAdmin(ReadOnlyAdmin):
    list_display = ["category", "entry", "resolved_by", "resolved_at"]
    list_filter = ["category__edition"]
    search_fields = ["category__name", "entry__practice__title", "reason"]
    list_select_related = ["category__edition", "entry__practice", "resolved_by"]


# --- ballots and votes --------------------------------------------------------------------


@admin.register(BallotBatch)
class BallotBatchAdmin(ReadOnlyAdmin):
    list_display = ["edition", "size", "issued_by", "issued_at"]
    list_filter = ["edition"]
    search_fields = ["edition__name", "issued_by__username"]
    list_select_related = ["edition", "issued_by"]


@admin.register(Ballot)
class BallotAdmin(PrivateLookupsMixin, admin.ModelAdmin):
    """Codes are issued by the edition's action; a lost, unused code may be deleted."""

    list_display = ["__str__", "edition", "batch", "created_at"]
    list_filter = ["edition", "batch"]
    search_fields = ["label"]
    list_select_related = ["edition", "batch"]
    readonly_fields = ["edition", "batch", "label", "created_at"]
    fields = readonly_fields

    def get_actions(self, request):
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)  # a bulk delete could take votes with it
        return actions

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        if obj is not None and obj.votes.exists():
            return False
        return super().has_delete_permission(request, obj)


@admin.register(Vote)
class VoteAdmin(ReadOnlyAdmin):
    """Votes of editions with published results only: before that, not even their number."""

    list_display = ["category", "entry", "ballot", "cast_at"]
    search_fields = ["entry__practice__title", "ballot__label"]
    list_select_related = ["category__edition", "entry__practice", "ballot"]

    def get_queryset(self, request):
        return (
            super().get_queryset(request).filter(category__edition__phase__in=RESULTS_PUBLIC_PHASES)
        )

    def changelist_view(self, request, extra_context=None):
        extra_context = {
            **(extra_context or {}),
            "subtitle": _("Głosy pokazujemy dopiero po ogłoszeniu wyników edycji."),
        }
        return super().changelist_view(request, extra_context)


# --- online entry -----------------------------------------------------------------------


class ApplicationAttachmentInline(admin.TabularInline):
    model = ApplicationAttachment
    extra = 0
    fields = ["file", "title", "content_type", "size", "uploaded_at"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Application)
class ApplicationAdmin(ReadOnlyAdmin):
    """Entry forms as applicants fill them in; an application sent has its entry (and
    draft practice) in the queue. Read-only: the applicant owns it until it is sent."""

    list_display = ["contact_name", "email", "edition", "saved_at", "submitted_at", "entry"]
    list_filter = [("submitted_at", admin.EmptyFieldListFilter), "edition"]
    search_fields = ["contact_name", "email", "edition__name"]
    list_select_related = ["edition", "entry__practice"]
    fields = ["edition", "contact_name", "email", "created_at", "saved_at", "submitted_at", "entry"]
    readonly_fields = fields
    inlines = [ApplicationAttachmentInline]

    def has_view_permission(self, request, obj=None):
        # Personal data of people outside the organisation: the organisers only.
        return _sees_every_edition(request.user) and super().has_view_permission(request, obj)
