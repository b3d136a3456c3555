"""The site's own routes plus the reference views under ``/bench/``."""

from django.urls import include, path

from bench import views

urlpatterns = [
    path("bench/bare", views.bare),
    path("bench/stock-jwt", views.StockJWTView.as_view()),
    path("bench/stateless-jwt", views.StatelessJWTView.as_view()),
    path("bench/authsite-jwt", views.AuthsiteJWTView.as_view()),
    path("bench/argon2-verify", views.argon2_verify),
    path("", include("authsite.urls")),
]

handler404 = "authsite.views.not_found"
handler500 = "authsite.views.server_error"
