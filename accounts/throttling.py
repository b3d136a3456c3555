"""Rate limits on the ways into an account, each refusal written to the audit log."""

from adminlogs.models import AuditAction, Outcome
from adminlogs.services import ANONYMOUS, audit_record
from authsite.db import atomic_with_retry
from authsite.errors import RateLimited
from authsite.throttle import throttle_hit


def throttle_or_record(*, scope: str, key: str | None, ip: str | None, label: str) -> None:
    """Count an attempt; past the limit, record the refusal and raise ``RateLimited``."""
    try:
        throttle_hit(scope=scope, key=key)
    except RateLimited:
        throttle_record(scope=scope, label=label, ip=ip)
        raise


@atomic_with_retry
def throttle_record(*, scope: str, label: str, ip: str | None) -> None:
    """Audit one refused attempt, with what was being attempted."""
    audit_record(
        action=AuditAction.THROTTLED, actor=None, actor_label=ANONYMOUS, target_label=label[:200],
        outcome=Outcome.DENIED, ip=ip, changes={"scope": scope},
    )  # fmt: skip
