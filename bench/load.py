"""Load from wrk, pinned to its own core, and its numbers as a dict."""

import json
import subprocess
import tempfile
import urllib.request
from dataclasses import dataclass
from pathlib import Path

LUA = Path(__file__).resolve().parent / "lua"
WRK = "wrk"


@dataclass(frozen=True)
class Load:
    """One kind of request: where it goes, how it is made, and how many connections keep it busy."""

    name: str
    path: str
    connections: int = 8
    headers: tuple[str, ...] = ()
    method: str = "GET"
    script: str | None = None  # a file in bench/lua/ that makes the requests
    script_args: tuple[str, ...] = ()
    server: str = "small"  # which running server, and so which data set, it goes to

    def probe_body(self) -> bytes | None:
        """The body of one request like those the script sends."""
        if self.script == "login.lua":
            return json.dumps({"username": "load1", "password": self.script_args[-1]}).encode()
        if self.script == "argon2.lua":
            return json.dumps({"password": self.script_args[-1]}).encode()
        return None

    def describe(self) -> dict:
        path = self.path if "cursor=" not in self.path else self.path.split("cursor=")[0] + "cursor=<middle>"
        return {
            "name": self.name, "method": self.method, "path": path, "connections": self.connections,
            "server": self.server, "bearer": bool(self.headers),
        }  # fmt: skip


def probe(load: Load, base_url: str) -> dict:
    """Send one request of ``load`` and insist on a 200, so the bench never times an error page."""
    request = urllib.request.Request(base_url + load.path, data=load.probe_body(), method=load.method)  # noqa: S310
    for header in load.headers:
        name, _, value = header.partition(": ")
        request.add_header(name, value)
    if load.probe_body() is not None:
        request.add_header("Content-Type", "application/json")
    try:
        with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310 - our own loopback server
            return json.loads(response.read())
    except urllib.error.HTTPError as error:
        message = f"{load.name}: {load.method} {load.path} answered {error.code}: {error.read()[:500]!r}"
        raise RuntimeError(message) from None


def wrk_run(load: Load, server, *, seconds: float, core: str) -> dict:
    """Run wrk (one thread, pinned to ``core``) against ``load`` on ``server`` for ``seconds``.

    Its report, plus requests per second and the server's CPU time per request.
    """
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        if load.script:
            script.write((LUA / load.script).read_text())
        script.write((LUA / "report.lua").read_text())
    command = [
        "taskset", "-c", core, WRK, "-t1", f"-c{load.connections}", f"-d{max(1, round(seconds))}s", "--timeout", "10s",
        "-s", script.name, *(arg for header in load.headers for arg in ("-H", header)),
        server.url + load.path, "--", *load.script_args,
    ]  # fmt: skip
    cpu_before = server.cpu_seconds()
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=seconds + 60, check=False)  # noqa: S603
    finally:
        Path(script.name).unlink()
    cpu = server.cpu_seconds() - cpu_before
    if done.returncode != 0:
        raise RuntimeError(f"{load.name}: wrk failed ({done.returncode}): {done.stderr or done.stdout}")
    report = _report(done.stdout, load)
    report["cpu_us_per_request"] = cpu * 1e6 / max(report["requests"], 1)
    # How much of a core the server had: 1.0 on a saturated, uncontended core of its own.
    report["server_cores_busy"] = cpu / (report["duration_us"] / 1e6)
    return report


def _report(output: str, load: Load) -> dict:
    for line in output.splitlines():
        if line.startswith("BENCH "):
            report = json.loads(line.removeprefix("BENCH "))
            report["rps"] = report["requests"] / (report["duration_us"] / 1e6)
            report["errors"] = report["status_errors"] + report["socket_errors"]
            return report
    raise RuntimeError(f"{load.name}: wrk printed no report:\n{output}")
