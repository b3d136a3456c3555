"""Redis goes away in the middle of a run; this is what people see.

Decided behaviour: everything that only *reads faster* through Redis keeps working from the
database (API tokens are checked against the database, sessions come from the database), and
every write still lands with its audit record. What Redis *guards* fails closed: login,
registration and token refresh answer 503 with Retry-After, because without the shared counters
the brute-force limits cannot be enforced. /readyz says the cache is down.
"""

import pytest
from django.test import Client
from rest_framework.test import APIClient

from accounts.models import User
from accounts.tests.factories import PASSWORD
from adminlogs.models import AuditAction, AuditEvent
from authsite.settings import redis as redis_settings
from tests.servers import start_tls_redis

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def own_redis(cert_dir, settings, tmp_path):
    """A Redis of this test's own, so stopping it leaves the suite's Redis alone."""
    server = start_tls_redis(cert_dir, tmp_path)
    settings.CACHES = redis_settings.caches(
        server.url, ca_cert=str(cert_dir / "ca.crt"), client_cert=None, client_key=None,
        embedded_dir=tmp_path / "unused",  # only without Redis
    )  # fmt: skip
    yield server
    server.stop()


def api_login(username):
    return APIClient().post("/api/login", {"username": username, "password": PASSWORD}, format="json")


def test_redis_stops_mid_run(own_redis, member, moderator):
    access = api_login("mia").json()["access"]
    mona = api_login("mona").json()["access"]
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {access}")
    browser = Client()
    assert browser.post("/login", {"username": "mia", "password": PASSWORD}).status_code == 302
    assert api.get("/api/profile").status_code == 200

    own_redis.stop()

    # Reads fall back to the database.
    assert api.get("/api/profile").status_code == 200
    assert browser.get("/profile").status_code == 200
    # Writes land, with their audit records.
    assert api.patch("/api/profile", {"bio": "written while Redis was down"}, format="json").status_code == 200
    assert User.objects.get(username="mia").bio == "written while Redis was down"
    assert AuditEvent.objects.filter(action=AuditAction.PROFILE_CHANGED).count() == 1
    # What the rate limits guard fails closed, clearly.
    login = api_login("mona")
    assert login.status_code == 503
    assert login["Retry-After"] == "5"
    assert "briefly unavailable" in login.json()["detail"]
    register = APIClient().post(
        "/api/register", {"username": "newbie", "email": "n@example.com", "password": PASSWORD}, format="json"
    )
    assert register.status_code == 503
    assert not User.objects.filter(username="newbie").exists()
    page_login = Client().post("/login", {"username": "mona", "password": PASSWORD})
    assert page_login.status_code == 503
    # Revocation still bites: the database answers the version check.
    moderator_api = APIClient()
    moderator_api.credentials(HTTP_AUTHORIZATION=f"Bearer {mona}")
    ban = moderator_api.post("/api/user/ban", {"username": "mia", "reason": "spam", "days": 1}, format="json")
    assert ban.status_code == 200
    assert api.get("/api/profile").status_code == 401
    assert browser.get("/profile").status_code == 302
    # And the readiness probe says what is wrong.
    ready = Client().get("/readyz")
    assert ready.status_code == 503
    assert ready.json() == {"status": "unavailable", "database": "ok", "cache": "unavailable"}
