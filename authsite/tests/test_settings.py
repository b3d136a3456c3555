"""Settings come from the environment: the embedded default needs nothing, production needs all."""

import json
import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

PRODUCTION = {
    "DJANGO_ENV": "production",
    "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
    "JWT_SIGNING_KEY": secrets.token_urlsafe(50),
    "DJANGO_ALLOWED_HOSTS": "auth.example.com",
    "DATABASE_URL": "cockroachdb://authsite@db.example.com:26257/authsite?sslmode=verify-full"
    "&sslrootcert=/certs/ca.crt&sslcert=/certs/client.authsite.crt&sslkey=/certs/client.authsite.key",
    "REDIS_URL": "rediss://cache.example.com:6379/0",
}

SHOW = (
    "import json, django; django.setup(); from django.conf import settings as s; "
    "print(json.dumps({'debug': s.DEBUG, 'db': s.DATABASES['default'], 'cache': s.CACHES['default'],"
    " 'secret_len': len(s.SECRET_KEY), 'jwt_key_differs': s.SIMPLE_JWT['SIGNING_KEY'] != s.SECRET_KEY,"
    " 'cookies': [s.SESSION_COOKIE_NAME, s.CSRF_COOKIE_NAME, s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE,"
    " s.SESSION_COOKIE_HTTPONLY, s.SESSION_COOKIE_SAMESITE], 'hsts': s.SECURE_HSTS_SECONDS},"
    " default=str))"
)


def run(args, env_overrides):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "JWT_", "DATABASE_", "REDIS_"))}
    env.update(env_overrides, DJANGO_SETTINGS_MODULE="authsite.settings")
    return subprocess.run([sys.executable, *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)


def test_nothing_set_runs_the_embedded_default():
    result = run(["-c", SHOW], {})
    assert result.returncode == 0, result.stderr
    shown = json.loads(result.stdout)
    assert shown["debug"] is True
    assert shown["db"]["ENGINE"] == "django.db.backends.sqlite3"
    # A folder beside the database, so a console command and the server share revocation state.
    assert shown["cache"]["BACKEND"] == "authsite.cache.SharedFileCache"
    assert shown["cache"]["LOCATION"] == shown["db"]["NAME"] + "-cache"
    assert shown["secret_len"] >= 50
    assert shown["jwt_key_differs"]


@pytest.mark.parametrize(
    "missing", ["DJANGO_SECRET_KEY", "JWT_SIGNING_KEY", "DJANGO_ALLOWED_HOSTS", "DATABASE_URL", "REDIS_URL"]
)
def test_production_refuses_to_boot_without_each_secret_and_service(missing):
    env = {k: v for k, v in PRODUCTION.items() if k != missing}
    result = run(["-c", SHOW], env)
    assert result.returncode != 0
    assert f"Set the {missing} environment variable" in result.stderr


def test_production_turns_debug_off_and_selects_cockroachdb_with_verified_tls():
    result = run(["-c", SHOW], PRODUCTION)
    assert result.returncode == 0, result.stderr
    shown = json.loads(result.stdout)
    assert shown["debug"] is False
    assert shown["db"]["ENGINE"] == "django_cockroachdb"
    assert shown["db"]["OPTIONS"]["sslmode"] == "verify-full"
    assert shown["cache"]["BACKEND"] == "django_redis.cache.RedisCache"
    assert shown["cookies"] == ["__Host-sessionid", "__Host-csrftoken", True, True, True, "Lax"]
    assert shown["hsts"] >= 31536000


def test_production_settings_pass_the_deploy_checklist():
    result = run(["manage.py", "check", "--deploy", "--fail-level", "WARNING"], PRODUCTION)
    assert result.returncode == 0, result.stdout + result.stderr
