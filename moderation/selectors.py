"""Reads of posts: everyone reads the posts that are not deleted."""

from authsite.errors import NotFound
from authsite.ids import parse_id
from moderation.models import Post


def post_list():
    return Post.objects.visible().select_related("author")


def post_get(post_id) -> Post:
    """A visible post by id; unknown, malformed and deleted ids are all simply not found."""
    pk = parse_id(post_id)
    post = post_list().filter(pk=pk).first() if pk else None
    if post is None:
        raise NotFound("No post with that id.")
    return post
