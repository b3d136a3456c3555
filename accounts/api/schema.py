"""What the OpenAPI schema says about every API operation, read from the access matrix.

drf-spectacular sees serializers; it cannot see who may call an operation or which errors the
exception handler answers with. ``PolicyAutoSchema`` adds both, so the documented security and
error responses follow ``accounts.policy.MATRIX`` instead of being copied into every view.
"""

from drf_spectacular.contrib.rest_framework_simplejwt import SimpleJWTScheme
from drf_spectacular.openapi import AutoSchema

from accounts.policy import MATRIX, N, Y
from accounts.roles import GUEST, Role
from authsite.api import ERROR_HEADERS, errors

BODY_METHODS = ("POST", "PUT", "PATCH", "DELETE")


class VersionedJWTScheme(SimpleJWTScheme):
    target_class = "accounts.api.authentication.VersionedJWTAuthentication"
    name = "jwtAuth"


class PolicyAutoSchema(AutoSchema):
    """The schema of a ``PolicyAPIView`` operation, with its security and errors from the matrix.

    Every operation may answer 401 (a bad Bearer token is refused even where guests are welcome);
    403 where the matrix refuses some signed-in role; 400, 413 and 415 where it reads a body; 503
    where it writes (a serialization conflict, or the rate limiter's Redis down). Errors particular
    to one operation (404, 429) are declared on the view with ``authsite.api.errors``.
    """

    def _action(self):
        return self.view.policy_actions.get(self.method)

    def get_auth(self):
        requirements = super().get_auth()
        action = self._action()
        if requirements and action is not None and MATRIX[action][GUEST] is Y:
            requirements.append({})  # guests welcome: the Bearer token is optional
        return requirements

    def get_description(self):
        own = self.view.__class__.__doc__ or ""
        method_doc = getattr(self.view, self.method.lower()).__doc__ or ""
        action = self._action()
        who = f"Who may call: {_who_may(action)}." if action is not None else ""
        return "\n\n".join(part.strip() for part in (method_doc or own, who) if part.strip())

    def get_override_parameters(self):
        return [*super().get_override_parameters(), *ERROR_HEADERS]

    def _get_request_body(self, direction="request"):
        if self.method != "DELETE":
            return super()._get_request_body(direction)
        # drf-spectacular documents no body for DELETE; ours may read one (a post's deletion
        # reason), so document it as for POST, but optional.
        self.method = "POST"
        try:
            body = super()._get_request_body(direction)
        finally:
            self.method = "DELETE"
        if body:
            body["required"] = False
        return body

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        for status, response in errors(*self._error_statuses()).items():
            responses.setdefault(str(status), self._get_response_for_code(response, str(status), direction=direction))
        return dict(sorted(responses.items()))

    def _error_statuses(self) -> list[int]:
        statuses = [401]
        action = self._action()
        if action is not None and any(MATRIX[action][role] is not Y for role in Role.values):
            statuses.append(403)
        if self.method in BODY_METHODS and self.get_request_serializer() is not None:
            statuses += [400, 413, 415]
        if self.method in BODY_METHODS:
            statuses.append(503)
        return statuses


def _who_may(action) -> str:
    cells = [role if rule is Y else f"{role} ({rule.name})" for role, rule in MATRIX[action].items() if rule is not N]
    return ", ".join(cells) or "no one"
