"""Django admin for posts: read-only, and deleting is the soft delete of ``post_delete``.

The built-in delete would remove rows and write no audit record, so it is switched off; the
"Delete selected posts (soft)" action hides each post through the service instead.
"""

from django import forms
from django.contrib import admin

from authsite.admin_actions import ReadOnlyModelAdmin, apply_each, confirmation_page, confirmed_form
from authsite.http import client_ip
from moderation import services
from moderation.models import Post


class DeletedFilter(admin.SimpleListFilter):
    title = "deleted"
    parameter_name = "deleted"

    def lookups(self, request, model_admin):
        return [("yes", "Deleted"), ("no", "Visible")]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.filter(deleted_at__isnull=False)
        if self.value() == "no":
            return queryset.filter(deleted_at__isnull=True)
        return queryset


class SoftDeleteForm(forms.Form):
    reason = forms.CharField(
        max_length=500, required=False, widget=forms.Textarea(attrs={"rows": 3, "cols": 60})
    )


@admin.action(description="Delete selected posts (soft)…", permissions=["soft_delete"])
def soft_delete_selected(modeladmin, request, queryset):
    """Ask for a reason, then hide each selected post, keeping who, when and why."""
    form = confirmed_form(request, SoftDeleteForm)
    if not (form.is_bound and form.is_valid()):
        return confirmation_page(
            modeladmin, request, queryset, form=form, action="soft_delete_selected",
            title="Delete these posts",
        )  # fmt: skip
    reason = form.cleaned_data["reason"]
    apply_each(
        modeladmin, request, queryset,
        lambda post: services.post_delete(
            actor=request.user, post_id=post.pk, reason=reason, ip=client_ip(request)
        ),
        done="Deleted {count} {items}.",
    )  # fmt: skip
    return None


@admin.register(Post)
class PostAdmin(ReadOnlyModelAdmin, admin.ModelAdmin):
    list_display = ["title", "author", "created_at", "is_deleted"]
    list_filter = [DeletedFilter, "created_at"]
    list_select_related = ["author"]
    search_fields = ["title", "author__username"]
    date_hierarchy = "created_at"
    fields = ["title", "body", "author", "created_at", "deleted_at", "deleted_by", "deletion_reason"]
    readonly_fields = fields
    actions = [soft_delete_selected]

    @admin.display(boolean=True, description="Deleted")
    def is_deleted(self, post):
        return post.is_deleted

    def has_soft_delete_permission(self, request):
        return request.user.has_perm("moderation.delete_post")
