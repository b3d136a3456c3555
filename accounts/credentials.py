"""Writes to what proves an account: its password, its email, and every session it holds.

Each change asks for the current password first, is throttled per account, and ends the
account's other sessions and tokens (``token_version``), atomically with its audit record.
"""

from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError

from accounts import identifiers, revocation
from accounts.backends import password_matches
from accounts.models import User
from accounts.passwords import normalize_password
from accounts.throttling import throttle_or_record
from adminlogs.models import AuditAction
from adminlogs.services import audit_record
from authsite.db import atomic_with_retry
from authsite.errors import ValidationFailed

CURRENT_PASSWORD_MISMATCH = "Your current password is not right."  # noqa: S105 - a message


def password_change(*, user, current_password: str, new_password: str, ip: str | None) -> User:
    """Replace ``user``'s password; every other session and token of theirs ends."""
    account = _verified(user, current_password, ip=ip)
    _password_validate(account, new_password, field="new_password")
    return _password_store(account, new_password, actor=account, ip=ip)


def password_reset(*, target, new_password: str) -> User:
    """The console operator gives ``target`` a new password; every session and token of theirs ends."""
    _password_validate(target, new_password, field="password")
    return _password_store(target, new_password, actor=None, ip=None)


def _password_validate(account, new_password: str, *, field: str) -> None:
    try:
        password_validation.validate_password(normalize_password(new_password), account)
    except ValidationError as error:
        raise ValidationFailed({field: error.messages}) from error


@atomic_with_retry
def _password_store(account, new_password: str, *, actor, ip) -> User:
    account = User.objects.select_for_update().get(pk=account.pk)
    account.set_password(new_password)
    revocation.version_bump(account)
    account.save(update_fields=["password", "token_version"])
    audit_record(action=AuditAction.PASSWORD_CHANGED, actor=actor, target=account, ip=ip)
    return account


def email_change(*, user, current_password: str, email: str, ip: str | None) -> User:
    """Give ``user`` a new email address, which is also a login identifier."""
    account = _verified(user, current_password, ip=ip)
    email = identifiers.normalize_email(email)
    try:
        validate_email(email)
        identifiers.validate_email_length(email)
    except ValidationError as error:
        raise ValidationFailed({"email": error.messages}) from error
    try:
        return _email_store(account, email, ip=ip)
    except IntegrityError as error:
        raise ValidationFailed({"email": ["This email address cannot be used."]}) from error


@atomic_with_retry
def _email_store(account, email: str, *, ip) -> User:
    account = User.objects.select_for_update().get(pk=account.pk)
    before = account.email
    account.email = email
    revocation.version_bump(account)
    account.save(update_fields=["email", "email_key", "token_version"])
    audit_record(
        action=AuditAction.EMAIL_CHANGED, actor=account, target=account, ip=ip, changes={"email": [before, email]}
    )
    return account


@atomic_with_retry
def logout_everywhere(*, user, ip: str | None) -> User:
    """End every session and revoke every token ``user`` holds, on every device."""
    account = User.objects.select_for_update().get(pk=user.pk)
    revocation.version_bump(account)
    account.save(update_fields=["token_version"])
    audit_record(action=AuditAction.LOGOUT_EVERYWHERE, actor=account, target=account, ip=ip)
    return account


def _verified(user, current_password: str, *, ip) -> User:
    """The caller's account, once ``current_password`` proves it is really them."""
    account = User.objects.get(pk=user.pk)
    throttle_or_record(scope="password_account", key=f"user:{account.pk}", ip=ip, label=account.username)
    if not password_matches(account, current_password):
        raise ValidationFailed({"current_password": [CURRENT_PASSWORD_MISMATCH]})
    return account

