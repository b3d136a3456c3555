from django.contrib import admin
from django.urls import include, path, re_path
from django.views.generic import RedirectView
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from authsite import health, views
from authsite.api import unknown_api_path
from authsite.routes import route

api_patterns = [
    path("", include("accounts.api.urls")),
    path("", include("moderation.api.urls")),
    path("", include("adminlogs.api.urls")),
    route("schema", SpectacularAPIView.as_view(), name="schema"),
    # The split view serves its start-up script as a file, so the strict CSP needs no inline script.
    route("docs", SpectacularSwaggerSplitView.as_view(url_name="schema"), name="docs"),
    re_path(r"^(?P<path>.*)\Z", unknown_api_path),  # last: see its docstring
]

urlpatterns = [
    path("api/", include(api_patterns)),
    # Django admin's own password and logout views would bypass the services and the audit log.
    path("django-admin/password_change/", RedirectView.as_view(pattern_name="accounts:password")),
    path("django-admin/logout/", RedirectView.as_view(pattern_name="accounts:logout")),
    path("django-admin/", admin.site.urls),
    route("healthz", health.healthz, name="healthz"),
    route("readyz", health.readyz, name="readyz"),
    route("", views.welcome, name="home"),
    route("welcome", views.welcome, name="welcome"),
    path("", include("accounts.urls")),
    path("", include("moderation.urls")),
    path("", include("adminlogs.urls")),
]

handler404 = "authsite.views.not_found"
handler500 = "authsite.views.server_error"
