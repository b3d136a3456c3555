"""Tests that need the TLS PostgreSQL and Redis that ``tests/run_suite.py`` starts.

They fail, rather than skip, anywhere else: run them through the README's test command.
"""

import os
from pathlib import Path

import pytest
from django.db import connection


@pytest.fixture(autouse=True)
def _on_real_servers():
    if connection.vendor != "postgresql" or "AUTHSITE_TEST_CERT_DIR" not in os.environ:
        pytest.fail("tests/realservers needs the TLS servers: run `make test` (tests/run_suite.py).")


@pytest.fixture
def cert_dir() -> Path:
    return Path(os.environ["AUTHSITE_TEST_CERT_DIR"])
