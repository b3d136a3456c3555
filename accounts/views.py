"""The account pages: each parses its form, calls one service and renders or redirects."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login, logout, update_session_auth_hash
from django.http import HttpResponseRedirect
from django.shortcuts import redirect, render, resolve_url
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods, require_safe

from accounts import credentials, services
from accounts.decorators import page_requires
from accounts.forms import EmailChangeForm, LoginForm, PasswordChangeForm, ProfileForm, RegisterForm
from accounts.policy import Action
from authsite.errors import AccountSuspended, InvalidCredentials, RateLimited, ValidationFailed
from authsite.http import client_ip
from authsite.pages import render_form, show_on_form

BACKEND = "accounts.backends.PolicyBackend"
ALREADY_LOGGED_IN = _("You are already logged in. Log out first to use another account.")
PREMIUM_ONLY = _("The premium corner is open to premium members and admins only.")
FORM_METHODS = ["GET", "HEAD", "POST"]


def _form_data(request):
    """The submitted data for a POST, or ``None`` so a GET shows an unbound, empty form."""
    return request.POST if request.method == "POST" else None


@require_http_methods(FORM_METHODS)
@page_requires(Action.REGISTER, denied_message=ALREADY_LOGGED_IN)
def register(request):
    form = RegisterForm(_form_data(request))
    if not form.is_bound:
        return render(request, "accounts/register.html", {"form": form})
    if not form.is_valid():
        return render_form(request, "accounts/register.html", {"form": form})
    try:
        user = services.user_register(**form.cleaned_data, ip=client_ip(request))
    except (ValidationFailed, RateLimited) as error:
        show_on_form(form, error)
        return render_form(request, "accounts/register.html", {"form": form}, error=error)
    login(request, user, backend=BACKEND)
    messages.success(request, gettext("Welcome, %(name)s! Your account is ready.") % {"name": user.username})
    return redirect("accounts:profile")


@require_http_methods(FORM_METHODS)
@page_requires(Action.LOG_IN, denied_message=ALREADY_LOGGED_IN)
def login_page(request):
    form = LoginForm(_form_data(request))
    context = {"form": form, "next": _safe_next(request)}
    if not form.is_bound:
        return render(request, "accounts/login.html", context)
    if not form.is_valid():
        return render_form(request, "accounts/login.html", context)
    try:
        user = services.login_attempt(
            identifier=form.cleaned_data["username"], password=form.cleaned_data["password"],
            ip=client_ip(request),
        )  # fmt: skip
    except AccountSuspended as error:
        # The template words this one itself, to show the date in the reader's format.
        return render_form(request, "accounts/login.html", {**context, "suspension": error}, error=error)
    except (InvalidCredentials, RateLimited) as error:
        show_on_form(form, error)
        return render_form(request, "accounts/login.html", context, error=error)
    login(request, user, backend=BACKEND)
    messages.success(request, gettext("Welcome back, %(name)s.") % {"name": user.username})
    # Not ``redirect()``: it would try a bare word such as ``next=posts`` as a URL name.
    return HttpResponseRedirect(context["next"] or resolve_url(settings.LOGIN_REDIRECT_URL))


def _safe_next(request) -> str:
    """Where to go after logging in: ``next`` when it stays on this site, otherwise nowhere."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    allowed = url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return target if allowed else ""


@require_http_methods(FORM_METHODS)
@page_requires(Action.LOG_OUT)
def logout_page(request):
    if request.method != "POST":
        return render(request, "accounts/logout.html")
    services.logout_record(user=request.user, ip=client_ip(request))
    logout(request)
    messages.success(request, gettext("You are logged out."))
    return redirect(settings.LOGOUT_REDIRECT_URL)


@require_safe
@page_requires(Action.VIEW_PROFILE)
def profile(request):
    return render(request, "accounts/profile.html", {"profile": request.user})


@require_http_methods(FORM_METHODS)
@page_requires(Action.EDIT_PROFILE)
def profile_edit(request):
    initial = {"display_name": request.user.display_name, "bio": request.user.bio}
    form = ProfileForm(_form_data(request), initial=initial)
    if not form.is_bound:
        return render(request, "accounts/profile_edit.html", {"form": form})
    if not form.is_valid():
        return render_form(request, "accounts/profile_edit.html", {"form": form})
    try:
        services.profile_update(user=request.user, ip=client_ip(request), **form.cleaned_data)
    except ValidationFailed as error:
        show_on_form(form, error)
        return render_form(request, "accounts/profile_edit.html", {"form": form}, error=error)
    messages.success(request, gettext("Your profile is saved."))
    return redirect("accounts:profile")


@require_safe
@page_requires(Action.VIEW_PREMIUM, denied_message=PREMIUM_ONLY)
def premium(request):
    return render(request, "accounts/premium.html")


@require_http_methods(FORM_METHODS)
@page_requires(Action.EDIT_PROFILE)
def password_change(request):
    return _credential_change(
        request, PasswordChangeForm, credentials.password_change, "accounts/password_change.html",
        gettext("Your password is changed. You are logged out everywhere else."),
    )  # fmt: skip


@require_http_methods(FORM_METHODS)
@page_requires(Action.EDIT_PROFILE)
def email_change(request):
    return _credential_change(
        request, EmailChangeForm, credentials.email_change, "accounts/email_change.html",
        gettext("Your email address is changed. You are logged out everywhere else."),
    )  # fmt: skip


def _credential_change(request, form_class, service, template, success_message):
    """A form that proves the current password, then changes a credential and keeps this session."""
    form = form_class(_form_data(request))
    if not form.is_bound:
        return render(request, template, {"form": form})
    if not form.is_valid():
        return render_form(request, template, {"form": form})
    try:
        user = service(user=request.user, ip=client_ip(request), **form.cleaned_data)
    except (ValidationFailed, RateLimited) as error:
        show_on_form(form, error)
        return render_form(request, template, {"form": form}, error=error)
    # The change ended every session of this account; this one continues, with a new id.
    update_session_auth_hash(request, user)
    messages.success(request, success_message)
    return redirect("accounts:profile")


@require_http_methods(["POST"])
@page_requires(Action.LOG_OUT)
def logout_everywhere(request):
    credentials.logout_everywhere(user=request.user, ip=client_ip(request))
    logout(request)
    messages.success(request, gettext("You are logged out on every device."))
    return redirect(settings.LOGOUT_REDIRECT_URL)
