"""The audit log's filter form: every field optional, an empty form shows everything."""

from django import forms
from django.utils.translation import gettext_lazy as _

from adminlogs.models import AuditAction, AuditEvent

# What a browser's date-and-time picker sends; typed ISO 8601 dates are accepted as well.
LOCAL_DATETIME_FORMAT = "%Y-%m-%dT%H:%M"


def _moment_field(label) -> forms.DateTimeField:
    return forms.DateTimeField(
        label=label,
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format=LOCAL_DATETIME_FORMAT),
    )


class AuditFilterForm(forms.Form):
    action = forms.ChoiceField(label=_("Action"), required=False, choices=[("", _("Any action")), *AuditAction.choices])
    actor = forms.CharField(
        label=_("Actor"),
        required=False,
        max_length=AuditEvent._meta.get_field("actor_label").max_length,
        help_text=_("The exact username, or “console” or “anonymous”."),
    )
    since = _moment_field(_("From"))
    until = _moment_field(_("Before"))

    def clean(self):
        cleaned = super().clean()
        since, until = cleaned.get("since"), cleaned.get("until")
        if since and until and since >= until:
            self.add_error("until", _("Choose a moment after “From”."))
        return cleaned

    def filters(self) -> dict:
        """The filled-in filters, as ``adminlogs.selectors.audit_list`` takes them."""
        return {name: value for name, value in self.cleaned_data.items() if value not in (None, "")}
