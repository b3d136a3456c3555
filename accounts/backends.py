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


def account_find(identifier: str | None):
    """The account a login identifier (username or email, any case) names, or ``None``."""
    if not identifier:
        return None
    field, key = identifiers.identifier_key(identifier)
    return get_user_model().objects.filter(**{field: key}).first()


def password_matches(account, password: str | None) -> bool:
    """Check ``password`` against ``account``, spending the same time when there is none.

    For an unknown account, or one without a usable password, the hasher still runs once, so
    the answer takes as long as a wrong password and timing does not reveal which accounts exist.
    """
    if password is None:
        return False
    if account is None or not account.has_usable_password():
        get_user_model()().set_password(password)
        return False
    return account.check_password(password)


def credentials_verify(*, identifier: str | None, password: str | None):
    """The account that ``identifier`` and ``password`` name together, or ``None``."""
    account = account_find(identifier)
    return account if password_matches(account, password) else None
