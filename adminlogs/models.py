from django.conf import settings
from django.db import models
from django.utils import timezone


class AuditAction(models.TextChoices):
    USER_REGISTERED = "user.registered", "Registered"
    USER_CREATED = "user.created", "Account created by an operator"
    LOGIN_SUCCEEDED = "login.succeeded", "Logged in"
    LOGIN_FAILED = "login.failed", "Login failed"
    THROTTLED = "throttled", "Refused by a rate limit"
    LOGOUT = "logout", "Logged out"
    LOGOUT_EVERYWHERE = "logout.everywhere", "Logged out everywhere"
    TOKEN_REUSED = "token.reused", "Refresh token reused; its family revoked"
    PASSWORD_CHANGED = "password.changed", "Password changed"
    EMAIL_CHANGED = "email.changed", "Email changed"
    PROFILE_CHANGED = "profile.changed", "Profile changed"
    POST_DELETED = "post.deleted", "Post deleted"
    USER_SUSPENDED = "user.suspended", "Suspended"
    USER_UNSUSPENDED = "user.unsuspended", "Suspension lifted"
    ROLE_CHANGED = "role.changed", "Role changed"
    PREMIUM_CHANGED = "premium.changed", "Premium changed"
    ACTIVE_CHANGED = "active.changed", "Account activated or deactivated"


class Outcome(models.TextChoices):
    SUCCESS = "success", "Success"
    FAILURE = "failure", "Failure"
    DENIED = "denied", "Denied"


class AuditEventQuerySet(models.QuerySet):
    """Append-only: bulk updates and deletes are refused like single ones."""

    def update(self, **kwargs):
        raise TypeError("Audit events are append-only.")

    def delete(self):
        raise TypeError("Audit events are append-only.")


class AuditEvent(models.Model):
    """One security event: who did what to whom, when, from where, and what changed."""

    created_at = models.DateTimeField(default=timezone.now)
    action = models.CharField(max_length=32, choices=AuditAction.choices)
    outcome = models.CharField(max_length=16, choices=Outcome.choices, default=Outcome.SUCCESS)
    # The labels keep the names as they were, even after an account is renamed or deleted.
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    actor_label = models.CharField(max_length=160)
    target_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    target_label = models.CharField(max_length=200, blank=True)
    ip = models.GenericIPAddressField(null=True)
    changes = models.JSONField(default=dict, blank=True)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["-created_at", "-id"], name="audit_time_idx"),
            models.Index(fields=["action", "-created_at"], name="audit_action_time_idx"),
            models.Index(fields=["actor_label", "-created_at"], name="audit_actor_time_idx"),
        ]
        permissions = [("view_system_settings", "Can view the system settings")]

    def __str__(self):
        return f"{self.created_at:%Y-%m-%d %H:%M:%S} {self.action} by {self.actor_label}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise TypeError("Audit events are append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise TypeError("Audit events are append-only.")
