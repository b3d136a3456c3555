"""The policy table against an independent copy of the matrix in shared/seed.md."""

import pytest
from django.contrib.auth.models import AnonymousUser, Group

from accounts import policy
from accounts.policy import Action, can
from accounts.roles import Role
from accounts.tests.factories import UserFactory

pytestmark = pytest.mark.django_db

# Written out by hand from the seed's matrix and the reading of it.
# Columns: guest, user, premium user, moderator, admin.
EXPECTED = {
    Action.VIEW_WELCOME:         (1, 1, 1, 1, 1),
    Action.REGISTER:             (1, 0, 0, 0, 0),
    Action.LOG_IN:               (1, 0, 0, 0, 0),
    Action.REFRESH_TOKEN:        (1, 1, 1, 1, 1),
    Action.LOG_OUT:              (0, 1, 1, 1, 1),
    Action.VIEW_PROFILE:         (0, 1, 1, 1, 1),
    Action.EDIT_PROFILE:         (0, 1, 1, 1, 1),
    Action.VIEW_PREMIUM:         (0, 0, 1, 0, 1),
    Action.READ_POSTS:           (1, 1, 1, 1, 1),
    Action.CREATE_POST:          (0, 1, 1, 1, 1),
    Action.DELETE_POST:          (0, 0, 0, 1, 1),
    Action.SUSPEND_USER:         (0, 0, 0, 1, 1),
    Action.MANAGE_ROLES:         (0, 0, 0, 0, 1),
    Action.VIEW_LOGS:            (0, 0, 0, 0, 1),
    Action.VIEW_SYSTEM_SETTINGS: (0, 0, 0, 0, 1),
    Action.USE_ADMIN_SITE:       (0, 0, 0, 0, 1),
}  # fmt: skip


@pytest.fixture
def people():
    return [
        AnonymousUser(),
        UserFactory(role=Role.USER),
        UserFactory(role=Role.USER, is_premium=True),
        UserFactory(role=Role.MODERATOR),
        UserFactory(role=Role.ADMIN),
    ]


def test_the_expected_copy_covers_every_action():
    assert set(EXPECTED) == set(Action)


@pytest.mark.parametrize("action", list(Action))
def test_can_matches_the_matrix(action, people):
    assert tuple(int(can(person, action)) for person in people) == EXPECTED[action]


def test_premium_does_not_lift_a_moderator_into_premium_content():
    moderator = UserFactory(role=Role.MODERATOR, is_premium=True)
    assert not can(moderator, Action.VIEW_PREMIUM)


def test_an_inactive_account_is_treated_as_a_guest():
    user = UserFactory(role=Role.ADMIN, is_active=False)
    assert policy.role_of(user) == "guest"
    assert not can(user, Action.VIEW_LOGS)


@pytest.mark.parametrize(
    ("actor_role", "target_role", "allowed"),
    [
        (Role.MODERATOR, Role.USER, True),
        (Role.MODERATOR, Role.MODERATOR, False),
        (Role.MODERATOR, Role.ADMIN, False),
        (Role.ADMIN, Role.USER, True),
        (Role.ADMIN, Role.MODERATOR, True),
        (Role.ADMIN, Role.ADMIN, True),
    ],
)
def test_suspension_targets(actor_role, target_role, allowed):
    actor, target = UserFactory(role=actor_role), UserFactory(role=target_role)
    assert can(actor, Action.SUSPEND_USER, target) is allowed


@pytest.mark.parametrize("role", [Role.MODERATOR, Role.ADMIN])
def test_nobody_suspends_themselves(role):
    actor = UserFactory(role=role)
    assert not can(actor, Action.SUSPEND_USER, actor)


def test_suspension_limits_per_role(settings):
    moderator, admin = UserFactory(role=Role.MODERATOR), UserFactory(role=Role.ADMIN)
    assert [policy.suspension_limits(moderator).allows(d) for d in (None, 0, 1, 7, 8)] == [
        False, False, True, True, False,
    ]  # fmt: skip
    assert policy.suspension_limits(admin).allows(None)
    assert not policy.suspension_limits(UserFactory()).allows(1)


def test_permissions_resolve_through_the_matrix():
    moderator = UserFactory(role=Role.MODERATOR)
    assert moderator.has_perm("moderation.delete_post")
    assert not moderator.has_perm("adminlogs.view_auditevent")
    assert not moderator.has_perm("made.up_permission")
    assert not moderator.is_staff and not moderator.is_superuser
    assert UserFactory(role=Role.ADMIN).is_staff


def test_groups_mirror_the_matrix_and_follow_the_role():
    for role in Role:
        group = Group.objects.get(name=role)
        mirrored = {f"{p.content_type.app_label}.{p.codename}" for p in group.permissions.all()}
        assert mirrored == policy.role_permissions(role)
    premium = UserFactory(role=Role.USER, is_premium=True)
    assert sorted(premium.groups.values_list("name", flat=True)) == ["premium", "user"]


def test_role_change_moves_the_user_to_the_new_group():
    from accounts.services import user_set_role

    user = UserFactory(role=Role.USER)
    user_set_role(actor=None, target=user, role=Role.MODERATOR, ip=None)
    assert list(user.groups.values_list("name", flat=True)) == ["moderator"]
