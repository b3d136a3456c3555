"""Mass assignment: a writable endpoint changes only what it is for, whatever else is sent.

Register and the profile are covered in ``accounts/tests/test_api.py``; unknown fields on every
writable endpoint in ``tests/test_api_malformed.py``. Here: the fields worth smuggling into the
password and email changes and into a new post, each named.
"""

import pytest

from accounts.models import User
from accounts.tests.factories import PASSWORD
from moderation.models import Post


@pytest.mark.parametrize(
    "smuggled",
    [{"role": "admin"}, {"is_staff": True}, {"is_superuser": True}, {"is_premium": True},
     {"username": "root"}, {"email": "evil@example.com"}, {"token_version": 0}, {"id": "1"}],
)  # fmt: skip
def test_password_change_refuses_any_other_field(api_as, member, smuggled):
    body = {"current_password": PASSWORD, "new_password": "a brand new passphrase", **smuggled}

    response = api_as(member).post("/api/password", body, format="json")

    assert response.status_code == 400
    assert response.json()["fields"] == {name: ["Unknown field."] for name in smuggled}
    fresh = User.objects.get(pk=member.pk)
    assert fresh.check_password(PASSWORD)
    assert (fresh.role, fresh.is_staff, fresh.is_superuser, fresh.is_premium) == ("user", False, False, False)
    assert (fresh.username, fresh.email, fresh.token_version) == (member.username, member.email, member.token_version)


@pytest.mark.parametrize(
    "smuggled",
    [{"role": "admin"}, {"is_premium": True}, {"username": "root"}, {"password": "a brand new passphrase"},
     {"email_verified": True}, {"id": "1"}],
)  # fmt: skip
def test_email_change_refuses_any_other_field(api_as, member, smuggled):
    body = {"current_password": PASSWORD, "email": "mia.new@example.com", **smuggled}

    response = api_as(member).post("/api/email", body, format="json")

    assert response.status_code == 400
    assert response.json()["fields"] == {name: ["Unknown field."] for name in smuggled}
    fresh = User.objects.get(pk=member.pk)
    assert (fresh.email, fresh.role, fresh.is_premium, fresh.username) == (member.email, "user", False, "mia")
    assert fresh.check_password(PASSWORD)


@pytest.mark.parametrize(
    "smuggled",
    [{"author": "ada"}, {"author_id": 1}, {"id": "1"}, {"created_at": "2000-01-01T00:00:00Z"},
     {"deleted_at": "2000-01-01T00:00:00Z"}, {"deleted_by": "ada"}, {"deletion_reason": "x"}],
)  # fmt: skip
def test_post_creation_refuses_any_other_field(api_as, member, admin, smuggled):
    response = api_as(member).post("/api/posts", {"title": "T", "body": "B", **smuggled}, format="json")

    assert response.status_code == 400
    assert response.json()["fields"] == {name: ["Unknown field."] for name in smuggled}
    assert not Post.objects.exists()


def test_a_post_is_written_by_the_caller_now_and_visible(api_as, member):
    response = api_as(member).post("/api/posts", {"title": "T", "body": "B"}, format="json")

    assert response.status_code == 201
    post = Post.objects.get()
    assert (post.author, post.deleted_at, post.deleted_by, post.deletion_reason) == (member, None, None, "")
    assert response.json()["author"] == "mia"


def test_profile_update_ignores_identity_fields_sent_back_changed(api_as, member):
    client = api_as(member)
    sent = {
        **client.get("/api/profile").json(),
        "username": "root", "email": "evil@example.com", "date_joined": "2000-01-01T00:00:00Z",
        "token_version": 0, "suspended_until": "2999-01-01T00:00:00Z", "suspended_by": "ada", "bio": "Hi",
    }  # fmt: skip

    response = client.put("/api/profile", sent, format="json")

    assert response.status_code == 200
    fresh = User.objects.get(pk=member.pk)
    assert (fresh.username, fresh.email, fresh.date_joined) == ("mia", member.email, member.date_joined)
    assert (fresh.suspended_until, fresh.suspended_by, fresh.bio) == (None, None, "Hi")
    assert fresh.token_version == member.token_version
