"""The embedded default's shared cache: ``add`` is atomic, so a reader never overwrites a writer."""

import threading
import time
from pathlib import Path

import pytest

from authsite.cache import SharedFileCache

RACERS, ROUNDS = 16, 20


@pytest.fixture
def cache(tmp_path):
    return SharedFileCache(str(tmp_path), {})


def test_add_writes_only_where_nothing_is(cache):
    assert cache.add("tokver:1", 3) is True
    assert cache.add("tokver:1", 2) is False
    assert cache.get("tokver:1") == 3


def test_add_replaces_an_expired_entry(cache):
    cache.set("tokver:1", 3, timeout=0.05)
    time.sleep(0.1)
    assert cache.add("tokver:1", 4) is True
    assert cache.get("tokver:1") == 4


def test_without_hard_links_add_still_works_if_not_atomically(cache, monkeypatch):
    def no_hard_links(source, target):
        raise PermissionError(1, "Operation not permitted")  # as on some mounted file systems

    monkeypatch.setattr("authsite.cache.os.link", no_hard_links)
    assert cache.add("tokver:1", 3) is True
    assert cache.add("tokver:1", 2) is False
    assert cache.get("tokver:1") == 3
    assert len(list(Path(cache._dir).iterdir())) == 1  # the entry, and no temporary file left


def racing_adds(cache) -> list[list[int]]:
    """Per round, which of ``RACERS`` threads adding one key at once were told they won."""
    winners = []
    for round_number in range(ROUNDS):
        barrier, won = threading.Barrier(RACERS), []

        def add(racer, key=f"tokver:{round_number}", barrier=barrier, won=won):
            barrier.wait(timeout=10)
            if cache.add(key, racer):
                won.append(racer)

        threads = [threading.Thread(target=add, args=(racer,)) for racer in range(RACERS)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=30)
        assert cache.get(f"tokver:{round_number}") in won
        winners.append(won)
    return winners


def test_of_racing_adds_exactly_one_wins_and_its_value_stays(cache):
    assert all(len(won) == 1 for won in racing_adds(cache))


@pytest.mark.django_db
def test_migrate_empties_the_embedded_cache_so_a_rebuilt_database_meets_no_old_entries(settings, tmp_path):
    from django.core.cache import caches
    from django.core.management import call_command

    settings.CACHES = {
        **settings.CACHES,
        "default": {"BACKEND": "authsite.cache.SharedFileCache", "LOCATION": str(tmp_path)},
    }
    caches["default"].set("profile:1", (0, "someone@else.example", "", "", None))
    call_command("migrate", verbosity=0)
    assert caches["default"].get("profile:1") is None
