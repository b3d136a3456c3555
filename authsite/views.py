from django.shortcuts import render
from django.views.decorators.http import require_safe
from django.views.defaults import page_not_found

from accounts.decorators import page_requires
from accounts.policy import Action
from authsite.api import json_not_found


def not_found(request, exception=None):
    """The API answers unknown paths in JSON; pages get the friendly 404 page."""
    if request.path.startswith("/api/"):
        return json_not_found(request, exception)
    return page_not_found(request, exception)


@require_safe
@page_requires(Action.VIEW_WELCOME)
def welcome(request):
    """The public front page."""
    return render(request, "welcome.html")
