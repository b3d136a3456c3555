from adminlogs import views
from authsite.routes import route

app_name = "adminlogs"

urlpatterns = [
    route("admin/logs", views.audit_log, name="audit-log"),
    route("admin/settings", views.system_settings, name="system-settings"),
]
