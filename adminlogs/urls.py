app_name = "adminlogs"

urlpatterns = []
