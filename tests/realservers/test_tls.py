"""The site's own database connection is verified TLS with a client certificate.

That a wrong CA, a wrong host name or a missing client certificate are refused is shown in
tests/test_certs.py against the same kind of server.
"""

import os
import subprocess
import sys
from pathlib import Path

from django.db import connection

ROOT = Path(__file__).resolve().parents[2]


def manage(*args, **env_overrides) -> subprocess.CompletedProcess:
    env = {**os.environ, **env_overrides}
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60
    )


def test_the_test_suite_itself_runs_over_verify_full_with_a_client_certificate(db):
    connection.ensure_connection()
    assert connection.connection.pgconn.ssl_in_use
    assert connection.settings_dict["OPTIONS"]["sslmode"] == "verify-full"
    assert connection.connection.info.user == "authsite"


def test_checkdb_reports_tls_13_and_the_certificate_user():
    result = manage("checkdb")
    assert result.returncode == 0, result.stderr
    assert "tls: TLSv1.3" in result.stdout
    assert "user: authsite" in result.stdout
    assert "sslmode: verify-full" in result.stdout


def test_the_handshake_probe_used_for_cockroachdb_sees_the_same_tls(db):
    from adminlogs.management.commands.checkdb import _tls_by_handshake

    assert _tls_by_handshake(connection.settings_dict).startswith("TLSv1.3 ")


def test_checkdb_fails_in_one_line_when_the_server_refuses():
    result = manage("checkdb", DATABASE_URL=os.environ["DATABASE_URL"].replace("verify-full", "disable"))
    assert result.returncode != 0
    assert result.stderr.strip().startswith("CommandError: cannot connect to the database")


def test_production_settings_refuse_a_connection_that_is_not_verified_tls():
    production = {
        "DJANGO_ENV": "production", "DJANGO_SECRET_KEY": "s" * 50, "JWT_SIGNING_KEY": "j" * 50,
        "DJANGO_ALLOWED_HOSTS": "localhost", "REDIS_CA_CERT": os.environ["REDIS_CA_CERT"],
    }  # fmt: skip
    plain = os.environ["DATABASE_URL"].replace("verify-full", "require")
    refused = manage("check", DATABASE_URL=plain, **production)
    assert refused.returncode != 0
    assert "authsite.E001" in refused.stderr and "sslmode=require" in refused.stderr
    assert manage("check", **production).returncode == 0
