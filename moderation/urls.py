from authsite.routes import route
from moderation import views

app_name = "moderation"

urlpatterns = [
    route("posts", views.post_list, name="post-list"),
    route(r"posts/(?P<post_id>[^/]+)", views.post_detail, name="post-detail"),
    route(r"posts/(?P<post_id>[^/]+)/delete", views.post_delete, name="post-delete"),
    route("user/ban", views.user_ban, name="user-ban"),
    route("user/unban", views.user_unban, name="user-unban"),
]
