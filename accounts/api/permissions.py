from rest_framework.permissions import BasePermission

from accounts import policy


class DenyAll(BasePermission):
    """The default for every API view: one that names no policy action answers to no one."""

    def has_permission(self, request, view):
        return False


class MatrixPermission(BasePermission):
    """Asks the access matrix about the action ``view.policy_actions`` names for the method.

    A guest refused an action that needs an account gets 401 (DRF does that when nobody
    authenticated); an authenticated caller refused gets 403.
    """

    def has_permission(self, request, view):
        method = "GET" if request.method in ("HEAD", "OPTIONS") else request.method
        action = view.policy_actions.get(method)
        return action is not None and policy.can(request.user, action)
