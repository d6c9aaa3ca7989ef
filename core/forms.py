"""Sign-in forms for the public sign-in page and the admin."""

from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.forms import AuthenticationForm
from django.core.validators import MaxLengthValidator


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
