"""Writers racing each other on a SERIALIZABLE database: every request ends cleanly, nothing is lost.

Each racer is a thread with its own database connection, released together by a barrier, and
each goes through the API exactly as a client would.
"""

import logging
import threading
from collections import Counter

import pytest
from django.db import connection, connections
from rest_framework.test import APIClient

from accounts.models import User
from accounts.roles import Role
from accounts.tests.factories import PASSWORD, UserFactory
from accounts.tokens import token_pair_issue
from adminlogs.models import AuditAction, AuditEvent
from moderation.models import Post

pytestmark = pytest.mark.django_db(transaction=True)

RACERS = 12


def race(call, count=RACERS) -> list:
    """Run ``call(i)`` in ``count`` threads at once; return their results (or exceptions)."""
    barrier = threading.Barrier(count)
    results = [None] * count

    def run(i):
        try:
            barrier.wait(timeout=30)
            results[i] = call(i)
        except Exception as error:  # a crash is a result the assertions must see
            results[i] = error
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return results


def bearer(user) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {token_pair_issue(user)['access']}")
    return client


@pytest.fixture
def retries(caplog):
    """How many serialization conflicts the services retried during the test."""
    caplog.set_level(logging.WARNING, logger="authsite.db")
    return lambda: sum("serialization conflict" in r.getMessage() for r in caplog.records)


def test_racing_registrations_of_one_name_give_one_account(retries, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "register_ip": "1000/m"}
    spellings = ["Racer", "racer", "RACER", "rAcEr", "ｒａｃｅｒ"]

    def register(i):
        body = {"username": spellings[i % len(spellings)], "email": f"racer{i}@example.com", "password": PASSWORD}
        return APIClient().post("/api/register", body, format="json").status_code

    statuses = race(register)

    assert Counter(statuses) == {201: 1, 400: RACERS - 1}, statuses
    assert User.objects.filter(username_key="racer").count() == 1
    assert AuditEvent.objects.filter(action=AuditAction.USER_REGISTERED).count() == 1
    print(f"\nregistrations: {RACERS} racers, {dict(Counter(statuses))}, {retries()} retries")


def test_racing_suspensions_leave_one_consistent_state_and_a_complete_log(retries):
    target = UserFactory(username="target")
    moderators = [UserFactory(username=f"mod{i}", role=Role.MODERATOR) for i in range(RACERS)]
    clients = [bearer(moderator) for moderator in moderators]

    def suspend(i):
        body = {"username": "target", "reason": f"by mod{i}", "days": 1 + i % 7}
        return clients[i].post("/api/user/ban", body, format="json").status_code

    statuses = race(suspend)

    assert set(statuses) <= {200, 503}, statuses
    successes = statuses.count(200)
    events = AuditEvent.objects.filter(action=AuditAction.USER_SUSPENDED).order_by("created_at", "id")
    assert events.count() == successes >= 1
    target.refresh_from_db()
    last = events.last()
    # The row holds exactly what the last recorded suspension wrote.
    assert target.suspension_reason == last.changes["reason"]
    assert target.token_version == successes
    print(f"\nsuspensions: {RACERS} racers, {successes} applied in turn, {retries()} retries")


def test_racing_posts_are_all_kept(retries):
    authors = [UserFactory(username=f"author{i}") for i in range(RACERS)]
    clients = [bearer(author) for author in authors]

    def write(i):
        return clients[i].post("/api/posts", {"title": f"Post {i}", "body": "text"}, format="json").status_code

    statuses = race(write)

    assert statuses == [201] * RACERS
    assert Post.objects.count() == RACERS
    print(f"\nposts: {RACERS} racers, all kept, {retries()} retries")


def test_racing_refreshes_of_one_token_give_exactly_one_success():
    user = UserFactory(username="twice")
    refresh = token_pair_issue(user)["refresh"]

    def refresh_once(i):
        return APIClient().post("/api/token/refresh", {"refresh": refresh}, format="json").status_code

    statuses = race(refresh_once, count=6)

    assert Counter(statuses) == {200: 1, 401: 5}, statuses


def test_the_isolation_level_is_serializable_like_cockroachdb():
    with connection.cursor() as cursor:
        cursor.execute("SHOW default_transaction_isolation")
        assert cursor.fetchone() == ("serializable",)
