"""Liveness and readiness probes, cheap enough to poll every second."""

from django.contrib.auth.decorators import login_not_required
from django.core.cache import caches
from django.db import connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET


@login_not_required
@never_cache
@require_GET
def healthz(request):
    """The process is up and serving; it touches nothing else."""
    return JsonResponse({"status": "ok"})


@login_not_required
@never_cache
@require_GET
def readyz(request):
    """The database and the cache both answer; 503 names whichever does not."""
    checks = {"database": _database_answers(), "cache": _cache_answers()}
    ready = all(checks.values())
    body = {"status": "ok" if ready else "unavailable"}
    body.update({name: "ok" if ok else "unavailable" for name, ok in checks.items()})
    return JsonResponse(body, status=200 if ready else 503)


def _database_answers() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            return cursor.fetchone() == (1,)
    except Exception:
        return False


def _cache_answers() -> bool:
    cache = caches["ratelimit"]  # raises on failure, unlike the default alias
    client = getattr(cache, "client", None)
    try:
        if client is not None and hasattr(client, "get_client"):
            return bool(client.get_client(write=True).ping())
        cache.get("readyz")
        return True
    except Exception:
        return False
