"""Requests that race each other on the embedded default (SQLite, one runserver with threads).

The same races run against PostgreSQL in ``tests/realservers``; here the database is the file a
newcomer's ``make run`` uses, where two writers at once used to fail with "database is locked".
"""

from __future__ import annotations

import threading
from collections import Counter

from e2e.test_console import api

RACERS = 8


def race(call, count: int = RACERS) -> list:
    """Run ``call()`` in ``count`` threads released together; their results."""
    barrier = threading.Barrier(count)
    results: list = [None] * count

    def run(index: int) -> None:
        barrier.wait(timeout=30)
        results[index] = call()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results


def test_concurrent_refreshes_of_one_token_give_one_pair_and_revoke_the_family(site):
    status, pair = api(site, "POST", "/api/login", {"username": "mia", "password": "correct horse battery staple"})
    assert status == 200
    answers = race(lambda: api(site, "POST", "/api/token/refresh", {"refresh": pair["refresh"]}))

    assert Counter(status for status, _ in answers) == {200: 1, 401: RACERS - 1}
    # The losers presented a used token: its whole family ends, the winner's new pair included.
    winner = next(body for status, body in answers if status == 200)
    assert api(site, "POST", "/api/token/refresh", {"refresh": winner["refresh"]})[0] == 401
    assert api(site, "GET", "/api/profile", token=winner["access"])[0] == 401
