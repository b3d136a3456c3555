from drf_spectacular.utils import extend_schema
from rest_framework.exceptions import NotFound
from rest_framework.pagination import CursorPagination
from rest_framework.response import Response

from accounts.api.views import PolicyAPIView
from accounts.policy import Action
from adminlogs import selectors
from adminlogs.api import serializers as io
from authsite.api import errors
from authsite.pagination import moment_in_utc


class AuditPagination(CursorPagination):
    """Keyset pagination: a page costs the same at row ten million as at row ten."""

    page_size = 50
    ordering = ("-created_at", "-id")

    def decode_cursor(self, request):
        # A forged cursor can carry a position that is not a time the database can compare.
        cursor = super().decode_cursor(request)
        if cursor is not None and cursor.position is not None:
            try:
                moment_in_utc(cursor.position)
            except (ValueError, OverflowError):
                raise NotFound(self.invalid_cursor_message) from None
        return cursor


class AuditLogView(PolicyAPIView):
    """The audit log, newest first, 50 events a page, narrowed by the filters given."""

    policy_actions = {"GET": Action.VIEW_LOGS}
    # Read by the schema (the ``cursor`` parameter and the paginated body) as well as by ``get``.
    pagination_class = AuditPagination

    @extend_schema(
        parameters=[io.AuditFilterInput],
        responses={200: io.AuditEventOutput(many=True), **errors(400, 404)},
    )
    def get(self, request):
        filters = io.AuditFilterInput(data=request.query_params.dict())
        filters.is_valid(raise_exception=True)
        paginator = self.pagination_class()
        events = selectors.audit_list(**filters.validated_data)
        page = paginator.paginate_queryset(events, request, view=self)
        return paginator.get_paginated_response(io.AuditEventOutput(page, many=True).data)


class SystemSettingsView(PolicyAPIView):
    """The running configuration an admin may see; never a secret or a host name."""

    policy_actions = {"GET": Action.VIEW_SYSTEM_SETTINGS}

    @extend_schema(responses={200: io.SystemSettingsOutput})
    def get(self, request):
        return Response(selectors.system_settings())
