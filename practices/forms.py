"""The public form "Zgłoś dobrą praktykę" (no account needed)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from core.forms import OneLineField
from core.i18n import localized
from core.text import polish_sort_key
from organisations.enums import OrganisationKind
from practices.enums import Currency
from practices.models import PracticeType, Topic
from practices.uploads import attachment_validate

YEAR_CHOICES_HINT = _("Rok, np. 2021.")


class NamedChoiceField(forms.ModelChoiceField):
    """Choices labelled with their name in the page's language (core.i18n)."""

    def label_from_instance(self, obj) -> str:
        return localized(obj, "name")


class NamedMultipleChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj) -> str:
        return localized(obj, "name")


class PracticeFieldsForm(forms.Form):
    """The practice's own fields and its organisation, as an outsider describes them:
    the catalogue's submission form and a competition's entry form both ask them."""

    title = OneLineField(label=_("Nazwa praktyki"), max_length=300)
    practice_type = NamedChoiceField(
        label=_("Typ praktyki"),
        queryset=PracticeType.objects.order_by("order"),
        empty_label=_("— wybierz —"),
        help_text=_(
            "Definicje typów są na stronie każdej praktyki; "
            "w razie wątpliwości wybierz „Projektowe”."
        ),
    )
    topics = NamedMultipleChoiceField(
        label=_("Obszary tematyczne"),
        queryset=Topic.objects.order_by("order", "name"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    summary = forms.CharField(
        label=_("Krótki opis"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Dwa–trzy zdania: na czym polega praktyka i co dała."),
    )
    description = forms.CharField(
        label=_("Pełny opis"),
        max_length=20000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_(
            "Problem, działania, rezultaty, liczby. Zwykły tekst; akapity oddziel pustą linią."
        ),
    )
    started_year = forms.IntegerField(
        label=_("Rok rozpoczęcia"),
        required=False,
        min_value=1900,
        max_value=2100,
        help_text=YEAR_CHOICES_HINT,
    )
    ended_year = forms.IntegerField(
        label=_("Rok zakończenia"),
        required=False,
        min_value=1900,
        max_value=2100,
        help_text=_("Puste, jeśli praktyka trwa."),
    )
    total_value = forms.DecimalField(
        label=_("Wartość całkowita"), required=False, min_value=0, max_digits=16, decimal_places=2
    )
    currency = forms.ChoiceField(label=_("Waluta"), choices=Currency.choices, initial=Currency.PLN)

    organisation_name = OneLineField(
        label=_("Nazwa organizacji"),
        max_length=255,
        widget=forms.TextInput(attrs={"autocomplete": "organization"}),
    )
    organisation_kind = forms.ChoiceField(
        label=_("Rodzaj organizacji"),
        choices=OrganisationKind.choices,
        initial=OrganisationKind.MUNICIPALITY,
    )
    organisation_country = forms.ChoiceField(label=_("Kraj"), initial="PL")
    organisation_locality = OneLineField(label=_("Miejscowość"), max_length=120, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation_country"].choices = sorted(
            countries, key=lambda item: polish_sort_key(str(item[1]))
        )

    def clean(self):
        data = super().clean()
        start, end = data.get("started_year"), data.get("ended_year")
        if start and end and end < start:
            self.add_error(
                "ended_year", _("Rok zakończenia nie może być wcześniejszy niż rok rozpoczęcia.")
            )
        return data


class PracticeSubmissionForm(PracticeFieldsForm):
    """ "Zgłoś dobrą praktykę": the practice, who sends it, one file, consent."""

    # autocomplete tokens (WCAG 1.3.5): browsers fill in the sender's own details.
    contact_name = OneLineField(
        label=_("Imię i nazwisko"),
        max_length=200,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    contact_email = forms.EmailField(
        label=_("Adres e-mail"), widget=forms.EmailInput(attrs={"autocomplete": "email"})
    )
    contact_phone = OneLineField(
        label=_("Telefon"),
        max_length=40,
        required=False,
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"}),
    )

    attachment = forms.FileField(
        label=_("Załącznik"),
        required=False,
        help_text=_("PDF, DOCX, ODT, JPG lub PNG, najwyżej 5 MB."),
    )
    consent = forms.BooleanField(
        label=_(
            "Zgadzam się na przetwarzanie moich danych kontaktowych przez redakcję katalogu "
            "w celu obsługi zgłoszenia. Dane kontaktowe nie są publikowane."
        )
    )
    # A field people never see: bots fill it in.
    website = forms.CharField(label=_("Zostaw to pole puste"), required=False)

    @property
    def is_bot(self) -> bool:
        return bool(self.data.get("website"))

    def clean_attachment(self):
        upload = self.cleaned_data.get("attachment")
        if upload:
            self.attachment_type = attachment_validate(upload)
        return upload
