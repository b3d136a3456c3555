from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response

from accounts.api.views import PolicyAPIView
from accounts.policy import Action
from authsite.api import errors
from authsite.http import client_ip
from moderation import selectors, services
from moderation.api import serializers as io


class PostPagination(PageNumberPagination):
    """20 posts a page; ``page`` is a whole number from 1, and anything else is 404."""

    page_size = 20
    last_page_strings = ()

    def get_page_number(self, request, paginator):
        # DRF reads an empty ``page=`` as page 1; the schema promises a number, so it is not one.
        return request.query_params.get(self.page_query_param, 1)


class PostListView(PolicyAPIView):
    """The posts that are not deleted, newest first, 20 a page; or write one."""

    policy_actions = {"GET": Action.READ_POSTS, "POST": Action.CREATE_POST}
    # Read by the schema (the ``page`` parameter and the paginated body) as well as by ``get``.
    pagination_class = PostPagination

    @extend_schema(responses={200: io.PostOutput(many=True), **errors(404)})
    def get(self, request):
        paginator = self.pagination_class()
        page = paginator.paginate_queryset(selectors.post_list(), request, view=self)
        return paginator.get_paginated_response(io.PostOutput(page, many=True).data)

    @extend_schema(request=io.PostInput, responses={201: io.PostOutput})
    def post(self, request):
        data = self.parse(io.PostInput, request)
        post = services.post_create(author=request.user, **data)
        return Response(io.PostOutput(post).data, status=status.HTTP_201_CREATED)


POST_ID = OpenApiParameter(
    "post_id", str, OpenApiParameter.PATH, description="The post's id, a decimal string; any other value is 404."
)


@extend_schema(parameters=[POST_ID])
class PostDetailView(PolicyAPIView):
    """One post; or delete it (a soft delete that keeps who, when and why)."""

    policy_actions = {"GET": Action.READ_POSTS, "DELETE": Action.DELETE_POST}

    @extend_schema(responses={200: io.PostOutput, **errors(404)})
    def get(self, request, post_id):
        return Response(io.PostOutput(selectors.post_get(post_id)).data)

    @extend_schema(request=io.PostDeleteInput, responses={204: None, **errors(404)})
    def delete(self, request, post_id):
        data = self.parse(io.PostDeleteInput, request)
        services.post_delete(actor=request.user, post_id=post_id, ip=client_ip(request), **data)
        return Response(status=status.HTTP_204_NO_CONTENT)
