"""The admin pages: the audit log with its filters and pages, and the system settings."""

import re
from datetime import timedelta
from urllib.parse import urlsplit

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts import services as account_services
from accounts.tests.page_fixtures import ROLES
from adminlogs.models import AuditAction
from adminlogs.services import audit_record

# Cursors naming times that exist in their zone but not in UTC: before year 1, after 9999.
OUTSIDE_UTC = ("MDAwMS0wMS0wMVQwMDowMDowMCsxNDowMHwx", "OTk5OS0xMi0zMVQyMzo1OTo1OS0xNDowMHwx")

pytestmark = pytest.mark.django_db

LOGIN = "login"

# An independent copy of the seed's matrix row "View logs / system settings".
EXPECTED = dict(zip(ROLES, (LOGIN, 403, 403, 403, 200), strict=True))


def outcome(response):
    if response.status_code == 302:
        assert urlsplit(response.url).path == reverse("accounts:login")
        return LOGIN
    return response.status_code


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("path", ["/admin/logs", "/admin/logs/", "/admin/settings", "/admin/settings/"])
def test_admin_pages_follow_the_matrix(path, role, browser_for):
    audit_record(action=AuditAction.LOGOUT, actor=None, ip=None, target_label="secret-looking-row")
    response = browser_for(role).get(path)
    assert outcome(response) == EXPECTED[role]
    # A refusal shows nothing of the log.
    assert ("secret-looking-row" in response.content.decode()) is (
        path.startswith("/admin/logs") and EXPECTED[role] == 200
    )


def _rows(response) -> list[str]:
    """The actor and action of each event row on the page, in order."""
    body = response.content.decode()
    return re.findall(r"<tr>\s*<td[^>]*><time[^>]*>.*?</time></td>\s*<td[^>]*>([^<]*)</td>", body)


@pytest.fixture
def events(member, moderator, admin):
    """A small log: a registration, a failed login, two profile changes and a suspension."""
    account_services.profile_update(user=member, ip="10.0.0.2", display_name="Mia")
    account_services.profile_update(user=moderator, ip="10.0.0.3", display_name="Mona")
    account_services.user_suspend(actor=moderator, target=member, reason="spam", days=1, ip="10.0.0.3")
    audit_record(action=AuditAction.LOGIN_FAILED, actor=None, actor_label="anonymous", ip="10.0.0.9")


def test_log_lists_events_newest_first_with_their_details(events, browser_as, admin):
    response = browser_as(admin).get("/admin/logs")
    assert _rows(response) == ["Login failed", "Suspended", "Profile changed", "Profile changed"]
    html = response.content.decode()
    assert "10.0.0.9" in html
    assert "(none) → Mia" in html  # the recorded change, before and after


def test_log_filters_by_action(events, browser_as, admin):
    response = browser_as(admin).get("/admin/logs", {"action": "profile.changed"})
    assert _rows(response) == ["Profile changed", "Profile changed"]
    assert '<option value="profile.changed" selected>' in response.content.decode()


def test_log_filters_by_actor(events, browser_as, admin):
    response = browser_as(admin).get("/admin/logs", {"actor": "mona"})
    assert _rows(response) == ["Suspended", "Profile changed"]
    assert 'value="mona"' in response.content.decode()


def test_log_filters_by_time(events, browser_as, admin):
    client = browser_as(admin)
    later = (timezone.now() + timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M")
    earlier = (timezone.now() - timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M")
    assert _rows(client.get("/admin/logs", {"since": later})) == []
    assert len(_rows(client.get("/admin/logs", {"since": earlier, "until": later}))) == 4
    assert _rows(client.get("/admin/logs", {"until": earlier})) == []
    assert "No events match these filters." in client.get("/admin/logs", {"since": later}).content.decode()


def test_log_filters_combine(events, browser_as, admin):
    response = browser_as(admin).get("/admin/logs", {"action": "user.suspended", "actor": "mia"})
    assert _rows(response) == []


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({"since": "yesterday"}, "since"),
        ({"since": "2024-13-45T10:00"}, "since"),
        ({"until": "2024-02-30"}, "until"),
        ({"until": "9" * 50}, "until"),
        ({"since": "2024-05-02T00:00", "until": "2024-05-01T00:00"}, "until"),
        ({"action": "no.such.action"}, "action"),
        ({"actor": "a" * 161}, "actor"),
        ({"actor": "nul\x00byte"}, "actor"),
    ],
    ids=["word", "month 13", "feb 30", "huge", "until before since", "unknown action", "long actor", "nul"],
)
def test_bad_filters_are_form_errors(query, field, events, browser_as, admin):
    response = browser_as(admin).get("/admin/logs", query)
    assert response.status_code == 400
    html = response.content.decode()
    assert f'<ul class="errorlist" id="id_{field}_error">' in html
    assert re.search(rf'<(input|select)[^>]*aria-describedby="[^"]*id_{field}_error"[^>]*id="id_{field}"', html)
    assert _rows(response) == []


def test_log_pages_follow_a_cursor_and_keep_the_filters(browser_as, admin):
    for _ in range(55):
        audit_record(action=AuditAction.LOGIN_FAILED, actor=None, actor_label="anonymous", ip=None)
    audit_record(action=AuditAction.LOGOUT, actor=None, ip=None)
    client = browser_as(admin)
    first = client.get("/admin/logs", {"action": "login.failed"})
    assert len(_rows(first)) == 50
    link = re.search(r'href="(\?[^"]+)" rel="next"', first.content.decode()).group(1).replace("&amp;", "&")
    assert "action=login.failed" in link
    second = client.get("/admin/logs" + link)
    assert _rows(second) == ["Login failed"] * 5
    assert 'rel="next"' not in second.content.decode()


def test_log_pages_neither_repeat_nor_skip_rows_written_meanwhile(browser_as, admin):
    first_batch = [
        audit_record(action=AuditAction.LOGIN_FAILED, actor=None, actor_label=f"a{n:02d}", ip=None) for n in range(51)
    ]
    client = browser_as(admin)
    first = client.get("/admin/logs")
    link = re.search(r'href="(\?[^"]+)" rel="next"', first.content.decode()).group(1)
    audit_record(action=AuditAction.LOGOUT, actor=None, ip=None)  # arrives between the pages
    second = client.get("/admin/logs" + link).content.decode()
    assert f">{first_batch[0].actor_label}<" in second
    assert ">console<" not in second


@pytest.mark.parametrize("cursor", ["nonsense", "bm90fGE", "x" * 1000, *OUTSIDE_UTC])
def test_a_broken_cursor_is_a_400(cursor, browser_as, admin):
    response = browser_as(admin).get("/admin/logs", {"cursor": cursor})
    assert response.status_code == 400


def test_settings_page_shows_settings_but_no_secrets(browser_as, admin, settings):
    response = browser_as(admin).get("/admin/settings")
    assert response.status_code == 200
    html = response.content.decode()
    for name in ("environment", "session_engine", "jwt_algorithm", "rate_limits", "login_ip"):
        assert name in html
    assert settings.SECRET_KEY not in html
    assert settings.SIMPLE_JWT["SIGNING_KEY"] not in html


def test_admin_pages_refuse_writes(browser_as, admin):
    client = browser_as(admin)
    assert client.post("/admin/logs").status_code == 405
    assert client.post("/admin/settings").status_code == 405


def test_log_shows_times_in_the_locale_format(events, browser_as, admin):
    html = browser_as(admin).get("/admin/logs", {"action": "user.suspended"}).content.decode()
    when = re.search(r"<time datetime=\"([^\"]+)\">(.*?)</time>", html, re.S)
    assert when.group(1).startswith(str(timezone.now().year))  # machine-readable ISO 8601
    assert re.match(r"\d{2}/\d{2}/\d{4} <span", when.group(2))  # en-us SHORT_DATE_FORMAT
    # The recorded end of the suspension reads as a date like the "When" column, not as ISO 8601.
    changes = re.search(r'<dl class="changes">(.*?)</dl>', html, re.S).group(1)
    assert re.match(r"\d{2}/\d{2}/\d{4} \d", re.search(r"<dt>until</dt><dd>([^<]*)</dd>", changes).group(1))
