"""The accounts API beyond the matrix: sign-up rules, login, tokens, profile, suspension."""

import pytest
from django.utils import timezone

from accounts.models import User
from accounts.roles import Role
from accounts.tests.factories import PASSWORD, UserFactory
from adminlogs.models import AuditAction, AuditEvent, Outcome

pytestmark = pytest.mark.django_db


def register(api, username="alice", email="alice@example.com", password=PASSWORD):
    return api.post(
        "/api/register", {"username": username, "email": email, "password": password}, format="json"
    )


def login(api, username, password=PASSWORD):
    return api.post("/api/login", {"username": username, "password": password}, format="json")


def events(action):
    return AuditEvent.objects.filter(action=action)


# --- Registration ------------------------------------------------------------------------


def test_register_returns_the_account_with_a_string_id(api):
    response = register(api)
    assert response.status_code == 201
    body = response.json()
    assert body == {
        "id": body["id"], "username": "alice", "email": "alice@example.com",
        "role": "user", "is_premium": False,
    }  # fmt: skip
    assert isinstance(body["id"], str)
    assert events(AuditAction.USER_REGISTERED).get().target_label == "alice"


@pytest.mark.parametrize("taken", ["alice", "ALICE", "Alice", "ａｌｉｃｅ"])
def test_usernames_are_unique_case_insensitively(api, taken):
    assert register(api, username="Alice").status_code == 201
    response = register(api, username=taken, email="other@example.com")
    assert response.status_code == 400
    assert response.json()["fields"] == {"username": ["This username is taken."]}
    assert User.objects.count() == 1


def test_emails_are_unique_case_insensitively(api):
    assert register(api, email="Alice@Example.com").status_code == 201
    response = register(api, username="alice2", email="alice@EXAMPLE.COM")
    assert response.status_code == 400
    assert "email" in response.json()["fields"]


def test_the_database_refuses_a_case_variant_even_past_the_service(db):
    """The unique index, not just the service's check, is what stops a racing duplicate."""
    from django.db import IntegrityError, transaction

    UserFactory(username="Alice")
    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.create_user("alice", "different@example.com", PASSWORD)


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("password", "short"),
        ("password", "password1234"),
        ("username", "has space"),
        ("username", "at@sign"),
        ("username", ""),
        ("email", "not-an-email"),
    ],
)
def test_register_refuses_bad_values_with_a_message_on_the_field(api, field, value):
    data = {"username": "alice", "email": "alice@example.com", "password": PASSWORD, field: value}
    response = api.post("/api/register", data, format="json")
    assert response.status_code == 400
    assert field in response.json()["fields"]
    assert not User.objects.exists()


def test_register_ignores_a_smuggled_role(api):
    data = {"username": "alice", "email": "a@example.com", "password": PASSWORD, "role": "admin"}
    response = api.post("/api/register", data, format="json")
    assert response.status_code == 400
    assert response.json()["fields"] == {"role": ["Unknown field."]}
    assert not User.objects.exists()


# --- Login ---------------------------------------------------------------------------------


def test_login_accepts_username_or_email_in_any_case(api, member):
    for identifier in ("mia", "MIA", "mia@example.com", "MIA@EXAMPLE.COM"):
        response = login(api, identifier)
        assert response.status_code == 200, identifier
        assert set(response.json()) == {"access", "refresh"}


def test_wrong_password_and_unknown_user_get_the_same_answer(api, member):
    wrong = login(api, "mia", "not the password at all")
    unknown = login(api, "nobody", "not the password at all")
    assert wrong.status_code == unknown.status_code == 401
    assert wrong.json() == unknown.json() == {"detail": "Invalid username or password."}
    assert wrong["WWW-Authenticate"] == unknown["WWW-Authenticate"]
    failures = events(AuditAction.LOGIN_FAILED)
    assert [e.target_label for e in failures.order_by("id")] == ["mia", "nobody"]
    assert all(e.outcome == Outcome.FAILURE for e in failures)


def test_inactive_account_gets_the_generic_answer(api, member):
    User.objects.filter(pk=member.pk).update(is_active=False)
    assert login(api, "mia").json() == {"detail": "Invalid username or password."}


def test_login_success_is_audited_with_the_ip(api, member):
    login(api, "mia")
    event = events(AuditAction.LOGIN_SUCCEEDED).get()
    assert (event.actor_label, event.ip) == ("mia", "127.0.0.1")


# --- Suspension --------------------------------------------------------------------------


def ban(client, username, days=3, reason="spam"):
    body = {"username": username, "reason": reason}
    if days is not None:
        body["days"] = days
    return client.post("/api/user/ban", body, format="json")


def test_suspended_account_with_right_password_is_told_until_when(api, api_as, moderator, member):
    ban(api_as(moderator), "mia", days=2)
    response = login(api, "mia")
    assert response.status_code == 403
    member.refresh_from_db()
    assert response.json()["suspended_until"] == member.suspended_until.isoformat()
    assert "suspended until" in response.json()["detail"]


def test_suspended_account_with_wrong_password_gets_the_generic_401(api, api_as, moderator, member):
    ban(api_as(moderator), "mia")
    response = login(api, "mia", "wrong password entirely")
    assert response.status_code == 401
    assert response.json() == {"detail": "Invalid username or password."}


def test_suspension_revokes_existing_access_and_refresh_tokens(api, api_as, moderator, member):
    tokens = login(api, "mia").json()
    holder = api_as(None)
    holder.credentials(HTTP_AUTHORIZATION=f"Bearer {tokens['access']}")
    assert holder.get("/api/profile").status_code == 200

    ban(api_as(moderator), "mia")

    assert holder.get("/api/profile").status_code == 401
    assert api.post("/api/token/refresh", {"refresh": tokens["refresh"]}, format="json").status_code == 401


def test_suspension_ends_when_its_time_is_up(api, api_as, moderator, member):
    ban(api_as(moderator), "mia", days=1)
    User.objects.filter(pk=member.pk).update(suspended_until=timezone.now() - timezone.timedelta(seconds=1))
    assert login(api, "mia").status_code == 200


@pytest.mark.parametrize("days", [0, 8, None])
def test_moderator_suspends_only_within_the_limits(api_as, moderator, member, days):
    response = ban(api_as(moderator), "mia", days=days)
    assert response.status_code == 400
    assert response.json()["fields"] == {"days": ["Choose between 1 and 7 days."]}
    member.refresh_from_db()
    assert not member.is_suspended


@pytest.mark.parametrize("target_role", [Role.MODERATOR, Role.ADMIN])
def test_moderator_cannot_suspend_staff(api_as, moderator, target_role):
    target = UserFactory(username="staffer", role=target_role)
    response = ban(api_as(moderator), "staffer")
    assert response.status_code == 403
    target.refresh_from_db()
    assert not target.is_suspended
    assert not events(AuditAction.USER_SUSPENDED).exists()


def test_moderator_cannot_lift_a_staff_suspension(api_as, moderator, admin):
    other_admin = UserFactory(username="root2", role=Role.ADMIN)
    ban(api_as(admin), "root2", days=None)
    assert api_as(moderator).post("/api/user/unban", {"username": "root2"}, format="json").status_code == 403
    other_admin.refresh_from_db()
    assert other_admin.is_suspended


def test_admin_suspends_anyone_indefinitely_but_not_themselves(api_as, admin, moderator):
    response = ban(api_as(admin), "mona", days=None)
    assert response.status_code == 200
    assert response.json()["suspended_until"] is None
    assert ban(api_as(admin), "ada", days=None).status_code == 403


def test_moderator_limit_is_a_setting(api_as, moderator, member, settings):
    settings.MODERATOR_SUSPENSION_MAX_DAYS = 14
    assert ban(api_as(moderator), "mia", days=14).status_code == 200


def test_suspension_and_lifting_are_audited(api_as, moderator, member):
    ban(api_as(moderator), "mia", days=2, reason="flooding")
    api_as(moderator).post("/api/user/unban", {"username": "mia"}, format="json")
    suspended = events(AuditAction.USER_SUSPENDED).get()
    assert (suspended.actor_label, suspended.target_label) == ("mona", "mia")
    assert suspended.changes["reason"] == "flooding"
    assert events(AuditAction.USER_UNSUSPENDED).get().actor_label == "mona"


def test_unbanning_someone_not_suspended_is_a_clear_400(api_as, moderator, member):
    response = api_as(moderator).post("/api/user/unban", {"username": "mia"}, format="json")
    assert response.status_code == 400
    assert response.json()["fields"] == {"username": ["This account is not suspended."]}


def test_ban_of_unknown_username_is_404(api_as, moderator):
    assert ban(api_as(moderator), "ghost").status_code == 404


# --- Tokens --------------------------------------------------------------------------------


def test_refresh_rotates_and_the_old_refresh_token_stops_working(api, member):
    first = login(api, "mia").json()
    second = api.post("/api/token/refresh", {"refresh": first["refresh"]}, format="json")
    assert second.status_code == 200
    assert set(second.json()) == {"access", "refresh"}
    again = api.post("/api/token/refresh", {"refresh": first["refresh"]}, format="json")
    assert again.status_code == 401


def test_logout_revokes_the_refresh_token(api, api_as, member):
    tokens = login(api, "mia").json()
    client = api_as(member)
    assert client.post("/api/logout", {"refresh": tokens["refresh"]}, format="json").status_code == 204
    assert api.post("/api/token/refresh", {"refresh": tokens["refresh"]}, format="json").status_code == 401
    assert events(AuditAction.LOGOUT).get().actor_label == "mia"


def test_logout_with_someone_elses_refresh_token_is_refused(api, api_as, member, moderator):
    tokens = login(api, "mona").json()
    response = api_as(member).post("/api/logout", {"refresh": tokens["refresh"]}, format="json")
    assert response.status_code == 400
    assert api.post("/api/token/refresh", {"refresh": tokens["refresh"]}, format="json").status_code == 200


def test_a_garbage_bearer_token_is_401_even_on_public_endpoints(api):
    api.credentials(HTTP_AUTHORIZATION="Bearer not-a-token")
    response = api.get("/api/welcome")
    assert response.status_code == 401
    assert "detail" in response.json()


def test_a_refresh_token_is_not_a_bearer_token(api, member):
    tokens = login(api, "mia").json()
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {tokens['refresh']}")
    assert api.get("/api/profile").status_code == 401


def test_role_change_revokes_tokens(api, api_as, member):
    from accounts.services import user_set_role

    client = api_as(member)
    user_set_role(actor=None, target=member, role=Role.MODERATOR, ip=None)
    assert client.get("/api/profile").status_code == 401


# --- Profile -------------------------------------------------------------------------------


def test_profile_shows_the_callers_own_account(api_as, member):
    body = api_as(member).get("/api/profile").json()
    assert body["username"] == "mia"
    assert set(body) == {
        "id", "username", "email", "role", "is_premium", "display_name", "bio", "date_joined",
    }  # fmt: skip


def test_profile_body_is_what_the_schema_serializer_says_read_cold_and_from_the_cache(api_as, member):
    from accounts.api.serializers import ProfileOutput

    member.display_name, member.bio = "Mia", "Ünïcode bio"
    member.save()
    client = api_as(member)
    cold, cached = client.get("/api/profile").json(), client.get("/api/profile").json()
    expected = ProfileOutput(User.objects.get(pk=member.pk)).data
    assert cold == cached == expected
    assert cold["date_joined"].endswith("Z") and cold["id"] == str(member.pk)


def test_profile_update_never_changes_privileges(api_as, member):
    client = api_as(member)
    read = client.get("/api/profile").json()
    sent = {
        **read, "role": "admin", "is_premium": True, "is_staff": True, "id": "1",
        "suspended_until": None, "display_name": "Mia", "bio": "Hello",
    }  # fmt: skip
    response = client.put("/api/profile", sent, format="json")
    assert response.status_code == 200
    member.refresh_from_db()
    assert (member.role, member.is_premium, member.display_name, member.bio) == ("user", False, "Mia", "Hello")


def test_profile_change_is_audited_with_what_changed(api_as, member):
    api_as(member).patch("/api/profile", {"display_name": "Mia M."}, format="json")
    event = events(AuditAction.PROFILE_CHANGED).get()
    assert event.changes == {"display_name": ["", "Mia M."]}


def test_a_profile_edited_on_the_page_shows_in_the_api_at_once(
    api_as, browser_as, member, django_capture_on_commit_callbacks
):
    client = api_as(member)
    assert client.get("/api/profile").json()["bio"] == ""  # now cached beside the token version
    with django_capture_on_commit_callbacks(execute=True):
        browser_as(member).post("/profile/edit", {"display_name": "Mia M.", "bio": "Hello."})
    body = client.get("/api/profile").json()
    assert (body["display_name"], body["bio"]) == ("Mia M.", "Hello.")


def test_a_read_that_raced_an_edit_cannot_bring_the_old_profile_back(
    api_as, member, django_capture_on_commit_callbacks
):
    from accounts import profile_cache, services

    read_before_the_edit = User.objects.get(pk=member.pk)
    with django_capture_on_commit_callbacks(execute=True):
        services.profile_update(user=member, ip=None, bio="New.")
    profile_cache.remember(read_before_the_edit)  # the slow reader caches what it read, too late
    assert api_as(member).get("/api/profile").json()["bio"] == "New."


def test_the_profile_shows_a_new_email_with_the_new_token(api, api_as, member, django_capture_on_commit_callbacks):
    assert api_as(member).get("/api/profile").json()["email"] == member.email
    with django_capture_on_commit_callbacks(execute=True):
        pair = api_as(member).post(
            "/api/email", {"current_password": PASSWORD, "email": "mia.new@example.com"}, format="json"
        ).json()
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {pair['access']}")
    assert api.get("/api/profile").json()["email"] == "mia.new@example.com"


def test_profile_update_without_a_change_writes_no_audit(api_as, member):
    api_as(member).patch("/api/profile", {"bio": ""}, format="json")
    assert not events(AuditAction.PROFILE_CHANGED).exists()
