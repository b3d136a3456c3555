"""What the Django admin actions of every app share.

An action hands each selected object to a service, one at a time, so every change is checked
by the policy and audited exactly as at the other doors. A refusal (acting on oneself, a limit,
a race) becomes a message next to the object's name, never a server error.
"""

from collections.abc import Callable

from django.contrib import messages
from django.contrib.admin import helpers
from django.contrib.admin.utils import model_ngettext
from django.template.response import TemplateResponse

from authsite.doors import error_line
from authsite.errors import DomainError

# Present only when the confirmation page is submitted, so its first display is unbound.
CONFIRMED = "confirmed"


def apply_each(modeladmin, request, queryset, change: Callable, *, done: str) -> None:
    """Call ``change(obj)`` for each selected object and report what happened.

    ``done`` is the success message, formatted with ``count`` and ``items`` (the model's name).
    Each object is its own transaction, so one refusal does not undo the others.
    """
    succeeded = 0
    for obj in list(queryset):
        try:
            change(obj)
        except DomainError as error:
            modeladmin.message_user(request, f"{obj}: {error_line(error)}", messages.ERROR)
        else:
            succeeded += 1
    if succeeded:
        items = model_ngettext(modeladmin.opts, succeeded)
        modeladmin.message_user(request, done.format(count=succeeded, items=items), messages.SUCCESS)


def confirmed_form(request, form_class):
    """The form of a confirmation page: unbound on its first display, bound once submitted."""
    return form_class(request.POST) if CONFIRMED in request.POST else form_class()


def confirmation_page(modeladmin, request, queryset, *, form, action: str, title: str):
    """The intermediate page that asks ``form`` about ``action`` on the selected objects."""
    request.current_app = modeladmin.admin_site.name
    context = {
        **modeladmin.admin_site.each_context(request),
        "title": title,
        "opts": modeladmin.opts,
        "queryset": queryset,
        "form": form,
        "action": action,
        "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
        "confirmed_field": CONFIRMED,
    }
    return TemplateResponse(request, "admin/action_confirmation.html", context)


class ReadOnlyModelAdmin:
    """Mixed into a ModelAdmin whose rows change only through actions that call a service.

    Django admin's own add, change and delete would write rows directly, bypassing the policy
    and the audit log, so they are off everywhere.
    """

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
