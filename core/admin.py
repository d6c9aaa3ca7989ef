from django import forms
from django.contrib import admin, messages
from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.models import User
from django.core.exceptions import BadRequest
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop
from simple_history.admin import SimpleHistoryAdmin

from core.forms import AdminSignInForm
from core.markup import placeholder_names
from core.models import SitePage
from core.sitepages import PLACEHOLDERS, WRITTEN_IN

admin.site.site_header = _("Katalog dobrych praktyk – redakcja")
admin.site.site_title = _("Katalog dobrych praktyk")
admin.site.index_title = _("Redakcja katalogu")
admin.site.login_form = AdminSignInForm

# Django's own admin wording that our Polish catalogue (locale/pl) words anew. Django's
# Polish puts a model's name in the nominative where grammar needs another case
# ("Dodaj dobra praktyka", "Dodaj kolejne(go)(-ną)(-ny) partner"); a label and a colon
# ("Dodaj: dobra praktyka") reads right for every model. Listed here so that
# makemessages keeps them.
ADMIN_WORDING = (
    gettext_noop("Select %s to change"),
    gettext_noop("Select %s to view"),
    gettext_noop("Add %s"),
    gettext_noop("Change %s"),
    gettext_noop("View %s"),
    gettext_noop("Add %(name)s"),
    gettext_noop("Add another %(verbose_name)s"),
    gettext_noop("Delete selected %(verbose_name_plural)s"),
    gettext_noop("Change selected %(model)s"),
    gettext_noop("Add another %(model)s"),
    gettext_noop("Delete selected %(model)s"),
    gettext_noop("View selected %(model)s"),
)

# Admin forms accept addresses typed without a scheme as https:// (Django 6's default).
URL_FIELD_OVERRIDES = {models.URLField: {"assume_scheme": "https"}}


class ChangelistInputMixin:
    """Refuse changelist input the database or Python cannot take, instead of a 500.

    A NUL byte (PostgreSQL refuses it in text) anywhere in a changelist's query
    string or in an autocomplete search answers 400 with the site's error page
    (templates/400.html): no page of the admin offers one, so it never comes from
    an editor. Any other value a filter cannot read (an id that is no number, a
    date drill-down to year 10**25) sends the editor back to the unfiltered list
    with a message, through Django's own `IncorrectLookupParameters` path.
    Every ModelAdmin has it: the project's through PrivateLookupsMixin, Django's
    and other packages' by `guard_registered_admins()` below.
    """

    def changelist_view(self, request, extra_context=None):
        if any("\x00" in text for item in request.GET.lists() for text in (item[0], *item[1])):
            raise BadRequest("NUL byte in a changelist query string")
        return super().changelist_view(request, extra_context)

    def get_changelist_instance(self, request):
        try:
            return super().get_changelist_instance(request)
        except (IncorrectLookupParameters, OverflowError) as error:
            self.message_user(
                request,
                _("Nie da się odczytać wartości filtra z adresu strony: pokazujemy całą listę."),
                messages.WARNING,
            )
            raise IncorrectLookupParameters(error) from error

    def get_search_results(self, request, queryset, search_term):
        if "\x00" in search_term:
            raise BadRequest("NUL byte in an admin search")
        return super().get_search_results(request, queryset, search_term)


class PrivateLookupsMixin(ChangelistInputMixin):
    """Refuse hand-typed changelist lookups through relations that hold secrets.

    The admin lets a changelist be filtered by lookups the page never offers
    (`?votes__id=5`, `?entries__votes__isnull=False`, `?conflicts__isnull=False`):
    with them, anyone who may see a list could rebuild the secret vote tally or
    the jury's scores and conflicts before they are published. For everyone but
    superusers, a lookup naming any of `private_relations` is refused (Django
    answers 400). Every ModelAdmin of the project's apps uses this mixin (a test
    checks it); it brings ChangelistInputMixin along.
    """

    private_relations = frozenset(
        {"votes", "vote", "ballots", "ballot", "scores", "score", "conflicts", "jury_submissions"}
    )

    def lookup_allowed(self, lookup, value, request):
        if not request.user.is_superuser and self.private_relations & set(lookup.split("__")):
            return False
        return super().lookup_allowed(lookup, value, request)


class PrivateUserAdmin(PrivateLookupsMixin, UserAdmin):
    """Django's user admin, without the lookups through a juror's seat to scores and votes."""


admin.site.unregister(User)
admin.site.register(User, PrivateUserAdmin)


def guard_registered_admins(site: admin.AdminSite = admin.site) -> None:
    """Give ChangelistInputMixin to the admins registered so far without it (Django's
    groups, django-axes' logs): the apps listed before `core` in INSTALLED_APPS."""
    for model, model_admin in list(site._registry.items()):
        if isinstance(model_admin, ChangelistInputMixin):
            continue
        guarded = type(type(model_admin).__name__, (ChangelistInputMixin, type(model_admin)), {})
        site.unregister(model)
        site.register(model, guarded)


guard_registered_admins()


MARKUP_HELP = _(
    "Akapity oddziela pusta linia. „## Tytuł” to nagłówek sekcji, „### Tytuł” – podsekcji; "
    "„- ” na początku linii – punkt listy; [tekst](https://adres) – odnośnik; **tekst** – "
    "pogrubienie. W nawiasach klamrowych wstawiane są dane z ustawień serwisu: %(names)s. "
    "Pusta treść w danym języku pokazuje tekst dostarczony z serwisem."
)


class SitePageForm(forms.ModelForm):
    class Meta:
        model = SitePage
        fields = (
            "slug",
            "prepared_on",
            "reviewed_on",
            *(f"{part}_{language}" for language in WRITTEN_IN for part in ("title", "body")),
        )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        names = ", ".join(f"{{{name}}}" for name in sorted(PLACEHOLDERS))
        for language in WRITTEN_IN:
            self.fields[f"body_{language}"].help_text = MARKUP_HELP % {"names": names}

    def clean(self):
        """Each language's body names only the placeholders a page can fill."""
        cleaned = super().clean()
        for language in WRITTEN_IN:
            field = f"body_{language}"
            unknown = sorted(placeholder_names(cleaned.get(field) or "") - PLACEHOLDERS)
            if unknown:
                self.add_error(
                    field,
                    _("Nieznane pola w nawiasach klamrowych: %(unknown)s. Dostępne: %(known)s.")
                    % {
                        "unknown": ", ".join(f"{{{name}}}" for name in unknown),
                        "known": ", ".join(f"{{{name}}}" for name in sorted(PLACEHOLDERS)),
                    },
                )
        return cleaned


@admin.register(SitePage)
class SitePageAdmin(PrivateLookupsMixin, SimpleHistoryAdmin):
    """The accessibility statement, the privacy notice and the contact page. An edit shows
    on the site at the next request (core.apps retires the cached pages)."""

    form = SitePageForm
    list_display = ("__str__", "title_pl", "prepared_on", "reviewed_on", "updated_at")
    readonly_fields = ("updated_at",)
    fieldsets = (
        (None, {"fields": ("slug", "prepared_on", "reviewed_on", "updated_at")}),
        (_("Po polsku"), {"fields": ("title_pl", "body_pl")}),
        (_("Po angielsku"), {"fields": ("title_en", "body_en")}),
        (_("Po ukraińsku"), {"fields": ("title_uk", "body_uk")}),
    )

    def view_on_site(self, obj):
        return reverse(f"core:{obj.slug}")
