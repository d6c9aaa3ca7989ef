"""Forms of the jury pages, the public vote and the admin's edition, ballots and window."""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.core.validators import MaxValueValidator
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from competitions.enums import EntryStatus
from competitions.models import Category, Criterion, Edition, Entry
from competitions.selectors import edition_free_slug
from competitions.services.ballots import MAX_BALLOTS_PER_BATCH, MAX_LABEL_LENGTH
from core.forms import OneLineField
from core.i18n import translated
from core.templatetags.catalogue import in_language
from practices.forms import PracticeFieldsForm
from practices.uploads import attachment_validate


class BallotCodeForm(forms.Form):
    code = forms.CharField(
        label=_("Kod do głosowania"),
        max_length=40,
        help_text=_(
            "12 znaków z karty, np. ABCD-EFGH-JKMN. Wielkość liter i myślniki nie mają znaczenia."
        ),
        widget=forms.TextInput(
            attrs={
                "autocomplete": "off",
                "autocapitalize": "characters",
                "spellcheck": "false",
                "inputmode": "text",
            }
        ),
    )


class VoteForm(forms.Form):
    """One category's vote; `entry` choices are that category's laureates."""

    category = forms.IntegerField(widget=forms.HiddenInput)
    entry = forms.IntegerField(
        label=_("Twój wybór"),
        error_messages={"required": _("Wybierz jedną praktykę w tej kategorii.")},
    )


class ScoreForm(forms.Form):
    """A juror's scores of one entry: a value and an optional comment per criterion.

    Every value is needed to submit; a draft ("save") may leave some empty.
    Submitting takes two posts: "submit" (shown for confirmation) and then
    "confirm" with the same values (`confirmed`, the final one).
    """

    def __init__(self, *args, criteria: list[Criterion], **kwargs):
        super().__init__(*args, **kwargs)
        self.criteria = criteria
        drafting = self.is_bound and not self.submitting
        for criterion in criteria:
            # The Polish original on an English or Ukrainian page is marked as Polish.
            name = conditional_escape(in_language(criterion, "name"))
            description = translated(criterion, "description").text
            hint = _("Liczba całkowita od %(min)s do %(max)s; waga kryterium: %(weight)s.") % {
                "min": criterion.scale_min,
                "max": criterion.scale_max,
                "weight": f"{criterion.weight.normalize():f}",
            }
            if description:
                hint = f"{description} {hint}"
            self.fields[f"value_{criterion.pk}"] = forms.IntegerField(
                label=mark_safe(conditional_escape(_("%(name)s – ocena")) % {"name": name}),
                required=not drafting,
                min_value=criterion.scale_min,
                max_value=criterion.scale_max,
                help_text=hint,
                error_messages={"required": _("Oceń to kryterium, zanim prześlesz oceny.")},
                widget=forms.NumberInput(
                    attrs={"min": criterion.scale_min, "max": criterion.scale_max}
                ),
            )
            self.fields[f"comment_{criterion.pk}"] = forms.CharField(
                label=mark_safe(conditional_escape(_("%(name)s – komentarz")) % {"name": name}),
                required=False,
                max_length=4000,
                widget=forms.Textarea(attrs={"rows": 2}),
            )

    def rows(self):
        """(criterion, value field, comment field) for the template."""
        return [(c, self[f"value_{c.pk}"], self[f"comment_{c.pk}"]) for c in self.criteria]

    @property
    def submitting(self) -> bool:
        """Asked to submit: the first step ("submit") or the confirmation ("confirm")."""
        return "submit" in self.data or "confirm" in self.data

    @property
    def confirmed(self) -> bool:
        """The final submit, posted from the confirmation step; only this submits."""
        return "confirm" in self.data

    def values(self) -> dict[int, int | None]:
        return {c.pk: self.cleaned_data.get(f"value_{c.pk}") for c in self.criteria}

    def comments(self) -> dict[int, str]:
        return {c.pk: self.cleaned_data.get(f"comment_{c.pk}", "") for c in self.criteria}


class ConflictForm(forms.Form):
    reason = forms.CharField(
        label=_("Powód konfliktu interesów"),
        required=False,
        max_length=300,
        help_text=_("Np. „pracuję w tej gminie”. Widzą go tylko organizatorzy konkursu."),
    )


class DecisionForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Decyzja"),
        choices=[
            (EntryStatus.SUBMITTED, _("bez wyróżnienia (zgłoszenie)")),
            (EntryStatus.FINALIST, _("finalista")),
            (EntryStatus.LAUREATE, _("laureat")),
        ],
        widget=forms.RadioSelect,
    )
    laureate_place = forms.IntegerField(
        label=_("Miejsce laureata"),
        required=False,
        min_value=1,
    )
    distinction = forms.CharField(
        label=_("Wyróżnienie"),
        required=False,
        max_length=200,
        help_text=_("Nazwa wyróżnienia, jeśli jury je przyznaje, np. „Empatia”."),
    )
    reason = forms.CharField(
        label=_("Uzasadnienie (do dziennika decyzji)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, places: int, **kwargs):
        super().__init__(*args, **kwargs)
        place = self.fields["laureate_place"]
        place.max_value = places
        place.validators.append(MaxValueValidator(places))
        place.widget.attrs.update({"min": 1, "max": places})
        place.help_text = _("Tylko dla laureata: od 1 do %(places)s.") % {"places": places}

    def clean(self):
        cleaned = super().clean()
        if (
            cleaned.get("status") == EntryStatus.LAUREATE
            and not cleaned.get("laureate_place")
            and "laureate_place" not in self.errors
        ):
            self.add_error("laureate_place", _("Laureat musi mieć miejsce."))
        return cleaned

    @classmethod
    def for_entry(cls, entry: Entry, data=None) -> DecisionForm:
        return cls(
            data,
            places=entry.category.laureate_places,
            initial={
                "status": entry.status
                if entry.status != EntryStatus.WITHDRAWN
                else EntryStatus.SUBMITTED,
                "laureate_place": entry.laureate_place,
                "distinction": entry.distinction,
            },
        )


class TieForm(forms.Form):
    entry = forms.TypedChoiceField(
        label=_("Zwycięzca kategorii"), coerce=int, widget=forms.RadioSelect
    )
    reason = forms.CharField(
        label=_("Uzasadnienie"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Będzie opublikowane razem z wynikami."),
    )

    def __init__(self, *args, entries: list[Entry], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["entry"].choices = [(e.pk, e.practice.title) for e in entries]


class PhaseForm(forms.Form):
    expected_phase = forms.CharField(widget=forms.HiddenInput)


class BallotIssueForm(forms.Form):
    """The admin's "issue ballot codes" step: a number, or one code per listed participant."""

    count = forms.IntegerField(
        label=_("Liczba kodów"),
        required=False,
        min_value=1,
        max_value=MAX_BALLOTS_PER_BATCH,
        help_text=_("Kody bez opisu, np. do rozdania na sali."),
    )
    labels = forms.CharField(
        label=_("Lista uczestników"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 8}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Formatted per request, in the language of the request.
        self.fields["labels"].help_text = _(
            "Albo jeden uczestnik w wierszu (do %(max)s znaków): każdy dostanie swój kod."
        ) % {"max": MAX_LABEL_LENGTH}

    def clean(self):
        cleaned = super().clean()
        count, labels = cleaned.get("count"), (cleaned.get("labels") or "").strip()
        if count and labels:
            raise forms.ValidationError(_("Podaj liczbę kodów albo listę uczestników, nie oba."))
        if not count and not labels and not self.errors:
            raise forms.ValidationError(_("Podaj liczbę kodów albo listę uczestników."))
        return cleaned

    def label_list(self) -> list[str] | None:
        labels = (self.cleaned_data.get("labels") or "").strip()
        return [line.strip() for line in labels.splitlines() if line.strip()] or None


class VoteCloseForm(forms.Form):
    """The organiser moves the end of a running vote: a new end, or "close now"; a reason."""

    closes_at = forms.DateTimeField(
        label=_("Nowy koniec głosowania"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
        help_text=_("Czas polski. Zostaw puste i wybierz „Zakończ teraz”, aby zamknąć od razu."),
    )
    reason = forms.CharField(
        label=_("Powód zmiany"),
        max_length=300,
        help_text=_("Zapisany w dzienniku decyzji, np. „awaria sieci na sali obrad”."),
    )
    close_now = forms.BooleanField(label=_("Zakończ teraz"), required=False)

    def clean(self):
        data = super().clean()
        if not data.get("close_now") and not data.get("closes_at"):
            raise forms.ValidationError(
                _("Podaj nowy koniec głosowania albo wybierz „Zakończ teraz”.")
            )
        return data


class EditionAdminForm(forms.ModelForm):
    """The admin's edition form: the slug may be left empty and is then made from the
    competition and the year (`kdp-2026`), free of clashes."""

    class Meta:
        model = Edition
        exclude: list[str] = []  # every field; the admin's fieldsets choose and order them

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "slug" in self.fields:
            self.fields["slug"].required = False
            self.fields["slug"].help_text = _(
                "Zostaw puste, a adres powstanie z konkursu i roku, np. „kdp-2026”."
            )

    def clean(self):
        cleaned = super().clean()
        competition, year = cleaned.get("competition"), cleaned.get("year")
        if "slug" in self.fields and not cleaned.get("slug") and competition and year:
            cleaned["slug"] = edition_free_slug(
                competition=competition, year=year, exclude_pk=self.instance.pk
            )
        return cleaned


# --- online entry ----------------------------------------------------------------------


class ApplicationStartForm(forms.Form):
    """Who applies: the private link to the entry form goes to this address."""

    # autocomplete tokens (WCAG 1.3.5): browsers fill in the applicant's own details.
    contact_name = OneLineField(
        label=_("Imię i nazwisko"),
        max_length=200,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    email = forms.EmailField(
        label=_("Adres e-mail"),
        help_text=_("Wyślemy na niego prywatny link do formularza i potwierdzenie zgłoszenia."),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    consent = forms.BooleanField(
        label=_(
            "Zgadzam się na przetwarzanie moich danych kontaktowych przez organizatora konkursu "
            "w celu obsługi zgłoszenia. Dane kontaktowe nie są publikowane."
        )
    )
    # A field people never see: bots fill it in.
    website = forms.CharField(label=_("Zostaw to pole puste"), required=False)

    @property
    def is_bot(self) -> bool:
        return bool(self.data.get("website"))


class ApplicationResendForm(forms.Form):
    email = forms.EmailField(
        label=_("Adres e-mail podany przy rozpoczęciu zgłoszenia"),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    website = forms.CharField(label=_("Zostaw to pole puste"), required=False)


class ApplicationForm(PracticeFieldsForm):
    """An edition's entry form: the category, the practice, the edition's own questions
    and files. Saving a draft (`is_valid_draft`) checks only what was typed; sending
    it needs every required field and the confirmation (`submitting=True`)."""

    category = forms.ModelChoiceField(
        label=_("Kategoria konkursu"),
        queryset=Category.objects.none(),
        widget=forms.RadioSelect,
        empty_label=None,
    )
    contact_phone = OneLineField(
        label=_("Telefon kontaktowy"),
        max_length=40,
        required=False,
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"}),
    )
    new_attachment = forms.FileField(
        label=_("Dodaj załącznik"),
        required=False,
        help_text=_("PDF, DOCX, ODT, JPG lub PNG, najwyżej 5 MB; do 5 plików."),
    )
    remove_attachments = forms.TypedMultipleChoiceField(
        label=_("Usuń załączniki"),
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    confirm = forms.BooleanField(
        label=_(
            "Potwierdzam, że dane są prawdziwe i że mogę zgłosić tę praktykę w imieniu "
            "organizacji. Po wysłaniu zgłoszenia nie można zmienić."
        ),
        required=False,
    )
    website = forms.CharField(label=_("Zostaw to pole puste"), required=False)

    field_order = ["category"]

    def __init__(self, *args, edition: Edition, questions, attachments=(), submitting=False, **kw):
        super().__init__(*args, **kw)
        self.edition, self.questions, self.submitting = edition, list(questions), submitting
        categories = list(edition.categories.order_by("order", "id"))
        self.fields["category"].queryset = edition.categories.order_by("order", "id")
        self.fields["category"].label_from_instance = lambda category: category.name
        if len(categories) == 1 and categories[0].is_whole_edition:
            # No categories to choose from: the entry belongs to the edition as a whole.
            self.fields["category"].widget = forms.HiddenInput()
            self.fields["category"].initial = categories[0].pk
        self.fields["remove_attachments"].choices = [(a.pk, a.title) for a in attachments]
        for question in self.questions:
            self.fields[f"question_{question.pk}"] = forms.CharField(
                label=question.text,
                help_text=question.help_text,
                max_length=question.max_length,
                required=question.required,
                widget=forms.Textarea(attrs={"rows": 4}),
            )
        self.fields["confirm"].required = submitting

    @property
    def is_bot(self) -> bool:
        return bool(self.data.get("website"))

    def is_valid_draft(self) -> bool:
        """Valid as a draft: only what was typed is checked; an empty required field
        is not an error yet (it is when the application is sent)."""
        self.is_valid()
        for name in list(self._errors):
            kept = [e for e in self._errors[name].as_data() if e.code != "required"]
            if kept:
                self._errors[name] = self.error_class(kept, renderer=self.renderer)
            else:
                del self._errors[name]
        return not self._errors

    def question_fields(self):
        return [self[f"question_{q.pk}"] for q in self.questions]

    def clean_new_attachment(self):
        upload = self.cleaned_data.get("new_attachment")
        if upload:
            self.attachment_type = attachment_validate(upload)
        return upload

    def stored_data(self) -> dict:
        """What the form holds, as JSON for the application (ids for choices)."""
        data = self.cleaned_data
        stored = {}
        for name in PracticeFieldsForm.base_fields:
            value = data.get(name)
            if name == "topics":
                value = sorted(topic.pk for topic in value or [])
            elif hasattr(value, "pk"):
                value = value.pk
            elif isinstance(value, Decimal):
                value = str(value)
            stored[name] = value if value is not None else ""
        category = data.get("category")
        stored["category"] = category.pk if category else ""
        stored["contact_phone"] = data.get("contact_phone", "")
        stored["answers"] = {
            str(q.pk): data.get(f"question_{q.pk}", "") or "" for q in self.questions
        }
        return stored

    @staticmethod
    def initial_from(stored: dict) -> dict:
        initial = {k: v for k, v in stored.items() if k != "answers" and v not in ("", None)}
        for key, value in (stored.get("answers") or {}).items():
            initial[f"question_{key}"] = value
        return initial
