from accounts.api import views
from authsite.routes import route

app_name = "accounts-api"

urlpatterns = [
    route("welcome", views.WelcomeView.as_view(), name="welcome"),
    route("register", views.RegisterView.as_view(), name="register"),
    route("login", views.LoginView.as_view(), name="login"),
    route("token/refresh", views.TokenRefreshView.as_view(), name="token-refresh"),
    route("logout", views.LogoutView.as_view(), name="logout"),
    route("logout/all", views.LogoutEverywhereView.as_view(), name="logout-all"),
    route("password", views.PasswordChangeView.as_view(), name="password"),
    route("email", views.EmailChangeView.as_view(), name="email"),
    route("profile", views.ProfileView.as_view(), name="profile"),
    route("premium", views.PremiumView.as_view(), name="premium"),
    route("user/ban", views.SuspendView.as_view(), name="ban"),
    route("user/unban", views.UnsuspendView.as_view(), name="unban"),
]
