"""JWT pairs: issuing, refreshing with rotation, and revoking.

Each token carries the account's ``token_version``; bumping it (suspension, role or premium
change) makes every token issued before refuse at once, see ``VersionedJWTAuthentication``.
"""

from django.contrib.auth import get_user_model
from rest_framework_simplejwt.exceptions import TokenError
from rest_framework_simplejwt.tokens import RefreshToken

from accounts.backends import PolicyBackend
from accounts.throttling import throttle_or_record
from adminlogs.models import AuditAction
from adminlogs.services import audit_record
from authsite.db import atomic_with_retry
from authsite.errors import InvalidCredentials, ValidationFailed
from authsite.http import rate_limit_key

User = get_user_model()

VERSION_CLAIM = "ver"


class InvalidToken(InvalidCredentials):
    default_message = "The token is invalid or expired."


def token_pair_issue(user) -> dict[str, str]:
    """A fresh access and refresh token for ``user``, who has just proved who they are."""
    refresh = RefreshToken.for_user(user)
    refresh["sub"] = str(user.pk)  # RFC 7519: the subject is a string
    refresh[VERSION_CLAIM] = user.token_version
    return {"access": str(refresh.access_token), "refresh": str(refresh)}


def token_is_current(token, user) -> bool:
    """Whether ``token`` was issued for ``user`` as they are now, still allowed to log in."""
    return token.get(VERSION_CLAIM) == user.token_version and PolicyBackend().user_can_authenticate(user)


def token_refresh(*, raw_refresh: str, ip: str | None) -> dict[str, str]:
    """Trade a refresh token for a new pair; the old refresh token stops working."""
    throttle_or_record(scope="refresh_ip", key=rate_limit_key(ip), ip=ip, label="token refresh")
    return _token_rotate(raw_refresh)


@atomic_with_retry
def _token_rotate(raw_refresh: str) -> dict[str, str]:
    refresh = _refresh_token_parse(raw_refresh)
    user = User.objects.filter(pk=refresh.get("sub")).first()
    if user is None or not token_is_current(refresh, user):
        raise InvalidToken()
    refresh.blacklist()
    return token_pair_issue(user)


@atomic_with_retry
def token_revoke(*, user, raw_refresh: str, ip: str | None) -> None:
    """Log ``user`` out of the API: their refresh token stops working."""
    refresh = _refresh_token_parse(raw_refresh, field="refresh")
    if str(refresh.get("sub")) != str(user.pk):
        raise ValidationFailed({"refresh": ["This token does not belong to you."]})
    refresh.blacklist()
    audit_record(action=AuditAction.LOGOUT, actor=user, target=user, ip=ip)


def _refresh_token_parse(raw: str, field: str | None = None) -> RefreshToken:
    try:
        return RefreshToken(raw)
    except TokenError:
        if field:
            raise ValidationFailed({field: ["The token is invalid or expired."]}) from None
        raise InvalidToken() from None
