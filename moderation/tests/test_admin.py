"""Django admin for posts: read-only, and deleting is the audited soft delete."""

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from adminlogs.models import AuditAction, AuditEvent
from moderation import services
from moderation.models import Post
from moderation.tests.factories import PostFactory

POSTS = "/django-admin/moderation/post/"

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client, admin):
    client.force_login(admin)
    return client


@pytest.fixture
def post(member):
    return PostFactory(author=member, title="Buy cheap watches")


def soft_delete(client, *posts, reason="Spam"):
    """Submit the confirmation page of the soft-delete action."""
    payload = {"action": "soft_delete_selected", "_selected_action": [p.pk for p in posts],
               "confirmed": "yes", "reason": reason}  # fmt: skip
    return client.post(POSTS, payload)


def test_admin_lists_posts_including_deleted_ones(admin_client, post, admin):
    hidden = PostFactory(title="Already hidden")
    services.post_delete(actor=admin, post_id=hidden.pk, reason="Old", ip=None)
    page = admin_client.get(POSTS).content.decode()
    assert "Buy cheap watches" in page
    assert "Already hidden" in page
    assert "Already hidden" in admin_client.get(POSTS, {"deleted": "yes"}).content.decode()
    assert "Already hidden" not in admin_client.get(POSTS, {"deleted": "no"}).content.decode()


def test_moderator_does_not_reach_the_admin(client, moderator, post):
    client.force_login(moderator)
    assert client.get(POSTS).status_code == 302


def test_soft_delete_asks_for_a_reason_first(admin_client, post):
    payload = {"action": "soft_delete_selected", "index": "0", "_selected_action": [post.pk]}
    response = admin_client.post(POSTS, payload)
    assert response.status_code == 200
    assert 'name="reason"' in response.content.decode()
    post.refresh_from_db()
    assert not post.is_deleted


def test_soft_delete_goes_through_the_service(admin_client, admin, post):
    response = soft_delete(admin_client, post, reason="Spam")
    assert response.status_code == 302
    post.refresh_from_db()
    assert post.is_deleted
    assert (post.deleted_by, post.deletion_reason) == (admin, "Spam")
    event = AuditEvent.objects.get(action=AuditAction.POST_DELETED)
    assert (event.actor, event.target_user, event.ip) == (admin, post.author, "127.0.0.1")
    assert event.changes["reason"] == "Spam"


def test_deleting_a_deleted_post_reports_it(admin_client, admin, post):
    services.post_delete(actor=admin, post_id=post.pk, reason="First", ip=None)
    response = soft_delete(admin_client, post, reason="Second")
    messages = [str(m) for m in get_messages(response.wsgi_request)]
    assert "Buy cheap watches: No post with that id." in messages
    post.refresh_from_db()
    assert post.deletion_reason == "First"


def test_no_hard_delete_add_or_change(admin_client, post):
    assert admin_client.post(reverse("admin:moderation_post_delete", args=[post.pk])).status_code == 403
    assert admin_client.get(reverse("admin:moderation_post_add")).status_code == 403
    admin_client.post(POSTS, {"action": "delete_selected", "index": "0", "_selected_action": [post.pk],
                              "post": "yes"})  # fmt: skip
    assert Post.objects.filter(pk=post.pk).exists()
    change = admin_client.get(reverse("admin:moderation_post_change", args=[post.pk]))
    assert change.status_code == 200
    assert 'name="_save"' not in change.content.decode()
