"""JWT pairs: issuing, refreshing with rotation and reuse detection, and revoking.

Each token carries the account's ``token_version`` (``ver``), its role and premium flag as they
were at that version, and its refresh-token family (``fam``). Bumping the version (suspension,
role, premium or password change, "log out everywhere") refuses every older token at once;
revoking a family refuses the tokens of one login. See ``accounts.revocation``.
"""

import uuid

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from rest_framework_simplejwt.exceptions import TokenError
from rest_framework_simplejwt.token_blacklist.models import BlacklistedToken, OutstandingToken
from rest_framework_simplejwt.tokens import RefreshToken

from accounts import revocation
from accounts.backends import PolicyBackend
from accounts.models import RevokedTokenFamily
from accounts.throttling import throttle_or_record
from adminlogs.models import AuditAction, Outcome
from adminlogs.services import ANONYMOUS, audit_record
from authsite.db import atomic_with_retry
from authsite.errors import InvalidCredentials, ValidationFailed
from authsite.http import rate_limit_key
from authsite.ids import parse_id

User = get_user_model()

VERSION_CLAIM = "ver"
FAMILY_CLAIM = "fam"
ROLE_CLAIM = "role"
PREMIUM_CLAIM = "prem"
NAME_CLAIM = "name"


class InvalidToken(InvalidCredentials):
    default_message = "The token is invalid or expired."


class RotatingRefreshToken(RefreshToken):
    """A refresh token whose reuse we detect ourselves, under a row lock, in ``token_refresh``."""

    def check_blacklist(self):
        # simplejwt would refuse a used token without telling us it was a reuse.
        return None


def token_pair_issue(user, family: str | None = None) -> dict[str, str]:
    """A fresh access and refresh token for ``user``, starting a new family unless one is given."""
    refresh = RotatingRefreshToken.for_user(user)
    refresh["sub"] = str(user.pk)  # RFC 7519: the subject is a string
    refresh[VERSION_CLAIM] = user.token_version
    refresh[FAMILY_CLAIM] = family or uuid.uuid4().hex
    refresh[ROLE_CLAIM] = user.role
    refresh[PREMIUM_CLAIM] = user.is_premium
    refresh[NAME_CLAIM] = user.username
    return {"access": str(refresh.access_token), "refresh": str(refresh)}


def token_refresh(*, raw_refresh: str, ip: str | None) -> dict[str, str]:
    """Trade a refresh token for a new pair; the old one stops working.

    A refresh token presented a second time revokes its whole family: the attacker's copy and
    the rightful holder's newer tokens alike, so whoever stole it loses the session.
    """
    throttle_or_record(scope="refresh_ip", key=rate_limit_key(ip), ip=ip, label="token refresh")
    token = _refresh_token_parse(raw_refresh)
    pair, reused = _token_rotate(token, ip=ip)
    if reused:
        raise InvalidToken()
    return pair


@atomic_with_retry
def _token_rotate(token, *, ip) -> tuple[dict | None, bool]:
    outstanding = OutstandingToken.objects.select_for_update().filter(jti=token["jti"]).first()
    user = User.objects.filter(pk=parse_id(token.get("sub"))).first()
    family = token.get(FAMILY_CLAIM)
    if outstanding is None or user is None or not token_is_current(token, user):
        raise InvalidToken()
    if RevokedTokenFamily.objects.filter(family=family).exists():
        raise InvalidToken()
    try:
        with transaction.atomic():  # a savepoint, so a lost race leaves the transaction usable
            _, created = BlacklistedToken.objects.get_or_create(token=outstanding)
    except IntegrityError:  # a concurrent refresh of the same token won
        created = False
    if not created:
        _family_revoke(user=user, family=family, reason="refresh token reused", ip=ip)
        return None, True
    return token_pair_issue(user, family=family), False


def _family_revoke(*, user, family: str, reason: str, ip) -> None:
    _family_row(family=family, user=user, reason=reason)
    revocation.family_revoke_publish(family)
    audit_record(
        action=AuditAction.TOKEN_REUSED, actor=None, actor_label=ANONYMOUS, target=user, ip=ip,
        outcome=Outcome.DENIED, changes={"family": family},
    )  # fmt: skip


def token_is_current(token, user) -> bool:
    """Whether ``token`` was issued for ``user`` as they are now, still allowed to log in."""
    return token.get(VERSION_CLAIM) == user.token_version and PolicyBackend().user_can_authenticate(user)


@atomic_with_retry
def token_revoke(*, user, raw_refresh: str, ip: str | None) -> None:
    """Log ``user`` out of the API: their refresh token and its family stop working."""
    token = _refresh_token_parse(raw_refresh, field="refresh")
    if str(token.get("sub")) != str(user.pk):
        raise ValidationFailed({"refresh": ["This token does not belong to you."]})
    family = token.get(FAMILY_CLAIM)
    _family_row(family=family, user=user, reason="logout")
    revocation.family_revoke_publish(family)
    audit_record(action=AuditAction.LOGOUT, actor=user, target=user, ip=ip)


def _family_row(*, family: str, user, reason: str) -> None:
    """Record ``family`` as revoked; a concurrent revocation of the same family is no error."""
    try:
        with transaction.atomic():
            RevokedTokenFamily.objects.get_or_create(
                family=family, defaults={"user_id": user.pk, "reason": reason[:32]}
            )
    except IntegrityError:
        pass


def _refresh_token_parse(raw: str, field: str | None = None) -> RotatingRefreshToken:
    """A refresh token we issued: signed, current, naming an account id and a family.

    Only a leaked signing key could forge the last two, but it must buy neither a 500 nor a
    token outside every family (which no logout or reuse detection could reach).
    """
    try:
        token = RotatingRefreshToken(raw)
    except TokenError:
        token = None
    family = token.get(FAMILY_CLAIM) if token else None
    if token is None or parse_id(token.get("sub")) is None or not _is_family(family):
        if field:
            raise ValidationFailed({field: ["The token is invalid or expired."]})
        raise InvalidToken()
    return token


def _is_family(value) -> bool:
    """A family id as ``token_pair_issue`` makes them: 32 hex digits (the column holds 64)."""
    return isinstance(value, str) and len(value) == 32 and all(c in "0123456789abcdef" for c in value)
