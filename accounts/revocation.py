"""What makes a token stop working at once: the account's token version and revoked families.

Every access token carries the account's ``token_version`` and its refresh-token family. A
request checks both in one cache round trip (Redis ``MGET``); only a cache miss costs a
database query. A writer drops the cached version at once and *sets* the new one when its
transaction commits; readers only *add* what they loaded, so a reader that raced a writer
cannot leave an old version behind.

Entries live as long as an access token, which bounds the harm of a lost cache write (Redis
down during a suspension): no token issued before it outlives that window.
"""

from django.conf import settings
from django.core.cache import cache
from django.db import transaction


def ttl() -> int:
    """Seconds a cached entry lives: one access-token lifetime, so no token outlives a lost write."""
    jwt = settings.SIMPLE_JWT
    return int((jwt["ACCESS_TOKEN_LIFETIME"] + jwt["LEEWAY"]).total_seconds()) + 1


def _version_key(user_id) -> str:
    return f"tokver:{user_id}"


def _family_key(family: str) -> str:
    return f"tokfam:{family}"


def state_read(user_id, family: str | None, *, also: str | None = None) -> tuple[int | None, bool, object]:
    """The account's current version (``None`` if not cached), whether ``family`` is revoked,
    and the value of the cache key ``also``, all in one round trip."""
    keys = [_version_key(user_id)] + ([_family_key(family)] if family else []) + ([also] if also else [])
    found = cache.get_many(keys)
    revoked = bool(family and found.get(_family_key(family)))
    return found.get(_version_key(user_id)), revoked, found.get(also) if also else None


def version_remember(user_id, version: int) -> None:
    """Cache a version a reader loaded from the database, unless a writer got there first."""
    cache.add(_version_key(user_id), version, ttl())


def version_bump(user) -> None:
    """End every session and token ``user`` holds; the caller saves ``token_version``.

    Sessions end because the version is part of the session hash (``User._get_session_auth_hash``);
    tokens because they carry the version they were issued at.
    """
    user.token_version += 1
    version_publish(user.pk, user.token_version)


def version_publish(user_id, version: int) -> None:
    """Make ``version`` the one tokens must carry, from now on and for good once committed."""
    cache.delete(_version_key(user_id))
    transaction.on_commit(lambda: cache.set(_version_key(user_id), version, ttl()))


def family_revoke_publish(family: str) -> None:
    """Refuse the access tokens of a refresh-token family at once.

    Set straight away, not on commit: if the revocation rolled back, refusing the family's
    tokens for one access-token lifetime is the safe mistake.
    """
    cache.set(_family_key(family), 1, ttl())
