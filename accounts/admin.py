"""Django admin for accounts: a read-only view whose every change is an action calling a service.

Role, premium and suspension are never written by ``ModelAdmin.save``: the actions below call
``user_set_role``, ``user_set_premium``, ``user_suspend`` and ``user_unsuspend`` with the admin
as actor, so the policy decides (nobody changes their own role or suspends themselves), the
audit log records it and ``token_version`` ends the account's sessions and tokens. Profile
fields stay read-only too: the matrix lets people edit their *own* profile only.
"""

from django import forms
from django.contrib import admin
from django.db.models import Q
from django.utils import timezone

from accounts import services
from accounts.admin_site import admin_site_configure
from accounts.models import User
from accounts.roles import Role
from authsite.admin_actions import ReadOnlyModelAdmin, apply_each, confirmation_page, confirmed_form
from authsite.http import client_ip

admin_site_configure(admin.site)


class SuspensionFilter(admin.SimpleListFilter):
    title = "suspension"
    parameter_name = "suspended"

    def lookups(self, request, model_admin):
        return [("yes", "Suspended"), ("no", "Not suspended")]

    def queryset(self, request, queryset):
        # Same rule as User.is_suspended: a suspension whose end has passed no longer counts.
        now = timezone.now()
        suspended = Q(suspended_at__isnull=False) & (
            Q(suspended_until__isnull=True) | Q(suspended_until__gt=now)
        )
        if self.value() == "yes":
            return queryset.filter(suspended)
        if self.value() == "no":
            return queryset.exclude(suspended)
        return queryset


class SuspendForm(forms.Form):
    """What the confirmation page of "Suspend selected users" asks; the service checks it."""

    reason = forms.CharField(max_length=500, widget=forms.Textarea(attrs={"rows": 3, "cols": 60}))
    days = forms.IntegerField(required=False, help_text="Leave empty to suspend indefinitely.")


@admin.action(description="Suspend selected users…", permissions=["suspend"])
def suspend_selected(modeladmin, request, queryset):
    """Ask for a reason and a length, then suspend each selected account."""
    form = confirmed_form(request, SuspendForm)
    if not (form.is_bound and form.is_valid()):
        return confirmation_page(
            modeladmin, request, queryset, form=form, action="suspend_selected",
            title="Suspend these users",
        )  # fmt: skip
    reason, days = form.cleaned_data["reason"], form.cleaned_data["days"]
    apply_each(
        modeladmin, request, queryset,
        lambda user: services.user_suspend(
            actor=request.user, target=user, reason=reason, days=days, ip=client_ip(request)
        ),
        done="Suspended {count} {items}.",
    )  # fmt: skip
    return None


@admin.action(description="Lift suspension of selected users", permissions=["suspend"])
def unsuspend_selected(modeladmin, request, queryset):
    apply_each(
        modeladmin, request, queryset,
        lambda user: services.user_unsuspend(actor=request.user, target=user, ip=client_ip(request)),
        done="Lifted the suspension of {count} {items}.",
    )  # fmt: skip


def _role_action(role: Role):
    """The action that gives the selected accounts ``role``."""

    def action(modeladmin, request, queryset):
        apply_each(
            modeladmin, request, queryset,
            lambda user: services.user_set_role(
                actor=request.user, target=user, role=role, ip=client_ip(request)
            ),
            done=f"Gave {{count}} {{items}} the role {role.value}.",
        )  # fmt: skip

    action.__name__ = f"make_{role.value}"
    description = f"Set role of selected users to {role.value}"
    return admin.action(description=description, permissions=["manage_roles"])(action)


def _premium_action(is_premium: bool, description: str):
    """The action that turns premium on or off for the selected accounts."""

    def action(modeladmin, request, queryset):
        apply_each(
            modeladmin, request, queryset,
            lambda user: services.user_set_premium(
                actor=request.user, target=user, is_premium=is_premium, ip=client_ip(request)
            ),
            done=f"Premium {'granted to' if is_premium else 'revoked from'} {{count}} {{items}}.",
        )  # fmt: skip

    action.__name__ = "grant_premium" if is_premium else "revoke_premium"
    return admin.action(description=description, permissions=["manage_roles"])(action)


@admin.register(User)
class UserAdmin(ReadOnlyModelAdmin, admin.ModelAdmin):
    list_display = ["username", "email", "role", "is_premium", "suspension", "date_joined"]
    list_filter = ["role", "is_premium", SuspensionFilter, "is_active"]
    search_fields = ["username", "email", "display_name"]
    ordering = ["username_key"]
    fieldsets = [
        (None, {"fields": ["username", "email", "display_name", "bio", "date_joined", "last_login"]}),
        ("Access", {"fields": ["role", "is_premium", "is_active", "token_version"]}),
        ("Suspension", {"fields": ["suspension", "suspension_reason", "suspended_by"]}),
    ]
    readonly_fields = [name for fields in fieldsets for name in fields[1]["fields"]]
    actions = [
        suspend_selected,
        unsuspend_selected,
        *(_role_action(role) for role in Role),
        _premium_action(True, "Grant premium to selected users"),
        _premium_action(False, "Revoke premium from selected users"),
    ]

    @admin.display(description="Suspension")
    def suspension(self, user):
        if not user.is_suspended:
            return None
        if user.suspended_until is None:
            return "Suspended indefinitely"
        return f"Suspended until {timezone.localtime(user.suspended_until):%Y-%m-%d %H:%M %Z}"

    def has_suspend_permission(self, request):
        return request.user.has_perm("accounts.suspend_user")

    def has_manage_roles_permission(self, request):
        return request.user.has_perm("accounts.manage_roles")
