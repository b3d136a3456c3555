"""gunicorn configurations side by side, on the same core, data and rounds.

    .venv/bin/python bench/run.py --config 'gthread-2x4=' \
        --config 'sync-2=--worker-class=sync --threads=1' --only profile login-small-c8

Each ``NAME=ARGS`` is one gunicorn started with ``authsite/gunicorn.conf.py`` plus ARGS (an empty
ARGS is the file as it is). All of them run at once on the server's core, idle but one; every round
sends each load to each configuration in turn. Besides throughput, latency and CPU per request it
records each worker's resident size after the warm-up and at the end, with the requests served in
between, which is what ``max_requests`` has to bound.
"""

import shlex
import statistics
import time
from pathlib import Path

from bench.load import Load, wrk_run

DEFAULT_LOADS = ("bare-django", "stock-jwt", "profile", "login-small-c8")


def parse(specs: list[str]) -> dict[str, list[str]]:
    return {name: shlex.split(args) for name, _, args in (spec.partition("=") for spec in specs)}


def compare(configs: dict[str, list[str]], serve, loads: list[Load], args, core: str) -> dict:
    """Run every load against every configuration, interleaved; ``serve(name, extra_args)`` starts one."""
    servers = {name: serve(name, extra) for name, extra in configs.items()}
    loads = [load for load in loads if load.server == "small"]
    for server in servers.values():
        for load in loads:
            wrk_run(load, server, seconds=args.warmup, core=core)
    memory_before = {name: server.memory() for name, server in servers.items()}
    rounds, served = [], dict.fromkeys(servers, 0)
    for number in range(args.rounds):
        print(f"round {number + 1}/{args.rounds}", flush=True)
        results = {}
        for load in loads:
            names = list(servers)
            names = names[number % len(names) :] + names[: number % len(names)]
            for name in names:
                result = wrk_run(load, servers[name], seconds=args.seconds, core=core)
                results[f"{name} {load.name}"] = result
                served[name] += result["requests"]
                print(f"  {name:16} {load.name:16} {result['rps']:9.1f} rps  p50 {result['p50_us'] / 1000:7.2f} ms"
                      f"  cpu {result['cpu_us_per_request']:7.0f} us", flush=True)  # fmt: skip
        rounds.append(results)
    memory_after = {name: server.memory() for name, server in servers.items()}
    return {"configs": configs, "loads": [load.name for load in loads], "rounds": rounds, "served": served,
            "memory_before": memory_before, "memory_after": memory_after}  # fmt: skip


def render(data: dict) -> str:
    lines = ["# gunicorn configurations side by side", "",
             f"{len(data['rounds'])} interleaved rounds, server on one core; medians over rounds.", "",
             "| config | load | rps | p50 ms | p99 ms | CPU µs/req |", "|---|---|---:|---:|---:|---:|"]  # fmt: skip
    for load in data["loads"]:
        for name in data["configs"]:
            results = [r[f"{name} {load}"] for r in data["rounds"]]
            med = {
                key: statistics.median(r[key] for r in results)
                for key in ("rps", "p50_us", "p99_us", "cpu_us_per_request")
            }
            lines.append(f"| {name} | {load} | {med['rps']:.1f} | {med['p50_us'] / 1000:.2f} | "
                         f"{med['p99_us'] / 1000:.2f} | {med['cpu_us_per_request']:.0f} |")  # fmt: skip
    lines += ["", "| config | extra args | worker RSS (PSS) after warm-up MiB | at the end MiB | all processes "
              "PSS at the end MiB | requests served |", "|---|---|---|---|---:|---:|"]  # fmt: skip
    for name, extra in data["configs"].items():
        before, after = data["memory_before"][name], data["memory_after"][name]
        total_pss = after["master"]["pss_mib"] + sum(w["pss_mib"] for w in after["workers"])
        lines.append(f"| {name} | `{' '.join(extra) or '(config file)'}` | {_sizes(before)} | {_sizes(after)} | "
                     f"{total_pss:.0f} | {data['served'][name]} |")  # fmt: skip
    return "\n".join(lines) + "\n"


def _sizes(memory: dict) -> str:
    return ", ".join(f"{w['rss_mib']:.0f} ({w['pss_mib']:.0f})" for w in memory["workers"])


def save(data: dict, directory: Path) -> str:
    import json

    markdown = render(data)
    stamp = time.strftime("%Y%m%d-%H%M%S")
    directory.mkdir(parents=True, exist_ok=True)
    (directory / f"configs-{stamp}.json").write_text(json.dumps(data, indent=1) + "\n")
    (directory / f"configs-{stamp}.md").write_text(markdown)
    (directory / "configs-latest.md").write_text(markdown)
    return markdown
