"""Fixtures shared by every test: one named account per role, and clients for each door."""

import pytest
from rest_framework.test import APIClient

from accounts.roles import Role
from accounts.tests.factories import PASSWORD, UserFactory


@pytest.fixture(scope="session", autouse=True)
def _private_embedded_cache(tmp_path_factory):
    """Without Redis the cache is a folder beside ``var/db.sqlite3``; keep the tests' apart from ``make run``'s."""
    from django.conf import settings
    from django.test import override_settings

    default = settings.CACHES["default"]
    if not default["BACKEND"].endswith("SharedFileCache"):
        yield
        return
    private = {**default, "LOCATION": str(tmp_path_factory.mktemp("cache"))}
    with override_settings(CACHES={**settings.CACHES, "default": private}):
        yield


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Rate-limit counters and cached sessions must not leak from one test into the next."""
    from django.core.cache import caches

    for cache in caches.all():
        cache.clear()
    yield
    for cache in caches.all():
        cache.clear()


@pytest.fixture
def password():
    return PASSWORD


@pytest.fixture
def member(db):
    return UserFactory(username="mia", role=Role.USER)


@pytest.fixture
def premium_member(db):
    return UserFactory(username="pete", role=Role.USER, is_premium=True)


@pytest.fixture
def moderator(db):
    return UserFactory(username="mona", role=Role.MODERATOR)


@pytest.fixture
def admin(db):
    return UserFactory(username="ada", role=Role.ADMIN)


@pytest.fixture
def api():
    return APIClient()


@pytest.fixture
def api_as(db):
    """``api_as(user)``: an API client holding a fresh Bearer token for ``user``."""
    from accounts.tokens import token_pair_issue

    def make(user):
        client = APIClient()
        if user is not None:
            client.credentials(HTTP_AUTHORIZATION=f"Bearer {token_pair_issue(user)['access']}")
        return client

    return make
