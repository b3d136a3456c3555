"""Teach drf-spectacular that our JWT authentication is simplejwt's Bearer scheme."""

from drf_spectacular.contrib.rest_framework_simplejwt import SimpleJWTScheme


class VersionedJWTScheme(SimpleJWTScheme):
    target_class = "accounts.api.authentication.VersionedJWTAuthentication"
    name = "jwtAuth"
