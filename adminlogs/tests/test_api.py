"""The audit log through the API: pages follow their cursor, and a cursor we did not make is refused."""

import base64

import pytest

from adminlogs.models import AuditAction
from adminlogs.services import audit_record

pytestmark = pytest.mark.django_db

PAGE = 50


def test_pages_follow_the_next_cursor_without_repeating_or_skipping(api_as, admin):
    for number in range(PAGE + 10):
        audit_record(action=AuditAction.LOGOUT, actor=None, ip=None, target_label=f"t{number}")
    client = api_as(admin)
    first = client.get("/api/admin/logs", {"action": AuditAction.LOGOUT}).json()
    second = client.get(first["next"]).json()
    labels = [event["target"] for event in first["results"] + second["results"]]
    assert (len(first["results"]), len(second["results"]), second["next"]) == (PAGE, 10, None)
    assert labels == [f"t{number}" for number in reversed(range(PAGE + 10))]


@pytest.mark.parametrize("position", ["p=yesterday", "p=0001-01-01T00:00:00+14:00", "p=2026-01-01T00:00:00"])
def test_a_cursor_position_that_is_not_a_time_in_utc_is_refused(api_as, admin, position):
    cursor = base64.b64encode(position.encode()).decode()
    response = api_as(admin).get("/api/admin/logs", {"cursor": cursor})
    assert response.status_code == 404
    assert response.json() == {"detail": "Invalid cursor"}
