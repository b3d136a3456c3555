"""Where a worker's time goes under one load: py-spy over every worker, summed by function.

    pip install -r bench/requirements.txt
    .venv/bin/python bench/run.py --profile profile     # any load name from bench/run.py

py-spy samples the running gunicorn workers from outside (no code change, little overhead) and
counts only the thread holding the GIL, so waits on PostgreSQL and Redis do not count; it runs on
the load generator's core. The summary lists the functions that the most samples were inside
(inclusive) and the ones that were running (self), in percent of the samples.
"""

import shutil
import subprocess
import tempfile
import threading
from collections import Counter
from pathlib import Path

from bench.load import Load, wrk_run

RESULTS = Path(__file__).resolve().parent / "results"
TOP = 30
IDLE_FRAMES = ("wait (selectors", "select (selectors", "poll (selectors", "sleep", "accept (socket")


def profile_load(load: Load, servers: dict, seconds: float) -> None:
    py_spy = shutil.which("py-spy") or str(Path(__file__).resolve().parents[1] / ".venv" / "bin" / "py-spy")
    if not Path(py_spy).exists():
        raise SystemExit("py-spy is not installed: .venv/bin/pip install -r bench/requirements.txt")
    server = servers[load.server]
    with tempfile.TemporaryDirectory() as work:
        output = Path(work) / "stacks.txt"
        command = ["taskset", "-c", "1", py_spy, "record", "--pid", str(server.process.pid), "--subprocesses",
                   "--format", "raw", "--rate", "200", "--gil", "--duration", str(int(seconds)),
                   "--output", str(output), "--nonblocking"]  # fmt: skip
        recorder = threading.Thread(target=subprocess.run, args=(command,), kwargs={"capture_output": True})
        recorder.start()
        result = wrk_run(load, server, seconds=seconds, core="1")
        recorder.join()
        print(f"{load.name}: {result['rps']:.1f} rps, p50 {result['p50_us'] / 1000:.2f} ms under py-spy")
        kept = RESULTS / f"profile-{load.name}.txt"
        kept.parent.mkdir(exist_ok=True)
        shutil.copyfile(output, kept)
        print(summarize(output.read_text()))
        print(f"\nfolded stacks (for flamegraph.pl or speedscope): {kept}")


def summarize(collapsed: str) -> str:
    inclusive, own, total = Counter(), Counter(), 0
    for line in collapsed.splitlines():
        stack, _, count = line.rpartition(" ")
        frames = stack.split(";")
        if not count.isdigit() or any(marker in frames[-1] for marker in IDLE_FRAMES):
            continue
        samples = int(count)
        total += samples
        own[frames[-1]] += samples
        for frame in set(frames):
            inclusive[frame] += samples
    lines = [f"{total} busy samples", "", "inclusive %  function"]
    lines += [f"{100 * n / total:10.1f}  {frame}" for frame, n in inclusive.most_common(TOP)]
    lines += ["", "self %       function"]
    lines += [f"{100 * n / total:10.1f}  {frame}" for frame, n in own.most_common(TOP)]
    return "\n".join(lines)
