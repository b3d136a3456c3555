"""Gunicorn settings for authsite, read from the environment so the numbers change without a rebuild.

    gunicorn -c authsite/gunicorn.conf.py authsite.wsgi:application

The defaults are sized for the 2-core host and come from ``make bench`` (bench/run.py; the
``--config`` mode puts configurations side by side on one core, same data, interleaved rounds).
Each one says what it trades and what was measured. The numbers are from a shared 2-core VM, so
read them as ratios, not as what production will serve.
"""

import os


def _int(name: str, default: int) -> int:
    return int(os.environ.get(name, default))


# One process per core: everything in a request but the Argon2 hash itself runs Python under the
# GIL, so processes, not threads, are what use the second core. (argon2-cffi releases the GIL while
# it hashes, so the threads of one worker can also hash side by side.) Logins scale with workers
# until the cores are full: on the 2-core bench host, 17.7 logins/s with one single-threaded worker,
# 38.0 with two (2.15x), 49.3 with four, both cores then busy (bench/results/latest.md).
workers = _int("WEB_CONCURRENCY", 2)

# Threads cover the waiting part of a request (database round trips, Redis, TLS handshakes): while
# one thread waits on the network another runs. Measured on one core, same data, interleaved
# (bench/results/configs-latest.md): GET /api/profile, one PostgreSQL and one Redis round trip,
# served 240 requests/s with 2 workers x 4 threads, 163 with 2 x 1 thread, 230 with 2 sync workers
# and 213 with 3; logins were the same for every shape (24-25/s: hashing is CPU). Each thread that
# has hashed keeps its 19 MiB Argon2 block in its malloc arena, so a worker rests at about 117 MiB
# and reaches ~180 MiB once all 4 threads have served logins: the default configuration peaked at
# 380 MiB in a burst of logins on 32 connections, inside the 1 GiB budget of a 2-core host.
worker_class = "gthread"
threads = _int("GUNICORN_THREADS", 4)

# Recycle a worker after about this many requests to bound slow memory growth; the jitter keeps
# both workers from restarting at the same moment and leaving no one to answer. A restart is not
# free: a new worker spends about 1.1 s of CPU importing the site. At the previous 1,000 it cost the
# bare Django view 1.9x the CPU per request (1,879 us against 981) and put 200-320 ms stalls into
# p99 latency, while a worker's resident size moved by 1 MiB over ~9,400 requests. At 50,000 a
# restart costs about 2 % at full load and growth stays within a few MiB.
max_requests = _int("GUNICORN_MAX_REQUESTS", 50_000)
max_requests_jitter = _int("GUNICORN_MAX_REQUESTS_JITTER", 5_000)

# A request still running after 30 s is stuck (every endpoint answers in well under a second,
# hashing included); kill the worker rather than let it hold a thread forever.
timeout = _int("GUNICORN_TIMEOUT", 30)
# On SIGTERM (a deploy, `docker stop`) in-flight requests get this long to finish. Keep it below
# the orchestrator's own stop timeout, or the worker is SIGKILLed mid-request anyway.
graceful_timeout = _int("GUNICORN_GRACEFUL_TIMEOUT", 30)
# Idle keep-alive connections are held this long. A few seconds is enough for a browser's burst of
# requests; behind a load balancer it should exceed the balancer's idle timeout.
keepalive = _int("GUNICORN_KEEPALIVE", 5)

# All interfaces inside the container: the port is published, or a proxy in front reaches it.
bind = f"0.0.0.0:{_int('PORT', 8000)}"

# Logs to stdout/stderr, where the container runtime collects them; nothing is written to disk.
accesslog = "-"
errorlog = "-"

# Only these peers may tell gunicorn a request arrived over HTTPS (X-Forwarded-Proto) and so set
# wsgi.url_scheme. Set it to the TLS proxy's address; never "*" when clients can reach gunicorn
# directly. Django's own DJANGO_BEHIND_TLS_PROXY is a separate switch and must agree with it.
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1,::1")

# The heartbeat file of each worker lives in memory: on a disk-backed /tmp a slow fsync can make
# a healthy worker look hung and get it killed.
worker_tmp_dir = os.environ.get("GUNICORN_WORKER_TMP_DIR", "/dev/shm")  # noqa: S108

# Gunicorn 25+ opens a control socket under $HOME by default. Nothing uses it here, the image's user
# has no home to put it in, and an unused management interface is one more thing to secure.
control_socket_disable = True
