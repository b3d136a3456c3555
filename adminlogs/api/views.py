from django.core.exceptions import ValidationError as DjangoValidationError
from drf_spectacular.utils import extend_schema
from rest_framework.exceptions import NotFound
from rest_framework.pagination import CursorPagination
from rest_framework.response import Response

from accounts.api.views import PolicyAPIView
from accounts.policy import Action
from adminlogs import selectors
from adminlogs.api import serializers as io
from authsite.api import errors


class AuditPagination(CursorPagination):
    """Keyset pagination: a page costs the same at row ten million as at row ten."""

    page_size = 50
    ordering = ("-created_at", "-id")

    def paginate_queryset(self, queryset, request, view=None):
        # A forged cursor can carry a position the database cannot compare with a time, or a
        # time that exists in its zone but not in UTC (0001-01-01T00:00+14:00).
        try:
            return super().paginate_queryset(queryset, request, view)
        except (DjangoValidationError, OverflowError):
            raise NotFound(self.invalid_cursor_message) from None


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
