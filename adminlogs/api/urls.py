from adminlogs.api import views
from authsite.routes import route

app_name = "adminlogs-api"

urlpatterns = [
    route("admin/logs", views.AuditLogView.as_view(), name="logs"),
    route("admin/settings", views.SystemSettingsView.as_view(), name="settings"),
]
