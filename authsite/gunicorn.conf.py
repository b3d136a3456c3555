"""Gunicorn settings for authsite, read from the environment so the numbers change without a rebuild.

    gunicorn -c authsite/gunicorn.conf.py authsite.wsgi:application

The defaults are sized for the 2-core host; a load test is expected to retune them, which is why
each one says what it trades.
"""

import os


def _int(name: str, default: int) -> int:
    return int(os.environ.get(name, default))


# One process per core: password hashing (Argon2) is CPU-bound and holds the GIL, so processes, not
# threads, are what let two logins hash at the same time.
workers = _int("WEB_CONCURRENCY", 2)

# Threads cover the waiting part of a request (CockroachDB round trips, Redis, TLS handshakes):
# while one thread waits on the network another runs. More threads than this mostly queue behind
# the GIL during hashing and raise latency without raising throughput.
worker_class = "gthread"
threads = _int("GUNICORN_THREADS", 4)

# Recycle a worker after about this many requests to bound slow memory growth; the jitter keeps
# both workers from restarting at the same moment and leaving no one to answer.
max_requests = _int("GUNICORN_MAX_REQUESTS", 1000)
max_requests_jitter = _int("GUNICORN_MAX_REQUESTS_JITTER", 100)

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
