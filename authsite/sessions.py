"""Browser sessions end after a while idle and after a fixed time, whatever happens in between."""

import time

from django.conf import settings
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login

STARTED = "authsite.session_started"
LAST_SEEN = "authsite.session_last_seen"
# Recording activity costs a session write, so do it at most this often.
ACTIVITY_RESOLUTION_SECONDS = 60


class SessionTimeoutMiddleware:
    """Log out a session idle for ``SESSION_IDLE_TIMEOUT`` or older than ``SESSION_ABSOLUTE_TIMEOUT``."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated and _expired(request.session):
            logout(request)
            if not request.path.startswith("/api/"):
                return redirect_to_login(request.get_full_path())
        return self.get_response(request)


def _expired(session) -> bool:
    now = int(time.time())
    started = session.setdefault(STARTED, now)
    last_seen = session.get(LAST_SEEN, now)
    if now - started > settings.SESSION_ABSOLUTE_TIMEOUT or now - last_seen > settings.SESSION_IDLE_TIMEOUT:
        return True
    if now - last_seen >= ACTIVITY_RESOLUTION_SECONDS or LAST_SEEN not in session:
        session[LAST_SEEN] = now
    return False
