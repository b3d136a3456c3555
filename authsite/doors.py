"""What the doors that speak plain text share: Django admin messages and ``manage.py`` output."""

from authsite.errors import DomainError, ValidationFailed


def error_line(error: DomainError) -> str:
    """A domain error as one line: its message, or each invalid field with its messages."""
    if isinstance(error, ValidationFailed) and error.field_errors:
        return "; ".join(
            f"{field}: {' '.join(str(message) for message in messages)}"
            for field, messages in error.field_errors.items()
        )
    return error.message
