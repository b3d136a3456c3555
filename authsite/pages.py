"""Plumbing every app's pages share: showing a service's refusal on the form that asked."""

from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from authsite.errors import DomainError, InvalidCredentials, PermissionDenied, RateLimited, ValidationFailed

# Statuses a re-shown form keeps from its error; anything else is the form's own 400.
KEPT_STATUSES = (403, 429)

# Page wording for errors whose service message is fixed, so it can be translated.
PAGE_MESSAGES = {InvalidCredentials: _("The username, email address or password is not right.")}


def error_message(error: DomainError) -> str:
    """What a person reads for ``error``, in their language where the page knows better words."""
    if isinstance(error, RateLimited):
        return _retry_message(error.retry_after_seconds)
    return str(PAGE_MESSAGES.get(type(error), error.message))


def _retry_message(seconds: int) -> str:
    """When to try again, in seconds for a short wait and in whole minutes (rounded up) past two."""
    if seconds < 120:
        return ngettext(
            "Too many attempts. Try again in %(seconds)d second.",
            "Too many attempts. Try again in %(seconds)d seconds.",
            seconds,
        ) % {"seconds": seconds}
    minutes = -(-seconds // 60)
    return ngettext(
        "Too many attempts. Try again in %(minutes)d minute.",
        "Too many attempts. Try again in %(minutes)d minutes.",
        minutes,
    ) % {"minutes": minutes}


def show_on_form(form, error: DomainError, *, field: str | None = None, denied_message: str = "") -> None:
    """Put a service's refusal on ``form``.

    Field errors go beside the field of the same name (or on top when the form has no such
    field); a refusal by the policy goes on top as ``denied_message``; anything else goes on
    ``field``, or on top when no field is named.
    """
    if isinstance(error, ValidationFailed):
        for name, messages in error.field_errors.items():
            for text in messages:
                form.add_error(name if name in form.fields else None, text)
    elif isinstance(error, PermissionDenied):
        form.add_error(None, denied_message or error.message)
    else:
        form.add_error(field, error_message(error))


def render_form(request, template: str, context: dict, *, error: DomainError | None = None):
    """Re-show a form that failed: 400, or the error's own 403 or 429 with its headers."""
    if error is None or error.status not in KEPT_STATUSES:
        return render(request, template, context, status=400)
    response = render(request, template, context, status=error.status)
    for name, value in error.headers().items():
        response[name] = value
    return response
