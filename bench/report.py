"""What a bench run measured: medians, ratios per round, the targets of issue 5, and the tables."""

import json
import os
import platform
import runpy
import statistics
import subprocess
import time
from importlib import metadata
from pathlib import Path
from unittest import mock

from bench.server import CONFIG
from tests.servers import PG_BIN

PACKAGES = ("Django", "djangorestframework", "PyJWT", "djangorestframework-simplejwt", "gunicorn",
            "argon2-cffi", "psycopg", "redis", "django-redis")  # fmt: skip
GUNICORN_KEYS = ("worker_class", "workers", "threads", "max_requests", "max_requests_jitter", "keepalive",
                 "timeout", "preload_app", "accesslog")  # fmt: skip

THROUGHPUT = (
    ("bare-django", "Django `JsonResponse` view, full middleware, no DRF"),
    ("stock-jwt", "DRF + simplejwt `JWTAuthentication` (1 user query)"),
    ("stateless-jwt", "DRF + simplejwt `JWTStatelessUserAuthentication` (no query, no revocation)"),
    ("authsite-jwt", "authsite auth + matrix permission, same body as the refs (diagnostic)"),
    ("profile", "authsite `GET /api/profile`, Bearer, revocation on"),
    ("welcome", "authsite `GET /api/welcome`, no token"),
)
SCALE = (
    ("logs-first-small", "`GET /api/admin/logs`, first page, small"),
    ("logs-first-large", "`GET /api/admin/logs`, first page, large"),
    ("logs-deep-small", "`GET /api/admin/logs`, cursor at the middle row, small"),
    ("logs-deep-large", "`GET /api/admin/logs`, cursor at the middle row, large"),
    ("login-small", "`POST /api/login`, 1 connection, small"),
    ("login-large", "`POST /api/login`, 1 connection, large"),
)
LOGIN = (
    ("argon2-inprocess", "raw argon2-cffi verify, in process, on the server's core"),
    ("argon2-verify", "bench endpoint: JSON body + raw verify, 1 connection"),
    ("login-small", "`POST /api/login`, 1 connection"),
    ("login-small-c8", "`POST /api/login`, 8 connections"),
)
# (label, load, reference, how, goal): "rps" a/b, "p50" a/b, "time" b.rps/a.rps.
TARGETS = (
    ("`GET /api/profile` throughput / stock DRF + simplejwt", "profile", "stock-jwt", "rps", (">=", 1.5)),
    ("`GET /api/profile` throughput / stateless simplejwt", "profile", "stateless-jwt", "rps", (">=", 0.9)),
    ("`GET /api/profile` throughput / bare Django view", "profile", "bare-django", "rps", (">=", 0.6)),
    ("`POST /api/login` p50 / raw Argon2 verify (in process)", "login-small", "argon2-inprocess", "p50", ("<=", 1.2)),
    ("`POST /api/login` p50 / verify-only endpoint (HTTP)", "login-small", "argon2-verify", "p50", ("<=", 1.2)),
    ("admin logs, first page: time at large / small", "logs-first-large", "logs-first-small", "time", ("<=", 1.5)),
    ("admin logs, middle page: time at large / small", "logs-deep-large", "logs-deep-small", "time", ("<=", 1.5)),
    ("`POST /api/login` p50: large / small account table", "login-large", "login-small", "p50", ("<=", 1.1)),
)
DIAGNOSTICS = (
    ("authsite auth (same body) / stock DRF + simplejwt", "authsite-jwt", "stock-jwt", "rps"),
    ("authsite auth (same body) / stateless simplejwt", "authsite-jwt", "stateless-jwt", "rps"),
    ("authsite auth (same body) / bare Django view", "authsite-jwt", "bare-django", "rps"),
    ("`GET /api/profile` / authsite auth (same body)", "profile", "authsite-jwt", "rps"),
    ("`GET /api/welcome` / bare Django view", "welcome", "bare-django", "rps"),
)
SCALING_GOAL = 1.7  # two workers on two cores: close to twice one worker


def environment(env: dict) -> dict:
    return {
        "python": platform.python_version(),
        "packages": {name: _version(name) for name in PACKAGES},
        "postgresql": _first_line([str(PG_BIN / "postgres"), "--version"]),
        "redis": _first_line(["redis-server", "--version"]),
        "wrk": _first_line(["wrk", "-v"]),
        "cpu": _cpu_model(),
        "cpus": os.cpu_count(),
        "kernel": platform.release(),
        "memory_mib": _mem_total_mib(),
        "loadavg_start": loadavg(),
        "settings": {
            "DJANGO_ENV": env["DJANGO_ENV"],
            "DJANGO_SETTINGS_MODULE": env["DJANGO_SETTINGS_MODULE"],
            "database": "PostgreSQL 15, TLS verify-full, SERIALIZABLE",
            "cache": "Redis, TLS (rediss://)",
        },
    }


def gunicorn_settings(env: dict, extra_args: list[str], cores: str) -> dict:
    """The values ``authsite/gunicorn.conf.py`` gives under ``env``, as the servers ran them."""
    with mock.patch.dict(os.environ, env, clear=True):
        config = runpy.run_path(str(CONFIG))
    values = {key: config.get(key) for key in GUNICORN_KEYS if key in config}
    return values | {"extra_args": extra_args, "cores": cores}


def loadavg() -> str:
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


def summarize(data: dict) -> dict:
    rounds = data["rounds"]
    names = {name for result in rounds for name in result}
    loads = {name: _medians([r[name] for r in rounds if name in r]) for name in sorted(names)}
    targets = [_target(rounds, *target) for target in TARGETS if _has(rounds, target[1], target[2])]
    diagnostics = [_ratio_row(rounds, *row) for row in DIAGNOSTICS if _has(rounds, row[1], row[2])]
    scaling = data.get("login_scaling") or []
    if len(scaling) >= 2:
        value = scaling[1]["rps"] / scaling[0]["rps"]
        targets.append({"label": "`POST /api/login` throughput: 2 workers / 1 worker (2 cores)",
                        "value": value, "goal": f">= {SCALING_GOAL}", "met": value >= SCALING_GOAL})  # fmt: skip
    return {"loads": loads, "targets": targets, "diagnostics": diagnostics}


def save(data: dict, directory: Path, *, keep_latest: bool) -> str:
    data["summary"] = summarize(data)
    stamp = time.strftime("%Y%m%d-%H%M%S")
    data["finished_at"] = stamp
    markdown = render(data)
    directory.mkdir(parents=True, exist_ok=True)
    names = [stamp] + (["latest"] if keep_latest else [])
    for name in names:
        (directory / f"{name}.json").write_text(json.dumps(data, indent=1, sort_keys=True) + "\n")
        (directory / f"{name}.md").write_text(markdown)
    return markdown


def render(data: dict) -> str:
    summary, env, rounds = data["summary"], data["environment"], data["rounds"]
    loads = summary["loads"]
    lines = [f"# authsite bench, {data['finished_at']}", ""]
    lines += [_run_line(data), ""]
    lines += ["## Throughput (server on core 0, wrk on core 1)", "",
              "CPU µs/req: the server's CPU time per request (all its processes); core: the share of core 0 "
              "it had during the load (1.00 = all of it; less = waiting, or other programs on the machine); "
              "× columns: throughput ratio, median of per-round ratios.", ""]  # fmt: skip
    lines += ["| endpoint | conns | rps | p50 ms | p99 ms | CPU µs/req | core | × bare | × stock JWT "
              "| × stateless JWT |", "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]  # fmt: skip
    for name, label in THROUGHPUT:
        if name in loads:
            ratios = [
                _fmt(_median_ratio(rounds, name, ref, "rps")) for ref in ("bare-django", "stock-jwt", "stateless-jwt")
            ]
            lines.append(f"| {label} | {_conns(data, name)} | {_row(loads[name])} | {' | '.join(ratios)} |")
    lines += ["", "## Targets (issue 5; median of the per-round ratios)", "",
              "| target | measured | goal | | by server CPU time |", "|---|---:|---:|---|---:|"]  # fmt: skip
    for target in summary["targets"]:
        lines.append(f"| {target['label']} | {target['value']:.2f} | {target['goal']} | "
                     f"{'met' if target['met'] else '**missed**'} | {_fmt(target.get('by_cpu'))} |")  # fmt: skip
    lines += ["", "Diagnostics (not targets):", "", "| ratio | measured | by server CPU time |", "|---|---:|---:|"]
    lines += [f"| {row['label']} | {row['value']:.2f} | {_fmt(row['by_cpu'])} |" for row in summary["diagnostics"]]
    lines += _table(data, "Scale: small = {small}, large = {large}", SCALE)
    lines += _table(data, "Login and the hash", LOGIN)
    lines += _scaling(data) + _memory(data)
    lines += ["", "## Environment", "", _environment_line(env, data["gunicorn"]), ""]
    return "\n".join(lines) + "\n"


def _table(data: dict, title: str, rows) -> list[str]:
    sets = data["data_sets"]
    title = title.format(
        small=f"{sets['small']['accounts']:,} accounts / {sets['small']['audit_rows']:,} audit rows",
        large=f"{sets['large']['accounts']:,} accounts / {sets['large']['audit_rows']:,} audit rows",
    )
    lines = [
        "",
        f"## {title}",
        "",
        "| what | conns | rps | p50 ms | p99 ms | CPU µs/req | core |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for name, label in rows:
        if name in data["summary"]["loads"]:
            lines.append(f"| {label} | {_conns(data, name)} | {_row(data['summary']['loads'][name])} |")
    return lines


def _scaling(data: dict) -> list[str]:
    if not data.get("login_scaling"):
        return []
    lines = ["", "## Login throughput per worker count (server on both cores, sync workers, 8 connections)",
             "", "| workers | rps | p50 ms | p99 ms | cores the server used | rps per core used |",
             "|---:|---:|---:|---:|---:|---:|"]  # fmt: skip
    for row in data["login_scaling"]:
        busy = row["server_cores_busy"]
        lines.append(f"| {row['workers']} | {row['rps']:.1f} | {row['p50_us'] / 1000:.1f} | "
                     f"{row['p99_us'] / 1000:.1f} | {busy:.2f} | {row['rps'] / busy:.1f} |")  # fmt: skip
    return lines


def _memory(data: dict) -> list[str]:
    memory = data.get("memory")
    if not memory:
        return []
    config = data["gunicorn"]
    idle, peak = memory["idle"], memory["after_burst"]
    idle_workers = [w["rss_mib"] for w in idle["workers"]]
    peak_workers = [w["peak_rss_mib"] for w in peak["workers"]]
    total_peak = peak["master"]["peak_rss_mib"] + sum(peak_workers)
    burst = memory["burst"]
    shape = f"{config.get('workers')} workers × {config.get('threads')} threads"
    idle_total = idle["master"]["rss_mib"] + sum(idle_workers)
    return [
        "", f"## Memory (default config: {shape}, both cores)", "",
        "| | master MiB | each worker MiB | all processes MiB |", "|---|---:|---:|---:|",
        f"| at rest (RSS, after one request of each kind) | {idle['master']['rss_mib']:.0f} | "
        f"{', '.join(f'{v:.0f}' for v in idle_workers)} | {idle_total:.0f} |",
        f"| peak (VmHWM) after {burst['requests']} logins on 32 connections ({burst['rps']:.1f} rps) | "
        f"{peak['master']['peak_rss_mib']:.0f} | {', '.join(f'{v:.0f}' for v in peak_workers)} | {total_peak:.0f} |",
    ]  # fmt: skip


def _run_line(data: dict) -> str:
    rounds = len(data["rounds"])
    errors = sum(r.get("errors", 0) for round_ in data["rounds"] for r in round_.values())
    env = data["environment"]
    return (f"{rounds} interleaved rounds; every number is the median over rounds. Failed requests: {errors}. "
            f"Whole run: {data.get('runtime_seconds', 0):.0f} s. Load average at start {env['loadavg_start']}, "
            f"end {env.get('loadavg_end')}.")  # fmt: skip


def _environment_line(env: dict, gunicorn: dict) -> str:
    packages = ", ".join(f"{name} {version}" for name, version in env["packages"].items())
    config = ", ".join(f"{key}={value}" for key, value in gunicorn.items() if key != "accesslog" or value)
    servers = f"{env['postgresql']}; {env['redis'].split(' sha')[0]}; {env['wrk'].split(' [')[0]}"
    return (f"Python {env['python']}; {packages}. {servers}. "
            f"CPU: {env['cpu']} × {env['cpus']}, {env['memory_mib']} MiB, Linux {env['kernel']}. "
            f"gunicorn: {config}. Settings: {env['settings']}.")  # fmt: skip


def _medians(results: list[dict]) -> dict:
    keys = ("rps", "p50_us", "p99_us", "cpu_us_per_request", "server_cores_busy")
    medians = {key: statistics.median(r[key] for r in results) for key in keys if all(key in r for r in results)}
    return medians | {"errors": sum(r.get("errors", 0) for r in results), "rounds": len(results)}


def _ratio(a: dict, b: dict, how: str, basis: str) -> float:
    """``a`` against ``b``: throughput ("rps"), latency ("p50") or time per request ("time").

    On the "cpu" basis the server's CPU time per request stands in: throughput is its inverse.
    """
    if basis == "cpu":
        a, b = a["cpu_us_per_request"], b["cpu_us_per_request"]
        return b / a if how == "rps" else a / b
    if how == "p50":
        return a["p50_us"] / b["p50_us"]
    return a["rps"] / b["rps"] if how == "rps" else b["rps"] / a["rps"]


def _median_ratio(rounds: list[dict], name: str, reference: str, how: str, basis: str = "observed") -> float | None:
    ratios = [_ratio(r[name], r[reference], how, basis) for r in rounds if name in r and reference in r]
    return statistics.median(ratios) if ratios else None


def _target(rounds, label, name, reference, how, goal) -> dict:
    value = _median_ratio(rounds, name, reference, how)
    op, bound = goal
    return {"label": label, "load": name, "reference": reference, "value": value, "goal": f"{op} {bound}",
            "by_cpu": _median_ratio(rounds, name, reference, how, "cpu"),
            "met": value >= bound if op == ">=" else value <= bound}  # fmt: skip


def _ratio_row(rounds, label, name, reference, how) -> dict:
    return {"label": label, "value": _median_ratio(rounds, name, reference, how),
            "by_cpu": _median_ratio(rounds, name, reference, how, "cpu")}  # fmt: skip


def _has(rounds, *names) -> bool:
    return all(any(name in r for r in rounds) for name in names)


def _row(medians: dict) -> str:
    rps = f"{medians['rps']:.1f}" if "rps" in medians else "–"
    cpu = f"{medians['cpu_us_per_request']:.0f}" if "cpu_us_per_request" in medians else "–"
    busy = f"{medians['server_cores_busy']:.2f}" if "server_cores_busy" in medians else "–"
    return f"{rps} | {medians['p50_us'] / 1000:.2f} | {medians['p99_us'] / 1000:.2f} | {cpu} | {busy}"


def _conns(data: dict, name: str) -> str:
    load = next((load for load in data["loads"] if load["name"] == name), None)
    return str(load["connections"]) if load else "–"


def _fmt(value: float | None) -> str:
    return "–" if value is None else f"{value:.2f}"


def _version(name: str) -> str:
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return "absent"


def _first_line(command: list[str]) -> str:
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=10, check=False)  # noqa: S603
    except OSError:
        return "absent"
    return (done.stdout or done.stderr).strip().splitlines()[0]


def _cpu_model() -> str:
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            return line.split(":", 1)[1].strip()
    return platform.processor()


def _mem_total_mib() -> int:
    for line in Path("/proc/meminfo").read_text().splitlines():
        if line.startswith("MemTotal:"):
            return int(line.split()[1]) // 1024
    return 0
