"""What an operator does in a shell reaches the running server at once.

``manage.py`` runs in a process of its own, so whatever the server keeps of an account between
requests (the token version beside each access token) must be shared with it: a console ban or
role change ends the tokens and browser sessions that the server had already checked.
"""

from __future__ import annotations

import json
import re
import urllib.error
import urllib.request

from playwright.sync_api import expect

from e2e.people import log_in, nav
from e2e.site import PASSWORD, Site


def api(site: Site, method: str, path: str, body: dict | None = None, token: str | None = None) -> tuple[int, dict]:
    """One JSON API call, as a client program makes it: the status and the decoded body."""
    headers = {"Content-Type": "application/json"} | ({"Authorization": f"Bearer {token}"} if token else {})
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(site.url(path), data=data, headers=headers, method=method)  # noqa: S310
    try:
        with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310 - http on loopback
            return response.status, _decoded(response.read())
    except urllib.error.HTTPError as error:
        return error.code, _decoded(error.read())


def _decoded(raw: bytes) -> dict:
    try:
        return json.loads(raw or b"{}")
    except ValueError:  # an error page, which the assertions should show rather than crash on
        return {"not_json": raw[:300].decode(errors="replace")}


def access_token(site: Site, username: str) -> str:
    status, body = api(site, "POST", "/api/login", {"username": username, "password": PASSWORD})
    assert status == 200, body
    return body["access"]


def test_a_console_ban_ends_the_token_and_the_session_the_server_had_checked(site, page):
    token = access_token(site, "sam")
    assert api(site, "GET", "/api/profile", token=token)[0] == 200  # the server now keeps its version
    log_in(page, "sam")
    expect(nav(page).get_by_role("button", name="Log out")).to_be_visible()

    site.manage("ban", "sam", "--reason", "Spam from a script", "--days", "2")
    assert api(site, "GET", "/api/profile", token=token) == (401, {"detail": "The token has been revoked."})
    nav(page).get_by_role("link", name="Profile").click()
    expect(page).to_have_url(re.compile(r"/login\?next=/profile"))

    site.manage("unban", "sam")
    assert api(site, "GET", "/api/profile", token=access_token(site, "sam"))[0] == 200


def test_a_console_role_change_ends_the_admins_token_and_the_new_one_has_the_new_role(site):
    token = access_token(site, "ada")
    assert api(site, "GET", "/api/admin/logs", token=token)[0] == 200

    site.manage("setrole", "ada", "user")
    assert api(site, "GET", "/api/admin/logs", token=token)[0] == 401
    assert api(site, "GET", "/api/admin/logs", token=access_token(site, "ada"))[0] == 403
