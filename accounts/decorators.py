"""The one gate every page passes: the access matrix, asked for the action a request performs."""

import functools

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.views import redirect_to_login
from django.shortcuts import redirect
from django.utils.translation import gettext

from accounts import policy
from accounts.policy import Action
from authsite.errors import PermissionDenied

SAFE_METHODS = ("GET", "HEAD")


def page_requires(action: Action, *, post: Action | None = None, denied_message: str = ""):
    """Let a visitor in when the matrix allows ``action`` (``post`` for POST requests, if given).

    A guest refused something an account would allow goes to the login page; anyone else who
    is refused gets the 403 page, reading ``denied_message`` if one is given. The page opts
    out of ``LoginRequiredMiddleware`` because this check decides instead, for every role.
    """

    def decorator(view):
        @functools.wraps(view)
        def guarded(request, *args, **kwargs):
            needed = post if post is not None and request.method == "POST" else action
            if policy.can(request.user, needed):
                return view(request, *args, **kwargs)
            return _refuse(request, needed, denied_message)

        return login_not_required(guarded)

    return decorator


def _refuse(request, action: Action, denied_message: str):
    if not request.user.is_authenticated and policy.needs_account(action):
        if request.method in SAFE_METHODS:
            return redirect_to_login(request.get_full_path())
        # A form sent by a guest cannot be replayed after logging in, so there is no ``next``.
        return redirect(settings.LOGIN_URL)
    raise PermissionDenied(denied_message or gettext("Your account does not give access to this page."))
