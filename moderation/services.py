"""Writes to posts, each in one transaction with its audit record."""

from django.core.exceptions import ValidationError
from django.utils import timezone

from accounts import policy
from adminlogs.models import AuditAction
from adminlogs.services import audit_record
from authsite.db import atomic_with_retry
from authsite.errors import NotFound, PermissionDenied, ValidationFailed
from authsite.ids import parse_id
from moderation.models import Post


@atomic_with_retry
def post_create(*, author, title: str, body: str) -> Post:
    """Publish a post by ``author``."""
    if not policy.can(author, policy.Action.CREATE_POST):
        raise PermissionDenied()
    post = Post(author=author, title=title.strip(), body=body.strip())
    try:
        post.full_clean(exclude=["author", "deleted_by"])
    except ValidationError as error:
        raise ValidationFailed(error.message_dict) from error
    post.save()
    return post


@atomic_with_retry
def post_delete(*, actor, post_id, reason: str = "", ip: str | None) -> Post:
    """Hide a post, recording who deleted it, when and why."""
    if actor is not None and not policy.can(actor, policy.Action.DELETE_POST):
        raise PermissionDenied()
    pk = parse_id(post_id)
    post = Post.objects.visible().select_for_update().filter(pk=pk).first() if pk else None
    if post is None:
        raise NotFound("No post with that id.")
    post.deleted_at = timezone.now()
    post.deleted_by = actor
    post.deletion_reason = reason.strip()[:500]
    post.save(update_fields=["deleted_at", "deleted_by", "deletion_reason"])
    audit_record(
        action=AuditAction.POST_DELETED, actor=actor, target=post.author, ip=ip,
        target_label=f"post {post.pk} by {post.author.username}",
        changes={"post_id": str(post.pk), "title": post.title, "reason": post.deletion_reason},
    )  # fmt: skip
    return post
