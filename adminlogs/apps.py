from django.apps import AppConfig


class AdminlogsConfig(AppConfig):
    name = "adminlogs"
    verbose_name = "Admin logs"
