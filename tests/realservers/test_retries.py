"""Serialization failures, forced for real: another transaction changes a row our request reads.

A second connection updates the caller's row and holds its transaction open while the API
request waits on the row lock; when it commits, PostgreSQL (SERIALIZABLE, like CockroachDB)
aborts the request's transaction with SQLSTATE 40001. The retry loop then either runs it again
and succeeds, or, out of attempts, answers 503 with Retry-After and changes nothing.
"""

import logging
import threading
import time

import psycopg
import pytest
from django.db import connection, connections
from rest_framework.test import APIClient

from accounts.tests.factories import UserFactory
from accounts.tokens import token_pair_issue
from adminlogs.models import AuditAction, AuditEvent

pytestmark = pytest.mark.django_db(transaction=True)


def other_connection():
    settings = connection.settings_dict
    options = {k: v for k, v in settings["OPTIONS"].items() if k != "isolation_level"}
    return psycopg.connect(
        host=settings["HOST"], port=settings["PORT"], user=settings["USER"], dbname=settings["NAME"], **options
    )


def patch_profile_while_another_transaction_updates_the_row(user):
    """Send PATCH /api/profile while another transaction holds the row, then let it commit."""
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {token_pair_issue(user)['access']}")
    result = {}
    with other_connection() as blocker:
        blocker.execute("UPDATE accounts_user SET bio = 'set elsewhere' WHERE id = %s", [user.pk])

        def request():
            try:
                result["response"] = client.patch("/api/profile", {"display_name": "Mine"}, format="json")
            finally:
                connections.close_all()

        thread = threading.Thread(target=request)
        thread.start()
        _wait_until_blocked(blocker)
        blocker.commit()
        thread.join(timeout=60)
    return result["response"]


def _wait_until_blocked(blocker, timeout=10.0):
    """Wait until some other backend waits for a lock, i.e. the request reached the row."""
    deadline = time.monotonic() + timeout
    with other_connection() as watcher:
        watcher.autocommit = True
        while time.monotonic() < deadline:
            waiting = watcher.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND pid <> %s",
                [blocker.info.backend_pid],
            ).fetchone()[0]
            if waiting:
                return
            time.sleep(0.02)
    raise AssertionError("the request never waited for the row lock")


@pytest.fixture
def retry_log(caplog):
    caplog.set_level(logging.WARNING, logger="authsite.db")
    return caplog


def test_a_conflict_is_retried_and_the_request_succeeds(retry_log, settings):
    settings.DATABASE_RETRY_ATTEMPTS = 3
    user = UserFactory(username="conflicted")

    response = patch_profile_while_another_transaction_updates_the_row(user)

    assert response.status_code == 200, response.content
    user.refresh_from_db()
    assert (user.display_name, user.bio) == ("Mine", "set elsewhere")  # both writes kept
    assert AuditEvent.objects.filter(action=AuditAction.PROFILE_CHANGED).count() == 1
    assert sum("serialization conflict" in r.getMessage() for r in retry_log.records) == 1


def test_out_of_attempts_the_request_gets_503_and_nothing_is_half_written(retry_log, settings):
    settings.DATABASE_RETRY_ATTEMPTS = 1
    user = UserFactory(username="conflicted")

    response = patch_profile_while_another_transaction_updates_the_row(user)

    assert response.status_code == 503
    assert response["Retry-After"] == "1"
    assert response.json() == {"detail": "The service is busy; please try again shortly."}
    user.refresh_from_db()
    assert (user.display_name, user.bio) == ("", "set elsewhere")
    assert not AuditEvent.objects.filter(action=AuditAction.PROFILE_CHANGED).exists()
