"""The operator's console: each command calls one service as ``actor=None`` and exits non-zero on refusal."""

import io

import pytest
from django.core.management import call_command, execute_from_command_line
from django.core.management.base import CommandError

from accounts.models import User
from accounts.roles import Role
from accounts.tests.factories import PASSWORD
from adminlogs.models import AuditAction, AuditEvent
from adminlogs.services import CONSOLE

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "a long and unusual passphrase"


def run(*args, stdin: str | None = None, **options) -> str:
    """Call a command as the console operator; its standard output."""
    out = io.StringIO()
    if stdin is not None:
        options["stdin"] = io.StringIO(stdin)
    call_command(*args, stdout=out, stderr=io.StringIO(), **options)
    return out.getvalue()


def createuser(username="nora", *extra, stdin=NEW_PASSWORD + "\n"):
    return run("createuser", username, "--email", f"{username}@example.com", *extra, stdin=stdin)


def audited(action: AuditAction) -> AuditEvent:
    return AuditEvent.objects.get(action=action)


# --- createuser ------------------------------------------------------------------------------


def test_createuser_creates_any_role(db):
    out = createuser("nora", "--role", "moderator", "--premium", "--password-stdin")
    user = User.objects.get(username="nora")
    assert (user.role, user.is_premium) == (Role.MODERATOR, True)
    assert user.check_password(NEW_PASSWORD)
    assert out.strip() == "Created moderator nora with premium."
    assert audited(AuditAction.USER_CREATED).actor_label == CONSOLE


def test_createuser_keeps_spaces_and_strips_only_the_line_ending(db):
    createuser("nora", "--role", "user", "--password-stdin", stdin=f"  {NEW_PASSWORD}  \r\n")
    assert User.objects.get(username="nora").check_password(f"  {NEW_PASSWORD}  ")


def test_createuser_requires_password_stdin(db):
    with pytest.raises(CommandError, match="--password-stdin"):
        createuser("nora", "--role", "user")
    assert not User.objects.filter(username="nora").exists()


def test_createuser_rejects_a_weak_password_with_the_validator_message(db):
    with pytest.raises(CommandError, match="This password is too short"):
        createuser("nora", "--role", "user", "--password-stdin", stdin="short\n")
    assert not User.objects.exists()


def test_createuser_without_input_fails(db):
    with pytest.raises(CommandError, match="No password on standard input"):
        createuser("nora", "--role", "user", "--password-stdin", stdin="")


def test_createuser_rejects_a_taken_username_whatever_its_case(member):
    with pytest.raises(CommandError, match="username: This username is taken"):
        createuser("MIA", "--role", "user", "--password-stdin")


def test_createuser_rejects_an_unknown_role(db):
    with pytest.raises(CommandError, match="invalid choice"):
        createuser("nora", "--role", "superuser", "--password-stdin")


def test_command_errors_exit_non_zero_from_the_command_line(db, capsys):
    with pytest.raises(SystemExit) as exit_info:
        execute_from_command_line(["manage.py", "unban", "nobody"])
    assert exit_info.value.code == 1
    assert "No account with that username." in capsys.readouterr().err


# --- setrole and setpremium --------------------------------------------------------------------


def test_setrole_changes_the_role_and_ends_sessions(member):
    out = run("setrole", "MIA", "moderator")
    changed = User.objects.get(pk=member.pk)
    assert changed.role == Role.MODERATOR
    assert changed.token_version == member.token_version + 1
    assert out.strip() == "mia now has the role moderator."
    assert audited(AuditAction.ROLE_CHANGED).actor_label == CONSOLE


def test_setrole_may_change_an_admin(admin):
    # The matrix keeps an admin from changing their own role; the console has no "own".
    run("setrole", "ada", "user")
    assert User.objects.get(pk=admin.pk).role == Role.USER


def test_setrole_unknown_user(db):
    with pytest.raises(CommandError, match="No account with that username"):
        run("setrole", "nobody", "admin")


def test_setrole_unknown_role(member):
    with pytest.raises(CommandError, match="invalid choice"):
        run("setrole", "mia", "owner")


@pytest.mark.parametrize(("state", "expected"), [("on", True), ("off", False)])
def test_setpremium(premium_member, member, state, expected):
    for user in (member, premium_member):
        run("setpremium", user.username, state)
        assert User.objects.get(pk=user.pk).is_premium is expected


def test_setpremium_rejects_other_words(member):
    with pytest.raises(CommandError, match="invalid choice"):
        run("setpremium", "mia", "yes")


def test_setactive_off_ends_logins_and_is_audited(member, api):
    run("setactive", "mia", "off")
    assert not User.objects.get(pk=member.pk).is_active
    assert api.post("/api/login", {"username": "mia", "password": PASSWORD}, format="json").status_code == 401
    assert AuditEvent.objects.get(action=AuditAction.ACTIVE_CHANGED).changes == {"is_active": [True, False]}
    run("setactive", "mia", "on")
    assert api.post("/api/login", {"username": "mia", "password": PASSWORD}, format="json").status_code == 200


# --- ban and unban -----------------------------------------------------------------------------


def test_ban_with_days_beyond_what_a_moderator_may(member, settings):
    out = run("ban", "mia", "--reason", "Spam", "--days", str(settings.MODERATOR_SUSPENSION_MAX_DAYS + 23))
    banned = User.objects.get(pk=member.pk)
    assert banned.is_suspended
    assert banned.suspended_by is None
    assert banned.token_version == member.token_version + 1
    assert out.startswith("mia is suspended until ")
    assert audited(AuditAction.USER_SUSPENDED).actor_label == CONSOLE


def test_ban_without_days_is_indefinite_and_may_target_staff(moderator, admin):
    for user in (moderator, admin):
        out = run("ban", user.username, "--reason", "Compromised")
        assert User.objects.get(pk=user.pk).suspended_until is None
        assert out.strip() == f"{user.username} is suspended indefinitely."


def test_ban_refusals(member):
    with pytest.raises(CommandError, match="days: Choose between 1 and"):
        run("ban", "mia", "--reason", "Spam", "--days", "0")
    with pytest.raises(CommandError, match="reason: Give a reason"):
        run("ban", "mia", "--reason", "   ")
    with pytest.raises(CommandError, match="No account with that username"):
        run("ban", "nobody", "--reason", "Spam")
    with pytest.raises(CommandError, match="--reason"):
        run("ban", "mia")
    assert not User.objects.get(pk=member.pk).is_suspended


def test_unban(member):
    run("ban", "mia", "--reason", "Spam")
    assert run("unban", "mia").strip() == "mia is no longer suspended."
    assert not User.objects.get(pk=member.pk).is_suspended
    assert audited(AuditAction.USER_UNSUSPENDED).actor_label == CONSOLE


def test_unban_an_account_that_is_not_suspended(member):
    with pytest.raises(CommandError, match="This account is not suspended"):
        run("unban", "mia")


# --- changepassword and createsuperuser (Django's own, replaced) --------------------------------


def test_changepassword_resets_through_the_service_and_ends_every_token(member, api_as):
    client = api_as(member)
    out = run("changepassword", "MIA", "--password-stdin", stdin=NEW_PASSWORD + "\n")
    assert out.strip() == "Password of mia changed; their sessions and tokens ended."
    assert User.objects.get(pk=member.pk).check_password(NEW_PASSWORD)
    assert client.get("/api/profile").status_code == 401
    event = audited(AuditAction.PASSWORD_CHANGED)
    assert (event.actor_label, event.target_user_id) == (CONSOLE, member.pk)


def test_changepassword_refuses_weak_passwords_and_changes_nothing(member):
    with pytest.raises(CommandError, match="password: The password is too similar to the email"):
        run("changepassword", "mia", "--password-stdin", stdin="mia@example.commm\n")
    with pytest.raises(CommandError, match="--password-stdin"):
        run("changepassword", "mia")
    with pytest.raises(CommandError, match="No account with that username"):
        run("changepassword", "nobody", "--password-stdin", stdin=NEW_PASSWORD + "\n")
    assert User.objects.get(pk=member.pk).check_password(PASSWORD)
    assert not AuditEvent.objects.filter(action=AuditAction.PASSWORD_CHANGED).exists()


def test_createsuperuser_points_to_createuser_and_creates_nobody(db):
    with pytest.raises(CommandError, match="createuser USERNAME --email E --role admin"):
        run("createsuperuser", "--noinput", "--username", "root", "--email", "root@example.com")
    assert not User.objects.exists()
