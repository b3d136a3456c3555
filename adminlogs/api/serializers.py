from rest_framework import serializers

from adminlogs.models import AuditAction
from authsite.api import StrictSerializer


class AuditFilterInput(StrictSerializer):
    action = serializers.ChoiceField(choices=AuditAction.choices, required=False)
    actor = serializers.CharField(max_length=160, required=False)
    since = serializers.DateTimeField(required=False)
    until = serializers.DateTimeField(required=False)
    # The paginator's own parameter.
    cursor = serializers.CharField(required=False)


class AuditEventOutput(serializers.Serializer):
    id = serializers.CharField(source="pk")
    created_at = serializers.DateTimeField()
    action = serializers.CharField()
    outcome = serializers.CharField()
    actor = serializers.CharField(source="actor_label")
    target = serializers.CharField(source="target_label")
    ip = serializers.CharField(allow_null=True)
    changes = serializers.JSONField()
