"""The admin pages: the audit log and the read-only system settings."""

from django.shortcuts import render
from django.views.decorators.http import require_safe

from accounts.decorators import page_requires
from accounts.policy import Action
from adminlogs import selectors
from adminlogs.forms import AuditFilterForm
from authsite.pagination import keyset_page

EVENTS_PER_PAGE = 50


@require_safe
@page_requires(Action.VIEW_LOGS)
def audit_log(request):
    # Always bound: an empty query string is a valid form that filters nothing.
    form = AuditFilterForm(request.GET)
    if not form.is_valid():
        return render(request, "adminlogs/audit_log.html", {"form": form, "page": None}, status=400)
    events = selectors.audit_list(**form.filters())
    page = keyset_page(events, cursor=request.GET.get("cursor"), size=EVENTS_PER_PAGE)
    return render(request, "adminlogs/audit_log.html", {"form": form, "page": page})


@require_safe
@page_requires(Action.VIEW_SYSTEM_SETTINGS)
def system_settings(request):
    return render(request, "adminlogs/system_settings.html", {"system_settings": selectors.system_settings()})
