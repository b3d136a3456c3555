"""Reads of the audit log and of the system settings admins may see."""

from datetime import datetime

from django.conf import settings

from adminlogs.models import AuditEvent


def audit_list(
    *,
    action: str | None = None,
    actor: str | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
):
    """Events newest first, narrowed by action, actor name and time range."""
    events = AuditEvent.objects.all()
    if action:
        events = events.filter(action=action)
    if actor:
        events = events.filter(actor_label=actor)
    if since:
        events = events.filter(created_at__gte=since)
    if until:
        events = events.filter(created_at__lt=until)
    return events.order_by("-created_at", "-id")


def system_settings() -> dict[str, object]:
    """What an admin may know about the running configuration; never a secret or a host."""
    database = settings.DATABASES["default"]
    options = database.get("OPTIONS", {})
    jwt = settings.SIMPLE_JWT
    return {
        "environment": settings.DJANGO_ENV,
        "debug": settings.DEBUG,
        "database_engine": database["ENGINE"],
        "database_tls": options.get("sslmode", "disable") if "sqlite" not in database["ENGINE"] else "n/a (embedded)",
        "cache_backend": settings.CACHES["default"]["BACKEND"],
        "session_engine": settings.SESSION_ENGINE,
        "access_token_lifetime_seconds": int(jwt["ACCESS_TOKEN_LIFETIME"].total_seconds()),
        "refresh_token_lifetime_seconds": int(jwt["REFRESH_TOKEN_LIFETIME"].total_seconds()),
        "jwt_algorithm": jwt["ALGORITHM"],
        "moderator_suspension_days": [
            settings.MODERATOR_SUSPENSION_MIN_DAYS,
            settings.MODERATOR_SUSPENSION_MAX_DAYS,
        ],
        "rate_limits": settings.RATE_LIMITS,
    }
