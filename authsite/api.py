"""The JSON API's shared plumbing: strict input fields, one error format, one exception handler.

Every error body is ``{"detail": "..."}``; validation errors add ``"fields": {name: [messages]}``.
"""

from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import RequestDataTooBig, SuspiciousOperation
from django.http import JsonResponse
from django.views.decorators.csrf import csrf_exempt
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse
from rest_framework import exceptions, parsers, serializers
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from authsite.errors import DomainError

INVALID_FIELDS = "The request has invalid fields."
BODY_TOO_LARGE = "The request body is too large."


class StrictCharField(serializers.CharField):
    """A string and only a string: DRF would otherwise turn ``123`` or ``true`` into text."""

    default_error_messages = {"invalid": "Must be a string."}

    def to_internal_value(self, data):
        if not isinstance(data, str):
            self.fail("invalid")
        return super().to_internal_value(data)


class StrictIntegerField(serializers.IntegerField):
    """A JSON integer and only that: not ``"3"``, ``3.5`` or ``true``."""

    default_error_messages = {"invalid": "Must be a whole number."}

    def to_internal_value(self, data):
        if isinstance(data, bool) or not isinstance(data, int):
            self.fail("invalid")
        return super().to_internal_value(data)


class StrictSerializer(serializers.Serializer):
    """Refuses fields it does not know, so a typo or a smuggled field is an error, not a no-op.

    ``ignored_fields`` names fields a client may send back unchanged (for example a profile it
    just read) that are accepted and never written.
    """

    ignored_fields: tuple[str, ...] = ()

    def to_internal_value(self, data):
        if isinstance(data, dict):
            unknown = set(data) - set(self.fields) - set(self.ignored_fields)
            if unknown:
                raise serializers.ValidationError(
                    {name: ["Unknown field."] for name in sorted(unknown)}
                )
        return super().to_internal_value(data)


class JSONParser(parsers.JSONParser):
    """DRF's JSON parser, with a body nested too deeply for Python's decoder refused as a 400.

    A couple of kilobytes of ``[[[[...`` makes ``json.loads`` raise ``RecursionError``, which
    DRF does not catch: every JSON endpoint, guests' included, would answer 500.
    """

    def parse(self, stream, media_type=None, parser_context=None):
        try:
            return super().parse(stream, media_type, parser_context)
        except RecursionError:
            raise exceptions.ParseError("JSON parse error - the body is nested too deeply.") from None


def error_body(detail: str, fields: dict | None = None) -> dict:
    body = {"detail": detail}
    if fields:
        body["fields"] = fields
    return body


def exception_handler(exc, context):
    """Map domain errors, DRF's own and Django's refusals of a hostile request to the one error format."""
    if isinstance(exc, DomainError):
        return _domain_error_response(exc)
    if isinstance(exc, RequestDataTooBig):
        # Django refuses a body past DATA_UPLOAD_MAX_MEMORY_SIZE when DRF reads it.
        return Response(error_body(BODY_TOO_LARGE), status=413)
    if isinstance(exc, SuspiciousOperation):
        # For example too many query parameters (DATA_UPLOAD_MAX_NUMBER_FIELDS).
        return Response(error_body("The request was refused."), status=400)
    if isinstance(exc, exceptions.ValidationError):
        return Response(error_body(INVALID_FIELDS, _field_messages(exc.detail)), status=400)
    response = drf_exception_handler(exc, context)
    if response is not None and isinstance(response.data, dict) and "detail" in response.data:
        response.data = error_body(str(response.data["detail"]))
    return response


def _domain_error_response(exc: DomainError) -> Response:
    return Response({"detail": exc.message, **exc.details()}, status=exc.status, headers=exc.headers())


def _field_messages(detail) -> dict[str, list[str]]:
    if isinstance(detail, dict):
        return {name: _flatten(messages) for name, messages in detail.items()}
    return {"non_field_errors": _flatten(detail)}


def _flatten(messages) -> list[str]:
    if isinstance(messages, dict):
        return [f"{key}: {text}" for key, value in messages.items() for text in _flatten(value)]
    if isinstance(messages, list):
        return [text for item in messages for text in _flatten(item)]
    return [str(messages)]


# --- What the OpenAPI schema says about errors ---------------------------------------------


class ErrorOutput(serializers.Serializer):
    """Every error body: a message, and for invalid input the messages per field."""

    detail = serializers.CharField()
    fields = serializers.DictField(
        child=serializers.ListField(child=serializers.CharField()),
        required=False,
        help_text="Messages per field name, for invalid input.",
    )
    suspended_until = serializers.DateTimeField(
        required=False,
        allow_null=True,
        help_text="When the suspension ends (null: indefinitely); only with a login refused for a suspended account.",
    )


ERROR_DESCRIPTIONS = {
    400: "Invalid input: malformed JSON, wrong types, unknown fields, or a domain rule broken.",
    401: "Missing, invalid, expired or revoked credentials.",
    403: "Authenticated, but not allowed to do this.",
    404: "Not found.",
    413: "The request body is larger than the server accepts.",
    415: "The body is not JSON.",
    429: "Too many attempts; try again after `Retry-After` seconds.",
    503: "A dependency is briefly unavailable or busy; try again after `Retry-After` seconds.",
}


def error(status: int, description: str | None = None) -> OpenApiResponse:
    """The schema's error response for ``status``, in the one error format."""
    return OpenApiResponse(ErrorOutput, description=description or ERROR_DESCRIPTIONS[status])


def errors(*statuses: int) -> dict[int, OpenApiResponse]:
    """The schema's error responses for ``statuses``, with their usual descriptions."""
    return {status: error(status) for status in statuses}


ERROR_HEADERS = [
    OpenApiParameter(
        "WWW-Authenticate", OpenApiTypes.STR, OpenApiParameter.HEADER, response=[401], required=True,
        description="The Bearer challenge.",
    ),
    OpenApiParameter(
        "Retry-After", OpenApiTypes.INT, OpenApiParameter.HEADER, response=[429, 503], required=True,
        description="Seconds to wait before trying again.",
    ),
]  # fmt: skip


def json_not_found(request, exception=None):
    """404 for paths under ``/api/`` that match no route, in the API's error format."""
    return JsonResponse(error_body("Not found."), status=404)


@login_not_required
@csrf_exempt
def unknown_api_path(request, path=""):
    """The last route under ``/api/``: JSON 404 for any method, with or without ``DEBUG``.

    Django shows its HTML debug page for unmatched paths when ``DEBUG`` is on and never calls
    ``handler404``; an API client should read the same JSON either way.
    """
    return json_not_found(request)


def json_server_error(request):
    """500 for the API in its error format; pages keep the friendly 500 page."""
    return JsonResponse(error_body("Something went wrong on our side; it has been logged."), status=500)

