"""Writes to accounts. Each runs in one transaction with its audit record and retries conflicts.

``actor`` is the account acting through a page, the API or Django admin; ``None`` is the
operator at the console (``manage.py``), who is trusted with anything the matrix allows anyone.
"""

from datetime import timedelta

from django.contrib.auth import get_user_model, password_validation
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError
from django.utils import timezone

from accounts import identifiers, policy, revocation
from accounts.backends import PolicyBackend, account_find, password_matches
from accounts.groups import user_groups_sync
from accounts.passwords import normalize_password
from accounts.roles import Role
from accounts.throttling import throttle_or_record
from adminlogs.models import AuditAction, Outcome
from adminlogs.services import ANONYMOUS, audit_record
from authsite.db import atomic_with_retry
from authsite.errors import (
    AccountSuspended,
    InvalidCredentials,
    PermissionDenied,
    ValidationFailed,
)
from authsite.http import rate_limit_key

User = get_user_model()

USERNAME_TAKEN = "This username is taken."
EMAIL_TAKEN = "This email address cannot be used to register."


# --- Registration and account creation ---------------------------------------------------


def user_register(*, username: str, email: str, password: str, ip: str | None) -> User:
    """Sign a visitor up as a plain user and record it."""
    throttle_or_record(scope="register_ip", key=rate_limit_key(ip), ip=ip, label=username)
    return _user_create(
        username=username, email=email, password=password, role=Role.USER,
        is_premium=False, action=AuditAction.USER_REGISTERED, actor_is_self=True, ip=ip,
    )  # fmt: skip


def user_create(
    *, username: str, email: str, password: str, role: Role, is_premium: bool = False
) -> User:
    """An operator creates an account with any role."""
    return _user_create(
        username=username, email=email, password=password, role=role,
        is_premium=is_premium, action=AuditAction.USER_CREATED, actor_is_self=False, ip=None,
    )  # fmt: skip


def _user_create(*, username, email, password, role, is_premium, action, actor_is_self, ip):
    user = User(
        username=identifiers.normalize_username(username),
        email=identifiers.normalize_email(email),
        role=role,
        is_premium=is_premium,
    )
    _validate_new_user(user, password)
    user.set_password(password)
    try:
        return _user_insert(user, action=action, actor_is_self=actor_is_self, ip=ip)
    except IntegrityError as error:
        raise _taken_error(user) from error


@atomic_with_retry
def _user_insert(user, *, action, actor_is_self, ip):
    user.save()
    user_groups_sync(user)
    audit_record(
        action=action, actor=user if actor_is_self else None, target=user, ip=ip,
        changes={"role": user.role, "is_premium": user.is_premium},
    )  # fmt: skip
    return user


def _validate_new_user(user, password: str) -> None:
    errors: dict[str, list[str]] = {}
    _collect(errors, "username", lambda: identifiers.username_validator(user.username))
    _collect(errors, "username", lambda: identifiers.validate_single_script(user.username))
    _collect(errors, "username", lambda: identifiers.validate_username_length(user.username))
    if not user.username:
        errors.setdefault("username", []).append("This field may not be blank.")
    _collect(errors, "email", lambda: validate_email(user.email))
    _collect(errors, "email", lambda: identifiers.validate_email_length(user.email))
    _collect(errors, "password", lambda: password_validation.validate_password(normalize_password(password), user))
    errors.update({k: v for k, v in _taken_fields(user).items() if k not in errors})
    if errors:
        raise ValidationFailed(errors)


def _collect(errors: dict, field: str, check) -> None:
    try:
        check()
    except ValidationError as error:
        errors.setdefault(field, []).extend(error.messages)


def _taken_fields(user) -> dict[str, list[str]]:
    taken = {}
    if User.objects.filter(username_key=identifiers.username_key(user.username)).exists():
        taken["username"] = [USERNAME_TAKEN]
    if User.objects.filter(email_key=identifiers.email_key(user.email)).exists():
        taken["email"] = [EMAIL_TAKEN]
    return taken


def _taken_error(user) -> ValidationFailed:
    # The unique index caught a sign-up that raced past the check above.
    return ValidationFailed(_taken_fields(user) or {"username": [USERNAME_TAKEN]})


# --- Logging in ----------------------------------------------------------------------------


def login_attempt(*, identifier: str, password: str, ip: str | None) -> User:
    """Check credentials for a login and record the outcome.

    Every failure looks the same to the caller, except the right password for a suspended
    account, which says until when it is suspended.
    """
    account = account_find(identifier)
    _login_throttle(identifier=identifier, account=account, ip=ip)
    if not password_matches(account, password) or not account.is_active:
        _login_record(user=None, identifier=identifier, outcome=Outcome.FAILURE, ip=ip)
        raise InvalidCredentials()
    if not PolicyBackend().user_can_authenticate(account):
        _login_record(user=account, identifier=identifier, outcome=Outcome.DENIED, ip=ip)
        raise AccountSuspended(account.suspended_until)
    _login_record(user=account, identifier=identifier, outcome=Outcome.SUCCESS, ip=ip)
    return account


def _login_throttle(*, identifier: str, account, ip: str | None) -> None:
    # One bucket per account whichever identifier names it, so switching between username
    # and email, or changing case, earns no extra attempts.
    field, key = identifiers.identifier_key(identifier)
    account_key = f"user:{account.pk}" if account else f"{field}:{key}"
    throttle_or_record(scope="login_ip", key=rate_limit_key(ip), ip=ip, label=key)
    throttle_or_record(scope="login_account", key=account_key, ip=ip, label=key)


@atomic_with_retry
def _login_record(*, user, identifier: str, outcome: Outcome, ip: str | None) -> None:
    action = AuditAction.LOGIN_SUCCEEDED if outcome == Outcome.SUCCESS else AuditAction.LOGIN_FAILED
    audit_record(
        action=action, actor=user, actor_label=None if user else ANONYMOUS, target=user,
        target_label=identifiers.normalize_username(identifier)[:200], outcome=outcome, ip=ip,
    )  # fmt: skip


@atomic_with_retry
def logout_record(*, user, ip: str | None) -> None:
    audit_record(action=AuditAction.LOGOUT, actor=user, target=user, ip=ip)


# --- Profile -------------------------------------------------------------------------------

PROFILE_FIELDS = ("display_name", "bio")


@atomic_with_retry
def profile_update(*, user, ip: str | None, **changes) -> User:
    """Change the caller's own display name and bio; nothing else is writable here."""
    unknown = set(changes) - set(PROFILE_FIELDS)
    if unknown:
        raise ValidationFailed({name: ["This field cannot be changed."] for name in sorted(unknown)})
    user = User.objects.select_for_update().get(pk=user.pk)
    before = {name: getattr(user, name) for name in changes}
    for name, value in changes.items():
        setattr(user, name, value)
    _full_clean(user, fields=changes)
    diff = {name: [before[name], value] for name, value in changes.items() if before[name] != value}
    if diff:
        user.save(update_fields=list(changes))
        audit_record(action=AuditAction.PROFILE_CHANGED, actor=user, target=user, ip=ip, changes=diff)
    return user


def _full_clean(user, *, fields) -> None:
    try:
        user.clean_fields(exclude=[f.name for f in User._meta.fields if f.name not in fields])
    except ValidationError as error:
        raise ValidationFailed(error.message_dict) from error


# --- Suspension ----------------------------------------------------------------------------


@atomic_with_retry
def user_suspend(*, actor, target, reason: str, days: int | None, ip: str | None) -> User:
    """Suspend ``target`` for ``days`` (``None``: indefinitely) and end their sessions and tokens."""
    _require(actor, policy.Action.SUSPEND_USER, target)
    limits = policy.suspension_limits(actor)
    if not limits.allows(days):
        raise ValidationFailed({"days": [_limits_message(limits)]})
    if not reason.strip():
        raise ValidationFailed({"reason": ["Give a reason for the suspension."]})
    target = User.objects.select_for_update().get(pk=target.pk)
    now = timezone.now()
    target.suspended_at = now
    target.suspended_until = now + timedelta(days=days) if days is not None else None
    target.suspension_reason = reason.strip()
    target.suspended_by = actor
    revocation.version_bump(target)
    target.save(update_fields=[
        "suspended_at", "suspended_until", "suspension_reason", "suspended_by", "token_version"
    ])  # fmt: skip
    audit_record(
        action=AuditAction.USER_SUSPENDED, actor=actor, target=target, ip=ip,
        changes={"until": _iso(target.suspended_until), "reason": target.suspension_reason},
    )  # fmt: skip
    return target


@atomic_with_retry
def user_unsuspend(*, actor, target, ip: str | None) -> User:
    """Lift ``target``'s suspension."""
    _require(actor, policy.Action.SUSPEND_USER, target)
    target = User.objects.select_for_update().get(pk=target.pk)
    if not target.is_suspended:
        raise ValidationFailed({"username": ["This account is not suspended."]})
    previous_until = target.suspended_until
    target.suspended_at = target.suspended_until = target.suspended_by = None
    target.suspension_reason = ""
    target.save(update_fields=["suspended_at", "suspended_until", "suspension_reason", "suspended_by"])
    audit_record(
        action=AuditAction.USER_UNSUSPENDED, actor=actor, target=target, ip=ip,
        changes={"was_until": _iso(previous_until)},
    )  # fmt: skip
    return target


def _limits_message(limits: policy.SuspensionLimits) -> str:
    message = f"Choose between {limits.min_days} and {limits.max_days} days"
    return message + (", or leave it empty for an indefinite suspension." if limits.indefinite_allowed else ".")


def _iso(moment):
    return moment.isoformat() if moment else None


# --- Roles and premium ---------------------------------------------------------------------


@atomic_with_retry
def user_set_role(*, actor, target, role: Role, ip: str | None) -> User:
    """Give ``target`` another role; their sessions and tokens end so the new role applies."""
    return _privilege_change(actor=actor, target=target, field="role", value=Role(role),
                             action=AuditAction.ROLE_CHANGED, ip=ip)  # fmt: skip


@atomic_with_retry
def user_set_premium(*, actor, target, is_premium: bool, ip: str | None) -> User:
    """Turn premium access on or off for ``target``."""
    return _privilege_change(actor=actor, target=target, field="is_premium", value=bool(is_premium),
                             action=AuditAction.PREMIUM_CHANGED, ip=ip)  # fmt: skip


@atomic_with_retry
def user_set_active(*, actor, target, is_active: bool, ip: str | None) -> User:
    """Deactivate an account (it cannot log in, its sessions and tokens end) or reactivate it."""
    return _privilege_change(actor=actor, target=target, field="is_active", value=bool(is_active),
                             action=AuditAction.ACTIVE_CHANGED, ip=ip)  # fmt: skip


def _privilege_change(*, actor, target, field, value, action, ip):
    _require(actor, policy.Action.MANAGE_ROLES, target)
    target = User.objects.select_for_update().get(pk=target.pk)
    before = getattr(target, field)
    if before == value:
        return target
    setattr(target, field, value)
    revocation.version_bump(target)
    target.save(update_fields=[field, "token_version"])
    user_groups_sync(target)
    audit_record(action=action, actor=actor, target=target, ip=ip, changes={field: [before, value]})
    return target


def _require(actor, action: policy.Action, target=None) -> None:
    """The policy check every door shares; the console operator (``None``) is trusted."""
    if actor is not None and not policy.can(actor, action, target):
        raise PermissionDenied()
