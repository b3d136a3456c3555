from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend

from accounts import identifiers, policy


class PolicyBackend(ModelBackend):
    """Log in by username or email; resolve permissions through the access matrix.

    Django admin, templates (``perms``) and ``user.has_perm`` all end up here, so they ask the
    same question as every other door. Database group permissions are only a mirror.
    """

    def authenticate(self, request, username=None, password=None, **kwargs):
        user = credentials_verify(identifier=username, password=password)
        if user is not None and self.user_can_authenticate(user):
            return user
        return None

    def user_can_authenticate(self, user):
        """Inactive and suspended accounts cannot log in, and their sessions end."""
        return user.is_active and not user.is_suspended

    def get_user_permissions(self, user_obj, obj=None):
        return set()

    def get_group_permissions(self, user_obj, obj=None):
        return set()

    def get_all_permissions(self, user_obj, obj=None):
        return policy.permissions_of(user_obj)

    def has_perm(self, user_obj, perm, obj=None):
        return policy.has_permission(user_obj, perm, obj)

    def has_module_perms(self, user_obj, app_label):
        return any(name.startswith(f"{app_label}.") for name in policy.permissions_of(user_obj))


def credentials_verify(*, identifier: str | None, password: str | None):
    """The account that ``identifier`` (username or email) and ``password`` name, or ``None``.

    For an unknown identifier the hasher still runs once, so the answer takes as long as a
    wrong password and timing does not reveal which accounts exist.
    """
    if not identifier or password is None:
        return None
    User = get_user_model()
    field, key = identifiers.identifier_key(identifier)
    try:
        user = User.objects.get(**{field: key})
    except User.DoesNotExist:
        User().set_password(password)
        return None
    if user.check_password(password):
        return user
    return None
