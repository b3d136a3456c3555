"""Password and email changes, and logging out everywhere, through the API and the pages."""

import pytest
from django.test import Client
from rest_framework.test import APIClient

from accounts.tests.factories import PASSWORD
from adminlogs.models import AuditAction, AuditEvent

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "a brand new passphrase, long enough"


def login(api, username, password=PASSWORD):
    """Log in as a guest would: on a client without anyone's token."""
    return APIClient().post("/api/login", {"username": username, "password": password}, format="json")


def bearer(api, access):
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {access}")
    return api


def test_password_change_needs_the_current_password(api, member):
    client = bearer(api, login(api, "mia").json()["access"])
    response = client.post(
        "/api/password", {"current_password": "guess guess guess", "new_password": NEW_PASSWORD}, format="json"
    )
    assert response.status_code == 400
    assert response.json()["fields"] == {"current_password": ["Your current password is not right."]}
    member.refresh_from_db()
    assert member.check_password(PASSWORD)


def test_password_change_revokes_other_tokens_and_returns_fresh_ones(api, member):
    other_device = login(api, "mia").json()
    tokens = login(api, "mia").json()
    client = bearer(api, tokens["access"])
    response = client.post(
        "/api/password", {"current_password": PASSWORD, "new_password": NEW_PASSWORD}, format="json"
    )
    assert response.status_code == 200
    assert client.get("/api/profile").status_code == 401  # the old access token is dead
    assert bearer(api, response.json()["access"]).get("/api/profile").status_code == 200
    assert api.post("/api/token/refresh", {"refresh": other_device["refresh"]}, format="json").status_code == 401
    assert login(api, "mia", NEW_PASSWORD).status_code == 200
    assert AuditEvent.objects.filter(action=AuditAction.PASSWORD_CHANGED).count() == 1


@pytest.mark.parametrize("new_password", ["short", "password123456", "mia@example.com1"])
def test_password_change_applies_the_same_rules_as_registration(api, member, new_password):
    client = bearer(api, login(api, "mia").json()["access"])
    response = client.post(
        "/api/password", {"current_password": PASSWORD, "new_password": new_password}, format="json"
    )
    assert response.status_code == 400
    assert "new_password" in response.json()["fields"]


def test_guessing_the_current_password_is_throttled(api, member, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "password_account": "2/h"}
    client = bearer(api, login(api, "mia").json()["access"])
    body = {"current_password": "wrong wrong wrong", "new_password": NEW_PASSWORD}
    statuses = [client.post("/api/password", body, format="json").status_code for _ in range(3)]
    assert statuses == [400, 400, 429]


def test_email_change_needs_the_password_and_becomes_a_login(api, member):
    client = bearer(api, login(api, "mia").json()["access"])
    refused = client.post("/api/email", {"current_password": "nope nope nope", "email": "m@new.example"}, format="json")
    assert refused.status_code == 400
    response = client.post("/api/email", {"current_password": PASSWORD, "email": "M@New.Example"}, format="json")
    assert response.status_code == 200
    assert login(api, "m@new.example").status_code == 200
    assert login(api, "mia@example.com").status_code == 401


def test_email_change_to_a_taken_address_is_refused(api, member, moderator):
    client = bearer(api, login(api, "mia").json()["access"])
    response = client.post("/api/email", {"current_password": PASSWORD, "email": "MONA@example.com"}, format="json")
    assert response.status_code == 400
    member.refresh_from_db()
    assert member.email == "mia@example.com"


def test_logout_everywhere_ends_every_token_and_session(api, member):
    browser = Client()
    browser.force_login(member)
    assert browser.get("/profile").status_code == 200
    tokens = login(api, "mia").json()
    client = bearer(api, tokens["access"])

    assert client.post("/api/logout/all").status_code == 204

    assert client.get("/api/profile").status_code == 401
    assert api.post("/api/token/refresh", {"refresh": tokens["refresh"]}, format="json").status_code == 401
    assert browser.get("/profile").status_code == 302  # sent to the login page
    assert AuditEvent.objects.filter(action=AuditAction.LOGOUT_EVERYWHERE).count() == 1


def test_password_change_page_keeps_this_session_and_ends_the_others(member):
    here, elsewhere = Client(), Client()
    here.force_login(member)
    elsewhere.force_login(member)
    response = here.post("/profile/password", {"current_password": PASSWORD, "new_password": NEW_PASSWORD})
    assert response.status_code == 302
    assert here.get("/profile").status_code == 200
    assert elsewhere.get("/profile").status_code == 302


def test_password_change_page_shows_a_wrong_current_password_on_its_field(member):
    browser = Client()
    browser.force_login(member)
    response = browser.post("/profile/password", {"current_password": "nope nope nope", "new_password": NEW_PASSWORD})
    assert response.status_code == 400
    assert "Your current password is not right." in response.content.decode()


def test_logout_everywhere_page_ends_the_session(member):
    browser = Client()
    browser.force_login(member)
    assert browser.post("/logout/everywhere").status_code == 302
    assert browser.get("/profile").status_code == 302


def test_django_admin_password_change_goes_to_our_page(admin):
    browser = Client()
    browser.force_login(admin)
    response = browser.get("/django-admin/password_change/")
    assert response.status_code == 302 and response["Location"] == "/profile/password"
