from rest_framework import serializers

from authsite.api import StrictCharField, StrictSerializer


class PostInput(StrictSerializer):
    title = StrictCharField(max_length=200)
    body = StrictCharField(max_length=10_000)


class PostDeleteInput(StrictSerializer):
    reason = StrictCharField(max_length=500, required=False, allow_blank=True)


class PostOutput(serializers.Serializer):
    id = serializers.CharField(source="pk")
    author = serializers.CharField(source="author.username")
    title = serializers.CharField()
    body = serializers.CharField()
    created_at = serializers.DateTimeField()
