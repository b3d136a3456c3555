"""Reads of accounts."""

from django.contrib.auth import get_user_model

from accounts import identifiers, profile_cache
from authsite.errors import NotFound

User = get_user_model()


def user_get_by_username(username: str) -> User:
    """The account with this username, compared as login compares it."""
    try:
        return User.objects.get(username_key=identifiers.username_key(username))
    except User.DoesNotExist:
        raise NotFound("No account with that username.") from None


def profile_get(*, user) -> User:
    """The caller's own account with every profile field: as authentication built it from the
    token and the cached profile, or else read in one query and cached for the next request."""
    if not user.get_deferred_fields() & set(profile_cache.FIELDS):
        return user
    account = User.objects.get(pk=user.pk)
    profile_cache.remember(account)
    return account
