"""Groups that mirror the access matrix, so Django admin and outside tools see the roles.

The matrix itself is the authority (``accounts.backends`` resolves permissions from it); the
groups are its mirror, created by a data migration and kept in step with each user's role.
"""

from accounts import policy
from accounts.roles import Role


def role_groups_sync(apps) -> None:
    """Create one group per role (and ``premium``) holding the permissions the matrix grants."""
    Group = apps.get_model("auth", "Group")
    wanted = {role.value: policy.role_permissions(role) for role in Role}
    wanted[policy.PREMIUM_GROUP] = policy.premium_permissions()
    for name, permission_names in wanted.items():
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.set([_permission(apps, name) for name in sorted(permission_names)])


def _permission(apps, dotted_name: str):
    # A data migration runs before post_migrate creates permissions, so make them here.
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    app_label, codename = dotted_name.split(".")
    model = {"accounts": "user", "moderation": "post", "adminlogs": "auditevent"}[app_label]
    content_type, _ = ContentType.objects.get_or_create(app_label=app_label, model=model)
    permission, _ = Permission.objects.get_or_create(
        content_type=content_type, codename=codename, defaults={"name": codename.replace("_", " ")}
    )
    return permission


def user_groups_sync(user) -> None:
    """Put ``user`` in the group of their role, and in ``premium`` while they are premium."""
    from django.contrib.auth.models import Group

    names = [user.role] + ([policy.PREMIUM_GROUP] if user.is_premium else [])
    user.groups.set(Group.objects.filter(name__in=names))
