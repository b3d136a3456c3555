"""``make bench``: authsite's API beside stock DRF + simplejwt, under gunicorn with production settings.

    .venv/bin/python bench/run.py                    # the full run (under 10 minutes on 2 cores)
    .venv/bin/python bench/run.py --quick            # a smoke run: small data, short rounds
    .venv/bin/python bench/run.py --profile profile  # py-spy the workers under one load, then stop

It makes certificates, starts the TLS PostgreSQL and TLS Redis that the tests use, migrates, and fills
two databases: "small" (1,000 login accounts, 10,000 audit rows) and "large" (1,000,000 of each,
a copy of small grown in SQL). One gunicorn per database, both with ``authsite/gunicorn.conf.py``
and DJANGO_ENV=production, run on core 0; wrk, PostgreSQL and Redis run on core 1. After a warm-up,
every load runs once per round, rounds repeated, so that noise on the machine hits all of them
alike; each ratio is the median of its per-round ratios. Then a fresh server on both cores gives
the memory of its workers at rest and at the peak of a burst of logins, and login throughput per
worker count. Results: bench/results/<time>.json and .md, and latest.json / latest.md.
"""

import argparse
import contextlib
import json
import os
import secrets
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import quote

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench import capacity, configs, report  # noqa: E402
from bench.hashing import BENCH_PASSWORD  # noqa: E402
from bench.load import Load, probe, wrk_run  # noqa: E402
from bench.server import Gunicorn, gunicorn_start, pin_process_tree  # noqa: E402
from tests.servers import free_port, start_tls_postgres, start_tls_redis  # noqa: E402

PYTHON = ROOT / ".venv" / "bin" / "python"
SERVER_CORE, LOAD_CORE = "0", "1"
# Variables of the caller's shell that would change what the bench measures.
CLEARED = ("DATABASE_URL", "REDIS_URL", "REDIS_CA_CERT", "REDIS_CLIENT_CERT", "REDIS_CLIENT_KEY",
           "WEB_CONCURRENCY", "DJANGO_SETTINGS_MODULE")  # fmt: skip
CLEARED_PREFIXES = ("DJANGO_", "JWT_", "RATE_LIMIT_", "GUNICORN_", "DATABASE_", "SESSION_")


def main() -> int:
    args = _arguments()
    _preflight()
    started = time.monotonic()
    os.sched_setaffinity(0, {int(LOAD_CORE)})  # this process only waits, but not on the server's core
    work = Path(tempfile.mkdtemp(prefix="authsite-bench-"))
    try:
        data = bench(args, work)
    except BaseException:
        print(f"\nbench failed; its logs are kept in {work}", file=sys.stderr)
        raise
    shutil.rmtree(work, ignore_errors=True)
    if args.profile:
        return 0
    if args.config:
        print("\n" + configs.save(data, ROOT / "bench" / "results"))
        return 0
    data["runtime_seconds"] = round(time.monotonic() - started, 1)
    markdown = report.save(data, ROOT / "bench" / "results", keep_latest=not (args.quick or args.only))
    print("\n" + markdown)
    return 0


def _preflight() -> None:
    """Refuse to start without what the bench needs, with the way to get it."""
    missing = [tool for tool in ("wrk", "taskset") if shutil.which(tool) is None]
    if missing:
        raise SystemExit(f"bench: {', '.join(missing)} not found; run `make system-deps` (scripts/system-deps.sh).")
    if not {int(SERVER_CORE), int(LOAD_CORE)} <= os.sched_getaffinity(0):
        raise SystemExit("bench: needs cores 0 and 1 (the server on one, the load generator on the other).")


def _arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    # Many short rounds rather than a few long ones: on a shared machine a burst of someone else's
    # work spoils one load in one round, and the median over six rounds shrugs it off.
    parser.add_argument("--rounds", type=int, default=6)
    parser.add_argument("--seconds", type=int, default=3, help="length of one load in one round")
    parser.add_argument("--warmup", type=int, default=2, help="seconds of warm-up per load")
    parser.add_argument("--small", type=int, nargs=2, default=(1_000, 10_000), metavar=("ACCOUNTS", "AUDIT_ROWS"))
    parser.add_argument(
        "--large", type=int, nargs=2, default=(1_000_000, 1_000_000), metavar=("ACCOUNTS", "AUDIT_ROWS")
    )
    parser.add_argument("--quick", action="store_true", help="a smoke run (not saved as latest)")
    parser.add_argument("--only", nargs="*", help="just these loads, no memory or scaling (not saved as latest)")
    parser.add_argument("--profile", metavar="LOAD", help="py-spy the workers under LOAD and print the top frames")
    parser.add_argument("--gunicorn-arg", action="append", default=[], help="extra gunicorn argument, e.g. "
                        "--gunicorn-arg=--max-requests=0 (exploring only)")  # fmt: skip
    parser.add_argument("--config", action="append", default=[], metavar="NAME=ARGS",
                        help="compare gunicorn configurations instead (see bench/configs.py)")  # fmt: skip
    args = parser.parse_args()
    if args.quick:
        args.rounds, args.seconds, args.warmup = 2, 2, 1
        args.large = (20_000, 50_000)
    return args


def bench(args, work: Path) -> dict:
    with contextlib.ExitStack() as stack:
        envs, data_sets = _services_and_data(stack, work, args)
        loads = _loads(data_sets["small"], data_sets["large"], small_accounts=args.small[0],
                       large_accounts=args.large[0])  # fmt: skip
        if args.only or args.config:
            chosen = args.only or configs.DEFAULT_LOADS
            loads = [load for load in loads if load.name in chosen]
        if args.config:

            def serve(name, extra):
                return _serve(stack, envs["small"], work / f"gunicorn-{name}.log", SERVER_CORE, extra)

            return configs.compare(configs.parse(args.config), serve, loads, args, LOAD_CORE)
        servers = {
            name: _serve(stack, env, work / f"gunicorn-{name}.log", SERVER_CORE, args.gunicorn_arg)
            for name, env in envs.items()
        }
        for load in loads:
            probe(load, servers[load.server].url)
        if args.profile:
            from bench.profiling import profile_load

            profile_load(next(x for x in loads if x.name == args.profile), servers, args.seconds * 3)
            return {}
        return _measure(args, work, envs["small"], data_sets, servers, loads)


def _services_and_data(stack, work: Path, args) -> tuple[dict, dict]:
    """TLS PostgreSQL and Redis (on the load core), both data sets, and the site's environment for each."""
    cert_dir = _certificates(work)
    postgres = start_tls_postgres(cert_dir, work)
    stack.callback(postgres.stop)
    redis = start_tls_redis(cert_dir, work)
    stack.callback(redis.stop)
    pin_process_tree(_postmaster_pid(postgres), LOAD_CORE)
    pin_process_tree(redis.process.pid, LOAD_CORE)
    print("services up; preparing data", flush=True)
    keys = {"DJANGO_SECRET_KEY": secrets.token_urlsafe(50), "JWT_SIGNING_KEY": secrets.token_urlsafe(50)}
    small_url = postgres.database_url(cert_dir, scheme="postgresql")
    large_url = postgres.database_url(cert_dir, scheme="postgresql", database="authsite_large")
    envs = {
        "small": _site_env(keys, small_url, redis.url, cert_dir),
        "large": _site_env(keys, large_url, redis.url.removesuffix("/0") + "/1", cert_dir),
    }
    small = _prepare("setup", envs["small"], *args.small)
    _clone_database(postgres, cert_dir, source=postgres.database, target="authsite_large")
    large = _prepare("grow", envs["large"], *args.large)
    print(f"data ready: small {small['accounts']} accounts / {small['audit_rows']} audit rows, "
          f"large {large['accounts']} / {large['audit_rows']}", flush=True)  # fmt: skip
    return envs, {"small": small, "large": large}


def _measure(args, work: Path, env: dict, data_sets: dict, servers: dict, loads: list[Load]) -> dict:
    data = {
        "environment": report.environment(env),
        "loads": [load.describe() for load in loads],
        "data_sets": {name: _without_secrets(data_set) for name, data_set in data_sets.items()},
        "gunicorn": report.gunicorn_settings(env, args.gunicorn_arg, SERVER_CORE),
    }
    _warm_up(loads, servers, args.warmup)
    data["rounds"] = _rounds(loads, servers, args)
    data["memory_idle_after_rounds"] = {name: server.memory() for name, server in servers.items()}
    if not args.only:

        def serve(stack, name, cores, extra_args):
            log = work / f"gunicorn-{name}.log"
            return _serve(stack, env, log, cores, [*extra_args, *args.gunicorn_arg])

        data["memory"] = capacity.memory(serve, loads, seconds=args.seconds)
        data["login_scaling"] = capacity.login_scaling(serve, loads, seconds=args.seconds)
    data["environment"]["loadavg_end"] = report.loadavg()
    return data


def _certificates(work: Path) -> Path:
    cert_dir = work / "certs"
    subprocess.run(  # noqa: S603 - our own certificate generator
        [str(PYTHON), str(ROOT / "certs" / "gencerts.py"), "--dir", str(cert_dir), "all",
         "--host", "localhost", "--host", "127.0.0.1", "--client", "authsite"],
        check=True, stdout=subprocess.DEVNULL,
    )  # fmt: skip
    return cert_dir


def _postmaster_pid(postgres) -> int:
    return int((postgres.home / "data" / "postmaster.pid").read_text().split()[0])


def _site_env(keys: dict, database_url: str, redis_url: str, cert_dir: Path) -> dict:
    """Production settings with this run's throwaway secrets, the TLS services, and bench limits."""
    env = {
        name: value for name, value in os.environ.items()
        if name not in CLEARED and not name.startswith(CLEARED_PREFIXES)
    }  # fmt: skip
    return (
        env
        | keys
        | {
            "DJANGO_SETTINGS_MODULE": "bench.settings",
            "DJANGO_ENV": "production",
            "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
            # Loopback has no TLS proxy in front; everything else stays as production has it.
            "DJANGO_SECURE_SSL_REDIRECT": "false",
            "DATABASE_URL": database_url,
            "REDIS_URL": redis_url,
            "REDIS_CA_CERT": str(cert_dir / "ca.crt"),
            # The load is one client hammering a few accounts: the brute-force limits would refuse it.
            "RATE_LIMIT_LOGIN_IP": "1000000/m",
            "RATE_LIMIT_LOGIN_ACCOUNT": "1000000/m",
            # The bench's tokens must outlive the run (production: 5 minutes).
            "JWT_ACCESS_MINUTES": "60",
        }
    )


def _prepare(step: str, env: dict, accounts: int, audit_rows: int) -> dict:
    command = [str(PYTHON), "-m", "bench.prepare", step, "--accounts", str(accounts), "--audit-rows", str(audit_rows)]
    started = time.monotonic()
    done = subprocess.run(command, cwd=ROOT, env=env, check=True, capture_output=True, text=True)  # noqa: S603
    return json.loads(done.stdout) | {"prepare_seconds": round(time.monotonic() - started, 1)}


def _clone_database(postgres, cert_dir: Path, *, source: str, target: str) -> None:
    import psycopg
    from psycopg import sql

    with psycopg.connect(**postgres.conninfo(cert_dir, dbname="postgres"), autocommit=True) as connection:
        connection.execute(
            sql.SQL("CREATE DATABASE {} TEMPLATE {}").format(sql.Identifier(target), sql.Identifier(source))
        )


def _without_secrets(data_set: dict) -> dict:
    return {key: value for key, value in data_set.items() if not key.endswith("_access")}


def _serve(stack, env: dict, log: Path, cores: str, extra_args) -> Gunicorn:
    server = gunicorn_start(env=env, port=free_port(), cores=cores, log=log, extra_args=tuple(extra_args))
    stack.callback(server.stop)
    return server


def _loads(small: dict, large: dict, *, small_accounts: int, large_accounts: int) -> list[Load]:
    member = (f"Authorization: Bearer {small['member_access']}",)
    admin = (f"Authorization: Bearer {small['admin_access']}",)
    login = {"script": "login.lua", "connections": 1, "method": "POST"}
    logs = {"headers": admin, "path": "/api/admin/logs"}
    deep = {"small": quote(small["deep_cursor"]), "large": quote(large["deep_cursor"])}
    return [
        Load("bare-django", "/bench/bare"),
        Load("stock-jwt", "/bench/stock-jwt", headers=member),
        Load("stateless-jwt", "/bench/stateless-jwt", headers=member),
        Load("authsite-jwt", "/bench/authsite-jwt", headers=member),
        Load("profile", "/api/profile", headers=member),
        Load("welcome", "/api/welcome"),
        Load("logs-first-small", **logs),
        Load("logs-first-large", **logs, server="large"),
        Load("logs-deep-small", headers=admin, path=f"/api/admin/logs?cursor={deep['small']}"),
        Load("logs-deep-large", headers=admin, path=f"/api/admin/logs?cursor={deep['large']}", server="large"),
        Load("login-small", "/api/login", **login, script_args=(str(small_accounts), BENCH_PASSWORD)),
        Load("login-large", "/api/login", **login, script_args=(str(large_accounts), BENCH_PASSWORD), server="large"),
        Load("argon2-verify", "/bench/argon2-verify", script="argon2.lua", connections=1, method="POST",
             script_args=(BENCH_PASSWORD,)),
        Load("login-small-c8", "/api/login", **(login | {"connections": 8}),
             script_args=(str(small_accounts), BENCH_PASSWORD)),
    ]  # fmt: skip


def _warm_up(loads: list[Load], servers: dict, seconds: float) -> None:
    print(f"warming up ({len(loads)} loads x {seconds:g}s)", flush=True)
    for load in loads:
        result = wrk_run(load, servers[load.server], seconds=seconds, core=LOAD_CORE)
        if result["errors"]:
            raise RuntimeError(f"{load.name}: {result['errors']} failed requests during warm-up")


def _rounds(loads: list[Load], servers: dict, args) -> list[dict]:
    rounds = []
    for number in range(args.rounds):
        print(f"round {number + 1}/{args.rounds}", flush=True)
        results = {"argon2-inprocess": _argon2_inprocess()}
        # Each round starts one load later, so no load always follows the same neighbour.
        shift = number % len(loads)
        for load in loads[shift:] + loads[:shift]:
            results[load.name] = wrk_run(load, servers[load.server], seconds=args.seconds, core=LOAD_CORE)
            result = results[load.name]
            print(f"  {load.name:20} {result['rps']:9.1f} rps  p50 {result['p50_us'] / 1000:7.2f} ms  "
                  f"cpu {result['cpu_us_per_request']:8.0f} us/request", flush=True)  # fmt: skip
        rounds.append(results)
    return rounds


def _argon2_inprocess(count: int = 30) -> dict:
    """The raw verify time on the server's core, between loads, so it meets the same machine."""
    command = ["taskset", "-c", SERVER_CORE, str(PYTHON), "-m", "bench.hashing", str(count)]
    done = subprocess.run(command, cwd=ROOT, check=True, capture_output=True, text=True)  # noqa: S603
    return json.loads(done.stdout)


if __name__ == "__main__":
    sys.exit(main())
