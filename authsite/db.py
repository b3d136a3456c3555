"""Write transactions that survive serialization conflicts.

CockroachDB runs every transaction as SERIALIZABLE and aborts a conflicting one with SQLSTATE
40001 (PostgreSQL does the same at that isolation level); the Django adapters do not retry.
Every service that writes is wrapped in ``atomic_with_retry``. The embedded SQLite's busy lock
counts as the same kind of conflict.
"""

import functools
import logging
import random
import sqlite3
import time

from django.conf import settings
from django.db import OperationalError, connection, transaction

from authsite.errors import TransactionConflict

logger = logging.getLogger(__name__)

SERIALIZATION_FAILURE = "40001"


def is_serialization_failure(error: BaseException) -> bool:
    """True for a conflict the database asks the client to retry: SQLSTATE 40001, or on the
    embedded SQLite a writer that waited out its busy timeout ("database is locked")."""
    cause = error.__cause__ or error
    return (
        getattr(cause, "sqlstate", None) == SERIALIZATION_FAILURE
        # The low byte is the primary code: SQLITE_BUSY and its extended forms (BUSY_SNAPSHOT, ...).
        or (getattr(cause, "sqlite_errorcode", 0) & 0xFF) == sqlite3.SQLITE_BUSY
    )


def atomic_with_retry(func):
    """Run ``func`` in a transaction, retrying it with jittered backoff on 40001.

    Only the outermost transaction retries: inside another ``atomic`` block the conflict
    belongs to the caller's transaction, so it is passed up unchanged. After the last attempt
    the caller gets ``TransactionConflict`` (503), never a half-done change.
    """

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        if connection.in_atomic_block:
            with transaction.atomic():
                return func(*args, **kwargs)
        attempts = settings.DATABASE_RETRY_ATTEMPTS
        for attempt in range(1, attempts + 1):
            try:
                with transaction.atomic():
                    return func(*args, **kwargs)
            except OperationalError as error:
                if not is_serialization_failure(error):
                    raise
                logger.warning("serialization conflict in %s, attempt %d", func.__name__, attempt)
                if attempt < attempts:
                    _sleep_before_retry(attempt)
        raise TransactionConflict()

    return wrapper


def _sleep_before_retry(attempt: int) -> None:
    # Full jitter: spreads the retries of colliding writers so they do not collide again.
    ceiling = settings.DATABASE_RETRY_BASE_DELAY * (2 ** (attempt - 1))
    time.sleep(random.uniform(0, ceiling))  # noqa: S311 - jitter, not a secret
