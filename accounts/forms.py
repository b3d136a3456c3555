"""Forms of the account pages. They parse input only; the services decide what is allowed."""

from django import forms
from django.contrib.auth import get_user_model, password_validation
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _

from accounts.identifiers import USERNAME_MAX_LENGTH
from accounts.passwords import MAX_LENGTH as PASSWORD_MAX_LENGTH

User = get_user_model()

EMAIL_MAX_LENGTH = User._meta.get_field("email").max_length

password_help_text = lazy(password_validation.password_validators_help_text_html, str)


def _password_field(*, autocomplete: str, help_text="") -> forms.CharField:
    return forms.CharField(
        label=_("Password"),
        max_length=PASSWORD_MAX_LENGTH,
        strip=False,
        help_text=help_text,
        widget=forms.PasswordInput(attrs={"autocomplete": autocomplete}),
    )


class RegisterForm(forms.Form):
    username = forms.CharField(
        label=_("Username"),
        max_length=USERNAME_MAX_LENGTH,
        help_text=_("Letters, digits, dots, hyphens and underscores."),
        widget=forms.TextInput(attrs={"autocomplete": "username", "autocapitalize": "none"}),
    )
    # The service checks the address, so its message is the same at every door.
    email = forms.CharField(
        label=_("Email address"),
        max_length=EMAIL_MAX_LENGTH,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    password = _password_field(autocomplete="new-password", help_text=password_help_text())


class LoginForm(forms.Form):
    username = forms.CharField(
        label=_("Username or email address"),
        max_length=EMAIL_MAX_LENGTH,
        widget=forms.TextInput(attrs={"autocomplete": "username", "autocapitalize": "none"}),
    )
    password = _password_field(autocomplete="current-password")


class ProfileForm(forms.Form):
    display_name = forms.CharField(
        label=_("Display name"),
        required=False,
        max_length=User._meta.get_field("display_name").max_length,
        widget=forms.TextInput(attrs={"autocomplete": "nickname"}),
    )
    bio = forms.CharField(
        label=_("About you"),
        required=False,
        max_length=User._meta.get_field("bio").max_length,
        widget=forms.Textarea(attrs={"rows": 6}),
    )


class PasswordChangeForm(forms.Form):
    current_password = _password_field(autocomplete="current-password")
    new_password = _password_field(autocomplete="new-password", help_text=password_help_text())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["current_password"].label = _("Current password")
        self.fields["new_password"].label = _("New password")


class EmailChangeForm(forms.Form):
    email = forms.CharField(
        label=_("New email address"),
        max_length=EMAIL_MAX_LENGTH,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    current_password = _password_field(autocomplete="current-password")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["current_password"].label = _("Current password")
