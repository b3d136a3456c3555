"""Reads of accounts."""

from django.contrib.auth import get_user_model

from accounts import identifiers
from authsite.errors import NotFound

User = get_user_model()


def user_get_by_username(username: str) -> User:
    """The account with this username, compared as login compares it."""
    try:
        return User.objects.get(username_key=identifiers.username_key(username))
    except User.DoesNotExist:
        raise NotFound("No account with that username.") from None


def profile_get(*, user) -> User:
    """The caller's own account, read whole in one query (the token carries only a few fields)."""
    return User.objects.get(pk=user.pk)
