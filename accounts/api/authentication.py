from rest_framework_simplejwt.authentication import JWTAuthentication
from rest_framework_simplejwt.exceptions import AuthenticationFailed

from accounts.tokens import token_is_current


class VersionedJWTAuthentication(JWTAuthentication):
    """Bearer access tokens, refused as soon as the account's token version moves on.

    Suspension, role and premium changes bump the version, so a token issued before them stops
    working on the very next request instead of when it expires.
    """

    def get_user(self, validated_token):
        user = super().get_user(validated_token)
        if not token_is_current(validated_token, user):
            raise AuthenticationFailed("The token has been revoked.", code="token_revoked")
        return user
