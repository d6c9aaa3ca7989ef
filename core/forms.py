"""Sign-in forms for the public sign-in page and the admin, and form fields every app uses."""

import unicodedata

from django import forms
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.utils.translation import gettext_lazy as _


class LengthCheckedUsernameMixin:
    """Refuse a user name longer than the model allows before anyone authenticates it.

    AuthenticationForm sets the field's max_length for the widget only, so a longer
    name reaches authenticate() and django-axes, which records a failed attempt in a
    varchar(255) column and fails. Refused here, it is an ordinary wrong sign-in.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["username"]
        field.validators.append(MaxLengthValidator(field.max_length))


class SignInForm(LengthCheckedUsernameMixin, AuthenticationForm):
    pass


class AdminSignInForm(LengthCheckedUsernameMixin, AdminAuthenticationForm):
    pass


class OneLineField(forms.CharField):
    """Text that stays on one line (a title, a name, a phone number).

    Such text reaches e-mail subjects and headers, page titles and CSV cells: line
    breaks, tabs and other white space become single spaces, and any other control
    character (NUL, ESC, DEL…) is refused with a message, before anything is saved.
    """

    def to_python(self, value):
        return " ".join(super().to_python(value).split())

    def validate(self, value):
        if any(unicodedata.category(char) == "Cc" for char in value):
            raise ValidationError(
                _(
                    "Usuń z pola znaki sterujące (niewidoczne znaki, które czasem przychodzą "
                    "z tekstem skopiowanym z innego programu)."
                ),
                code="control_characters",
            )
        super().validate(value)
