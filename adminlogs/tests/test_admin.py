"""Django admin for the audit log: admins read it; nobody adds, changes or deletes there."""

import pytest
from django.urls import reverse

from adminlogs.models import AuditAction, AuditEvent, Outcome
from adminlogs.services import audit_record

EVENTS = "/django-admin/adminlogs/auditevent/"

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client, admin):
    client.force_login(admin)
    return client


@pytest.fixture
def events(member, admin):
    failed = audit_record(action=AuditAction.LOGIN_FAILED, actor=None, actor_label="anonymous",
                          target_label="mallory", outcome=Outcome.FAILURE, ip="203.0.113.9")  # fmt: skip
    changed = audit_record(action=AuditAction.ROLE_CHANGED, actor=admin, target=member, ip=None)
    return failed, changed


def test_admin_reads_the_log_with_filters_and_search(admin_client, events):
    assert "mallory" in admin_client.get(EVENTS).content.decode()
    response = admin_client.get(EVENTS, {"action__exact": AuditAction.ROLE_CHANGED})
    assert response.status_code == 200
    by_action = response.content.decode()
    assert "mallory" not in by_action
    assert "mia" in by_action
    assert "mallory" in admin_client.get(EVENTS, {"outcome__exact": Outcome.FAILURE}).content.decode()
    assert "mallory" not in admin_client.get(EVENTS, {"q": "mia"}).content.decode()


def test_event_page_is_view_only(admin_client, events):
    response = admin_client.get(reverse("admin:adminlogs_auditevent_change", args=[events[0].pk]))
    assert response.status_code == 200
    assert 'name="_save"' not in response.content.decode()


def test_log_cannot_be_added_changed_or_deleted(admin_client, events):
    event = events[0]
    assert admin_client.get(reverse("admin:adminlogs_auditevent_add")).status_code == 403
    url = reverse("admin:adminlogs_auditevent_delete", args=[event.pk])
    assert admin_client.post(url, {"post": "yes"}).status_code == 403
    admin_client.post(reverse("admin:adminlogs_auditevent_change", args=[event.pk]),
                      {"action": AuditAction.LOGOUT})  # fmt: skip
    admin_client.post(EVENTS, {"action": "delete_selected", "index": "0",
                               "_selected_action": [event.pk], "post": "yes"})  # fmt: skip
    event.refresh_from_db()
    assert event.action == AuditAction.LOGIN_FAILED
    assert AuditEvent.objects.count() == 2


def test_moderator_cannot_read_the_log(client, moderator, events):
    client.force_login(moderator)
    assert client.get(EVENTS).status_code == 302
