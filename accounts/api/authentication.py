from django.contrib.auth import get_user_model
from django.db import DEFAULT_DB_ALIAS
from django.db.models import Exists
from rest_framework_simplejwt.authentication import JWTAuthentication
from rest_framework_simplejwt.exceptions import AuthenticationFailed

from accounts import profile_cache, revocation, tokens
from accounts.models import RevokedTokenFamily
from authsite.ids import parse_id

User = get_user_model()

# Fields an access token vouches for at its version; the rest load on first use.
CLAIMED_FIELDS = {
    "id": "sub",
    "username": tokens.NAME_CLAIM,
    "role": tokens.ROLE_CLAIM,
    "is_premium": tokens.PREMIUM_CLAIM,
    "token_version": tokens.VERSION_CLAIM,
}


class VersionedJWTAuthentication(JWTAuthentication):
    """Bearer access tokens, refused as soon as the account's token version moves on.

    The check costs one cache round trip and no database query: the token's claims were true
    at its version, and any change that would make them false bumps the version. Only when the
    cache has no entry (first request, or Redis unreachable) is the account read from the
    database, which is also the safe answer while Redis is down.
    """

    def __init__(self, *args, reads_profile: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        # Also bring the cached profile (``accounts.profile_cache``) in the same round trip.
        self.reads_profile = reads_profile

    def get_user(self, validated_token):
        claims = {field: validated_token.get(claim) for field, claim in CLAIMED_FIELDS.items()}
        family = validated_token.get(tokens.FAMILY_CLAIM)
        # Only a token we signed gets here, but a key that leaked must not buy a 500 either.
        claims["id"] = parse_id(claims["id"])
        if None in claims.values() or not family:
            raise AuthenticationFailed("The token is missing claims.", code="token_not_valid")
        current, family_revoked, profile = revocation.state_read(
            claims["id"],
            family,
            also=profile_cache.key(claims["id"]) if self.reads_profile else None,
        )
        if current is None:
            current, family_revoked = self._state_from_database(claims["id"], family)
        if family_revoked or current != claims["token_version"]:
            raise AuthenticationFailed("The token has been revoked.", code="token_revoked")
        return _user_from_claims({**claims, **profile_cache.fields_from(profile, current)})

    @staticmethod
    def _state_from_database(user_id, family: str) -> tuple[int | None, bool]:
        """The account's version and whether ``family`` is revoked, in one query, when the cache
        has no version (a token's first request, or Redis unreachable or emptied)."""
        user = (
            User.objects.filter(pk=user_id)
            .annotate(family_revoked=Exists(RevokedTokenFamily.objects.filter(family=family)))
            .only("id", "token_version", "is_active", "suspended_at", "suspended_until")
            .first()
        )
        if user is None or not tokens.PolicyBackend().user_can_authenticate(user):
            return None, False
        revocation.version_remember(user.pk, user.token_version)
        if user.family_revoked:
            revocation.family_revoke_publish(family)
        return user.token_version, user.family_revoked


def _user_from_claims(values: dict):
    """A ``User`` built from the token (and any cached profile); other fields load from the database if read."""
    values = {**values, "is_active": True}
    fields = [f for f in User._meta.concrete_fields if f.attname in values]
    return User.from_db(DEFAULT_DB_ALIAS, [f.attname for f in fields], [values[f.attname] for f in fields])
