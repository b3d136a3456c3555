"""Forms of the posts and moderation pages. They parse input only; the services decide."""

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from accounts.identifiers import USERNAME_MAX_LENGTH
from moderation.models import Post

# Only keeps the number sane; the service applies the actor's own limits.
DAYS_CEILING = 100_000


def _max_length(model, name: str) -> int:
    return model._meta.get_field(name).max_length


def _username_field() -> forms.CharField:
    return forms.CharField(
        label=_("Username"),
        max_length=USERNAME_MAX_LENGTH,
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "none"}),
    )


class PostForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=_max_length(Post, "title"))
    body = forms.CharField(
        label=_("Text"), max_length=_max_length(Post, "body"), widget=forms.Textarea(attrs={"rows": 6})
    )


class PostDeleteForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for deleting"),
        required=False,
        max_length=_max_length(Post, "deletion_reason"),
        help_text=_("Kept in the audit log with the deletion."),
    )


class SuspendForm(forms.Form):
    username = _username_field()
    reason = forms.CharField(
        label=_("Reason"),
        max_length=_max_length(get_user_model(), "suspension_reason"),
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    days = forms.IntegerField(label=_("Days"), required=False, min_value=-DAYS_CEILING, max_value=DAYS_CEILING)

    def __init__(self, *args, limits, **kwargs):
        """``limits`` (the actor's ``SuspensionLimits``) only hints the browser; the service decides."""
        super().__init__(*args, **kwargs)
        days = self.fields["days"]
        days.widget.attrs.update({"min": limits.min_days, "max": limits.max_days})
        days.widget.attrs.pop("required", None)
        if not limits.indefinite_allowed:
            days.widget.attrs["required"] = True


class UnsuspendForm(forms.Form):
    username = _username_field()
