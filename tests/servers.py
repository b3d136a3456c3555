"""Throwaway PostgreSQL and Redis servers that speak only verified TLS, for tests.

    pg = start_tls_postgres(cert_dir, work_dir)            # node.crt/node.key/ca.crt from cert_dir
    try:
        psycopg.connect(**pg.conninfo(cert_dir))           # verify-full + client.authsite.crt
        pg.database_url(cert_dir)                          # the same, as a DATABASE_URL
    finally:
        pg.stop()

    redis = start_tls_redis(cert_dir, work_dir)            # rediss://127.0.0.1:<port>/0
    ...
    redis.stop()

``cert_dir`` is a CockroachDB-style certs dir (see certs/gencerts.py). Both servers listen on a free
port of 127.0.0.1 only, keep nothing once stopped, and every wait is bounded. PostgreSQL runs like
CockroachDB where the app can tell: every transaction SERIALIZABLE, and logins by client certificate
whose CN is the user name. Its binaries come from Debian's postgresql-15 (PG_BIN overrides the path),
Redis's from redis-server; both are on the project's machines.
"""

from __future__ import annotations

import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote, urlencode

PG_BIN = Path(os.environ.get("PG_BIN", "/usr/lib/postgresql/15/bin"))
REDIS_SERVER = os.environ.get("REDIS_SERVER", "redis-server")
LOOPBACK = "127.0.0.1"
START_TIMEOUT = 30.0
STOP_TIMEOUT = 15.0
# The OS user the server runs as when the tests run as root (PostgreSQL refuses to run as root).
POSTGRES_OS_USER = "postgres"


class ServerStartError(RuntimeError):
    """A test server did not come up; the message carries the end of its log."""


def free_port() -> int:
    """A TCP port of 127.0.0.1 that nothing listens on right now (the OS picks it)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind((LOOPBACK, 0))
        return probe.getsockname()[1]


def wait_for_port(port: int, *, timeout: float, alive: Callable[[], bool]) -> None:
    """Return once something accepts on ``port``; raise if ``alive()`` turns false or time runs out."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if not alive():
            raise ServerStartError(f"the server exited before listening on port {port}")
        try:
            with socket.create_connection((LOOPBACK, port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.05)
    raise ServerStartError(f"nothing listened on port {port} within {timeout:.0f}s")


def log_tail(path: Path, lines: int = 30) -> str:
    try:
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return "(no log)"


def _server_home(prefix: str) -> tuple[Path, list[str]]:
    """A fresh private directory for a server's files, and the command prefix to run it with.

    As root the server runs as ``postgres``, which cannot enter pytest's own temp dirs (they are 0700
    root), so the directory is made under the system temp dir and handed to that user. The path is
    short on purpose: it also holds a Unix socket, whose path may not exceed 107 bytes.
    """
    home = Path(tempfile.mkdtemp(prefix=prefix))
    if os.geteuid() != 0:
        return home, []
    account = pwd.getpwnam(POSTGRES_OS_USER)
    os.chown(home, account.pw_uid, account.pw_gid)
    return home, ["runuser", "-u", POSTGRES_OS_USER, "--"]


def _install(source: Path, target: Path, mode: int, owner_of: Path) -> None:
    """Copy ``source`` to ``target`` with ``mode``, owned like ``owner_of`` (servers check key owners)."""
    shutil.copyfile(source, target)
    os.chmod(target, mode)
    stat = owner_of.stat()
    if os.geteuid() == 0:
        os.chown(target, stat.st_uid, stat.st_gid)


# --- PostgreSQL -----------------------------------------------------------------------------------


@dataclass
class PgServer:
    """A running PostgreSQL that accepts only ``hostssl ... cert`` logins on ``host:port``."""

    port: int
    user: str
    database: str
    home: Path
    host: str = LOOPBACK
    _run_as: list[str] = field(default_factory=list, repr=False)
    _log_copy: Path | None = field(default=None, repr=False)

    def conninfo(self, cert_dir: Path, *, user: str | None = None, **overrides) -> dict[str, str]:
        """psycopg.connect() keywords for a verify-full login with ``client.<user>`` from ``cert_dir``."""
        user = user or self.user
        params = {
            "host": self.host,
            "port": str(self.port),
            "dbname": self.database,
            "user": user,
            "sslmode": "verify-full",
            "sslrootcert": str(Path(cert_dir) / "ca.crt"),
            "sslcert": str(Path(cert_dir) / f"client.{user}.crt"),
            "sslkey": str(Path(cert_dir) / f"client.{user}.key"),
            "connect_timeout": "10",
        }
        params.update(overrides)
        return params

    def database_url(self, cert_dir: Path, *, scheme: str = "postgres", database: str | None = None) -> str:
        """The same login as a DATABASE_URL (use scheme="cockroachdb" for django-cockroachdb)."""
        info = self.conninfo(cert_dir)
        query = urlencode({key: info[key] for key in ("sslmode", "sslrootcert", "sslcert", "sslkey")}, safe="/")
        name = quote(database or self.database)
        return f"{scheme}://{quote(self.user)}@{self.host}:{self.port}/{name}?{query}"

    def stop(self) -> None:
        """Stop the server (fast shutdown, then SIGKILL) and delete its files; safe to call twice."""
        if not self.home.exists():
            return
        try:
            _pg_ctl(self._run_as, self.home, "stop", "-m", "fast")
        except (subprocess.SubprocessError, OSError):
            _kill_postmaster(self.home / "data")
        finally:
            if self._log_copy is not None:
                shutil.copyfile(self.home / "postgres.log", self._log_copy)
            shutil.rmtree(self.home, ignore_errors=True)


def start_tls_postgres(
    cert_dir: Path,
    work_dir: Path | None = None,
    *,
    user: str = "authsite",
    database: str | None = None,
    timeout: float = START_TIMEOUT,
) -> PgServer:
    """Start PostgreSQL 15 with ``cert_dir``'s node.crt/node.key, trusting only its ca.crt.

    Logins: ``hostssl all all 127.0.0.1/32 cert`` and nothing else over TCP, so a client must verify
    the server and present a certificate whose CN is its user name. ``user`` is created with LOGIN and
    CREATEDB (pytest-django makes its own test database) and owns ``database`` (default: ``user``).
    The log is copied to ``work_dir/postgres.log`` when the server stops. Call ``stop()`` in a
    ``finally`` or a fixture teardown.
    """
    home, run_as = _server_home("authsite-pg-")
    try:
        _init_cluster(run_as, home, Path(cert_dir))
        port = _start_cluster(run_as, home, timeout)
        server = PgServer(
            port=port,
            user=user,
            database=database or user,
            home=home,
            _run_as=run_as,
            _log_copy=Path(work_dir) / "postgres.log" if work_dir else None,
        )
        _create_login(server)
    except BaseException:
        _kill_postmaster(home / "data")
        shutil.rmtree(home, ignore_errors=True)
        raise
    return server


def _init_cluster(run_as: list[str], home: Path, cert_dir: Path) -> None:
    """initdb, the node certificate copied in for the server's user, and a TLS-only configuration."""
    data = home / "data"
    _run([*run_as, str(PG_BIN / "initdb"), "-D", str(data), "-U", "postgres", "-A", "trust", "--no-sync"])
    for name, mode in (("node.crt", 0o644), ("node.key", 0o600), ("ca.crt", 0o644)):
        _install(cert_dir / name, home / name, mode, owner_of=data)
    (data / "pg_hba.conf").write_text(
        # The socket lives in a directory only the server's OS user (and root) may enter, so trust
        # there is how the test sets itself up. Over TCP, only TLS with a client certificate.
        "local all postgres trust\nhostssl all all 127.0.0.1/32 cert\n"
    )
    with (data / "postgresql.conf").open("a") as conf:
        conf.write(_postgres_conf(home))


def _postgres_conf(home: Path) -> str:
    return f"""
listen_addresses = '{LOOPBACK}'
unix_socket_directories = '{home}'
ssl = on
ssl_cert_file = '{home}/node.crt'
ssl_key_file = '{home}/node.key'
ssl_ca_file = '{home}/ca.crt'
ssl_min_protocol_version = 'TLSv1.2'
# CockroachDB runs every transaction SERIALIZABLE; tests should meet the same conflicts.
default_transaction_isolation = 'serializable'
# A throwaway server: durability buys nothing and costs seconds.
fsync = off
synchronous_commit = off
full_page_writes = off
max_connections = 60
"""


def _start_cluster(run_as: list[str], home: Path, timeout: float) -> int:
    """Start on a free port; try another if one was taken between choosing and binding it."""
    for _attempt in range(3):
        port = free_port()
        try:
            _pg_ctl(run_as, home, "start", "-o", f"-p {port}", timeout=timeout)
            return port
        except subprocess.CalledProcessError as error:
            if "already in use" not in log_tail(home / "postgres.log"):
                raise ServerStartError(f"PostgreSQL did not start:\n{log_tail(home / 'postgres.log')}") from error
    raise ServerStartError("PostgreSQL found no free port in three tries")


def _pg_ctl(run_as: list[str], home: Path, action: str, *args: str, timeout: float = STOP_TIMEOUT) -> None:
    command = [*run_as, str(PG_BIN / "pg_ctl"), action, "-D", str(home / "data"), "-w", "-t", str(int(timeout))]
    if action == "start":
        command += ["-l", str(home / "postgres.log")]
    _run([*command, *args], timeout=timeout + 5)


def _create_login(server: PgServer) -> None:
    """The certificate user, with CREATEDB, and its database; as the superuser over the socket."""
    import psycopg
    from psycopg import sql

    superuser = {"host": str(server.home), "port": server.port, "user": "postgres", "dbname": "postgres"}
    with psycopg.connect(**superuser, autocommit=True, connect_timeout=10) as connection:
        role, database = sql.Identifier(server.user), sql.Identifier(server.database)
        connection.execute(sql.SQL("CREATE ROLE {} LOGIN CREATEDB").format(role))
        connection.execute(sql.SQL("CREATE DATABASE {} OWNER {}").format(database, role))


def _kill_postmaster(data: Path) -> None:
    """Last resort when pg_ctl could not stop the server: SIGKILL the postmaster from its pid file."""
    try:
        pid = int((data / "postmaster.pid").read_text().split()[0])
        os.kill(pid, 9)
    except (OSError, ValueError, IndexError):
        pass


def _run(command: list[str], *, timeout: float = START_TIMEOUT) -> None:
    subprocess.run(command, check=True, capture_output=True, timeout=timeout, cwd="/")


# --- Redis ----------------------------------------------------------------------------------------


@dataclass
class RedisServer:
    """A running redis-server that listens only with TLS, on ``host:port``."""

    port: int
    process: subprocess.Popen = field(repr=False)
    home: Path = field(repr=False)
    host: str = LOOPBACK
    _log_copy: Path | None = field(default=None, repr=False)

    @property
    def url(self) -> str:
        return f"rediss://{self.host}:{self.port}/0"

    def client_kwargs(self, cert_dir: Path, **overrides) -> dict:
        """redis.Redis() keywords that verify the server against ``cert_dir``/ca.crt."""
        kwargs = {
            "host": self.host,
            "port": self.port,
            "ssl": True,
            "ssl_ca_certs": str(Path(cert_dir) / "ca.crt"),
            "ssl_cert_reqs": "required",
            "socket_timeout": 5,
            "socket_connect_timeout": 5,
        }
        kwargs.update(overrides)
        return kwargs

    def stop(self) -> None:
        """SIGTERM, then SIGKILL after STOP_TIMEOUT; delete its files. Safe to call twice."""
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=STOP_TIMEOUT)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=STOP_TIMEOUT)
        if self.home.exists():
            if self._log_copy is not None:
                shutil.copyfile(self.home / "redis.log", self._log_copy)
            shutil.rmtree(self.home, ignore_errors=True)


def start_tls_redis(
    cert_dir: Path,
    work_dir: Path | None = None,
    *,
    cert_name: str = "node",
    client_auth: str = "no",
    timeout: float = START_TIMEOUT,
) -> RedisServer:
    """Start redis-server with TLS only (``--port 0``), serving ``<cert_name>.crt`` from ``cert_dir``.

    ``client_auth`` is redis's ``tls-auth-clients``: "no", "optional" or "yes" (client certificates
    signed by ca.crt). Nothing is persisted. The log is copied to ``work_dir/redis.log`` on stop.
    """
    cert_dir = Path(cert_dir)
    home = Path(tempfile.mkdtemp(prefix="authsite-redis-"))
    port = free_port()
    command = [
        REDIS_SERVER,
        *("--bind", LOOPBACK, "--port", "0", "--tls-port", str(port)),
        *("--tls-cert-file", str(cert_dir / f"{cert_name}.crt")),
        *("--tls-key-file", str(cert_dir / f"{cert_name}.key")),
        *("--tls-ca-cert-file", str(cert_dir / "ca.crt")),
        *("--tls-auth-clients", client_auth),
        *("--save", "", "--appendonly", "no", "--dir", str(home), "--logfile", str(home / "redis.log")),
    ]
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=home)
    server = RedisServer(
        port=port, process=process, home=home, _log_copy=Path(work_dir) / "redis.log" if work_dir else None
    )
    try:
        # redis-server loads its certificates before it binds, so a listening port means TLS is ready.
        wait_for_port(port, timeout=timeout, alive=lambda: process.poll() is None)
    except BaseException as error:
        detail = log_tail(home / "redis.log")
        server.stop()
        if isinstance(error, ServerStartError):
            raise ServerStartError(f"{error}\n{detail}") from error
        raise
    return server
