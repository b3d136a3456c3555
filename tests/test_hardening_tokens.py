"""RFC 8725 and the refresh-token faults: every forged, stale or misused token gets 401."""

import base64
import json
from datetime import timedelta

import jwt
import pytest
from django.conf import settings
from django.utils import timezone
from rest_framework.test import APIClient

from accounts.tests.factories import PASSWORD
from accounts.tokens import token_pair_issue
from adminlogs.models import AuditAction, AuditEvent

pytestmark = pytest.mark.django_db


def claims_of(token: str) -> dict:
    return jwt.decode(token, options={"verify_signature": False})


def sign(claims: dict, *, key=None, algorithm="HS256", headers=None) -> str:
    return jwt.encode(claims, key or settings.SIMPLE_JWT["SIGNING_KEY"], algorithm=algorithm, headers=headers)


def profile_with(token: str):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
    return client.get("/api/profile")


def _b64(data: dict) -> str:
    return base64.urlsafe_b64encode(json.dumps(data).encode()).rstrip(b"=").decode()


@pytest.fixture
def access(member):
    return token_pair_issue(member)["access"]


def test_the_genuine_token_works(access):
    assert profile_with(access).status_code == 200


def test_tokens_carry_issuer_audience_and_a_short_life(access):
    claims = claims_of(access)
    assert claims["iss"] == "authsite" and claims["aud"] == "authsite-api"
    assert claims["exp"] - claims["iat"] == 300


def test_alg_none_is_refused(access):
    claims = claims_of(access)
    forged = f"{_b64({'alg': 'none', 'typ': 'JWT'})}.{_b64(claims)}."
    assert profile_with(forged).status_code == 401


def test_another_algorithm_with_the_same_key_is_refused(access):
    assert profile_with(sign(claims_of(access), algorithm="HS512")).status_code == 401


def test_a_changed_payload_breaks_the_signature(access):
    header, _payload, signature = access.split(".")
    claims = claims_of(access) | {"role": "admin"}
    assert profile_with(f"{header}.{_b64(claims)}.{signature}").status_code == 401


def test_a_token_signed_with_the_django_secret_key_is_refused(access):
    assert settings.SIMPLE_JWT["SIGNING_KEY"] != settings.SECRET_KEY
    assert profile_with(sign(claims_of(access), key=settings.SECRET_KEY)).status_code == 401


@pytest.mark.parametrize(("claim", "value"), [("aud", "someone-else"), ("iss", "evil"), ("token_type", "refresh")])
def test_wrong_audience_issuer_or_kind_is_refused(access, claim, value):
    assert profile_with(sign(claims_of(access) | {claim: value})).status_code == 401


@pytest.mark.parametrize("missing", ["aud", "iss", "exp", "fam", "ver", "sub"])
def test_a_token_without_a_required_claim_is_refused(access, missing):
    claims = claims_of(access)
    del claims[missing]
    assert profile_with(sign(claims)).status_code == 401


@pytest.mark.parametrize("subject", ["abc", "-1", "0", "１", "99999999999999999999", "1.0"])
def test_a_signed_token_whose_subject_cannot_be_an_id_is_refused(access, subject):
    assert profile_with(sign(claims_of(access) | {"sub": subject})).status_code == 401


def test_expired_beyond_the_leeway_is_refused(access):
    past = int((timezone.now() - timedelta(minutes=2)).timestamp())
    assert profile_with(sign(claims_of(access) | {"exp": past})).status_code == 401


def test_not_yet_valid_is_refused(access):
    future = int((timezone.now() + timedelta(minutes=5)).timestamp())
    assert profile_with(sign(claims_of(access) | {"nbf": future, "iat": future})).status_code == 401


def test_an_access_token_cannot_refresh(access):
    response = APIClient().post("/api/token/refresh", {"refresh": access}, format="json")
    assert response.status_code == 401


@pytest.mark.parametrize(
    "forged", [{"sub": "abc"}, {"sub": "0"}, {"fam": ""}, {"fam": 7}, {"fam": None}, {"fam": "f" * 65}], ids=str
)
def test_a_signed_refresh_token_without_an_id_or_a_family_neither_refreshes_nor_logs_out(member, forged):
    genuine = token_pair_issue(member)
    claims = {key: value for key, value in claims_of(genuine["refresh"]).items() if key != "fam"}
    refresh = sign(claims | {k: v for k, v in forged.items() if v is not None})
    assert APIClient().post("/api/token/refresh", {"refresh": refresh}, format="json").status_code == 401
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {genuine['access']}")
    logout = client.post("/api/logout", {"refresh": refresh}, format="json")
    assert (logout.status_code, logout.json()["fields"]) == (400, {"refresh": ["The token is invalid or expired."]})


def test_a_refresh_token_is_not_a_bearer_token(member):
    assert profile_with(token_pair_issue(member)["refresh"]).status_code == 401


def test_a_forged_role_claim_even_when_signed_changes_nothing_after_a_version_bump(member):
    """Claims are trusted only at the version they were issued at."""
    from accounts.services import user_set_role

    access = token_pair_issue(member)["access"]
    user_set_role(actor=None, target=member, role="moderator", ip=None)
    assert profile_with(access).status_code == 401


def test_reusing_a_rotated_refresh_token_revokes_the_whole_family(member, api):
    first = api.post("/api/login", {"username": "mia", "password": PASSWORD}, format="json").json()
    second = api.post("/api/token/refresh", {"refresh": first["refresh"]}, format="json").json()

    replay = api.post("/api/token/refresh", {"refresh": first["refresh"]}, format="json")

    assert replay.status_code == 401
    # The rightful holder's newer tokens of the same login die too ...
    assert api.post("/api/token/refresh", {"refresh": second["refresh"]}, format="json").status_code == 401
    assert profile_with(second["access"]).status_code == 401
    # ... but another login of the same account is untouched.
    other = APIClient().post("/api/login", {"username": "mia", "password": PASSWORD}, format="json").json()
    assert profile_with(other["access"]).status_code == 200
    event = AuditEvent.objects.get(action=AuditAction.TOKEN_REUSED)
    assert event.target_label == "mia" and event.outcome == "denied"


def test_logout_kills_the_access_token_of_that_login_at_once(member, api):
    tokens = api.post("/api/login", {"username": "mia", "password": PASSWORD}, format="json").json()
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {tokens['access']}")
    assert client.post("/api/logout", {"refresh": tokens["refresh"]}, format="json").status_code == 204
    assert client.get("/api/profile").status_code == 401


def test_a_logged_out_token_stays_refused_when_the_cache_has_lost_everything(member, api):
    from django.core.cache import cache

    pair = api.post("/api/login", {"username": "mia", "password": PASSWORD}, format="json").json()
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {pair['access']}")
    assert client.post("/api/logout", {"refresh": pair["refresh"]}, format="json").status_code == 204
    cache.clear()  # Redis restarted, or evicted, or unreachable: the database still knows
    assert client.get("/api/profile").status_code == 401


@pytest.mark.parametrize("change", ["suspend", "premium", "deactivate"])
def test_every_privilege_change_revokes_tokens_on_the_next_request(member, change):
    from accounts import services

    access = token_pair_issue(member)["access"]
    if change == "suspend":
        services.user_suspend(actor=None, target=member, reason="x", days=1, ip=None)
    elif change == "premium":
        services.user_set_premium(actor=None, target=member, is_premium=True, ip=None)
    else:
        services.user_set_active(actor=None, target=member, is_active=False, ip=None)
    assert profile_with(access).status_code == 401
