"""gunicorn under the site's own config file, pinned to chosen cores, and its workers' memory."""

import os
import signal
import subprocess
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CONFIG = ROOT / "authsite" / "gunicorn.conf.py"
START_TIMEOUT = 60.0


@dataclass
class Gunicorn:
    """A running gunicorn master; ``url`` is where it answers."""

    process: subprocess.Popen
    url: str
    cores: str
    log: Path

    def workers(self) -> list[int]:
        """PIDs of the master's worker processes."""
        return [pid for pid in _all_pids() if _status(pid).get("PPid") == str(self.process.pid)]

    def memory(self) -> dict:
        """Resident and peak resident size (MiB) of the master and of each worker."""
        workers = [_memory_of(pid) for pid in self.workers()]
        return {"master": _memory_of(self.process.pid), "workers": workers}

    def cpu_seconds(self) -> float:
        """CPU time used so far by the master and every worker, including workers already recycled.

        Unlike throughput, this hardly moves when other programs compete for the core, so it is
        the steadier measure of what a request costs.
        """
        master = _cpu_of(self.process.pid, children=True)
        return master + sum(_cpu_of(pid, children=False) for pid in self.workers())

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)


def gunicorn_start(*, env: dict, port: int, cores: str, log: Path, extra_args: tuple[str, ...] = ()) -> Gunicorn:
    """Start gunicorn with ``authsite/gunicorn.conf.py`` on 127.0.0.1:``port`` under ``taskset -c cores``."""
    command = [
        "taskset", "-c", cores, str(ROOT / ".venv" / "bin" / "gunicorn"), "-c", str(CONFIG),
        "--bind", f"127.0.0.1:{port}", *extra_args, "authsite.wsgi:application",
    ]  # fmt: skip
    with log.open("ab") as output:
        process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=output, stderr=subprocess.STDOUT)  # noqa: S603
    server = Gunicorn(process=process, url=f"http://127.0.0.1:{port}", cores=cores, log=log)
    try:
        _wait_healthy(server)
    except BaseException:
        server.stop()
        raise
    return server


def _wait_healthy(server: Gunicorn) -> None:
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            raise RuntimeError(f"gunicorn exited; see {server.log}:\n{_tail(server.log)}")
        try:
            with urllib.request.urlopen(server.url + "/healthz", timeout=2) as response:  # noqa: S310
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"gunicorn did not answer /healthz in {START_TIMEOUT:.0f}s; see {server.log}")


def _tail(path: Path, lines: int = 30) -> str:
    return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])


def _all_pids() -> list[int]:
    return [int(name) for name in os.listdir("/proc") if name.isdigit()]


def _status(pid: int) -> dict[str, str]:
    try:
        text = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return {}
    return dict(line.split(":\t", 1) for line in text.splitlines() if ":\t" in line)


def _cpu_of(pid: int, *, children: bool) -> float:
    """utime + stime of ``pid`` (and of its reaped children: cutime + cstime), in seconds."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()
    except OSError:
        return 0.0
    # After the ")" that ends the command name: state is fields[0], utime fields[11] ... cstime fields[14].
    ticks = sum(int(value) for value in fields[11 : 15 if children else 13])
    return ticks / os.sysconf("SC_CLK_TCK")


def _memory_of(pid: int) -> dict:
    status = _status(pid)

    def mib(key: str) -> float:
        return round(int(status.get(key, "0 kB").split()[0]) / 1024, 1)

    return {"pid": pid, "rss_mib": mib("VmRSS"), "peak_rss_mib": mib("VmHWM"), "pss_mib": _pss_mib(pid)}


def _pss_mib(pid: int) -> float:
    """Proportional set size: shared pages split among the processes that share them."""
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                return round(int(line.split()[1]) / 1024, 1)
    except OSError:
        pass
    return 0.0


def pin_process_tree(pid: int, cores: str) -> None:
    """Move ``pid``, its threads and its children to ``cores`` (new children inherit it)."""
    children = [child for child in _all_pids() if _status(child).get("PPid") == str(pid)]
    for target in (pid, *children):
        subprocess.run(["taskset", "-a", "-cp", cores, str(target)], check=False, capture_output=True)  # noqa: S603, S607
