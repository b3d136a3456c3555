from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from authsite import views
from authsite.routes import route

api_patterns = [
    path("", include("accounts.api.urls")),
    path("", include("moderation.api.urls")),
    path("", include("adminlogs.api.urls")),
    route("schema", SpectacularAPIView.as_view(), name="schema"),
    route("docs", SpectacularSwaggerView.as_view(url_name="schema"), name="docs"),
]

urlpatterns = [
    path("api/", include(api_patterns)),
    path("django-admin/", admin.site.urls),
    route("", views.welcome, name="home"),
    route("welcome", views.welcome, name="welcome"),
    path("", include("accounts.urls")),
    path("", include("moderation.urls")),
    path("", include("adminlogs.urls")),
]

handler404 = "authsite.views.not_found"
