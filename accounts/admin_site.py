"""Django admin's login, through the same service and rules as every other login door."""

import functools

from django.contrib.admin.forms import AdminAuthenticationForm
from django.core.exceptions import ValidationError
from django.views.decorators.debug import sensitive_variables

from accounts import services
from authsite.errors import DomainError, InvalidCredentials
from authsite.http import client_ip

EMAIL_MAX_LENGTH = 254


class AdminLoginForm(AdminAuthenticationForm):
    """Check credentials with ``login_attempt``, so throttling, suspension and audit apply.

    Its ``InvalidCredentials`` becomes the one generic error every door shows; any other
    refusal (suspended, too many attempts) is shown with the service's message.

    Whoever passes still needs ``is_staff`` (the policy's ``USE_ADMIN_SITE``), which the parent
    form's ``confirm_login_allowed`` checks.
    """

    def __init__(self, request=None, *args, **kwargs):
        super().__init__(request, *args, **kwargs)
        # Like every login door, this one takes a username or an email address.
        self.fields["username"].label = "Username or email"
        self.fields["username"].max_length = EMAIL_MAX_LENGTH
        self.fields["username"].widget.attrs["maxlength"] = EMAIL_MAX_LENGTH

    @sensitive_variables("password")
    def clean(self):
        identifier = self.cleaned_data.get("username")
        password = self.cleaned_data.get("password")
        if identifier is not None and password:
            self.user_cache = self._login_attempt(identifier, password)
            self.confirm_login_allowed(self.user_cache)
        return self.cleaned_data

    @sensitive_variables("password")
    def _login_attempt(self, identifier: str, password: str):
        try:
            return services.login_attempt(
                identifier=identifier, password=password, ip=client_ip(self.request)
            )
        except InvalidCredentials as error:
            raise ValidationError(error.message, code="invalid_login") from None
        except DomainError as error:
            # Suspended, throttled, or the rate limiter unreachable: the service's own words,
            # and its status and headers (429 with Retry-After) on the page, as at /login.
            self.request.login_refusal = error
            raise ValidationError(error.message, code=type(error).__name__) from None


def _answering_refusals(login_view):
    """Django admin's login view, answering a refused login with the refusal's status and headers."""

    @functools.wraps(login_view)
    def view(request, extra_context=None):
        response = login_view(request, extra_context)
        refusal = getattr(request, "login_refusal", None)
        if refusal is not None:
            response.status_code = refusal.status
            for name, value in refusal.headers().items():
                response[name] = value
        return response

    return view


def admin_site_configure(site) -> None:
    """Give ``site`` the policy's login form and this project's names."""
    site.login_form = AdminLoginForm
    site.login = _answering_refusals(site.login)
    site.site_header = "authsite administration"
    site.site_title = "authsite admin"
    site.index_title = "Accounts, posts and the audit log"
