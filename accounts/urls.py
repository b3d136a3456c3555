from accounts import views
from authsite.routes import route

app_name = "accounts"

urlpatterns = [
    route("register", views.register, name="register"),
    route("login", views.login_page, name="login"),
    route("logout", views.logout_page, name="logout"),
    route("logout/everywhere", views.logout_everywhere, name="logout-everywhere"),
    route("profile/password", views.password_change, name="password"),
    route("profile/email", views.email_change, name="email"),
    route("profile", views.profile, name="profile"),
    route("profile/edit", views.profile_edit, name="profile-edit"),
    route("premium", views.premium, name="premium"),
]
