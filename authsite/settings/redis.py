"""Cache configuration for Redis (production) or the embedded default's local caches."""

from pathlib import Path


def caches(
    url: str | None, *, ca_cert: str | None, client_cert: str | None, client_key: str | None, embedded_dir: Path
) -> dict:
    """Two aliases over one Redis: ``default`` degrades when Redis is down, ``ratelimit`` does not.

    ``default`` holds sessions (cached_db, so the database still has them) and revocation
    state; losing it costs speed, not correctness, so its errors are ignored. The rate-limit
    counters must not silently read as zero while Redis is away, so ``ratelimit`` raises and
    the throttled endpoints answer 503 (see ``authsite.throttle``).

    Without Redis, ``default`` is a folder of files (``embedded_dir``) rather than memory: the
    revocation state must be one for every process on the database, or a ``manage.py ban`` in
    a shell would not reach the running server's cached token versions. Rate-limit counters
    stay in memory, per process, as a laptop needs no more.
    """
    if not url:
        return {
            "default": {
                "BACKEND": "authsite.cache.SharedFileCache",
                "LOCATION": str(embedded_dir),
                # Django's default of 300 would cull entries at random, revoked families included.
                "OPTIONS": {"MAX_ENTRIES": 1_000_000},
            },
            "ratelimit": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "ratelimit"},
        }
    pool = {
        # Fail fast: a request must not hang on a Redis that went away.
        "socket_connect_timeout": 0.5,
        "socket_timeout": 0.5,
        "health_check_interval": 30,
    }
    if url.startswith("rediss://"):
        pool.update(ssl_cert_reqs="required", ssl_check_hostname=True)
        if ca_cert:
            pool["ssl_ca_certs"] = ca_cert
        if client_cert:
            pool.update(ssl_certfile=client_cert, ssl_keyfile=client_key)

    def alias(ignore_exceptions: bool, prefix: str) -> dict:
        return {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": url,
            "KEY_PREFIX": prefix,
            "OPTIONS": {
                "CONNECTION_POOL_KWARGS": pool,
                "IGNORE_EXCEPTIONS": ignore_exceptions,
            },
        }

    return {"default": alias(True, "authsite"), "ratelimit": alias(False, "rl")}
