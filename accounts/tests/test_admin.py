"""Django admin for accounts: only admins get in, and every change goes through a service."""

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from accounts import services
from accounts.roles import Role
from adminlogs.models import AuditAction, AuditEvent, Outcome

ADMIN_INDEX = "/django-admin/"
ADMIN_LOGIN = "/django-admin/login/"
USERS = "/django-admin/accounts/user/"

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client, admin):
    client.force_login(admin)
    return client


def act(client, action: str, *users, **data):
    """Run a changelist action on ``users`` as the changelist's action form posts it."""
    payload = {"action": action, "index": "0", "_selected_action": [u.pk for u in users], **data}
    return client.post(USERS, payload)


def confirm(client, action: str, *users, **data):
    """Submit an action's confirmation page."""
    payload = {"action": action, "_selected_action": [u.pk for u in users], "confirmed": "yes", **data}
    return client.post(USERS, payload)


def messages_of(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


def audit(action: AuditAction):
    return AuditEvent.objects.filter(action=action)


# --- Who gets in -----------------------------------------------------------------------------


def test_admin_reaches_the_admin_site(admin_client):
    assert admin_client.get(ADMIN_INDEX).status_code == 200
    assert admin_client.get(USERS).status_code == 200


@pytest.mark.parametrize("who", ["member", "premium_member", "moderator"])
def test_other_roles_are_sent_to_the_admin_login(client, who, request):
    client.force_login(request.getfixturevalue(who))
    response = client.get(ADMIN_INDEX)
    assert response.status_code == 302
    assert response["Location"].startswith(f"{ADMIN_LOGIN}?next=")
    assert client.get(USERS).status_code == 302


def test_guest_is_sent_to_a_login_page(client):
    response = client.get(ADMIN_INDEX)
    assert response.status_code == 302
    assert "next=/django-admin/" in response["Location"]


# --- Logging in goes through login_attempt ---------------------------------------------------


def login(client, username, password):
    return client.post(f"{ADMIN_LOGIN}?next={ADMIN_INDEX}", {"username": username, "password": password})


def test_admin_logs_in_and_the_login_is_audited(client, admin, password):
    response = login(client, "ADA", password)
    assert response.status_code == 302
    assert response["Location"] == ADMIN_INDEX
    assert client.get(ADMIN_INDEX).status_code == 200
    assert audit(AuditAction.LOGIN_SUCCEEDED).filter(actor=admin).exists()


def test_admin_logs_in_with_email(client, admin, password):
    assert login(client, admin.email.upper(), password).status_code == 302


def test_wrong_password_gets_the_generic_error(client, admin):
    response = login(client, "ada", "not the password at all")
    assert response.status_code == 200
    assert "Invalid username or password." in response.content.decode()
    assert audit(AuditAction.LOGIN_FAILED).filter(outcome=Outcome.FAILURE).exists()


def test_suspended_admin_sees_the_suspension(client, admin, password):
    services.user_suspend(actor=None, target=admin, reason="Audit", days=None, ip=None)
    response = login(client, "ada", password)
    assert response.status_code == 403
    assert "This account is suspended indefinitely." in response.content.decode()
    assert "_auth_user_id" not in client.session
    assert audit(AuditAction.LOGIN_FAILED).filter(outcome=Outcome.DENIED).exists()


def test_too_many_attempts_are_refused_with_the_throttle_message(client, admin, password, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "login_account": "2/h"}
    for _ in range(2):
        login(client, "ada", "not the password at all")
    response = login(client, "ada", password)
    assert response.status_code == 429
    assert 0 < int(response["Retry-After"]) <= 3600
    assert "Too many attempts." in response.content.decode()
    assert "_auth_user_id" not in client.session
    assert audit(AuditAction.THROTTLED).exists()


def test_member_with_the_right_password_is_not_let_in(client, member, password):
    response = login(client, "mia", password)
    assert response.status_code == 200
    assert "staff account" in response.content.decode()
    assert "_auth_user_id" not in client.session


# --- The change form is read-only; no add, no hard delete --------------------------------------


def test_user_page_is_view_only(admin_client, member):
    change = reverse("admin:accounts_user_change", args=[member.pk])
    response = admin_client.get(change)
    assert response.status_code == 200
    assert 'name="_save"' not in response.content.decode()
    admin_client.post(change, {"role": Role.ADMIN, "is_premium": "on", "display_name": "x"})
    member.refresh_from_db()
    assert (member.role, member.is_premium, member.display_name) == (Role.USER, False, "")


def test_users_cannot_be_added_or_deleted(admin_client, member):
    assert admin_client.get(reverse("admin:accounts_user_add")).status_code == 403
    assert admin_client.post(reverse("admin:accounts_user_delete", args=[member.pk])).status_code == 403
    act(admin_client, "delete_selected", member)
    assert type(member).objects.filter(pk=member.pk).exists()


def test_changelist_searches_and_filters(admin_client, member, moderator):
    assert "mona" in admin_client.get(USERS, {"q": "mon"}).content.decode()
    services.user_suspend(actor=None, target=member, reason="Spam", days=3, ip=None)
    page = admin_client.get(USERS, {"suspended": "yes"}).content.decode()
    assert "mia" in page
    assert "Suspended until" in page
    assert "mona" not in page


# --- Role and premium actions ------------------------------------------------------------------


def test_role_action_goes_through_the_service(admin_client, admin, member):
    version = member.token_version
    response = act(admin_client, "make_moderator", member)
    assert response.status_code == 302
    member.refresh_from_db()
    assert member.role == Role.MODERATOR
    assert member.token_version == version + 1
    event = audit(AuditAction.ROLE_CHANGED).get()
    assert (event.actor, event.target_user, event.ip) == (admin, member, "127.0.0.1")
    assert event.changes == {"role": ["user", "moderator"]}


def test_admin_cannot_change_own_role(admin_client, admin, member):
    response = act(admin_client, "make_moderator", admin, member)
    admin.refresh_from_db()
    member.refresh_from_db()
    assert admin.role == Role.ADMIN
    assert member.role == Role.MODERATOR
    assert "ada: You do not have permission to do this." in messages_of(response)
    # The others in the selection are still changed, each in its own transaction.
    assert audit(AuditAction.ROLE_CHANGED).get().target_user == member


@pytest.mark.parametrize(("action", "before", "after"), [
    ("grant_premium", False, True),
    ("revoke_premium", True, False),
])  # fmt: skip
def test_premium_actions(admin_client, member, action, before, after):
    services.user_set_premium(actor=None, target=member, is_premium=before, ip=None)
    member.refresh_from_db()
    version = member.token_version
    act(admin_client, action, member)
    member.refresh_from_db()
    assert member.is_premium is after
    assert member.token_version == version + 1
    assert audit(AuditAction.PREMIUM_CHANGED).filter(ip="127.0.0.1").exists()


# --- Suspension actions ------------------------------------------------------------------------


def test_suspend_asks_for_reason_and_days_first(admin_client, member):
    response = act(admin_client, "suspend_selected", member)
    assert response.status_code == 200
    page = response.content.decode()
    assert 'name="reason"' in page
    assert 'name="days"' in page
    member.refresh_from_db()
    assert not member.is_suspended


def test_suspend_goes_through_the_service(admin_client, admin, member):
    version = member.token_version
    response = confirm(admin_client, "suspend_selected", member, reason="Spam", days="3")
    assert response.status_code == 302
    member.refresh_from_db()
    assert member.is_suspended
    assert member.suspended_by == admin
    assert member.token_version == version + 1
    assert audit(AuditAction.USER_SUSPENDED).get().actor == admin


def test_suspend_without_days_is_indefinite(admin_client, moderator):
    confirm(admin_client, "suspend_selected", moderator, reason="Abuse", days="")
    moderator.refresh_from_db()
    assert moderator.is_suspended
    assert moderator.suspended_until is None


def test_suspend_without_reason_shows_the_form_again(admin_client, member):
    response = confirm(admin_client, "suspend_selected", member, reason="", days="3")
    assert response.status_code == 200
    assert "This field is required." in response.content.decode()
    member.refresh_from_db()
    assert not member.is_suspended


def test_suspend_outside_the_limits_reports_the_service_message(admin_client, member):
    response = confirm(admin_client, "suspend_selected", member, reason="Spam", days="0")
    member.refresh_from_db()
    assert not member.is_suspended
    assert any(m.startswith("mia: days: Choose between 1 and") for m in messages_of(response))


def test_admin_cannot_suspend_self(admin_client, admin):
    response = confirm(admin_client, "suspend_selected", admin, reason="Oops", days="1")
    admin.refresh_from_db()
    assert not admin.is_suspended
    assert "ada: You do not have permission to do this." in messages_of(response)
    assert not audit(AuditAction.USER_SUSPENDED).exists()


def test_lift_suspension(admin_client, admin, member):
    services.user_suspend(actor=None, target=member, reason="Spam", days=3, ip=None)
    act(admin_client, "unsuspend_selected", member)
    member.refresh_from_db()
    assert not member.is_suspended
    assert audit(AuditAction.USER_UNSUSPENDED).get().actor == admin


def test_lifting_a_suspension_that_is_not_there_says_so(admin_client, member):
    response = act(admin_client, "unsuspend_selected", member)
    assert "mia: username: This account is not suspended." in messages_of(response)
