"""The posts and moderation pages: each parses its form, calls one service and renders or redirects."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from accounts import policy
from accounts import services as account_services
from accounts.decorators import page_requires
from accounts.policy import Action
from accounts.selectors import user_get_by_username
from authsite.errors import NotFound, PermissionDenied, ValidationFailed
from authsite.http import client_ip
from authsite.pages import render_form, show_on_form
from authsite.pagination import keyset_page
from moderation import selectors, services
from moderation.forms import PostDeleteForm, PostForm, SuspendForm, UnsuspendForm

FORM_METHODS = ["GET", "HEAD", "POST"]
POSTS_PER_PAGE = 20
# What a moderation form can meet: an unknown name, an account out of reach, a bad field.
MODERATION_ERRORS = (NotFound, PermissionDenied, ValidationFailed)


def _form_data(request):
    """The submitted data for a POST, or ``None`` so a GET shows an unbound, empty form."""
    return request.POST if request.method == "POST" else None


# --- Posts ---------------------------------------------------------------------------------


@require_http_methods(FORM_METHODS)
@page_requires(Action.READ_POSTS, post=Action.CREATE_POST)
def post_list(request):
    form = PostForm(_form_data(request))
    if not form.is_bound:
        return _post_list_render(request, form)
    if not form.is_valid():
        return _post_list_render(request, form, failed=True)
    try:
        post = services.post_create(author=request.user, **form.cleaned_data)
    except ValidationFailed as error:
        show_on_form(form, error)
        return _post_list_render(request, form, failed=True)
    messages.success(request, gettext("Your post is published."))
    return redirect("moderation:post-detail", post_id=post.pk)


def _post_list_render(request, form, *, failed=False):
    page = keyset_page(selectors.post_list(), cursor=request.GET.get("cursor"), size=POSTS_PER_PAGE)
    context = {"form": form, "page": page}
    if failed:
        return render_form(request, "moderation/post_list.html", context)
    return render(request, "moderation/post_list.html", context)


@require_safe
@page_requires(Action.READ_POSTS)
def post_detail(request, post_id):
    post = selectors.post_get(post_id)
    return render(request, "moderation/post_detail.html", {"post": post, "delete_form": PostDeleteForm()})


@require_POST
@page_requires(Action.DELETE_POST)
def post_delete(request, post_id):
    form = PostDeleteForm(request.POST)
    if not form.is_valid():
        context = {"post": selectors.post_get(post_id), "delete_form": form}
        return render_form(request, "moderation/post_detail.html", context)
    services.post_delete(actor=request.user, post_id=post_id, reason=form.cleaned_data["reason"], ip=client_ip(request))
    messages.success(request, gettext("The post is deleted."))
    return redirect("moderation:post-list")


# --- Suspensions ---------------------------------------------------------------------------


@require_http_methods(FORM_METHODS)
@page_requires(Action.SUSPEND_USER)
def user_ban(request):
    form = SuspendForm(_form_data(request), limits=policy.suspension_limits(request.user))
    if not form.is_bound or not form.is_valid():
        return _moderation_render(request, "moderation/user_ban.html", form)
    data = form.cleaned_data
    try:
        target = account_services.user_suspend(
            actor=request.user, target=user_get_by_username(data["username"]),
            reason=data["reason"], days=data["days"], ip=client_ip(request),
        )  # fmt: skip
    except MODERATION_ERRORS as error:
        denied = _("You may not suspend this account.")
        show_on_form(form, error, field="username", denied_message=_with_reach(request, denied))
        return _moderation_render(request, "moderation/user_ban.html", form, error=error)
    messages.success(request, gettext("%(name)s is suspended.") % {"name": target.username})
    return redirect("moderation:user-ban")


@require_http_methods(FORM_METHODS)
@page_requires(Action.SUSPEND_USER)
def user_unban(request):
    form = UnsuspendForm(_form_data(request))
    if not form.is_bound or not form.is_valid():
        return _moderation_render(request, "moderation/user_unban.html", form)
    try:
        target = account_services.user_unsuspend(
            actor=request.user, target=user_get_by_username(form.cleaned_data["username"]),
            ip=client_ip(request),
        )  # fmt: skip
    except MODERATION_ERRORS as error:
        denied = _("You may not lift this account's suspension.")
        show_on_form(form, error, field="username", denied_message=_with_reach(request, denied))
        return _moderation_render(request, "moderation/user_unban.html", form, error=error)
    messages.success(request, gettext("%(name)s may log in again.") % {"name": target.username})
    return redirect("moderation:user-unban")


def _reach(request) -> str:
    """Whom the current moderator may act on, as the policy table words it."""
    return policy.describe(request.user, Action.SUSPEND_USER)


def _with_reach(request, denied) -> str:
    """A refusal that also says whom the moderator may act on, so the way forward is clear."""
    return gettext("%(denied)s You may act on: %(reach)s.") % {"denied": denied, "reach": _reach(request)}


def _moderation_render(request, template, form, *, error=None):
    """A moderation form with the limits the current moderator works within."""
    context = {
        "form": form,
        "limits": policy.suspension_limits(request.user),
        "reach": _reach(request),
    }
    if form.is_bound:
        return render_form(request, template, context, error=error)
    return render(request, template, context)
