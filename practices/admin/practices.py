"""The practices' admin (with its country filter) and the moderation queue."""

from __future__ import annotations

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST
from django_countries import countries
from import_export.admin import ImportMixin
from simple_history.admin import SimpleHistoryAdmin

from core.admin import URL_FIELD_OVERRIDES, PrivateLookupsMixin
from core.text import polish_sort_key
from practices.admin.importing import HeldUpload, PracticeConfirmImportForm, PracticeImportForm
from practices.admin.inlines import (
    PartnershipInline,
    PracticeAmountInline,
    PracticeAttachmentInline,
    PracticeLinkInline,
    PracticeMilestoneInline,
    StatusChangeInline,
)
from practices.admin.moderation import (
    archive,
    moderation_buttons,
    publish,
    send_for_review,
    unpublish,
)
from practices.enums import PracticeStatus
from practices.import_uploads import import_upload_store, import_upload_take
from practices.imports import (
    MAX_IMPORT_ROWS,
    ImportCSV,
    ImportRefused,
    ImportXLSX,
    PracticeResource,
)
from practices.models import (
    Practice,
    Submission,
)
from practices.services import (
    TransitionRefused,
    practice_change_status,
    practice_keep_moderation_fields,
)


class CountryFilter(admin.SimpleListFilter):
    """Countries of the lead and partners (the practice's denormalised country list)."""

    title = _("kraj")
    parameter_name = "kraj"

    def lookups(self, request, model_admin):
        codes = Practice.objects.order_by().values_list("countries", flat=True).distinct()
        present = {code: str(countries.name(code)) for row in codes for code in row}
        return sorted(present.items(), key=lambda item: polish_sort_key(item[1]))

    def queryset(self, request, queryset):
        if self.value():
            return queryset.filter(countries__contains=[self.value()])
        return queryset


@admin.register(Practice)
class PracticeAdmin(PrivateLookupsMixin, ImportMixin, SimpleHistoryAdmin):
    formfield_overrides = URL_FIELD_OVERRIDES
    list_display = [
        "title",
        "practice_type",
        "lead_organisation",
        "country_list",
        "status_badge",
        "origin",
        "published_at",
        "updated_at",
    ]
    list_display_links = ["title"]
    list_filter = [
        "status",
        "practice_type",
        CountryFilter,
        ("topics", admin.RelatedOnlyFieldListFilter),
        "origin",
        "currency",
    ]
    list_select_related = ["practice_type", "lead_organisation"]
    show_facets = admin.ShowFacets.ALWAYS
    search_fields = ["title", "slug", "summary", "lead_organisation__name", "author"]
    search_help_text = _("Tytuł, adres, streszczenie, lider lub autor zgłoszenia.")
    autocomplete_fields = ["lead_organisation", "topics", "funding_sources"]
    prepopulated_fields = {"slug": ["title"]}
    date_hierarchy = "created_at"
    ordering = ["-updated_at"]
    list_per_page = 50
    inlines = [
        PartnershipInline,
        PracticeAmountInline,
        PracticeMilestoneInline,
        PracticeLinkInline,
        PracticeAttachmentInline,
        StatusChangeInline,
    ]
    actions = [send_for_review, publish, unpublish, archive]
    readonly_fields = [
        "status",
        "published_at",
        "status_changed_at",
        "status_changed_by",
        "origin",
        "created_at",
        "updated_at",
    ]
    fieldsets = [
        (
            None,
            {"fields": ["title", "slug", "practice_type", "topics", "lead_organisation", "author"]},
        ),
        (
            _("Opis"),
            {"fields": ["summary", "description", "problem", "actions", "results", "place"]},
        ),
        (
            _("Tłumaczenia redakcji"),
            {
                # One row per text, the languages side by side; a blank one shows the
                # original on the page, marked as Polish.
                "fields": [
                    ("title_en", "title_uk"),
                    ("summary_en", "summary_uk"),
                    ("description_en", "description_uk"),
                    ("problem_en", "problem_uk"),
                    ("actions_en", "actions_uk"),
                    ("results_en", "results_uk"),
                ],
                "description": _(
                    "Puste pole: strona w tym języku pokaże tekst oryginalny z informacją, "
                    "że jest po polsku."
                ),
            },
        ),
        (
            _("Okres realizacji"),
            {
                "fields": [
                    ("started_on", "started_precision"),
                    ("ended_on", "ended_precision"),
                ],
                "description": _(
                    "Rok lub miesiąc zapisz jako jego pierwszy dzień (początek) albo ostatni "
                    "dzień (koniec) i wybierz dokładność."
                ),
            },
        ),
        (
            _("Finansowanie"),
            {
                "fields": [
                    ("total_value", "total_value_approximate", "co_financing", "currency"),
                    "money_note",
                    "funding_sources",
                ]
            },
        ),
        (
            _("Źródło i kontakt (niepubliczne)"),
            {
                "fields": [
                    ("source_name", "source_published_on"),
                    "contact_name",
                    "contact_email",
                    "contact_phone",
                ]
            },
        ),
        (
            _("Moderacja"),
            {
                "fields": [
                    "status",
                    "published_at",
                    "status_changed_at",
                    "status_changed_by",
                    "origin",
                    "created_at",
                    "updated_at",
                ]
            },
        ),
    ]
    change_form_template = "admin/practices/practice/change_form.html"

    # import
    resource_classes = [PracticeResource]
    import_form_class = PracticeImportForm
    import_error_display = ("message",)
    import_template_name = "admin/practices/practice/import.html"

    confirm_form_class = PracticeConfirmImportForm

    def get_import_formats(self):
        return [ImportCSV, ImportXLSX]

    def write_to_tmp_storage(self, import_file, input_format):
        encoding = None if input_format.is_binary() else self.from_encoding
        return HeldUpload(b"".join(import_file.chunks()), encoding=encoding)

    def get_confirm_form_initial(self, request, import_form):
        if import_form is None:
            return {}
        import_file = import_form.cleaned_data["import_file"]
        import_file.seek(0)
        upload = import_upload_store(
            user=request.user,
            session_key=request.session.session_key,
            name=import_file.name,
            file_format=int(import_form.cleaned_data["format"]),
            content=b"".join(import_file.chunks()),
        )
        return {
            "import_file_name": upload.key,
            "original_file_name": upload.name,
            "format": import_form.cleaned_data["format"],
            "resource": import_form.cleaned_data.get("resource", ""),
        }

    @method_decorator(require_POST)
    def process_import(self, request, **kwargs):
        """Confirm a dry run: the editor's own upload under the posted key, on any
        instance; imported in one transaction with the upload's deletion."""
        if not self.has_import_permission(request):
            raise PermissionDenied
        confirm_form = self.create_confirm_form(request)
        again = reverse("admin:practices_practice_import")
        if not confirm_form.is_valid():
            messages.error(request, _("Nie ma takiej próby importu. Wyślij plik ponownie."))
            return HttpResponseRedirect(again)
        with transaction.atomic():
            upload = import_upload_take(
                key=confirm_form.cleaned_data["import_file_name"],
                user=request.user,
                session_key=request.session.session_key,
            )
            if upload is None:
                messages.error(
                    request,
                    _(
                        "Tej próby importu już nie ma: minęła godzina, plik został już "
                        "zaimportowany albo wysłał go ktoś inny. Wyślij plik ponownie."
                    ),
                )
                return HttpResponseRedirect(again)
            input_format = self.get_import_formats()[upload.file_format](
                encoding=self.from_encoding
            )
            content = bytes(upload.content)
            try:
                dataset = input_format.create_dataset(
                    content if input_format.is_binary() else content.decode(self.from_encoding)
                )
            except ImportRefused as refusal:
                upload.delete()
                messages.error(request, str(refusal))
                return HttpResponseRedirect(again)
            result = self.process_dataset(dataset, confirm_form, request, file_name=upload.name)
            upload.delete()
        return self.process_result(result, request)

    def has_import_permission(self, request):
        return request.user.has_perm("practices.import_practice")

    def get_import_data_kwargs(self, **kwargs):
        # The confirming run must refuse a row that became invalid since the dry run.
        data = super().get_import_data_kwargs(**kwargs)
        data["rollback_on_validation_errors"] = True
        return data

    def get_import_context_data(self, **kwargs):
        context = super().get_import_context_data(**kwargs)
        context.update(columns=PracticeResource.columns(), max_rows=MAX_IMPORT_ROWS)
        return context

    def add_data_read_fail_error_to_form(self, form, error):
        if isinstance(error, ImportRefused):
            message = str(error)
        elif isinstance(error, UnicodeDecodeError):
            message = _(
                "Pliku nie da się odczytać jako tekstu w kodowaniu UTF-8. W arkuszu wybierz "
                "„Zapisz jako → CSV UTF-8” albo wyślij plik XLSX."
            )
        else:
            message = _(
                "Nie udało się odczytać pliku jako %(format)s. Sprawdź, czy to arkusz CSV lub "
                "XLSX i czy format wybrany w formularzu się zgadza."
            ) % {"format": form.cleaned_data.get("format", "")}
        form.add_error("import_file", message)

    # permissions and moderation
    def has_publish_permission(self, request):
        return request.user.has_perm("practices.publish_practice")

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related(None)

    @admin.display(description=_("kraje"))
    def country_list(self, practice):
        return ", ".join(str(countries.name(code)) for code in practice.countries)

    @admin.display(description=_("status"), ordering="status")
    def status_badge(self, practice):
        return format_html(
            '<span class="status status--{}">{}</span>',
            practice.status,
            practice.get_status_display(),
        )

    def save_model(self, request, obj, form, change):
        """Save the content; the moderation fields stay as stored.

        The change form shows them read-only, but a history revert saves the whole
        old version (published, with its dates) and a forged POST may carry them:
        only `practice_change_status` moves a practice along the workflow, checks
        the rules and writes the moderation log.
        """
        if change:
            kept = practice_keep_moderation_fields(obj)
            if kept is not None:
                self.message_user(
                    request,
                    _(
                        "Przywrócono treść tej wersji; status pozostał „%(status)s”. Status "
                        "zmieniają przyciski moderacji, które zapisują zmianę w historii "
                        "moderacji."
                    )
                    % {"status": PracticeStatus(kept).label},
                    messages.WARNING,
                )
        super().save_model(request, obj, form, change)

    def response_change(self, request, obj):
        """The moderation buttons on the change form ("_status_published" …)."""
        for status in PracticeStatus.values:
            if f"_status_{status}" in request.POST:
                needed = "change" if status == PracticeStatus.IN_REVIEW else "publish"
                if needed == "publish" and not self.has_publish_permission(request):
                    self.message_user(
                        request, _("Nie masz uprawnień do publikacji."), messages.ERROR
                    )
                    return HttpResponseRedirect(request.path)
                try:
                    practice_change_status(practice=obj, to_status=status, by=request.user)
                except TransitionRefused as refusal:
                    self.message_user(request, str(refusal), messages.WARNING)
                else:
                    self.message_user(
                        request,
                        _("Status zmieniony na „%(status)s”.")
                        % {"status": PracticeStatus(status).label},
                        messages.SUCCESS,
                    )
                return HttpResponseRedirect(request.path)
        return super().response_change(request, obj)

    def render_change_form(self, request, context, *args, obj=None, **kwargs):
        context["moderation_buttons"] = moderation_buttons(obj, request, self)
        return super().render_change_form(request, context, *args, obj=obj, **kwargs)


@admin.register(Submission)
class SubmissionAdmin(PracticeAdmin):
    """The moderation queue: new practices from the public form and imports."""

    list_display = [
        "title",
        "lead_organisation",
        "contact_name",
        "contact_email",
        "origin",
        "status_badge",
        "created_at",
    ]
    list_filter = ["status", "origin", "practice_type"]
    ordering = ["-created_at"]
    date_hierarchy = None

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .filter(status__in=[PracticeStatus.DRAFT, PracticeStatus.IN_REVIEW])
        )

    def has_add_permission(self, request):
        return False

    def has_import_permission(self, request):
        return False

    def get_model_perms(self, request):
        # The queue is shown to whoever may edit practices.
        perms = super().get_model_perms(request)
        perms["view"] = perms.get("view") or request.user.has_perm("practices.view_practice")
        return perms

    def has_view_permission(self, request, obj=None):
        return request.user.has_perm("practices.view_practice")

    # The history is the practice's (django-simple-history knows the concrete model only).
    def history_view(self, request, object_id, extra_context=None):
        return HttpResponseRedirect(reverse("admin:practices_practice_history", args=[object_id]))

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        return HttpResponseRedirect(
            reverse("admin:practices_practice_simple_history", args=[object_id, version_id])
        )

    def has_change_permission(self, request, obj=None):
        return request.user.has_perm("practices.change_practice")
