"""The site as a person meets it: ``manage.py migrate`` then ``runserver`` on a free port.

    database = migrated_database(tmp_dir)                 # migrate once, then copy per server
    create_account(database, "mia", role="user")          # the real ``createuser --password-stdin``
    site = site_start(database, work_dir, RATE_LIMIT_LOGIN_ACCOUNT="3/m")
    try:
        site.url("/login")
    finally:
        site.stop()

Nothing here imports Django: the tests talk to the site over HTTP and to ``manage.py`` in a
subprocess, as a person or an operator would. Each server runs on a throwaway SQLite file, with
its own secrets, so neither ``var/db.sqlite3`` nor the developer's secrets are touched.
"""

from __future__ import annotations

import os
import secrets
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
LOOPBACK = "127.0.0.1"
START_TIMEOUT = 30.0
STOP_TIMEOUT = 10.0
COMMAND_TIMEOUT = 60.0
# Every e2e account shares one password: long enough for the validators, never a real one.
PASSWORD = "correct horse battery staple"  # noqa: S105 - a throwaway test password

# Variables that would point the server somewhere else than its throwaway database and cache.
_INHERITED_OUT = ("DATABASE_URL", "REDIS_URL", "DJANGO_SETTINGS_MODULE", "DJANGO_ENV", "DJANGO_DEBUG")


def free_port() -> int:
    """A TCP port of 127.0.0.1 that nothing listens on right now (the OS picks it)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind((LOOPBACK, 0))
        return probe.getsockname()[1]


def site_env(database: Path, **overrides: str) -> dict[str, str]:
    """The environment of ``make run``'s development profile, on ``database`` and fresh secrets."""
    env = {name: value for name, value in os.environ.items() if name not in _INHERITED_OUT}
    env.update(
        DATABASE_URL=f"sqlite:///{database}",
        DJANGO_ENV="development",
        DJANGO_ALLOWED_HOSTS=f"{LOOPBACK},localhost",
        # Given here, so the development profile does not read or create var/secret_key.
        DJANGO_SECRET_KEY=secrets.token_urlsafe(50),
        JWT_SIGNING_KEY=secrets.token_urlsafe(50),
        REDIS_URL="",
        PYTHONUNBUFFERED="1",
        PYTHONDONTWRITEBYTECODE="1",
    )
    env.update(overrides)
    return env


def manage(database: Path, *args: str, stdin: str | None = None, **env: str) -> str:
    """Run ``manage.py`` on ``database``; its standard output, or an error carrying both outputs."""
    result = subprocess.run(  # noqa: S603 - our own manage.py with fixed arguments
        [sys.executable, "manage.py", *args],
        cwd=REPO, env=site_env(database, **env), input=stdin, capture_output=True, text=True,
        timeout=COMMAND_TIMEOUT, check=False,
    )  # fmt: skip
    if result.returncode != 0:
        raise RuntimeError(f"manage.py {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}")
    return result.stdout


def migrated_database(directory: Path) -> Path:
    """A fresh SQLite database in ``directory`` with every migration applied."""
    database = directory / "db.sqlite3"
    manage(database, "migrate", "--noinput")
    return database


def create_account(database: Path, username: str, *, role: str = "user", premium: bool = False) -> None:
    """Create an account the way an operator does: ``createuser ... --password-stdin``."""
    args = ["createuser", username, "--email", f"{username}@example.com", "--role", role, "--password-stdin"]
    manage(database, *args, *(["--premium"] if premium else []), stdin=PASSWORD + "\n")


def database_copy(template: Path, directory: Path) -> Path:
    """A private copy of a prepared database, so one server's walk cannot leak into another's."""
    directory.mkdir(parents=True, exist_ok=True)
    return Path(shutil.copyfile(template, directory / "db.sqlite3"))


@dataclass
class Site:
    """A running ``manage.py runserver``; ``url("/login")`` is an address on it."""

    base_url: str
    database: Path
    log: Path
    process: subprocess.Popen

    def url(self, path: str = "/") -> str:
        return self.base_url + path

    def manage(self, *args: str, stdin: str | None = None) -> str:
        return manage(self.database, *args, stdin=stdin)

    def stop(self) -> None:
        """Stop the server (SIGTERM, then SIGKILL); safe to call twice."""
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(STOP_TIMEOUT)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(STOP_TIMEOUT)


def site_start(database: Path, work_dir: Path, **env: str) -> Site:
    """Start ``runserver --noreload`` on ``database`` and a free port; return once /healthz answers."""
    port = free_port()
    log = work_dir / f"runserver-{port}.log"
    with log.open("wb") as output:
        process = subprocess.Popen(  # noqa: S603 - our own manage.py with fixed arguments
            [sys.executable, "manage.py", "runserver", "--noreload", f"{LOOPBACK}:{port}"],
            cwd=REPO, env=site_env(database, **env), stdout=output, stderr=subprocess.STDOUT,
        )  # fmt: skip
    site = Site(f"http://{LOOPBACK}:{port}", database, log, process)
    try:
        _wait_until_healthy(site)
    except BaseException:
        site.stop()
        raise
    return site


def _wait_until_healthy(site: Site) -> None:
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if site.process.poll() is not None:
            raise RuntimeError(f"runserver exited with {site.process.returncode}:\n{_tail(site.log)}")
        try:
            with urllib.request.urlopen(site.url("/healthz"), timeout=1) as response:  # noqa: S310 - http on loopback
                if response.status == 200:
                    return
        except (urllib.error.URLError, OSError):
            pass
        time.sleep(0.1)
    raise RuntimeError(f"runserver did not answer /healthz within {START_TIMEOUT:.0f}s:\n{_tail(site.log)}")


def _tail(path: Path, lines: int = 30) -> str:
    try:
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return "(no log)"
