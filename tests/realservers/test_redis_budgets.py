"""Redis round trips per API request, exactly, against the real TLS Redis (see tests/budgets.py).

A round trip is one write of commands to a Redis socket followed by reading their replies; redis-py
makes every command, and every pipeline, with exactly one ``send_packed_command``. Counting that
method counts round trips, and what was sent names the commands in each.
"""

import pytest
from django.core.cache import caches
from redis.connection import AbstractConnection

from tests.budgets import BUDGETS, COLD_PROFILE, LOGIN_REPEATED, budgeted_request


def command_names(packed) -> list[str]:
    """The command names in a packed RESP buffer: ``*<n>\\r\\n`` then n ``$<len>\\r\\n<bytes>\\r\\n``."""
    data = b"".join(packed) if isinstance(packed, list | tuple) else bytes(packed)
    names, at = [], 0
    while at < len(data):
        header_end = data.index(b"\r\n", at)
        count, at = int(data[at + 1 : header_end]), header_end + 2
        for index in range(count):
            length_end = data.index(b"\r\n", at)
            length = int(data[at + 1 : length_end])
            if index == 0:
                names.append(data[length_end + 2 : length_end + 2 + length].decode().upper())
            at = length_end + 2 + length + 2
    return names


@pytest.fixture
def redis_round_trips(monkeypatch):
    """The round trips made while the test runs, each as the list of its command names."""
    trips: list[list[str]] = []
    send = AbstractConnection.send_packed_command

    def counting_send(self, command, check_health=True):
        trips.append(command_names(command))
        return send(self, command, check_health=check_health)

    monkeypatch.setattr(AbstractConnection, "send_packed_command", counting_send)
    return trips


def warm_connections() -> None:
    """One connection per cache alias already open, so no connection handshake is counted."""
    for alias in ("default", "ratelimit"):
        caches[alias].get("warm-up")


def assert_redis_budget(budget, request, redis_round_trips, django_capture_on_commit_callbacks):
    call = budgeted_request(budget, request)
    call.warm()
    warm_connections()
    redis_round_trips.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = call.send()
    assert response.status_code == budget.status, response.content
    assert len(redis_round_trips) == budget.redis, redis_round_trips
    return call


@pytest.mark.parametrize("name", BUDGETS)
def test_redis_round_trips_per_request(db, name, request, redis_round_trips, django_capture_on_commit_callbacks):
    assert_redis_budget(BUDGETS[name], request, redis_round_trips, django_capture_on_commit_callbacks)


def test_an_authenticated_read_is_one_mget(db, request, redis_round_trips, django_capture_on_commit_callbacks):
    assert_redis_budget(BUDGETS["profile"], request, redis_round_trips, django_capture_on_commit_callbacks)
    assert redis_round_trips == [["MGET"]]


def test_a_tokens_first_request_also_caches_its_version_and_profile(
    db, request, redis_round_trips, django_capture_on_commit_callbacks
):
    call = budgeted_request(COLD_PROFILE, request)
    warm_connections()
    redis_round_trips.clear()
    assert call.send().status_code == 200
    assert [trip[0] for trip in redis_round_trips] == ["MGET", "SET", "SET"]
    assert len(redis_round_trips) == COLD_PROFILE.redis


def test_a_repeated_login_increments_each_limit(db, request, redis_round_trips, django_capture_on_commit_callbacks):
    call = assert_redis_budget(BUDGETS["login"], request, redis_round_trips, django_capture_on_commit_callbacks)
    redis_round_trips.clear()
    assert call.send().status_code == 200
    assert [trip[0] for trip in redis_round_trips] == ["SET", "EVAL", "SET", "EVAL"]
    assert len(redis_round_trips) == LOGIN_REPEATED.redis
