"""Fixtures for testing pages through a browser-like client, one per role.

Each app's ``tests/conftest.py`` imports these, so every page test speaks the same language.
"""

import pytest
from django.test import Client

ROLES = ("guest", "member", "premium_member", "moderator", "admin")


@pytest.fixture
def guest():
    """A visitor without an account."""
    return None


@pytest.fixture
def browser_as(db):
    """``browser_as(user)``: a test client logged in as ``user``, or a guest's for ``None``."""

    def make(user, **client_options):
        client = Client(**client_options)
        if user is not None:
            client.force_login(user)
        return client

    return make


@pytest.fixture
def browser_for(request, browser_as):
    """``browser_for("moderator")``: a client for the account a role fixture names."""

    def make(role: str, **client_options):
        return browser_as(request.getfixturevalue(role), **client_options)

    return make
