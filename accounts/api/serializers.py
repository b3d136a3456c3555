from rest_framework import serializers

from accounts.identifiers import USERNAME_MAX_LENGTH
from accounts.passwords import MAX_LENGTH as PASSWORD_MAX_LENGTH
from authsite.api import StrictCharField, StrictIntegerField, StrictSerializer


class RegisterInput(StrictSerializer):
    username = StrictCharField(max_length=USERNAME_MAX_LENGTH)
    email = StrictCharField(max_length=254)
    password = StrictCharField(max_length=PASSWORD_MAX_LENGTH, trim_whitespace=False)


class LoginInput(StrictSerializer):
    username = StrictCharField(max_length=254, help_text="Username or email address.")
    password = StrictCharField(max_length=PASSWORD_MAX_LENGTH, trim_whitespace=False)


class PasswordChangeInput(StrictSerializer):
    current_password = StrictCharField(max_length=PASSWORD_MAX_LENGTH, trim_whitespace=False)
    new_password = StrictCharField(max_length=PASSWORD_MAX_LENGTH, trim_whitespace=False)


class EmailChangeInput(StrictSerializer):
    current_password = StrictCharField(max_length=PASSWORD_MAX_LENGTH, trim_whitespace=False)
    email = StrictCharField(max_length=254)


class RefreshInput(StrictSerializer):
    refresh = StrictCharField(max_length=4096)


class TokenPairOutput(serializers.Serializer):
    access = serializers.CharField()
    refresh = serializers.CharField()


class AccountOutput(serializers.Serializer):
    id = serializers.CharField(source="pk")
    username = serializers.CharField()
    email = serializers.CharField()
    role = serializers.CharField()
    is_premium = serializers.BooleanField()


class ProfileOutput(AccountOutput):
    display_name = serializers.CharField()
    bio = serializers.CharField()
    date_joined = serializers.DateTimeField()


_DATE_JOINED = serializers.DateTimeField()


def profile_body(user) -> dict:
    """What ``ProfileOutput(user).data`` holds, without building a serializer per request.

    ``GET /api/profile`` is on every client's hot path and a serializer instance deep-copies its
    fields; ``ProfileOutput`` stays the schema, and a test holds the two equal.
    """
    return {
        "id": str(user.pk),
        "username": str(user.username),
        "email": str(user.email),
        "role": str(user.role),
        "is_premium": bool(user.is_premium),
        "display_name": str(user.display_name),
        "bio": str(user.bio),
        "date_joined": _DATE_JOINED.to_representation(user.date_joined),
    }


class ProfileInput(StrictSerializer):
    display_name = StrictCharField(max_length=100, allow_blank=True)
    bio = StrictCharField(max_length=2000, allow_blank=True)

    # A client may send back the profile it read; these are accepted and never written.
    ignored_fields = (
        "id", "username", "email", "role", "is_premium", "is_staff", "is_superuser",
        "is_active", "date_joined", "suspended_at", "suspended_until", "suspension_reason",
        "suspended_by", "token_version",
    )  # fmt: skip


class SuspendInput(StrictSerializer):
    username = StrictCharField(max_length=USERNAME_MAX_LENGTH)
    reason = StrictCharField(max_length=500)
    # The service applies the actor's limits; the bounds here only keep the number sane.
    days = StrictIntegerField(required=False, allow_null=True, min_value=-100_000, max_value=100_000)


class UnsuspendInput(StrictSerializer):
    username = StrictCharField(max_length=USERNAME_MAX_LENGTH)


class SuspensionOutput(serializers.Serializer):
    username = serializers.CharField()
    suspended = serializers.BooleanField(source="is_suspended")
    suspended_until = serializers.DateTimeField(allow_null=True, help_text="null: indefinitely, or not suspended.")
    reason = serializers.CharField(source="suspension_reason")
    suspended_by = serializers.CharField(source="suspended_by.username", default=None, allow_null=True)
