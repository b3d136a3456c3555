"""Typed domain errors raised by services and mapped to HTTP once per door.

The API maps them in ``authsite.api.exception_handler``; pages in
``authsite.middleware.DomainErrorPageMiddleware`` or in the form view that expects them.
"""

from datetime import datetime


class DomainError(Exception):
    """A request the domain refuses; ``status`` is the HTTP status every door answers with."""

    status = 400
    default_message = "The request could not be completed."

    def __init__(self, message: str | None = None):
        self.message = message or self.default_message
        super().__init__(self.message)

    def details(self) -> dict:
        """What the API adds to ``{"detail": message}`` for this error."""
        return {}

    def headers(self) -> dict[str, str]:
        """Response headers every door sends with this error."""
        return {}


class ValidationFailed(DomainError):
    """Input that breaks a domain rule; ``field_errors`` maps a field name to its messages."""

    status = 400
    default_message = "The request has invalid fields."

    def __init__(self, field_errors: dict[str, list[str]], message: str | None = None):
        self.field_errors = field_errors
        super().__init__(message)

    def details(self) -> dict:
        return {"fields": self.field_errors}


class InvalidCredentials(DomainError):
    """Unknown account, wrong password or unusable account: one answer for all of them."""

    status = 401
    default_message = "Invalid username or password."

    def headers(self) -> dict[str, str]:
        # HTTP requires a challenge with every 401.
        return {"WWW-Authenticate": 'Bearer realm="api"'}


class PermissionDenied(DomainError):
    """The actor is known but the policy does not let them do this."""

    status = 403
    default_message = "You do not have permission to do this."


class AccountSuspended(DomainError):
    """The right password for a suspended account."""

    status = 403

    def __init__(self, until: datetime | None):
        self.until = until
        when = f"until {until.isoformat()}" if until else "indefinitely"
        super().__init__(f"This account is suspended {when}.")

    def details(self) -> dict:
        return {"suspended_until": self.until.isoformat() if self.until else None}


class NotFound(DomainError):
    status = 404
    default_message = "Not found."


class ServiceUnavailable(DomainError):
    """A dependency the request cannot safely go without (the rate limiter's Redis) is down."""

    status = 503
    default_message = "Sign-in is briefly unavailable; please try again in a moment."

    def headers(self) -> dict[str, str]:
        return {"Retry-After": "5"}


class TransactionConflict(DomainError):
    """The database kept aborting the transaction as a serialization conflict."""

    status = 503
    default_message = "The service is busy; please try again shortly."

    def headers(self) -> dict[str, str]:
        return {"Retry-After": "1"}


class RateLimited(DomainError):
    """Too many attempts from one client or at one account; try again after a while."""

    status = 429

    def __init__(self, retry_after_seconds: int):
        self.retry_after_seconds = max(1, retry_after_seconds)
        super().__init__(f"Too many attempts. Try again in {self.retry_after_seconds} seconds.")

    def headers(self) -> dict[str, str]:
        return {"Retry-After": str(self.retry_after_seconds)}
