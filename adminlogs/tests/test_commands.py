"""``manage.py auditlog``: the audit log at the console, filtered, as a table or as JSON."""

import io
import json
from datetime import UTC, datetime

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from adminlogs.models import AuditAction, AuditEvent, Outcome

pytestmark = pytest.mark.django_db


def auditlog(*args) -> str:
    out = io.StringIO()
    call_command("auditlog", *args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def as_json(*args) -> list[dict]:
    return json.loads(auditlog("--json", *args))


def event(action, actor_label, when, **fields):
    """An event at a chosen time (``audit_record`` always stamps now)."""
    return AuditEvent.objects.create(action=action, actor_label=actor_label, created_at=when, **fields)


@pytest.fixture
def events():
    return [
        event(AuditAction.LOGIN_FAILED, "anonymous", datetime(2024, 1, 1, 9, tzinfo=UTC),
              target_label="mallory", outcome=Outcome.FAILURE, ip="203.0.113.9"),
        event(AuditAction.ROLE_CHANGED, "ada", datetime(2024, 2, 1, 9, tzinfo=UTC),
              target_label="mia", changes={"role": ["user", "moderator"]}),
        event(AuditAction.USER_SUSPENDED, "console", datetime(2024, 3, 1, 9, tzinfo=UTC),
              target_label="mia", changes={"until": None, "reason": "Spam"}),
    ]  # fmt: skip


def test_json_is_newest_first_with_the_api_fields(events):
    rows = as_json()
    assert [row["action"] for row in rows] == ["user.suspended", "role.changed", "login.failed"]
    assert rows[1] == {
        "id": str(events[1].pk), "created_at": "2024-02-01T09:00:00Z", "action": "role.changed",
        "outcome": "success", "actor": "ada", "target": "mia", "ip": None,
        "changes": {"role": ["user", "moderator"]},
    }  # fmt: skip


def test_filters(events):
    assert [r["action"] for r in as_json("--action", "login.failed")] == ["login.failed"]
    assert [r["actor"] for r in as_json("--actor", "ada")] == ["ada"]
    assert len(as_json("--since", "2024-02-01")) == 2
    assert [r["action"] for r in as_json("--until", "2024-02-01T09:00:00+00:00")] == ["login.failed"]
    assert [r["actor"] for r in as_json("--limit", "1")] == ["console"]


def test_table(events):
    lines = auditlog().splitlines()
    assert lines[0].split() == ["CREATED_AT", "ACTION", "OUTCOME", "ACTOR", "TARGET", "IP", "CHANGES"]
    assert lines[1].split()[1:5] == ["user.suspended", "success", "console", "mia"]
    assert "203.0.113.9" in lines[3]
    assert len(lines) == 4


def test_empty_log():
    assert auditlog().strip() == "No events."
    assert as_json() == []


@pytest.mark.parametrize("args", [
    ["--since", "yesterday"],
    ["--until", "2024-13-01"],
    ["--action", "login.maybe"],
    ["--limit", "0"],
    ["--limit", "99999999999999999999"],
    ["--limit", "many"],
])  # fmt: skip
def test_invalid_arguments(args):
    with pytest.raises(CommandError):
        auditlog(*args)
