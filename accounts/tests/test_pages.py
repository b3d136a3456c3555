"""The account pages, through a browser-like client: the matrix rows, login, registration, profile."""

import re
from urllib.parse import urlsplit

import pytest
from django.test import Client
from django.urls import reverse

from accounts import services
from accounts.models import User
from accounts.tests.factories import UserFactory
from accounts.tests.page_fixtures import ROLES
from adminlogs.models import AuditAction, AuditEvent

pytestmark = pytest.mark.django_db

LOGIN, DONE = "login", "done"


def outcome(response):
    """How a page answered: its status, or where a redirect went (the login page, or on)."""
    if response.status_code == 302:
        return LOGIN if urlsplit(response.url).path == reverse("accounts:login") else DONE
    return response.status_code


def _audited(action) -> bool:
    return AuditEvent.objects.filter(action=action).exists()


# (request made, the effect that shows it ran, expected answer per role in ROLES order).
# The answers are an independent copy of the seed's matrix, not read from accounts.policy.
ROWS = {
    "view welcome": (
        lambda c: c.get("/welcome"), None,
        (200, 200, 200, 200, 200)),
    "view front page": (
        lambda c: c.get("/"), None,
        (200, 200, 200, 200, 200)),
    "open sign-up page": (
        lambda c: c.get("/register"), None,
        (200, 403, 403, 403, 403)),
    "sign up": (
        lambda c: c.post("/register", {"username": "newcomer", "email": "new@example.com",
                                       "password": "a long enough passphrase"}),
        lambda: User.objects.filter(username="newcomer").exists(),
        (DONE, 403, 403, 403, 403)),
    "open login page": (
        lambda c: c.get("/login"), None,
        (200, 403, 403, 403, 403)),
    "log in": (
        lambda c: c.post("/login", {"username": "lou", "password": "correct horse battery staple"}),
        lambda: _audited(AuditAction.LOGIN_SUCCEEDED),
        (DONE, 403, 403, 403, 403)),
    "log out": (
        lambda c: c.post("/logout"),
        lambda: _audited(AuditAction.LOGOUT),
        (LOGIN, DONE, DONE, DONE, DONE)),
    "view own profile": (
        lambda c: c.get("/profile"), None,
        (LOGIN, 200, 200, 200, 200)),
    "edit own profile": (
        lambda c: c.post("/profile/edit", {"display_name": "Changed", "bio": ""}),
        lambda: User.objects.filter(display_name="Changed").exists(),
        (LOGIN, DONE, DONE, DONE, DONE)),
    "access premium resources": (
        lambda c: c.get("/premium"), None,
        (LOGIN, 403, 200, 403, 200)),
}  # fmt: skip


@pytest.mark.parametrize("role_index, role", list(enumerate(ROLES)))
@pytest.mark.parametrize("row", ROWS)
def test_account_pages_follow_the_matrix(row, role_index, role, browser_for):
    UserFactory(username="lou")  # the account the "log in" row uses
    make_request, effect, expected = ROWS[row]
    response = make_request(browser_for(role))
    assert outcome(response) == expected[role_index]
    if effect is not None:
        assert effect() is (expected[role_index] == DONE)


# --- Navigation ------------------------------------------------------------------------------

NAV = {
    "guest": {"/welcome", "/posts", "/login", "/register"},
    "member": {"/welcome", "/posts", "/profile", "/logout"},
    "premium_member": {"/welcome", "/posts", "/profile", "/premium", "/logout"},
    "moderator": {"/welcome", "/posts", "/profile", "/user/ban", "/user/unban", "/logout"},
    "admin": {"/welcome", "/posts", "/profile", "/premium", "/user/ban", "/user/unban",
              "/admin/logs", "/admin/settings", "/django-admin/", "/logout"},
}  # fmt: skip


@pytest.mark.parametrize("role", ROLES)
def test_menu_offers_each_role_exactly_its_pages(role, browser_for):
    html = browser_for(role).get("/welcome").content.decode()
    nav = re.search(r'<nav class="site-nav".*?</nav>', html, re.S).group(0)
    assert set(re.findall(r'(?:href|action)="([^"]+)"', nav)) == NAV[role]


# --- Guests and the login redirect ---------------------------------------------------------


def test_guest_is_sent_to_login_and_back(member, password):
    client = Client()
    response = client.get("/profile/edit/")
    assert response.status_code == 302
    assert response.url == "/login?next=/profile/edit/"
    login_page = client.get(response.url)
    assert 'name="next" value="/profile/edit/"' in login_page.content.decode()
    response = client.post("/login", {"username": "mia", "password": password, "next": "/profile/edit/"})
    assert response.url == "/profile/edit/"
    assert client.get(response.url).status_code == 200


@pytest.mark.parametrize("path", ["/login", "/register"])
def test_logged_in_visitor_gets_a_helpful_403_on_guest_pages(path, browser_as, member):
    response = browser_as(member).get(path)
    assert response.status_code == 403
    html = response.content.decode()
    assert "You are already logged in" in html
    assert 'href="/profile"' in html


# --- Logging in ----------------------------------------------------------------------------


@pytest.mark.parametrize("identifier", ["mia", "MIA", "mia@example.com", "Mia@Example.com"])
def test_login_by_username_or_email(identifier, member, password):
    client = Client()
    response = client.post("/login", {"username": identifier, "password": password})
    assert response.status_code == 302
    assert response.url == "/profile"
    assert client.get("/profile").status_code == 200
    assert AuditEvent.objects.filter(action=AuditAction.LOGIN_SUCCEEDED, actor=member).exists()


def test_login_rotates_the_session_id(member, password):
    client = Client()
    client.get("/login")
    client.session["marker"] = 1
    before = client.cookies.get("sessionid")
    client.post("/login", {"username": "mia", "password": password})
    assert client.cookies["sessionid"].value != (before.value if before else None)


@pytest.mark.parametrize("identifier", ["mia", "nobody"])
def test_failed_login_gives_one_generic_error_and_keeps_the_username(identifier, member):
    response = Client().post("/login", {"username": identifier, "password": "not the password"})
    assert response.status_code == 400
    html = response.content.decode()
    assert "The username, email address or password is not right." in html
    assert f'name="username" value="{identifier}"' in html
    assert "not the password" not in html
    assert AuditEvent.objects.filter(action=AuditAction.LOGIN_FAILED).count() == 1


def test_suspended_account_cannot_log_in_and_is_told_why(member, admin, password):
    services.user_suspend(actor=admin, target=member, reason="spam", days=3, ip=None)
    client = Client()
    response = client.post("/login", {"username": "mia", "password": password})
    assert response.status_code == 403
    assert "This account is suspended until" in response.content.decode()
    assert client.get("/profile").status_code == 302


@pytest.mark.parametrize(
    ("next_url", "lands_on"),
    [
        ("/posts", "/posts"),
        ("/posts?cursor=x", "/posts?cursor=x"),
        ("https://evil.example/steal", "/profile"),
        ("//evil.example/steal", "/profile"),
        ("http://testserver.evil.example/", "/profile"),
        ("javascript:alert(1)", "/profile"),
        ("/\\evil.example", "/profile"),
        ("posts", "posts"),
        ("accounts:nonsense", "/profile"),
    ],
)
def test_login_follows_next_only_within_the_site(next_url, lands_on, member, password):
    response = Client().post("/login", {"username": "mia", "password": password, "next": next_url})
    assert response.status_code == 302
    assert response.url == lands_on


def test_external_next_is_not_even_offered_on_the_form():
    html = Client().get("/login?next=https://evil.example/").content.decode()
    assert "evil.example" not in html


def test_suspended_users_open_session_ends_at_the_next_request(member, moderator, browser_as):
    client = browser_as(member)
    assert client.get("/profile").status_code == 200
    services.user_suspend(actor=moderator, target=member, reason="spam", days=2, ip=None)
    response = client.get("/profile")
    assert outcome(response) == LOGIN
    assert client.get("/posts").context["user"].is_authenticated is False


# --- Logging out ---------------------------------------------------------------------------


def test_logout_asks_for_confirmation_on_get_and_ends_the_session_on_post(member, browser_as):
    client = browser_as(member)
    page = client.get("/logout")
    assert page.status_code == 200
    assert 'method="post" action="/logout"' in page.content.decode()
    assert client.get("/profile").status_code == 200  # a GET changes nothing
    response = client.post("/logout/")
    assert response.url == "/welcome"
    assert outcome(client.get("/profile")) == LOGIN
    assert AuditEvent.objects.filter(action=AuditAction.LOGOUT, actor=member).exists()


# --- Registration --------------------------------------------------------------------------


def test_registration_creates_a_plain_account_and_logs_in():
    client = Client()
    response = client.post(
        "/register", {"username": "Newbie", "email": "newbie@example.com", "password": "a fine passphrase"}
    )
    assert response.url == "/profile"
    user = User.objects.get(username="Newbie")
    assert (user.role, user.is_premium) == ("user", False)
    profile = client.get("/profile")
    assert "Newbie" in profile.content.decode()
    assert AuditEvent.objects.filter(action=AuditAction.USER_REGISTERED, target_user=user).exists()


def _field_error(html: str, field: str) -> str:
    """The error list Django renders beside ``field``, checked to be wired to its input."""
    match = re.search(rf'<ul class="errorlist" id="id_{field}_error">(.*?)</ul>', html, re.S)
    assert match, f"no error beside {field}"
    assert re.search(rf'<[^>]*aria-describedby="[^"]*id_{field}_error[^"]*"[^>]*id="id_{field}"', html)
    return match.group(1)


def test_registration_refuses_a_taken_username_whatever_its_case(member):
    response = Client().post(
        "/register", {"username": "MIA", "email": "other@example.com", "password": "a fine passphrase"}
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "This username is taken." in _field_error(html, "username")
    assert 'value="MIA"' in html
    assert 'value="other@example.com"' in html
    assert "a fine passphrase" not in html
    assert User.objects.count() == 1


def test_registration_refuses_a_short_password_beside_the_field():
    response = Client().post("/register", {"username": "shorty", "email": "s@example.com", "password": "short"})
    assert response.status_code == 400
    html = response.content.decode()
    assert "too short" in _field_error(html, "password")
    assert 'value="shorty"' in html
    assert not User.objects.filter(username="shorty").exists()


def test_registration_reports_every_missing_field():
    html = Client().post("/register", {}).content.decode()
    for field in ("username", "email", "password"):
        assert "This field is required." in _field_error(html, field)


# --- Profile -------------------------------------------------------------------------------


def test_profile_edit_saves_and_writes_an_audit_entry(member, browser_as):
    client = browser_as(member)
    form = client.get("/profile/edit")
    assert 'id="id_display_name"' in form.content.decode()
    response = client.post("/profile/edit", {"display_name": "Mia M.", "bio": "Hello there"})
    assert response.url == "/profile"
    member.refresh_from_db()
    assert (member.display_name, member.bio) == ("Mia M.", "Hello there")
    event = AuditEvent.objects.get(action=AuditAction.PROFILE_CHANGED)
    assert (event.actor, event.target_user) == (member, member)
    assert event.changes["display_name"] == ["", "Mia M."]
    assert "Your profile is saved." in client.get("/profile").content.decode()


def test_profile_edit_refuses_oversized_fields(member, browser_as):
    response = browser_as(member).post("/profile/edit", {"display_name": "x" * 101, "bio": "y" * 2001})
    assert response.status_code == 400
    html = response.content.decode()
    assert "at most 100 characters" in _field_error(html, "display_name")
    assert "at most 2000 characters" in _field_error(html, "bio")
    member.refresh_from_db()
    assert member.display_name == ""
    assert not AuditEvent.objects.filter(action=AuditAction.PROFILE_CHANGED).exists()


def test_profile_shows_escaped_user_content(member, browser_as):
    services.profile_update(user=member, ip=None, display_name="<b>bold</b>", bio="<script>x</script>")
    html = browser_as(member).get("/profile").content.decode()
    assert "<script>x</script>" not in html
    assert "&lt;script&gt;" in html


# --- CSRF and malformed input --------------------------------------------------------------


def test_forms_without_a_csrf_token_are_refused(member, password, browser_as):
    client = browser_as(member, enforce_csrf_checks=True)
    assert client.post("/profile/edit", {"display_name": "Forged"}).status_code == 403
    assert client.post("/logout").status_code == 403
    member.refresh_from_db()
    assert member.display_name == ""
    assert client.get("/profile").status_code == 200  # still logged in
    guest = Client(enforce_csrf_checks=True)
    assert guest.post("/login", {"username": "mia", "password": password}).status_code == 403
    assert not AuditEvent.objects.filter(action=AuditAction.LOGIN_SUCCEEDED).exists()


def test_forms_with_the_csrf_token_work(member, browser_as):
    client = browser_as(member, enforce_csrf_checks=True)
    client.get("/profile/edit")
    token = client.cookies["csrftoken"].value
    response = client.post("/profile/edit", {"display_name": "Real", "csrfmiddlewaretoken": token})
    assert response.status_code == 302
    member.refresh_from_db()
    assert member.display_name == "Real"


@pytest.mark.parametrize(
    "data",
    [
        {"username": "x" * 300, "password": "p"},
        {"username": "mia", "password": "p" * 5000},
        {"username": "mi\x00a", "password": "p"},
        {"username": ["a", "b"], "password": "p"},
        {},
    ],
    ids=["oversized username", "oversized password", "nul byte", "repeated field", "empty"],
)
def test_malformed_login_is_a_form_error(data, member):
    response = Client().post("/login", data)
    assert response.status_code == 400
    assert 'class="errorlist' in response.content.decode()


@pytest.mark.parametrize("method", ["put", "patch", "delete"])
def test_pages_refuse_other_methods(method, member, browser_as):
    assert getattr(browser_as(member), method)("/profile/edit").status_code == 405


def test_unknown_page_is_the_friendly_404():
    response = Client().get("/no/such/page")
    assert response.status_code == 404
    assert "Page not found" in response.content.decode()


# --- Rate limits ---------------------------------------------------------------------------


def test_too_many_login_attempts_say_when_to_try_again(member, password, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "login_account": "3/h"}
    client = Client()
    for _ in range(3):
        assert client.post("/login", {"username": "mia", "password": "wrong"}).status_code == 400
    response = client.post("/login", {"username": "mia", "password": password})
    assert response.status_code == 429
    assert 0 < int(response["Retry-After"]) <= 3600
    html = response.content.decode()
    assert re.search(r"Too many attempts\. Try again in \d+ (second|minute)s?\.", html)
    assert 'value="mia"' in html
    assert outcome(client.get("/profile")) == LOGIN


def test_too_many_sign_ups_from_one_address_are_refused(settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "register_ip": "1/h"}
    client = Client()
    data = {"username": "first", "email": "first@example.com", "password": "a fine passphrase"}
    assert outcome(client.post("/register", data)) == DONE
    client = Client()
    response = client.post("/register", {**data, "username": "second", "email": "second@example.com"})
    assert response.status_code == 429
    assert "Retry-After" in response
    assert not User.objects.filter(username="second").exists()


# --- Error pages ---------------------------------------------------------------------------


def test_djangos_own_403_and_404_use_the_friendly_pages(rf):
    from django.core.exceptions import PermissionDenied
    from django.http import Http404
    from django.views.defaults import page_not_found, permission_denied

    denied = permission_denied(rf.get("/somewhere"), PermissionDenied("internal detail"))
    assert denied.status_code == 403
    assert "You cannot open this page" in denied.content.decode()
    assert "internal detail" not in denied.content.decode()
    missing = page_not_found(rf.get("/somewhere"), Http404("internal detail"))
    assert "Page not found" in missing.content.decode()


def test_server_error_page_renders_without_a_request():
    from django.template.loader import render_to_string

    assert "Something went wrong on our side" in render_to_string("500.html")


def test_csrf_failure_page_explains_what_to_do(member):
    response = Client(enforce_csrf_checks=True).post("/login", {"username": "mia", "password": "x"})
    assert response.status_code == 403
    assert "This form has expired" in response.content.decode()


def test_head_requests_answer_like_get():
    assert Client().head("/welcome").status_code == 200


# --- What a person reads -------------------------------------------------------------------


def test_premium_refusal_says_who_the_page_is_for(member, browser_as):
    response = browser_as(member).get("/premium")
    assert response.status_code == 403
    assert "open to premium members and admins only" in response.content.decode()


def test_suspension_notice_names_the_time_zone_of_its_date(member, admin, password):
    services.user_suspend(actor=admin, target=member, reason="spam", days=3, ip=None)
    html = Client().post("/login", {"username": "mia", "password": password}).content.decode()
    notice = re.search(r"This account is suspended until ([^<]*)", html).group(1).strip()
    assert notice.endswith("(UTC).")
    assert ".." not in notice


def test_labels_are_plain_words_and_optional_fields_say_so(member, browser_as):
    html = browser_as(member).get("/profile/edit").content.decode()
    optional = r'<label for="id_display_name">Display name <span class="optional">\(optional\)</span></label>'
    assert re.search(optional, html)
    register = Client().get("/register").content.decode()
    assert '<label for="id_username">Username</label>' in register
    assert "(optional)" not in register


def test_every_page_links_the_api_docs():
    assert 'href="/api/docs"' in Client().get("/welcome").content.decode()


# --- Markup the Content-Security-Policy allows ---------------------------------------------

PAGES = ["/", "/posts", "/login", "/register", "/profile", "/profile/edit", "/profile/password", "/profile/email",
         "/premium", "/logout", "/user/ban", "/user/unban", "/admin/logs", "/admin/settings", "/no/such/page",
         "/api/docs"]  # fmt: skip
INLINE = re.compile(r"\sstyle=|<style|<script(?![^>]*\ssrc=)|\son[a-z]+=", re.I)


@pytest.mark.parametrize("role", ROLES)
def test_no_page_needs_inline_script_or_style(role, browser_for):
    client = browser_for(role)
    for path in PAGES:
        html = client.get(path).content.decode()
        assert not INLINE.search(html), f"{path} as {role}: {INLINE.search(html).group(0)!r}"


def test_a_long_wait_is_told_in_minutes(member, password, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "login_account": "1/h"}
    client = Client()
    client.post("/login", {"username": "mia", "password": "wrong"})
    response = client.post("/login", {"username": "mia", "password": password})
    assert response.status_code == 429
    # The hour-long window ends at a time of its own, so the wait left may be under two minutes.
    amount, unit = re.search(r"Try again in (\d+) (second|minute)s?\.", response.content.decode()).groups()
    seconds = int(amount) * (60 if unit == "minute" else 1)
    assert 1 <= seconds <= 3600
    assert int(response["Retry-After"]) <= seconds


def test_the_429_page_tells_a_long_wait_in_minutes(rf):
    from django.template.loader import render_to_string

    from authsite.errors import RateLimited

    html = render_to_string("errors/429.html", {"error": RateLimited(1800)}, request=rf.get("/"))
    assert "Please wait about 30 minutes before trying again." in html
    short = render_to_string("errors/429.html", {"error": RateLimited(45)}, request=rf.get("/"))
    assert "Please wait 45 seconds before trying again." in short
