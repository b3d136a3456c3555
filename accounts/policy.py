"""The access matrix of ``shared/seed.md`` as data, and the one function that reads it.

Actions run down the side, roles across. Every door (pages, API, Django admin, templates,
the group-mirroring migration) asks ``can``; nothing else compares roles. Changing who may do
what is a one-line change in ``MATRIX``.
"""

from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from accounts.roles import GUEST, Role


class Action(StrEnum):
    VIEW_WELCOME = "view_welcome"
    REGISTER = "register"
    LOG_IN = "log_in"
    REFRESH_TOKEN = "refresh_token"  # noqa: S105 - an action name, not a secret
    LOG_OUT = "log_out"
    VIEW_PROFILE = "view_profile"
    EDIT_PROFILE = "change_profile"
    VIEW_PREMIUM = "view_premium"
    READ_POSTS = "read_posts"
    CREATE_POST = "add_post"
    DELETE_POST = "delete_post"
    SUSPEND_USER = "suspend_user"
    MANAGE_ROLES = "manage_roles"
    VIEW_LOGS = "view_auditevent"
    VIEW_SYSTEM_SETTINGS = "view_system_settings"
    USE_ADMIN_SITE = "use_admin_site"


@dataclass(frozen=True)
class Rule:
    """One cell of the matrix: whether a role may act, and under which condition."""

    name: str  # shown to people, e.g. on the suspension form
    check: Callable[[object, object | None], bool]
    # Whether holding the role alone grants it, which is what the role's group mirrors.
    granted_by_role: bool

    def allows(self, actor, target=None) -> bool:
        return self.check(actor, target)


def _target_is_plain_user(actor, target) -> bool:
    return target is None or (target.role == Role.USER and target.pk != actor.pk)


def _target_is_not_self(actor, target) -> bool:
    return target is None or target.pk != actor.pk


Y = Rule(_("allowed"), lambda actor, target: True, granted_by_role=True)
N = Rule(_("denied"), lambda actor, target: False, granted_by_role=False)
IF_PREMIUM = Rule(_("premium accounts only"), lambda actor, target: actor.is_premium, False)
PLAIN_USERS_ONLY = Rule(_("accounts with role user only"), _target_is_plain_user, True)
NOT_SELF = Rule(_("anyone but themselves"), _target_is_not_self, True)


def _row(guest: Rule, user: Rule, moderator: Rule, admin: Rule) -> dict[str, Rule]:
    return {GUEST: guest, Role.USER: user, Role.MODERATOR: moderator, Role.ADMIN: admin}


MATRIX: dict[Action, dict[str, Rule]] = {
    #                                guest  user        moderator         admin
    Action.VIEW_WELCOME:         _row(Y,    Y,          Y,                Y),
    Action.REGISTER:             _row(Y,    N,          N,                N),
    Action.LOG_IN:               _row(Y,    N,          N,                N),
    # The refresh token is the credential, so whoever holds one may use it.
    Action.REFRESH_TOKEN:        _row(Y,    Y,          Y,                Y),
    Action.LOG_OUT:              _row(N,    Y,          Y,                Y),
    Action.VIEW_PROFILE:         _row(N,    Y,          Y,                Y),
    Action.EDIT_PROFILE:         _row(N,    Y,          Y,                Y),
    Action.VIEW_PREMIUM:         _row(N,    IF_PREMIUM, N,                Y),
    Action.READ_POSTS:           _row(Y,    Y,          Y,                Y),
    Action.CREATE_POST:          _row(N,    Y,          Y,                Y),
    Action.DELETE_POST:          _row(N,    N,          Y,                Y),
    Action.SUSPEND_USER:         _row(N,    N,          PLAIN_USERS_ONLY, NOT_SELF),
    Action.MANAGE_ROLES:         _row(N,    N,          N,                NOT_SELF),
    Action.VIEW_LOGS:            _row(N,    N,          N,                Y),
    Action.VIEW_SYSTEM_SETTINGS: _row(N,    N,          N,                Y),
    Action.USE_ADMIN_SITE:       _row(N,    N,          N,                Y),
}  # fmt: skip


def role_of(user) -> str:
    """The matrix column for a user: ``guest`` for anyone without a usable account."""
    if user is None or not user.is_authenticated or not user.is_active:
        return GUEST
    return user.role


def can(user, action: Action, target=None) -> bool:
    """Whether ``user`` may perform ``action`` (on ``target``, where the rule looks at one)."""
    return MATRIX[action][role_of(user)].allows(user, target)


def describe(user, action: Action) -> str:
    """In words, the rule that applies to ``user`` for ``action`` (e.g. whom they may suspend)."""
    return str(MATRIX[action][role_of(user)].name)


def needs_account(action: Action) -> bool:
    """Whether a guest would be let in by logging in: 401 or a login page rather than 403."""
    return not MATRIX[action][GUEST].allows(None) and any(
        rule is not N for role, rule in MATRIX[action].items() if role != GUEST
    )


# --- Permission names, for Django admin, templates and the groups that mirror roles ----------

# Django admin asks model permissions; each maps to the action that decides it.
PERMISSIONS: dict[str, Action] = {
    "accounts.view_profile": Action.VIEW_PROFILE,
    "accounts.change_profile": Action.EDIT_PROFILE,
    "accounts.view_premium": Action.VIEW_PREMIUM,
    "accounts.suspend_user": Action.SUSPEND_USER,
    "accounts.manage_roles": Action.MANAGE_ROLES,
    "accounts.view_user": Action.USE_ADMIN_SITE,
    "accounts.change_user": Action.MANAGE_ROLES,
    "moderation.add_post": Action.CREATE_POST,
    "moderation.view_post": Action.USE_ADMIN_SITE,
    "moderation.delete_post": Action.DELETE_POST,
    "adminlogs.view_auditevent": Action.VIEW_LOGS,
    "adminlogs.view_system_settings": Action.VIEW_SYSTEM_SETTINGS,
}


def has_permission(user, permission: str, target=None) -> bool:
    """Resolve an ``"app.codename"`` permission through the matrix; unknown names are denied."""
    action = PERMISSIONS.get(permission)
    return action is not None and can(user, action, target)


def permissions_of(user) -> set[str]:
    """Every permission name ``user`` holds in general (before any target is considered)."""
    return {name for name, action in PERMISSIONS.items() if can(user, action)}


def role_permissions(role: str) -> set[str]:
    """The permissions a role's group mirrors: those the role grants by itself."""
    return {
        name for name, action in PERMISSIONS.items() if MATRIX[action][role].granted_by_role
    }


PREMIUM_GROUP = "premium"


def premium_permissions() -> set[str]:
    """What a premium account adds on top of its role, mirrored by the ``premium`` group."""
    return {name for name, action in PERMISSIONS.items() if IF_PREMIUM in MATRIX[action].values()}


# --- Suspension limits: the moderator's "±" ------------------------------------------------


@dataclass(frozen=True)
class SuspensionLimits:
    min_days: int
    max_days: int
    indefinite_allowed: bool

    def allows(self, days: int | None) -> bool:
        if days is None:
            return self.indefinite_allowed
        return self.min_days <= days <= self.max_days


def _moderator_limits() -> SuspensionLimits:
    return SuspensionLimits(
        settings.MODERATOR_SUSPENSION_MIN_DAYS, settings.MODERATOR_SUSPENSION_MAX_DAYS, False
    )


def _admin_limits() -> SuspensionLimits:
    return SuspensionLimits(1, settings.SUSPENSION_MAX_DAYS, indefinite_allowed=True)


def _no_limits() -> SuspensionLimits:
    return SuspensionLimits(0, 0, indefinite_allowed=False)


# Read from settings on each call, so the limits are settings and tests can change them.
SUSPENSION_LIMITS = {Role.MODERATOR: _moderator_limits, Role.ADMIN: _admin_limits}


def suspension_limits(actor) -> SuspensionLimits:
    """How long ``actor`` may suspend for; ``None`` is the operator at the console."""
    role = Role.ADMIN if actor is None else role_of(actor)
    return SUSPENSION_LIMITS.get(role, _no_limits)()
