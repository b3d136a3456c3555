from authsite.routes import route
from moderation.api import views

app_name = "moderation-api"

urlpatterns = [
    route("posts", views.PostListView.as_view(), name="posts"),
    route(r"posts/(?P<post_id>[^/]+)", views.PostDetailView.as_view(), name="post"),
]
