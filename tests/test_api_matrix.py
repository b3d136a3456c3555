"""Every row of the access matrix, for every role, through the JSON API.

The expected answers below are written out by hand, independently of ``accounts.policy``, so a
wrong edit to the policy table fails here. Each row also checks the effect: a refused delete
leaves the post, a refused suspension leaves the account usable.
"""

from collections.abc import Callable
from dataclasses import dataclass

import pytest

from accounts.models import User
from accounts.services import user_suspend
from accounts.tests.factories import PASSWORD, UserFactory
from moderation.models import Post
from moderation.tests.factories import PostFactory

ROLES = ["guest", "member", "premium_member", "moderator", "admin"]


@dataclass
class Row:
    call: Callable  # (client, world) -> response
    expected: dict[str, int]
    effect: Callable | None = None  # (world, allowed: bool) -> None, asserts what changed


@dataclass
class World:
    victim: User
    post: Post


def _everyone(status):
    return dict.fromkeys(ROLES, status)


def _post_survives_unless(world, allowed):
    world.post.refresh_from_db()
    assert world.post.is_deleted is allowed


def _victim_suspended_iff(world, allowed):
    world.victim.refresh_from_db()
    assert world.victim.is_suspended is allowed


def _victim_free_iff(world, allowed):
    world.victim.refresh_from_db()
    assert world.victim.is_suspended is not allowed


def _new_account_exists_iff(world, allowed):
    assert User.objects.filter(username_key="newcomer").exists() is allowed


def _bio_changed_iff(world, allowed):
    assert User.objects.filter(bio="Changed through the API").exists() is allowed


def _post_created_iff(world, allowed):
    assert Post.objects.filter(title="A new post").exists() is allowed


MATRIX = {
    "GET /welcome": Row(lambda c, w, s: c.get(f"/api/welcome{s}"), _everyone(200)),
    "POST /register": Row(
        lambda c, w, s: c.post(
            f"/api/register{s}",
            {"username": "newcomer", "email": "new@example.com", "password": PASSWORD},
            format="json",
        ),
        {"guest": 201, "member": 403, "premium_member": 403, "moderator": 403, "admin": 403},
        _new_account_exists_iff,
    ),
    "POST /login": Row(
        lambda c, w, s: c.post(
            f"/api/login{s}", {"username": w.victim.username, "password": PASSWORD}, format="json"
        ),
        {"guest": 200, "member": 403, "premium_member": 403, "moderator": 403, "admin": 403},
    ),
    "GET /profile": Row(
        lambda c, w, s: c.get(f"/api/profile{s}"),
        {"guest": 401, "member": 200, "premium_member": 200, "moderator": 200, "admin": 200},
    ),
    "PUT /profile": Row(
        lambda c, w, s: c.put(
            f"/api/profile{s}", {"display_name": "", "bio": "Changed through the API"}, format="json"
        ),
        {"guest": 401, "member": 200, "premium_member": 200, "moderator": 200, "admin": 200},
        _bio_changed_iff,
    ),
    "PATCH /profile": Row(
        lambda c, w, s: c.patch(f"/api/profile{s}", {"bio": "Changed through the API"}, format="json"),
        {"guest": 401, "member": 200, "premium_member": 200, "moderator": 200, "admin": 200},
        _bio_changed_iff,
    ),
    "GET /premium": Row(
        lambda c, w, s: c.get(f"/api/premium{s}"),
        {"guest": 401, "member": 403, "premium_member": 200, "moderator": 403, "admin": 200},
    ),
    "GET /posts": Row(lambda c, w, s: c.get(f"/api/posts{s}"), _everyone(200)),
    "GET /posts/<id>": Row(lambda c, w, s: c.get(f"/api/posts/{w.post.pk}{s}"), _everyone(200)),
    "POST /posts": Row(
        lambda c, w, s: c.post(f"/api/posts{s}", {"title": "A new post", "body": "Text"}, format="json"),
        {"guest": 401, "member": 201, "premium_member": 201, "moderator": 201, "admin": 201},
        _post_created_iff,
    ),
    "DELETE /posts/<id>": Row(
        lambda c, w, s: c.delete(f"/api/posts/{w.post.pk}{s}"),
        {"guest": 401, "member": 403, "premium_member": 403, "moderator": 204, "admin": 204},
        _post_survives_unless,
    ),
    "POST /user/ban": Row(
        lambda c, w, s: c.post(
            f"/api/user/ban{s}", {"username": w.victim.username, "reason": "spam", "days": 3}, format="json"
        ),
        {"guest": 401, "member": 403, "premium_member": 403, "moderator": 200, "admin": 200},
        _victim_suspended_iff,
    ),
    "POST /user/unban": Row(
        lambda c, w, s: c.post(f"/api/user/unban{s}", {"username": w.victim.username}, format="json"),
        {"guest": 401, "member": 403, "premium_member": 403, "moderator": 200, "admin": 200},
        _victim_free_iff,
    ),
    "GET /admin/logs": Row(
        lambda c, w, s: c.get(f"/api/admin/logs{s}"),
        {"guest": 401, "member": 403, "premium_member": 403, "moderator": 403, "admin": 200},
    ),
    "GET /admin/settings": Row(
        lambda c, w, s: c.get(f"/api/admin/settings{s}"),
        {"guest": 401, "member": 403, "premium_member": 403, "moderator": 403, "admin": 200},
    ),
}


@pytest.fixture
def world(db):
    return World(victim=UserFactory(username="victim"), post=PostFactory())


@pytest.mark.parametrize("slash", ["", "/"], ids=["no-slash", "slash"])
@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("row_name", MATRIX)
def test_matrix_row(row_name, role, slash, world, api_as, request):
    row = MATRIX[row_name]
    if row_name == "POST /user/unban":
        user_suspend(actor=None, target=world.victim, reason="set up", days=2, ip=None)
    user = None if role == "guest" else request.getfixturevalue(role)

    response = row.call(api_as(user), world, slash)

    expected = row.expected[role]
    assert response.status_code == expected, response.content
    if expected >= 400:
        assert "detail" in response.json()
    if row.effect:
        row.effect(world, allowed=expected < 400)

