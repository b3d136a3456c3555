"""ASVS V2/V3/V5 faults: enumeration, brute force, passwords, identifiers, sessions, headers."""

import time

import pytest
from django.contrib.sessions.models import Session
from django.test import Client
from rest_framework.test import APIClient

from accounts.models import User
from accounts.tests.factories import PASSWORD, UserFactory
from adminlogs.models import AuditAction, AuditEvent
from authsite.sessions import LAST_SEEN, STARTED
from tests.support.hashers import CountingArgon2PasswordHasher

pytestmark = pytest.mark.django_db

COUNTING = "tests.support.hashers.CountingArgon2PasswordHasher"


def login(username, password=PASSWORD, **extra):
    return APIClient().post("/api/login", {"username": username, "password": password}, format="json", **extra)


def register(username, email=None, password=PASSWORD, **extra):
    body = {"username": username, "email": email or f"{abs(hash(username))}@example.com", "password": password}
    return APIClient().post("/api/register", body, format="json", **extra)


# --- No account enumeration ----------------------------------------------------------------


@pytest.fixture
def counting_hasher(settings):
    settings.PASSWORD_HASHERS = [COUNTING]
    CountingArgon2PasswordHasher.computed = 0
    return CountingArgon2PasswordHasher


def test_every_kind_of_failed_login_looks_the_same_and_costs_one_hash(counting_hasher, member):
    UserFactory(username="dormant", is_active=False)
    no_password = UserFactory(username="sso_only")
    no_password.set_unusable_password()
    no_password.save()
    answers = {}
    for case, username in {
        "unknown": "nobody", "wrong password": "mia", "inactive": "dormant", "no usable password": "sso_only",
    }.items():  # fmt: skip
        counting_hasher.computed = 0
        response = login(username, "not the right password")
        answers[case] = (response.status_code, response.content, tuple(sorted(response.headers.items())))
        assert counting_hasher.computed == 1, case
    assert len(set(answers.values())) == 1, answers


def test_registration_says_a_username_is_taken_but_not_whose_email_it_is(member):
    response = register("mia2", email="MIA@example.com")
    assert response.status_code == 400
    assert response.json()["fields"] == {"email": ["This email address cannot be used to register."]}


# --- Brute force -----------------------------------------------------------------------------


@pytest.fixture
def tight_limits(settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "login_account": "3/h", "login_ip": "5/h", "register_ip": "2/h"}


def test_the_account_limit_counts_every_spelling_of_the_account(tight_limits, member):
    spellings = ["mia", "MIA", "mia@example.com", "ｍｉａ"]
    statuses = [login(name, "wrong password!").status_code for name in spellings]
    assert statuses == [401, 401, 401, 429]
    blocked = login("Mia", PASSWORD)
    assert blocked.status_code == 429
    assert int(blocked["Retry-After"]) >= 1
    event = AuditEvent.objects.filter(action=AuditAction.THROTTLED).first()
    assert (event.target_label, event.changes, event.outcome) == ("mia", {"scope": "login_account"}, "denied")


def test_the_ip_limit_holds_across_accounts(tight_limits):
    statuses = [login(f"someone{i}", "wrong password!").status_code for i in range(6)]
    assert statuses == [401] * 5 + [429]


def test_a_forwarded_for_header_does_not_reset_the_ip_limit_without_a_trusted_proxy(tight_limits):
    statuses = [
        login(f"someone{i}", "wrong password!", HTTP_X_FORWARDED_FOR=f"10.0.0.{i}").status_code for i in range(6)
    ]
    assert statuses[-1] == 429


def test_behind_a_trusted_proxy_the_client_address_counts(tight_limits, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    for i in range(5):
        assert login(f"user{i}", "wrong password!", HTTP_X_FORWARDED_FOR="198.51.100.7").status_code == 401
    assert login("user9", "wrong password!", HTTP_X_FORWARDED_FOR="198.51.100.7").status_code == 429
    # Another client behind the same proxy has its own bucket; a spoofed left-most hop is ignored.
    assert login("user9", "wrong password!", HTTP_X_FORWARDED_FOR="1.2.3.4, 198.51.100.8").status_code == 401
    assert AuditEvent.objects.filter(action=AuditAction.LOGIN_FAILED).first().ip == "198.51.100.8"


def test_ipv6_clients_share_a_bucket_per_64(tight_limits):
    for i in range(5):
        assert login(f"u{i}", "wrong password!", REMOTE_ADDR=f"2001:db8:1:2::{i + 1}").status_code == 401
    assert login("u9", "wrong password!", REMOTE_ADDR="2001:db8:1:2:ffff::9").status_code == 429
    assert login("u9", "wrong password!", REMOTE_ADDR="2001:db8:1:3::1").status_code == 401


def test_registration_is_limited_per_client(tight_limits):
    assert [register(f"new{i}").status_code for i in range(3)] == [201, 201, 429]


def test_the_lockout_lifts_by_itself(settings, member):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "login_account": "2/3s"}
    statuses = [login("mia", "wrong password!").status_code for _ in range(6)]
    assert 429 in statuses
    time.sleep(3.3)  # one whole window: the limit is a slowdown, never a permanent lockout
    assert login("mia").status_code == 200


def test_the_login_page_shares_the_limits_of_the_api(tight_limits, member):
    for _ in range(3):
        login("mia", "wrong password!")
    page = Client().post("/login", {"username": "MIA", "password": PASSWORD})
    assert page.status_code == 429
    assert "Try again in" in page.content.decode()


# --- Passwords -----------------------------------------------------------------------------


@pytest.mark.parametrize("length", [64, 300])
def test_long_passphrases_work_and_are_never_truncated(length):
    passphrase = ("correct horse battery staple " * 20)[:length]
    assert register("longpass", password=passphrase).status_code == 201
    assert login("longpass", passphrase).status_code == 200
    assert login("longpass", passphrase[:-1] + "!").status_code == 401


def test_a_huge_password_is_refused_before_any_hashing(counting_hasher):
    response = register("huge", password="x" * 20_000)
    assert response.status_code == 400
    assert "password" in response.json()["fields"]
    assert login("huge", "y" * 20_000).status_code == 400
    assert counting_hasher.computed == 0


def test_length_counts_code_points_and_any_unicode_and_spaces_are_fine():
    assert register("emoji", password="🔑🔐🗝️🚪🏠🌙⭐🎈🎉🎁🍀🌈").status_code == 201
    assert register("tooshort", password="🔑🔐🗝🚪🏠🌙⭐🎈🎉🎁🍀").status_code == 400


def test_passwords_are_compared_after_nfkc_normalisation():
    composed = "caf\u00e9 au lait, s'il vous pla\u00eet"
    decomposed = "cafe\u0301 au lait, s'il vous plai\u0302t"
    assert register("cafe", password=composed).status_code == 201
    assert login("cafe", decomposed).status_code == 200


@pytest.mark.parametrize("password", ["password1234", "jeanette.dupont1"])
def test_common_passwords_and_ones_like_the_username_are_refused(password):
    response = register("jeanette.dupont", email="jeanette.dupont@example.com", password=password)
    assert response.status_code == 400
    assert "password" in response.json()["fields"]


def test_no_composition_rules():
    assert register("plain", password="all lower case words here").status_code == 201


def test_old_pbkdf2_hashes_upgrade_to_argon2_on_login(member):
    from django.contrib.auth.hashers import make_password

    User.objects.filter(pk=member.pk).update(password=make_password(PASSWORD, hasher="pbkdf2_sha256"))
    assert login("mia").status_code == 200
    assert User.objects.get(pk=member.pk).password.startswith("argon2$argon2id$v=19$m=19456,t=2,p=1$")


# --- Identifiers ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("username", "field_message"),
    [
        ("аlice", "Use letters from one alphabet only."),  # Cyrillic а
        ("ΑLΙCΕ", "Use letters from one alphabet only."),  # Greek capitals among Latin ones
        ("pаypal", "Use letters from one alphabet only."),
        ("ali\u200bce", "Use letters, digits, dots, hyphens and underscores only."),
        ("ali\u202ece", "Use letters, digits, dots, hyphens and underscores only."),
    ],
)
def test_look_alike_and_invisible_usernames_are_refused(username, field_message):
    assert register("alice").status_code == 201
    response = register(username)
    assert response.status_code == 400
    assert field_message in response.json()["fields"]["username"]


def test_a_whole_script_look_alike_of_an_existing_name_is_refused():
    assert register("ape").status_code == 201
    assert register("аре").status_code == 400  # all Cyrillic


@pytest.mark.parametrize(
    ("original", "look_alike"),
    [("cope", "ᏟᎾᏢᎬ"), ("cope", "ᴄᴏᴘᴇ"), ("nato", "ΝΑΤΟ")],  # Cherokee; Latin small capitals; Greek capitals
)
def test_look_alikes_from_one_script_or_small_capitals_are_refused(original, look_alike):
    assert register(original).status_code == 201
    response = register(look_alike)
    assert response.status_code == 400
    assert response.json()["fields"]["username"] == ["This username is taken."]


@pytest.mark.parametrize("username", ["ﬀ" * 76, "ß" * 76])  # NFKC turns "ﬀ" into "ff"; case-folding "ß" into "ss"
def test_a_username_that_normalising_makes_too_long_is_refused_not_stored(username):
    response = register(username)
    assert response.status_code == 400
    assert response.json()["fields"]["username"] == ["Use at most 150 characters."]
    assert register("ﬀ" * 75).status_code == 201  # exactly 150 once normalised


def test_an_email_that_normalising_makes_too_long_is_refused(member):
    response = register("newbie", email="ﬀ" * 125 + "@example.com")
    assert response.status_code == 400
    assert response.json()["fields"]["email"] == ["Use at most 254 characters."]
    client = APIClient()
    client.force_authenticate(member)
    body = {"current_password": PASSWORD, "email": "ﬀ" * 125 + "@example.com"}
    changed = client.post("/api/email", body, format="json")
    assert changed.status_code == 400
    assert changed.json()["fields"]["email"] == ["Use at most 254 characters."]


def test_other_scripts_are_welcome():
    assert register("日本語ユーザー").status_code == 201  # Han and Katakana are written together
    assert register("Ελένη").status_code == 201


# --- Sessions ------------------------------------------------------------------------------


def test_login_gives_a_new_session_id_and_the_old_one_is_dead(member):
    browser = Client()
    browser.get("/login")
    browser.session["probe"] = "before login"
    browser.session.save()
    before = browser.session.session_key
    browser.post("/login", {"username": "mia", "password": PASSWORD})
    after = browser.cookies["sessionid"].value
    assert after != before
    assert not Session.objects.filter(session_key=before).exists()


def test_logout_deletes_the_session_on_the_server(member):
    browser = Client()
    browser.post("/login", {"username": "mia", "password": PASSWORD})
    key = browser.cookies["sessionid"].value
    browser.post("/logout")
    assert not Session.objects.filter(session_key=key).exists()
    replay = Client()
    replay.cookies["sessionid"] = key
    assert replay.get("/profile").status_code == 302


@pytest.mark.parametrize(
    ("marker", "age_setting"), [(LAST_SEEN, "SESSION_IDLE_TIMEOUT"), (STARTED, "SESSION_ABSOLUTE_TIMEOUT")]
)
def test_sessions_end_when_idle_too_long_or_too_old(member, settings, marker, age_setting):
    browser = Client()
    browser.post("/login", {"username": "mia", "password": PASSWORD})
    assert browser.get("/profile").status_code == 200
    session = browser.session
    session[marker] = int(time.time()) - getattr(settings, age_setting) - 1
    session.save()
    response = browser.get("/profile")
    assert response.status_code == 302 and response["Location"].startswith("/login")


def test_the_login_form_needs_its_csrf_token(member):
    browser = Client(enforce_csrf_checks=True)
    assert browser.post("/login", {"username": "mia", "password": PASSWORD}).status_code == 403


@pytest.mark.parametrize(
    "target", ["https://evil.example/", "//evil.example/x", "javascript:alert(1)", "/\\evil.example"]
)
def test_next_never_leaves_the_site(member, target):
    response = Client().post(f"/login?next={target}", {"username": "mia", "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == "/profile"


# --- Headers -------------------------------------------------------------------------------


@pytest.mark.parametrize("path", ["/welcome", "/api/welcome", "/login"])
def test_security_headers_on_pages_and_api(client, path):
    response = client.get(path)
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"
    csp = response["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp and "frame-ancestors 'none'" in csp
