"""The roles of the access matrix."""

from django.db import models


class Role(models.TextChoices):
    """A stored role. A visitor without credentials is a ``GUEST`` and has no row."""

    USER = "user", "User"
    MODERATOR = "moderator", "Moderator"
    ADMIN = "admin", "Admin"


GUEST = "guest"
