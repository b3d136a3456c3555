"""Start-up checks: production refuses to talk to its database or Redis without verified TLS."""

from django.conf import settings
from django.core import checks

TAG = "authsite"
VERIFIED_TLS_MODE = "verify-full"


@checks.register(TAG, checks.Tags.security, checks.Tags.database)
def database_uses_verified_tls(app_configs=None, **kwargs):
    """E001: in production the database connection must be ``sslmode=verify-full``."""
    if not _enforced():
        return []
    database = settings.DATABASES["default"]
    mode = database.get("OPTIONS", {}).get("sslmode", "unset")
    if "sqlite" in database["ENGINE"] or mode != VERIFIED_TLS_MODE:
        return [
            checks.Error(
                f"The database connection is not verified TLS (sslmode={mode}, engine "
                f"{database['ENGINE']}); production needs sslmode={VERIFIED_TLS_MODE}.",
                hint="Add ?sslmode=verify-full&sslrootcert=...&sslcert=...&sslkey=... to DATABASE_URL.",
                id="authsite.E001",
            )
        ]
    return []


@checks.register(TAG, checks.Tags.security, checks.Tags.caches)
def redis_uses_tls(app_configs=None, **kwargs):
    """E002: in production Redis must be reached over ``rediss://``."""
    if not _enforced():
        return []
    location = settings.CACHES["default"].get("LOCATION", "")
    if not str(location).startswith("rediss://"):
        return [
            checks.Error(
                "Redis is not reached over TLS; production needs a rediss:// REDIS_URL.",
                hint="Use rediss://HOST:PORT/DB and set REDIS_CA_CERT to the CA that signed Redis.",
                id="authsite.E002",
            )
        ]
    return []


def _enforced() -> bool:
    return settings.PRODUCTION and not settings.ALLOW_PLAINTEXT_SERVICES_FOR_LOCAL_EXPERIMENTS


def enforce_at_startup() -> None:
    """Run the checks above and refuse to serve if any fails (gunicorn runs no system checks)."""
    errors = [e for e in checks.run_checks(tags=[TAG]) if e.is_serious()]
    if errors:
        from django.core.exceptions import ImproperlyConfigured

        raise ImproperlyConfigured("; ".join(f"{e.id}: {e.msg}" for e in errors))
