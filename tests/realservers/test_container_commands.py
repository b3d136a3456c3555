"""The commands the containers run, run here against the TLS servers with production settings.

No Docker engine runs on this machine, so the image is never built in tests; instead the
migrate service's command from docker-compose.yml and the image's CMD and HEALTHCHECK from the
Dockerfile are read from those files and executed as they are, on a fresh database.
"""

import json
import os
import re
import secrets
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import psycopg
import pytest
import yaml
from django.db import connection

from tests.servers import free_port

ROOT = Path(__file__).resolve().parents[2]
DATABASE = "containers_check"


def in_this_venv(command: list[str]) -> list[str]:
    """The image puts its virtualenv first on PATH; here that is the interpreter running the tests."""
    program = {"python": sys.executable, "gunicorn": str(Path(sys.executable).parent / "gunicorn")}
    return [program.get(command[0], command[0]), *command[1:]]


def compose_command(service: str) -> list[str]:
    return in_this_venv(yaml.safe_load((ROOT / "docker-compose.yml").read_text())["services"][service]["command"])


def dockerfile_instruction(name: str) -> list[str]:
    """The JSON-array form of the last ``name`` instruction (CMD, or the command after HEALTHCHECK)."""
    text = (ROOT / "Dockerfile").read_text().replace("\\\n", " ")
    found = re.findall(rf"^{name}\b.*?(\[.*\])\s*$", text, flags=re.MULTILINE)
    return in_this_venv(json.loads(found[-1]))


@pytest.fixture
def fresh_database():
    settings = connection.settings_dict
    options = {k: v for k, v in settings["OPTIONS"].items() if k != "isolation_level"}
    admin = dict(host=settings["HOST"], port=settings["PORT"], user=settings["USER"], dbname="postgres", **options)
    with psycopg.connect(**admin, autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {DATABASE}")
        conn.execute(f"CREATE DATABASE {DATABASE}")
    yield os.environ["DATABASE_URL"].replace(f"/{settings['NAME'].removeprefix('test_')}?", f"/{DATABASE}?", 1)
    with psycopg.connect(**admin, autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {DATABASE} WITH (FORCE)")


@pytest.fixture
def production_env(fresh_database):
    port = free_port()
    env = {
        **os.environ, "DJANGO_ENV": "production", "DATABASE_URL": fresh_database,
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50), "JWT_SIGNING_KEY": secrets.token_urlsafe(50),
        "DJANGO_ALLOWED_HOSTS": "localhost,127.0.0.1", "DJANGO_SECURE_SSL_REDIRECT": "false",
        "PORT": str(port), "WEB_CONCURRENCY": "1", "GUNICORN_WORKER_TMP_DIR": "/tmp",
    }  # fmt: skip
    return env, port


def test_migrate_then_gunicorn_serve_as_the_containers_do(production_env):
    env, port = production_env
    migrate = subprocess.run(compose_command("migrate"), cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
    assert migrate.returncode == 0, migrate.stderr

    server = subprocess.Popen(dockerfile_instruction("CMD"), cwd=ROOT, env=env, stdout=subprocess.DEVNULL,
                              stderr=subprocess.PIPE)  # fmt: skip
    try:
        _wait_for(f"http://127.0.0.1:{port}/healthz", server)
        health = subprocess.run(
            [sys.executable, str(ROOT / "docker" / "healthcheck.py")], env=env, capture_output=True, timeout=30
        )
        assert health.returncode == 0, health.stderr
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/readyz", timeout=10) as ready:
            assert json.load(ready) == {"status": "ok", "database": "ok", "cache": "ok"}
    finally:
        server.terminate()
        server.wait(timeout=30)


def _wait_for(url: str, server: subprocess.Popen, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise AssertionError(f"gunicorn exited: {server.stderr.read().decode()[-2000:]}")
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except OSError:
            time.sleep(0.2)
    raise AssertionError(f"{url} did not answer within {timeout:.0f}s")


def test_the_healthcheck_fails_when_nothing_serves(production_env):
    env, _port = production_env
    result = subprocess.run([sys.executable, str(ROOT / "docker" / "healthcheck.py")], env=env, capture_output=True)
    assert result.returncode == 1
