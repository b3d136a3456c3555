from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "accounts"

    def ready(self):
        # Registers the OpenAPI description of our authentication class.
        from accounts.api import schema  # noqa: F401

        # Registers the production TLS checks (see authsite.checks).
        from authsite import checks  # noqa: F401
