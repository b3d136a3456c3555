"""Services: atomic with their audit record, and safe under retries."""

import pytest
from django.db import OperationalError

from accounts import services
from accounts.roles import Role
from accounts.tests.factories import UserFactory
from adminlogs.models import AuditAction, AuditEvent
from authsite.db import atomic_with_retry
from authsite.errors import PermissionDenied, TransactionConflict

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_failed_audit_write_rolls_the_suspension_back(monkeypatch):
    target = UserFactory(username="target")

    def broken_audit(**kwargs):
        raise RuntimeError("audit storage failed")

    monkeypatch.setattr(services, "audit_record", broken_audit)
    with pytest.raises(RuntimeError):
        services.user_suspend(actor=None, target=target, reason="x", days=1, ip=None)
    target.refresh_from_db()
    assert not target.is_suspended
    assert target.token_version == 0


def test_a_failed_audit_write_rolls_the_registration_back(monkeypatch):
    monkeypatch.setattr(services, "audit_record", lambda **kwargs: 1 / 0)
    with pytest.raises(ZeroDivisionError):
        services.user_register(username="alice", email="a@example.com", password="x" * 16, ip=None)
    assert not services.User.objects.filter(username="alice").exists()


def test_console_operator_may_suspend_anyone_for_any_allowed_time():
    admin = UserFactory(role=Role.ADMIN)
    services.user_suspend(actor=None, target=admin, reason="compromised", days=None, ip=None)
    admin.refresh_from_db()
    assert admin.is_suspended and admin.suspended_until is None
    assert AuditEvent.objects.get(action=AuditAction.USER_SUSPENDED).actor_label == "console"


def test_admin_cannot_change_their_own_role():
    admin = UserFactory(role=Role.ADMIN)
    with pytest.raises(PermissionDenied):
        services.user_set_role(actor=admin, target=admin, role=Role.USER, ip=None)


def _serialization_failure():
    class Cause(Exception):
        sqlstate = "40001"

    error = OperationalError("could not serialize access")
    error.__cause__ = Cause()
    return error


def test_retry_runs_the_transaction_again_after_a_conflict(settings):
    settings.DATABASE_RETRY_BASE_DELAY = 0
    attempts = []

    @atomic_with_retry
    def flaky():
        attempts.append(1)
        if len(attempts) < 3:
            raise _serialization_failure()
        return "committed"

    assert flaky() == "committed"
    assert len(attempts) == 3


def test_retry_gives_up_with_a_503_error_and_leaves_nothing_behind(settings):
    settings.DATABASE_RETRY_BASE_DELAY = 0
    target = UserFactory(username="target")

    @atomic_with_retry
    def always_conflicts():
        services.User.objects.filter(pk=target.pk).update(bio="half-written")
        raise _serialization_failure()

    with pytest.raises(TransactionConflict):
        always_conflicts()
    target.refresh_from_db()
    assert target.bio == ""


def test_other_database_errors_are_not_retried(settings):
    attempts = []

    @atomic_with_retry
    def broken():
        attempts.append(1)
        raise OperationalError("disk full")

    with pytest.raises(OperationalError):
        broken()
    assert len(attempts) == 1
