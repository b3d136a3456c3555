"""The whole 2-core host: the default configuration's memory, and login throughput per worker count.

``serve(stack, name, cores, extra_args)`` starts a gunicorn with the site's config file (plus
``extra_args``) that ``stack`` stops; wrk stays on the load core, now shared with the server, which
costs little at a few dozen logins a second.
"""

import contextlib

from bench.load import Load, probe, wrk_run

BOTH_CORES = "0,1"
LOAD_CORE = "1"
BURST_CONNECTIONS = 32  # more than 2 workers x 4 threads, so every thread hashes at once


def memory(serve, loads: list[Load], *, seconds: int) -> dict:
    """Workers at rest (after one request of each kind), then at the peak of a burst of logins."""
    login = next(load for load in loads if load.name == "login-small")
    burst = Load("login-burst", login.path, connections=BURST_CONNECTIONS, script=login.script,
                 method="POST", script_args=login.script_args)  # fmt: skip
    with contextlib.ExitStack() as stack:
        server = serve(stack, "memory", BOTH_CORES, [])
        for load in loads:
            if load.server == "small":
                probe(load, server.url)
        idle = server.memory()
        result = wrk_run(burst, server, seconds=seconds, core=LOAD_CORE)
        return {"cores": BOTH_CORES, "idle": idle, "after_burst": server.memory(), "burst": result}


def login_scaling(serve, loads: list[Load], *, seconds: int) -> list[dict]:
    """Login throughput on both cores with 1, 2 and 4 workers that serve one request at a time.

    Sync workers take a connection only when free, so the load spreads evenly whatever wrk does
    with its connections (a gthread worker accepts while busy, and 8 kept-alive connections can
    all land on one worker). The default configuration's own login rate is in the memory burst.
    """
    login = next(load for load in loads if load.name == "login-small-c8")
    results = []
    for workers in (1, 2, 4):
        shape = ["--worker-class=sync", "--threads=1", f"--workers={workers}"]
        with contextlib.ExitStack() as stack:
            server = serve(stack, f"sync-{workers}", BOTH_CORES, shape)
            wrk_run(login, server, seconds=1, core=LOAD_CORE)
            result = wrk_run(login, server, seconds=seconds, core=LOAD_CORE)
        results.append({"workers": workers, "worker_class": "sync", "cores": BOTH_CORES, **result})
        print(f"  login, {workers} sync worker(s): {result['rps']:.1f} rps", flush=True)
    return results
