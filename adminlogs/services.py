"""Writes to the audit log. Callers run these inside the transaction of the change they record."""

from adminlogs.models import AuditAction, AuditEvent, Outcome

CONSOLE = "console"
ANONYMOUS = "anonymous"


def audit_record(
    *,
    action: AuditAction,
    actor,
    ip: str | None,
    target=None,
    target_label: str = "",
    outcome: Outcome = Outcome.SUCCESS,
    changes: dict | None = None,
    actor_label: str | None = None,
) -> AuditEvent:
    """Append one event. ``actor=None`` is the operator at the console unless labelled otherwise."""
    return AuditEvent.objects.create(
        action=action,
        outcome=outcome,
        actor=actor,
        actor_label=actor_label or (actor.username if actor else CONSOLE),
        target_user=target,
        target_label=target_label or (target.username if target else ""),
        ip=ip,
        changes=changes or {},
    )
