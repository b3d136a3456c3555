"""Raw Argon2 with the site's parameters, and its verify time: ``python -m bench.hashing N``.

The floor a login is compared with: argon2-cffi alone, no Django request, no HTTP. The bench runs
it pinned to the server's core so it meets the same CPU. Prints, as JSON in microseconds, the p50
and p99 of the wall-clock time and the median CPU time of one verify.
"""

import json
import statistics
import sys
import time

from argon2 import PasswordHasher

from accounts.hashers import TunedArgon2PasswordHasher

# Every bench account has this password; they exist only in the bench's throwaway database.
BENCH_PASSWORD = "bench password, not a secret"  # noqa: S105


def site_hasher() -> PasswordHasher:
    """argon2-cffi set up exactly as ``TunedArgon2PasswordHasher`` (Argon2id, m=19 MiB, t=2, p=1)."""
    return PasswordHasher(
        time_cost=TunedArgon2PasswordHasher.time_cost,
        memory_cost=TunedArgon2PasswordHasher.memory_cost,
        parallelism=TunedArgon2PasswordHasher.parallelism,
    )


def verify_times(count: int) -> tuple[list[float], list[float]]:
    """Wall-clock and CPU time of ``count`` verifies, in microseconds."""
    hasher = site_hasher()
    encoded = hasher.hash(BENCH_PASSWORD)
    hasher.verify(encoded, BENCH_PASSWORD)  # the first touch of the memory is not counted
    wall, cpu = [], []
    for _ in range(count):
        started, started_cpu = time.perf_counter(), time.thread_time()
        hasher.verify(encoded, BENCH_PASSWORD)
        wall.append((time.perf_counter() - started) * 1e6)
        cpu.append((time.thread_time() - started_cpu) * 1e6)
    return wall, cpu


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def main() -> None:
    wall, cpu = verify_times(int(sys.argv[1]) if len(sys.argv) > 1 else 40)
    json.dump({
        "count": len(wall), "p50_us": statistics.median(wall), "p99_us": percentile(wall, 0.99),
        "mean_us": statistics.fmean(wall), "cpu_us_per_request": statistics.median(cpu),
    }, sys.stdout)  # fmt: skip


if __name__ == "__main__":
    main()
