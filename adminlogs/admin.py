"""Django admin for the audit log: read-only, since the log is append-only evidence."""

from django.contrib import admin

from adminlogs.models import AuditEvent
from authsite.admin_actions import ReadOnlyModelAdmin


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyModelAdmin, admin.ModelAdmin):
    list_display = ["created_at", "action", "outcome", "actor_label", "target_label", "ip"]
    list_filter = ["action", "outcome"]
    search_fields = ["actor_label", "target_label"]
    date_hierarchy = "created_at"
    fields = [
        "created_at", "action", "outcome", "actor_label", "actor",
        "target_label", "target_user", "ip", "changes",
    ]  # fmt: skip
    readonly_fields = fields
    # Counting a large log on every page costs more than the exact total is worth.
    show_full_result_count = False
