"""The README's test command: the whole suite on the embedded default, then on TLS servers.

Phase 1 runs every test on SQLite and the in-process cache, exactly what ``make run`` uses.
Phase 2 makes a CA and certificates with certs/gencerts.py, starts a throwaway PostgreSQL
(SERIALIZABLE by default, like CockroachDB, client-certificate logins only) and a throwaway
Redis, both TLS-only on free loopback ports, runs the suite again against them with
``sslmode=verify-full``, and stops them whatever happened. A server that cannot start fails the
run; nothing is skipped. Extra arguments go to pytest in both phases; ``--servers-only`` first
runs the second phase alone.
"""

import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.servers import start_tls_postgres, start_tls_redis  # noqa: E402

# Tests that need real servers; the embedded phase leaves them out rather than skipping them.
SERVER_ONLY = "tests/realservers"
# The browser walks start their own site on the embedded default; once is enough. A glob, since
# pytest does not apply a plain --ignore to a folder named in testpaths.
EMBEDDED_ONLY = "e2e/*"
SERVICE_VARIABLES = ("DATABASE_URL", "REDIS_URL", "REDIS_CA_CERT", "REDIS_CLIENT_CERT", "REDIS_CLIENT_KEY")


def pytest(args: list[str], env: dict[str, str], label: str) -> int:
    print(f"\n=== {label} ===", flush=True)
    return subprocess.call([sys.executable, "-m", "pytest", *args], cwd=ROOT, env=env)


def embedded_environment() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in SERVICE_VARIABLES and k != "DJANGO_ENV"}
    return env


def make_certificates(cert_dir: Path) -> None:
    subprocess.run(
        [sys.executable, str(ROOT / "certs" / "gencerts.py"), "--dir", str(cert_dir), "all",
         "--host", "localhost", "--host", "127.0.0.1", "--client", "authsite"],
        check=True, stdout=subprocess.DEVNULL,
    )  # fmt: skip


def run_on_servers(extra: list[str]) -> int:
    with tempfile.TemporaryDirectory(prefix="authsite-servers-") as work:
        cert_dir = Path(work) / "certs"
        make_certificates(cert_dir)
        postgres = start_tls_postgres(cert_dir, Path(work))
        try:
            redis = start_tls_redis(cert_dir, Path(work))
            try:
                env = embedded_environment() | {
                    "DATABASE_URL": postgres.database_url(cert_dir, scheme="postgresql"),
                    "REDIS_URL": redis.url,
                    "REDIS_CA_CERT": str(cert_dir / "ca.crt"),
                    "AUTHSITE_TEST_CERT_DIR": str(cert_dir),
                }
                return pytest([f"--ignore-glob={EMBEDDED_ONLY}", *extra], env, "TLS PostgreSQL + TLS Redis")
            finally:
                redis.stop()
        finally:
            postgres.stop()


def main(extra: list[str]) -> int:
    if extra[:1] == ["--servers-only"]:
        return run_on_servers(extra[1:])
    embedded = pytest([f"--ignore={SERVER_ONLY}", *extra], embedded_environment(), "embedded default")
    servers = run_on_servers(extra)
    print(f"\nembedded default: {'passed' if embedded == 0 else 'FAILED'}; "
          f"TLS servers: {'passed' if servers == 0 else 'FAILED'}")  # fmt: skip
    failed = (embedded != 0) + (servers != 0)
    print(f"suites: {2 - failed} passed, {failed} failed")
    return 0 if failed == 0 else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
