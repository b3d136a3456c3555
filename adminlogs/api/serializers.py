from rest_framework import serializers

from adminlogs.models import AuditAction
from authsite.api import StrictSerializer


class AuditFilterInput(StrictSerializer):
    action = serializers.ChoiceField(choices=AuditAction.choices, required=False)
    actor = serializers.CharField(max_length=160, required=False)
    since = serializers.DateTimeField(required=False)
    until = serializers.DateTimeField(required=False)

    # The paginator reads its own parameter; the schema documents it from the paginator.
    ignored_fields = ("cursor",)


class AuditEventOutput(serializers.Serializer):
    id = serializers.CharField(source="pk")
    created_at = serializers.DateTimeField()
    action = serializers.CharField()
    outcome = serializers.CharField()
    actor = serializers.CharField(source="actor_label")
    target = serializers.CharField(source="target_label")
    ip = serializers.CharField(allow_null=True)
    changes = serializers.JSONField()


class SystemSettingsOutput(serializers.Serializer):
    """What ``adminlogs.selectors.system_settings`` returns; documentation only."""

    environment = serializers.CharField()
    debug = serializers.BooleanField()
    database_engine = serializers.CharField()
    database_tls = serializers.CharField()
    cache_backend = serializers.CharField()
    session_engine = serializers.CharField()
    access_token_lifetime_seconds = serializers.IntegerField()
    refresh_token_lifetime_seconds = serializers.IntegerField()
    jwt_algorithm = serializers.CharField()
    moderator_suspension_days = serializers.ListField(child=serializers.IntegerField(), min_length=2, max_length=2)
    rate_limits = serializers.DictField(child=serializers.CharField())
