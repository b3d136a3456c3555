"""How usernames and emails are normalised and compared.

Login, registration and the unique indexes all use these functions, so ``Alice``, ``alice`` and
``ａｌｉｃｅ`` (full-width) are one account everywhere.
"""

import unicodedata

from django.core.validators import RegexValidator

USERNAME_MAX_LENGTH = 150

# No "@": an identifier with one is an email, so a username can never shadow someone's email.
username_validator = RegexValidator(
    r"^[\w.-]+\Z",
    "Use letters, digits, dots, hyphens and underscores only.",
)


def normalize_username(username: str) -> str:
    """The form a username is stored in: NFKC, surrounding spaces removed."""
    return unicodedata.normalize("NFKC", username).strip()


def username_key(username: str) -> str:
    """The case-insensitive key two usernames are compared by."""
    return normalize_username(username).casefold()


def normalize_email(email: str) -> str:
    return unicodedata.normalize("NFKC", email).strip()


def email_key(email: str) -> str:
    """The case-insensitive key two emails are compared by."""
    return normalize_email(email).casefold()


def identifier_key(identifier: str) -> tuple[str, str]:
    """Which field a login identifier names and its key: an email has an ``@``."""
    if "@" in identifier:
        return "email_key", email_key(identifier)
    return "username_key", username_key(identifier)
