from django.apps import AppConfig
from django.db import DEFAULT_DB_ALIAS
from django.db.models.signals import post_migrate, post_save


class AccountsConfig(AppConfig):
    name = "accounts"

    def ready(self):
        # Registers the OpenAPI description of our authentication class.
        from accounts.api import schema  # noqa: F401

        # Registers the production TLS checks (see authsite.checks).
        from authsite import checks  # noqa: F401

        # The cached profile follows every save of an account, whichever code made it.
        post_save.connect(_profile_follows_row, sender=self.get_model("User"), dispatch_uid="profile_cache")
        post_migrate.connect(_embedded_cache_forgets_old_databases, sender=self, dispatch_uid="embedded_cache")


def _profile_follows_row(sender, instance, created, update_fields, raw=False, **kwargs):
    from accounts import profile_cache

    if not raw:
        profile_cache.row_saved(instance, update_fields, created)


def _embedded_cache_forgets_old_databases(sender, using=DEFAULT_DB_ALIAS, **kwargs):
    """Empty the embedded default's cache folder at every ``migrate``.

    A database deleted and made again reuses account ids, and must not meet the token versions
    and profiles cached for the one it replaced. Losing the rest costs nothing: every entry can
    be read again from the database. Redis is never emptied this way.
    """
    from django.core.cache import caches

    from authsite.cache import SharedFileCache

    if using == DEFAULT_DB_ALIAS and isinstance(caches["default"], SharedFileCache):
        caches["default"].clear()
