from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import PermissionsMixin
from django.db import models
from django.utils import timezone
from django.utils.crypto import salted_hmac

from accounts import identifiers, passwords, policy
from accounts.roles import Role


class UserManager(BaseUserManager):
    """Row creation only; registering someone is ``accounts.services.user_create``."""

    def create_user(self, username, email, password=None, **fields):
        user = self.model(username=username, email=email, **fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, username, email, password=None, **fields):
        return self.create_user(username, email, password, role=Role.ADMIN, **fields)

    def get_by_natural_key(self, username):
        return self.get(username_key=identifiers.username_key(username))


class User(AbstractBaseUser, PermissionsMixin):
    username = models.CharField(
        max_length=identifiers.USERNAME_MAX_LENGTH, validators=[identifiers.username_validator]
    )
    email = models.EmailField(max_length=254)
    # The normalised forms that uniqueness and login look-ups use (see accounts.identifiers).
    username_key = models.CharField(max_length=identifiers.USERNAME_MAX_LENGTH, unique=True, editable=False)
    email_key = models.CharField(max_length=254, unique=True, editable=False)

    role = models.CharField(max_length=16, choices=Role.choices, default=Role.USER)
    is_premium = models.BooleanField(default=False)
    display_name = models.CharField(max_length=100, blank=True)
    bio = models.TextField(max_length=2000, blank=True)
    is_active = models.BooleanField(default=True)
    date_joined = models.DateTimeField(default=timezone.now)

    suspended_at = models.DateTimeField(null=True, blank=True)
    # While suspended_at is set: the end of the suspension, or NULL for an indefinite one.
    suspended_until = models.DateTimeField(null=True, blank=True)
    suspension_reason = models.CharField(max_length=500, blank=True)
    suspended_by = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Bumped by every change that must end existing sessions and tokens at once.
    token_version = models.PositiveIntegerField(default=0)

    objects = UserManager()

    USERNAME_FIELD = "username"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["email"]

    class Meta:
        permissions = [
            ("view_profile", "Can view own profile"),
            ("change_profile", "Can edit own profile"),
            ("view_premium", "Can read premium content"),
            ("suspend_user", "Can suspend and reinstate accounts"),
            ("manage_roles", "Can change roles and premium status"),
        ]

    def __str__(self):
        return self.username

    def save(self, *args, **kwargs):
        self.username_key = identifiers.username_key(self.username)
        self.email_key = identifiers.email_key(self.email)
        super().save(*args, **kwargs)

    @property
    def is_superuser(self):
        """Roles decide everything: no flag may bypass the matrix (replaces the inherited field)."""
        return False

    @property
    def is_staff(self):
        """Django admin is for the roles the policy lets in."""
        return policy.can(self, policy.Action.USE_ADMIN_SITE)

    @property
    def is_suspended(self) -> bool:
        if self.suspended_at is None:
            return False
        return self.suspended_until is None or self.suspended_until > timezone.now()

    def set_password(self, raw_password):
        super().set_password(None if raw_password is None else passwords.normalize_password(raw_password))

    def check_password(self, raw_password):
        return super().check_password(passwords.normalize_password(raw_password))

    def _get_session_auth_hash(self, secret=None):
        # Django ends a session whose stored hash no longer matches, so folding the token
        # version in ends every session on suspension, role change or "log out everywhere".
        return salted_hmac(
            "accounts.User.get_session_auth_hash",
            f"{self.password}:{self.token_version}",
            secret=secret,
            algorithm="sha256",
        ).hexdigest()


class RevokedTokenFamily(models.Model):
    """A chain of rotated refresh tokens that may no longer be used, and why.

    Logging in starts a family; every refresh continues it. When a refresh token that was
    already used comes back, someone holds a copy, so the whole family is refused.
    """

    family = models.CharField(max_length=64, primary_key=True)
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="+")
    revoked_at = models.DateTimeField(default=timezone.now)
    reason = models.CharField(max_length=32)

    def __str__(self):
        return f"{self.family} ({self.reason})"
