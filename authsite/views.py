from django.shortcuts import render
from django.views.decorators.http import require_safe
from django.views.defaults import page_not_found
from django.views.defaults import server_error as page_server_error

from accounts.decorators import page_requires
from accounts.policy import Action
from authsite.api import json_not_found, json_server_error


def not_found(request, exception=None):
    """The API answers unknown paths in JSON; pages get the friendly 404 page."""
    if request.path.startswith("/api/"):
        return json_not_found(request, exception)
    return page_not_found(request, exception)


def server_error(request):
    """The API answers an unexpected error in JSON; pages get the friendly 500 page."""
    if request.path.startswith("/api/"):
        return json_server_error(request)
    return page_server_error(request)


@require_safe
@page_requires(Action.VIEW_WELCOME)
def welcome(request):
    """The public front page."""
    return render(request, "welcome.html")
