"""The caller's profile, cached beside the token version so ``GET /api/profile`` needs no query.

An access token carries the id, username, role and premium flag; the profile also shows the
email, display name, bio and join date. Those are cached per account, tagged with the
``token_version`` they were read at, and fetched in the same round trip as the version check
(``accounts.api.authentication``). A snapshot is used only when its tag equals the token's
version, which authentication has just found current, so every change that bumps the version
(email, password, role, premium, suspension) retires the snapshot without touching it.

Changes that keep the version (display name, bio) replace the snapshot when their save commits,
from the saved row; readers only *add* what they loaded, so a reader that raced a writer cannot
leave the old profile behind. Entries live as long as version entries, which bounds the harm of
a cache write lost while Redis was unreachable.
"""

from django.core.cache import cache
from django.db import transaction

from accounts import revocation

FIELDS = ("email", "display_name", "bio", "date_joined")
_TAGGED = {*FIELDS, "token_version"}


def key(user_id) -> str:
    return f"profile:{user_id}"


def fields_from(snapshot, version: int) -> dict:
    """The profile fields in ``snapshot`` if it was read at ``version``; else none."""
    if not snapshot or snapshot[0] != version:
        return {}
    return dict(zip(FIELDS, snapshot[1:], strict=True))


def remember(user) -> None:
    """Cache the profile a reader loaded from the database, unless a writer got there first."""
    cache.add(key(user.pk), _snapshot(user), revocation.ttl())


def row_saved(user, update_fields, created: bool) -> None:
    """Keep the snapshot in step with a save of ``user`` (called for every save of an account)."""
    saved = _TAGGED if update_fields is None else _TAGGED & set(update_fields)
    # A new account has no snapshot yet; a save that bumps the version has retired the old one
    # by its tag, and its instance may hold stale values in fields it did not write.
    if created or not saved or (update_fields is not None and "token_version" in saved):
        return
    cache.delete(key(user.pk))
    if user.get_deferred_fields() & _TAGGED:
        return
    # Other saves come from a locked, fresh row, so the instance is what the row now holds.
    snapshot = _snapshot(user)
    transaction.on_commit(lambda: cache.set(key(user.pk), snapshot, revocation.ttl()))


def _snapshot(user) -> tuple:
    return (user.token_version, *(getattr(user, name) for name in FIELDS))
