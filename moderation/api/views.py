from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response

from accounts.api.views import PolicyAPIView
from accounts.policy import Action
from authsite.http import client_ip
from moderation import selectors, services
from moderation.api import serializers as io


class PostPagination(PageNumberPagination):
    page_size = 20


class PostListView(PolicyAPIView):
    policy_actions = {"GET": Action.READ_POSTS, "POST": Action.CREATE_POST}

    @extend_schema(responses=io.PostOutput(many=True))
    def get(self, request):
        paginator = PostPagination()
        page = paginator.paginate_queryset(selectors.post_list(), request, view=self)
        return paginator.get_paginated_response(io.PostOutput(page, many=True).data)

    @extend_schema(request=io.PostInput, responses={201: io.PostOutput})
    def post(self, request):
        data = self.parse(io.PostInput, request)
        post = services.post_create(author=request.user, **data)
        return Response(io.PostOutput(post).data, status=status.HTTP_201_CREATED)


class PostDetailView(PolicyAPIView):
    policy_actions = {"GET": Action.READ_POSTS, "DELETE": Action.DELETE_POST}

    @extend_schema(responses=io.PostOutput)
    def get(self, request, post_id):
        return Response(io.PostOutput(selectors.post_get(post_id)).data)

    @extend_schema(request=io.PostDeleteInput, responses={204: None})
    def delete(self, request, post_id):
        data = self.parse(io.PostDeleteInput, request)
        services.post_delete(actor=request.user, post_id=post_id, ip=client_ip(request), **data)
        return Response(status=status.HTTP_204_NO_CONTENT)
