"""The accounts API: one view per operation, each parsing input and calling one service."""

from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts import credentials, services, tokens
from accounts.api import serializers as io
from accounts.api.permissions import MatrixPermission
from accounts.policy import Action
from accounts.selectors import profile_get, user_get_by_username
from authsite.http import client_ip


class PolicyAPIView(APIView):
    """An API view whose methods the access matrix guards, per ``policy_actions``."""

    permission_classes = [MatrixPermission]
    policy_actions: dict = {}

    @staticmethod
    def parse(serializer_class, request, partial=False):
        serializer = serializer_class(data=request.data, partial=partial)
        serializer.is_valid(raise_exception=True)
        return serializer.validated_data


class WelcomeView(PolicyAPIView):
    policy_actions = {"GET": Action.VIEW_WELCOME}

    @extend_schema(responses=inline_serializer("Welcome", {"message": serializers.CharField()}))
    def get(self, request):
        return Response({"message": "Welcome to authsite."})


class RegisterView(PolicyAPIView):
    policy_actions = {"POST": Action.REGISTER}

    @extend_schema(request=io.RegisterInput, responses={201: io.AccountOutput})
    def post(self, request):
        data = self.parse(io.RegisterInput, request)
        user = services.user_register(**data, ip=client_ip(request))
        return Response(io.AccountOutput(user).data, status=status.HTTP_201_CREATED)


class LoginView(PolicyAPIView):
    policy_actions = {"POST": Action.LOG_IN}

    @extend_schema(request=io.LoginInput, responses=io.TokenPairOutput)
    def post(self, request):
        data = self.parse(io.LoginInput, request)
        user = services.login_attempt(
            identifier=data["username"], password=data["password"], ip=client_ip(request)
        )
        return Response(tokens.token_pair_issue(user))


class TokenRefreshView(PolicyAPIView):
    policy_actions = {"POST": Action.REFRESH_TOKEN}
    # The refresh token in the body is the credential; no Bearer token is needed.
    authentication_classes = []

    @extend_schema(request=io.RefreshInput, responses=io.TokenPairOutput)
    def post(self, request):
        data = self.parse(io.RefreshInput, request)
        return Response(tokens.token_refresh(raw_refresh=data["refresh"], ip=client_ip(request)))


class LogoutView(PolicyAPIView):
    policy_actions = {"POST": Action.LOG_OUT}

    @extend_schema(request=io.RefreshInput, responses={204: None})
    def post(self, request):
        data = self.parse(io.RefreshInput, request)
        tokens.token_revoke(user=request.user, raw_refresh=data["refresh"], ip=client_ip(request))
        return Response(status=status.HTTP_204_NO_CONTENT)


class LogoutEverywhereView(PolicyAPIView):
    policy_actions = {"POST": Action.LOG_OUT}

    @extend_schema(request=None, responses={204: None})
    def post(self, request):
        credentials.logout_everywhere(user=request.user, ip=client_ip(request))
        return Response(status=status.HTTP_204_NO_CONTENT)


class PasswordChangeView(PolicyAPIView):
    policy_actions = {"POST": Action.EDIT_PROFILE}

    @extend_schema(request=io.PasswordChangeInput, responses=io.TokenPairOutput)
    def post(self, request):
        """Change the password; other sessions end, and the caller gets a fresh token pair."""
        data = self.parse(io.PasswordChangeInput, request)
        user = credentials.password_change(user=request.user, ip=client_ip(request), **data)
        return Response(tokens.token_pair_issue(user))


class EmailChangeView(PolicyAPIView):
    policy_actions = {"POST": Action.EDIT_PROFILE}

    @extend_schema(request=io.EmailChangeInput, responses=io.TokenPairOutput)
    def post(self, request):
        """Change the email address; other sessions end, and the caller gets a fresh token pair."""
        data = self.parse(io.EmailChangeInput, request)
        user = credentials.email_change(user=request.user, ip=client_ip(request), **data)
        return Response(tokens.token_pair_issue(user))


class ProfileView(PolicyAPIView):
    policy_actions = {"GET": Action.VIEW_PROFILE, "PUT": Action.EDIT_PROFILE, "PATCH": Action.EDIT_PROFILE}

    @extend_schema(responses=io.ProfileOutput)
    def get(self, request):
        return Response(io.ProfileOutput(profile_get(user=request.user)).data)

    @extend_schema(request=io.ProfileInput, responses=io.ProfileOutput)
    def put(self, request):
        return self._update(request, partial=False)

    @extend_schema(request=io.ProfileInput, responses=io.ProfileOutput)
    def patch(self, request):
        return self._update(request, partial=True)

    def _update(self, request, partial):
        data = self.parse(io.ProfileInput, request, partial=partial)
        user = services.profile_update(user=request.user, ip=client_ip(request), **data)
        return Response(io.ProfileOutput(user).data)


class PremiumView(PolicyAPIView):
    policy_actions = {"GET": Action.VIEW_PREMIUM}

    @extend_schema(responses=inline_serializer("Premium", {"content": serializers.CharField()}))
    def get(self, request):
        return Response({"content": "Premium content: thank you for supporting authsite."})


class SuspendView(PolicyAPIView):
    policy_actions = {"POST": Action.SUSPEND_USER}

    @extend_schema(request=io.SuspendInput, responses=io.SuspensionOutput)
    def post(self, request):
        data = self.parse(io.SuspendInput, request)
        user = services.user_suspend(
            actor=request.user, target=user_get_by_username(data["username"]),
            reason=data["reason"], days=data.get("days"), ip=client_ip(request),
        )  # fmt: skip
        return Response(io.SuspensionOutput(user).data)


class UnsuspendView(PolicyAPIView):
    policy_actions = {"POST": Action.SUSPEND_USER}

    @extend_schema(request=io.UnsuspendInput, responses=io.SuspensionOutput)
    def post(self, request):
        data = self.parse(io.UnsuspendInput, request)
        user = services.user_unsuspend(
            actor=request.user, target=user_get_by_username(data["username"]), ip=client_ip(request)
        )
        return Response(io.SuspensionOutput(user).data)
